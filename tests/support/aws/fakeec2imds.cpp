// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/aws/fakeec2imds.h"

#include <QRandomGenerator>

namespace spotkeeper::testsupport {

using namespace Qt::StringLiterals;

const QString FakeEc2Imds::kIdentityPath = u"/latest/dynamic/instance-identity/document"_s;
const QString FakeEc2Imds::kActionPath = u"/latest/meta-data/spot/instance-action"_s;
const QString FakeEc2Imds::kRebalancePath = u"/latest/meta-data/events/recommendations/rebalance"_s;
const QString FakeEc2Imds::kScheduledPath = u"/latest/meta-data/events/maintenance/scheduled"_s;

FakeEc2Imds::FakeEc2Imds()
{
    set(kIdentityPath,
        R"({"accountId":"123456789012","architecture":"x86_64",)"
        R"("availabilityZone":"us-west-2b","imageId":"ami-5fb8c835",)"
        R"("instanceId":"i-1234567890abcdef0","instanceType":"m5.large",)"
        R"("pendingTime":"2026-12-07T06:00:00Z","privateIp":"10.0.0.7",)"
        R"("region":"us-west-2","version":"2017-09-30"})");
    set(u"/latest/meta-data/instance-life-cycle"_s, "spot");
    set(kScheduledPath, "[]");
    m_server.route("PUT", "/latest/api/token")
        .respondAsync([this](const RecordedRequest &request, std::shared_ptr<http::Responder> r) {
            bool ok = false;
            const int ttl = request.header("X-aws-ec2-metadata-token-ttl-seconds").toInt(&ok);
            m_ttls.append(ok ? ttl : -1);
            if (hangTokenRequests) {
                m_hung.append(r);
                return;
            }
            if (!request.header("X-Forwarded-For").isEmpty())
                return r->send(http::Response::text(403, "Forbidden\n"));
            if (!ok || ttl < 1 || ttl > 21600)
                return r->send(http::Response::text(400, "Bad Request\n"));
            QByteArray token(56, '\0');
            for (char &c : token)
                c = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                    [QRandomGenerator::global()->bounded(62)];
            m_tokens.insert(token);
            ++m_issued;
            http::Response response = http::Response::text(200, token);
            response.headers.append({QByteArrayLiteral("X-aws-ec2-metadata-token-ttl-seconds"),
                                     QByteArray::number(ttl)});
            r->send(response);
        });
    m_server.routePrefix("GET", "/")
        .respondAsync([this](const RecordedRequest &request, std::shared_ptr<http::Responder> r) {
            bool hang = false;
            const http::Response response = read(request, &hang);
            if (hang)
                m_hung.append(r);
            else
                r->send(response);
        });
}

FakeEc2Imds::~FakeEc2Imds() = default;

bool FakeEc2Imds::start(QString *error)
{
    return m_server.start(error);
}

int FakeEc2Imds::reads(const QString &path) const
{
    return m_server.count("GET", path.toUtf8());
}

http::Response FakeEc2Imds::read(const RecordedRequest &request, bool *hang)
{
    if (!m_tokens.contains(request.header("X-aws-ec2-metadata-token"))) {
        ++m_unauthorised;
        return http::Response::text(401, "Unauthorized\n");
    }
    if (!script.isEmpty()) {
        const int status = script.takeFirst();
        *hang = status == 0;
        return http::Response::text(status == 0 ? 500 : status, "scripted\n");
    }
    const QString path = QString::fromUtf8(request.path);
    if (!m_items.contains(path))
        return http::Response::text(404, "Not Found\n");
    const QByteArray body = m_items.value(path);
    return body.startsWith('{') || body.startsWith('[') ? http::Response::json(200, body)
                                                        : http::Response::text(200, body);
}

} // namespace spotkeeper::testsupport
