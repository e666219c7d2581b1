// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: the control API (docs/SIMULATOR.md "Control API").
#include "sim/fleetmodel.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out << item.toString();
    return out;
}

} // namespace

void SimServer::handleControl(const http::Request &request, const ResponderPtr &responder)
{
    const auto send = [&](int status, const QJsonObject &body) {
        reply(request, responder,
              http::Response::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact)),
              u"control"_s);
    };
    const auto bad = [&](const QString &message) {
        reply(request, responder, http::Response::error(400, u"BadRequest"_s, message),
              u"control"_s);
    };
    const QByteArray what = request.path.mid(9); // after "/control/"
    if (request.method == "GET") {
        if (what == "state")
            return send(200, stateJson());
        if (what == "records")
            return send(200, recordsJson());
        return reply(request, responder,
                     http::Response::error(404, u"NotFound"_s, u"unknown control route"_s),
                     u"control"_s);
    }
    if (request.method != "POST")
        return bad(u"control routes take GET (state, records) or POST"_s);
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(
        request.body.isEmpty() ? QByteArrayLiteral("{}") : request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return bad(u"body is not a JSON object: "_s + error.errorString());
    const QJsonObject body = doc.object();
    if (what == "evict" || what == "agent-loss") {
        const int count = body.value("count"_L1).toInt(0);
        const QStringList vms = stringList(body.value("vms"_L1));
        const QString region = body.value("region"_L1).toString();
        if (count <= 0 && vms.isEmpty() && region.isEmpty())
            return bad(u"evict needs count > 0, vms [names] or region"_s);
        const bool notice = what == "evict" && body.value("notice"_L1).toBool(true);
        const QStringList evicted = evict(count, vms, region, notice);
        return send(200,
                    QJsonObject {{u"evicted"_s, QJsonArray::fromStringList(evicted)},
                                 {u"notice"_s, notice}});
    }
    if (what == "rebalance") { // AWS instances: a rebalance recommendation in their IMDS
        const QStringList vms = stringList(body.value("vms"_L1));
        if (vms.isEmpty())
            return bad(u"rebalance needs vms [names of running AWS instances]"_s);
        QStringList done;
        for (const QString &name : vms) {
            const int index = m_model.findByName(name);
            if (index >= 0 && m_model.recommendRebalance(index))
                done.append(name);
        }
        return send(200, QJsonObject {{u"recommended"_s, QJsonArray::fromStringList(done)}});
    }
    if (what == "app") { // the VMs' applications turn healthy or unhealthy
        const QStringList vms = stringList(body.value("vms"_L1));
        if (vms.isEmpty() || !body.value("healthy"_L1).isBool())
            return bad(u"app needs vms [names] and healthy (true or false)"_s);
        const bool healthy = body.value("healthy"_L1).toBool();
        const bool fixedByRestart = body.value("fixedByRestart"_L1).toBool(false);
        QStringList done;
        for (const QString &name : vms) {
            if (m_model.setAppHealthy(m_model.findByName(name), healthy, fixedByRestart))
                done.append(name);
        }
        return send(200,
                    QJsonObject {{u"changed"_s, QJsonArray::fromStringList(done)},
                                 {u"healthy"_s, healthy}});
    }
    if (what == "deallocate" || what == "power-off") {
        const QString verb = QString::fromLatin1(what);
        const QStringList vms = stringList(body.value("vms"_L1));
        const QString caller = body.value("caller"_L1).toString();
        const qint64 delay = body.value("logDelaySeconds"_L1).toInteger(0);
        if (vms.isEmpty() || caller.isEmpty() || caller.size() > 256)
            return bad(verb
                       + u" needs vms [names] and caller (who, as the Activity Log records it, "
                         "at most 256 characters)"_s);
        if (delay < 0 || delay > 86'400)
            return bad(verb + u": logDelaySeconds must be within 0..86400 (simulated)"_s);
        const bool deallocate = what == "deallocate";
        const QStringList done = stopAsUser(vms, caller, delay * 1000, deallocate);
        return send(200,
                    QJsonObject {{deallocate ? u"deallocated"_s : u"stopped"_s,
                                  QJsonArray::fromStringList(done)},
                                 {u"caller"_s, caller}});
    }
    if (what == "capacity") {
        const qint64 seconds = body.value("seconds"_L1).toInteger(0);
        if (seconds <= 0)
            return bad(u"capacity needs seconds > 0 (simulated time)"_s);
        const QString code = body.value("code"_L1).toString(u"AllocationFailed"_s);
        static const QStringList codes {u"AllocationFailed"_s, u"ZonalAllocationFailed"_s,
                                        u"SkuNotAvailable"_s,
                                        u"OverconstrainedAllocationRequest"_s};
        if (!codes.contains(code))
            return bad(u"capacity code must be one of "_s + codes.join(u", "_s));
        const QString mode = body.value("mode"_L1).toString(u"async"_s);
        if (mode != "async"_L1 && mode != "sync"_L1)
            return bad(u"capacity mode must be async or sync"_s);
        capacityShortage(body.value("region"_L1).toString(), body.value("size"_L1).toString(),
                         seconds, code, mode == "async"_L1);
        return send(200, QJsonObject {{u"ok"_s, true}});
    }
    if (what == "spot-price") { // a price eviction of the size's VMs below the new price
        const QString size = body.value("size"_L1).toString();
        const double price = body.value("price"_L1).toDouble(-1);
        if (size.isEmpty() || price <= 0)
            return bad(u"spot-price needs size and price > 0 (USD per hour)"_s);
        const QStringList evicted = raiseSpotPrice(size, price);
        return send(200, QJsonObject {{u"evicted"_s, QJsonArray::fromStringList(evicted)}});
    }
    if (what == "sizes") { // the sizes a region's VMs can be resized to
        const QString region = body.value("region"_L1).toString();
        const QStringList sizes = stringList(body.value("sizes"_L1));
        if (region.isEmpty() || !body.value("sizes"_L1).isArray())
            return bad(u"sizes needs region and sizes [names]"_s);
        m_model.setAvailableSizes(region, sizes);
        return send(200, QJsonObject {{u"ok"_s, true}});
    }
    if (what == "throttle-storm") {
        const qint64 seconds = body.value("seconds"_L1).toInteger(0);
        if (seconds <= 0 || seconds > 3600)
            return bad(u"throttle-storm needs 0 < seconds <= 3600 (real time)"_s);
        throttleStorm(seconds);
        return send(200, QJsonObject {{u"ok"_s, true}});
    }
    if (what == "faults") {
        const double rate5xx = body.value("error5xxRate"_L1).toDouble(0);
        const double drop = body.value("dropRate"_L1).toDouble(0);
        const double reset = body.value("resetRate"_L1).toDouble(0);
        const double token = body.value("tokenFailureRate"_L1).toDouble(0);
        const int delay = body.value("delayMs"_L1).toInt(0);
        if (rate5xx < 0 || rate5xx > 1 || drop < 0 || drop > 1 || token < 0 || token > 1
            || reset < 0 || reset > 1 || delay < 0 || delay > 120'000)
            return bad(u"faults: rates must be within 0..1 and delayMs within 0..120000"_s);
        setFaults(rate5xx, drop, delay, token, reset);
        return send(200, QJsonObject {{u"ok"_s, true}});
    }
    reply(request, responder, http::Response::error(404, u"NotFound"_s, u"unknown control route"_s),
          u"control"_s);
}

} // namespace spotkeeper::sim
