// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: IMDS per VM under /imds/{vmName} (AZURE-PROTOCOL.md §1-2).
#include "base/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simjson.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

void SimServer::handleImds(const http::Request &request, const ResponderPtr &responder)
{
    const auto send = [&](int status, const QByteArray &body) {
        reply(request, responder, http::Response::json(status, body), u"imds"_s);
    };
    // /imds/{vm}/metadata/...
    const auto [vmName, rest, index] = vmRoute(request.path, 6);
    if (index < 0)
        return send(404, R"({"error":"Not found: no simulated VM by that name"})");
    if (request.header("Metadata") != "true")
        return send(400, R"({"error":"Bad request. Required metadata header not specified"})");
    if (!request.header("X-Forwarded-For").isEmpty())
        return send(400, R"({"error":"Bad request. X-Forwarded-For header is not allowed"})");
    // 5 requests per second per VM, instance metadata and scheduled events together.
    const qint64 now = m_wall.nowMSecs();
    std::deque<qint64> &hits = m_imdsHits[vmName.toLower()];
    while (!hits.empty() && hits.front() <= now - 1000)
        hits.pop_front();
    if (int(hits.size()) >= m_options.imdsRequestsPerSecond)
        return send(429, R"({"error":"Too many requests"})");
    hits.push_back(now);
    if (request.queryItem(u"api-version"_s).isEmpty())
        return send(
            400,
            R"({"error":"Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds","newest-versions":["2025-04-07","2024-07-17","2024-03-15"]})");
    const SimVm &vm = m_model.vm(index);
    if (rest == "/metadata/instance"_L1 && request.method == "GET")
        return send(200, QJsonDocument(simjson::imdsInstance(vm)).toJson(QJsonDocument::Compact));
    if (rest == "/metadata/instance/compute"_L1 && request.method == "GET")
        return send(200,
                    QJsonDocument(simjson::imdsInstance(vm).value(u"compute"_s).toObject())
                        .toJson(QJsonDocument::Compact));
    if (rest != "/metadata/scheduledevents"_L1)
        return send(404, R"({"error":"Not found"})");
    if (request.method == "GET")
        return send(200, QJsonDocument(simjson::scheduledEvents(vm, [this](qint64 simMs) {
                             return m_model.toWallMs(simMs);
                         })).toJson(QJsonDocument::Compact));
    if (request.method != "POST")
        return send(405, R"({"error":"Method not allowed"})");
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    const QJsonValue starts = doc.object().value("StartRequests"_L1);
    if (error.error != QJsonParseError::NoError || !starts.isArray())
        return send(400, R"({"error":"Bad request. StartRequests array expected"})");
    QStringList ids;
    for (const QJsonValue &item : starts.toArray()) {
        const QString id = item.toObject().value("EventId"_L1).toString();
        if (id.isEmpty())
            return send(400, R"({"error":"Bad request. EventId missing"})");
        ids << id;
    }
    m_model.acknowledge(index, ids);
    send(200, QByteArray());
}

} // namespace spotkeeper::sim
