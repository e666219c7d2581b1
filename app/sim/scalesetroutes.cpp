// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: uniform scale sets (list scale sets, list instances, batched start).
#include "base/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simjson.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

QByteArray compact(const QJsonObject &obj)
{
    return QJsonDocument(obj).toJson(QJsonDocument::Compact);
}

bool same(const QString &a, const QString &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

http::Response SimServer::listScaleSets(const http::Request &request, const QString &subscription)
{
    Q_UNUSED(request)
    QJsonArray value;
    for (const SimScaleSet &set : m_model.scaleSets()) {
        if (!same(set.subscriptionId, subscription))
            continue;
        int capacity = 0;
        for (int i = 0; i < m_model.vmCount(); ++i) {
            const SimVm &vm = m_model.vm(i);
            if (same(vm.scaleSet, set.name) && same(vm.resourceGroup, set.resourceGroup)
                && vm.power != Power::Deleted)
                ++capacity;
        }
        value.append(simjson::scaleSetBody(set, capacity));
    }
    return http::Response::json(200, compact(QJsonObject {{u"value"_s, value}}));
}

http::Response SimServer::listInstances(const http::Request &request, const QString &subscription,
                                        const QString &resourceGroup, const QString &scaleSet)
{
    if (!m_model.scaleSet(subscription, resourceGroup, scaleSet))
        return armError(404, u"ResourceNotFound"_s,
                        u"The Resource 'Microsoft.Compute/virtualMachineScaleSets/%1' under "
                        "resource group '%2' was not found."_s.arg(scaleSet, resourceGroup));
    const bool withView = request.queryItem(u"$expand"_s) == "instanceView"_L1;
    QList<int> matching;
    for (int i = 0; i < m_model.vmCount(); ++i) {
        const SimVm &vm = m_model.vm(i);
        if (same(vm.subscriptionId, subscription) && same(vm.resourceGroup, resourceGroup)
            && same(vm.scaleSet, scaleSet) && vm.power != Power::Deleted)
            matching.append(i);
    }
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, request.queryItem(u"api-version"_s));
    if (withView)
        query.addQueryItem(u"$expand"_s, u"instanceView"_s);
    return http::Response::json(
        200, compact(page(request, matching.size(), query, [&](qsizetype i) {
            return simjson::instanceBody(m_model.vm(matching.at(i)), withView, m_model.nowMs());
        })));
}

http::Response SimServer::startScaleSet(const http::Request &request, const QString &subscription,
                                        const QString &resourceGroup, const QString &scaleSet)
{
    if (request.method != "POST")
        return armError(405, u"MethodNotAllowed"_s, u"only POST start is simulated"_s);
    const SimScaleSet *set = m_model.scaleSet(subscription, resourceGroup, scaleSet);
    if (!set)
        return armError(404, u"ResourceNotFound"_s,
                        u"The Resource 'Microsoft.Compute/virtualMachineScaleSets/%1' under "
                        "resource group '%2' was not found."_s.arg(scaleSet, resourceGroup));
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonArray ids = body.value("instanceIds"_L1).toArray();
    QList<int> indices;
    if (ids.isEmpty()) { // Azure: no instanceIds = every instance of the scale set
        for (int i = 0; i < m_model.vmCount(); ++i) {
            const SimVm &vm = m_model.vm(i);
            if (same(vm.subscriptionId, subscription) && same(vm.resourceGroup, resourceGroup)
                && same(vm.scaleSet, scaleSet))
                indices.append(i);
        }
    }
    for (const QJsonValue &id : ids) {
        const int index =
            m_model.findInstance(subscription, resourceGroup, scaleSet, id.toString());
        if (index < 0)
            return armError(400, u"InvalidParameter"_s,
                            u"The provided instanceId %1 is not an active Virtual Machine Scale "
                            "Set VM instanceId."_s.arg(id.toString()));
        if (!indices.contains(index))
            indices.append(index);
    }
    const StartOutcome out = m_model.startInstances(indices, m_wall.nowMSecs());
    if (out.httpStatus != 202)
        return armError(out.httpStatus, out.errorCode, out.errorMessage);
    return startAccepted(request, subscription, set->location, out.opId);
}

} // namespace spotkeeper::sim
