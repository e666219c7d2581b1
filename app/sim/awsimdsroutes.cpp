// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: the EC2 instance metadata service of each AWS instance under
// /aws-imds/{name}/latest/..., IMDSv2 only (docs/AWS-PROTOCOL.md §4, docs/SIMULATOR.md): a
// session token from PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds 1-21600,
// else 400; a forwarded PUT is refused with 403), then every GET needs it (401 without, with
// an expired one or with another instance's). spot/instance-action appears when the
// simulator interrupts the instance, with the Spot request's interruption behaviour;
// events/recommendations/rebalance after POST /control/rebalance.
#include "base/clock.h"
#include "protocol/timeformat.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

constexpr int kMaxTokens = 10'000; // expired ones are swept beyond this

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString isoTime(qint64 ms)
{
    return protocol::formatIso8601Utc(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC))
        .replace(u".000Z"_s, u"Z"_s); // whole seconds, as IMDS writes them
}

// The item at path for the instance, or nullopt for 404.
std::optional<QByteArray> awsItem(const SimVm &vm, const QString &path)
{
    if (path == "/latest/dynamic/instance-identity/document"_L1)
        return compact({{u"accountId"_s, vm.awsAccount},
                        {u"architecture"_s, u"x86_64"_s},
                        {u"availabilityZone"_s, vm.zone},
                        {u"imageId"_s, u"ami-0abcdef1234567890"_s},
                        {u"instanceId"_s, vm.vmId},
                        {u"instanceType"_s, vm.size},
                        {u"pendingTime"_s, isoTime(vm.powerSinceMs)},
                        {u"privateIp"_s, u"10.0.0.10"_s},
                        {u"region"_s, vm.location},
                        {u"version"_s, u"2017-09-30"_s}});
    if (path == "/latest/meta-data/instance-id"_L1)
        return vm.vmId.toUtf8();
    if (path == "/latest/meta-data/instance-type"_L1)
        return vm.size.toUtf8();
    if (path == "/latest/meta-data/placement/availability-zone"_L1)
        return vm.zone.toUtf8();
    if (path == "/latest/meta-data/instance-life-cycle"_L1)
        return vm.priority.compare("Spot"_L1, Qt::CaseInsensitive) == 0 ? QByteArray("spot")
                                                                        : QByteArray("on-demand");
    if (path == "/latest/meta-data/spot/instance-action"_L1) {
        // From the interruption notice until the instance runs again.
        const qint64 at = vm.evictAtMs != 0
            ? vm.evictAtMs
            : (vm.evictedAtMs != 0 && vm.power != Power::Running ? vm.evictedAtMs : 0);
        if (at == 0)
            return std::nullopt;
        return compact({{u"action"_s, vm.awsInterruptionBehavior}, {u"time"_s, isoTime(at)}});
    }
    if (path == "/latest/meta-data/events/recommendations/rebalance"_L1) {
        if (vm.rebalanceAtMs == 0)
            return std::nullopt;
        return compact({{u"noticeTime"_s, isoTime(vm.rebalanceAtMs)}});
    }
    if (path == "/latest/meta-data/events/maintenance/scheduled"_L1)
        return QByteArray("[]"); // no scheduled events are simulated
    return std::nullopt;
}

} // namespace

void SimServer::handleAwsImds(const http::Request &request, const ResponderPtr &responder)
{
    const auto send = [&](int status, const QByteArray &body, bool json = false) {
        reply(request, responder,
              json ? http::Response::json(status, body) : http::Response::text(status, body),
              u"aws-imds"_s);
    };
    // /aws-imds/{name}/latest/...
    const auto [vmName, rest, index] = vmRoute(request.path, 10); // "/aws-imds/"
    if (index < 0 || !m_model.vm(index).isAws())
        return send(404, "no simulated AWS instance by that name\n");
    const qint64 now = m_wall.nowMSecs();
    if (rest == "/latest/api/token"_L1) {
        if (request.method != "PUT")
            return send(405, "Method Not Allowed\n");
        if (!request.header("X-Forwarded-For").isEmpty())
            return send(403, "Forbidden\n");
        bool ok = false;
        const int ttl = request.header("X-aws-ec2-metadata-token-ttl-seconds").toInt(&ok);
        if (!ok || ttl < 1 || ttl > 21'600)
            return send(400, "Bad Request\n");
        if (m_awsImdsTokens.size() >= kMaxTokens) {
            for (auto it = m_awsImdsTokens.begin(); it != m_awsImdsTokens.end();)
                it = it->expiresWallMs <= now ? m_awsImdsTokens.erase(it) : std::next(it);
        }
        QByteArray token(56, '\0');
        for (char &c : token)
            c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[m_rng.bounded(62)];
        m_awsImdsTokens.insert(token, AwsImdsToken {vmName, now + qint64(ttl) * 1000});
        http::Response response = http::Response::text(200, token);
        response.headers.append(
            {QByteArrayLiteral("X-aws-ec2-metadata-token-ttl-seconds"), QByteArray::number(ttl)});
        return reply(request, responder, response, u"aws-imds"_s);
    }
    if (request.method != "GET")
        return send(405, "Method Not Allowed\n");
    const auto token = m_awsImdsTokens.constFind(request.header("X-aws-ec2-metadata-token"));
    if (token == m_awsImdsTokens.constEnd() || token->expiresWallMs <= now
        || token->vmName != vmName)
        return send(401, "Unauthorized\n"); // IMDSv2 only: no read without a valid session
    const auto item = awsItem(m_model.vm(index), rest);
    if (!item)
        return send(404, "Not Found\n");
    send(200, *item, item->startsWith('{') || item->startsWith('['));
}

} // namespace spotkeeper::sim
