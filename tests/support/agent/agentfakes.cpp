// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/agent/agentfakes.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace spotkeeper::agenttest {

using namespace Qt::StringLiterals;
using testsupport::RecordedRequest;

FakeImds::FakeImds()
{
    instance = instanceFor(u"vm-spot"_s);
    document = documentWith(1, {});
    m_server.route("GET", "/metadata/instance")
        .respondAsync([this](const RecordedRequest &request, std::shared_ptr<http::Responder> r) {
            serve(request, std::move(r), instanceScript, instance);
        });
    m_server.route("GET", "/metadata/scheduledevents")
        .respondAsync([this](const RecordedRequest &request, std::shared_ptr<http::Responder> r) {
            serve(request, std::move(r), eventsScript, document);
        });
    m_server.route("POST", "/metadata/scheduledevents")
        .respondWith([this](const RecordedRequest &request) {
            if (request.header("Metadata") != "true") {
                ++missingMetadataHeader;
                return http::Response::json(
                    400, R"({"error":"Bad request. Required metadata header not specified"})");
            }
            return http::Response::json(200, {});
        });
}

bool FakeImds::start(QString *error)
{
    return m_server.start(error);
}

void FakeImds::serve(const RecordedRequest &request, std::shared_ptr<http::Responder> responder,
                     QList<ImdsStep> &script, const QByteArray &body)
{
    // IMDS refuses a request without "Metadata: true" or with X-Forwarded-For.
    if (request.header("Metadata") != "true" || !request.header("X-Forwarded-For").isEmpty()) {
        ++missingMetadataHeader;
        responder->send(http::Response::json(
            400, R"({"error":"Bad request. Required metadata header not specified"})"));
        return;
    }
    const ImdsStep step = script.isEmpty() ? ImdsStep {} : script.takeFirst();
    switch (step.kind) {
    case ImdsStep::Serve:
        responder->send(http::Response::json(200, body));
        return;
    case ImdsStep::Status:
        responder->send(http::Response::json(step.status, R"({"error":"scripted"})"));
        return;
    case ImdsStep::Hang:
        m_hung.append(responder);
        return;
    case ImdsStep::Slow:
        // The body is read when the answer goes out: the test may change it meanwhile.
        QTimer::singleShot(step.delayMs, &m_server, [this, responder, &body] {
            responder->send(http::Response::json(200, body));
        });
        return;
    }
}

int FakeImds::eventPolls() const
{
    return m_server.count("GET", "/metadata/scheduledevents");
}

int FakeImds::instanceReads() const
{
    return m_server.count("GET", "/metadata/instance");
}

QList<RecordedRequest> FakeImds::startRequests() const
{
    return m_server.requests("POST", "/metadata/scheduledevents");
}

QByteArray FakeImds::instanceFor(const QString &vmName)
{
    // All values are strings, as in IMDS; "" priority would mean Regular.
    const QJsonObject compute {
        {u"subscriptionId"_s, u"11111111-2222-3333-4444-555555555555"_s},
        {u"resourceGroupName"_s, u"rg-spot"_s},
        {u"name"_s, vmName},
        {u"vmId"_s, u"8d2f2e4c-0000-4000-8000-000000000001"_s},
        {u"location"_s, u"westeurope"_s},
        {u"priority"_s, u"Spot"_s},
        {u"evictionPolicy"_s, u"Deallocate"_s},
        {u"vmScaleSetName"_s, u""_s},
        {u"osType"_s, u"Linux"_s},
    };
    return QJsonDocument(QJsonObject {{u"compute"_s, compute}, {u"network"_s, QJsonObject {}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray FakeImds::documentWith(qint64 incarnation, const QList<Event> &events)
{
    QJsonArray array;
    for (const Event &event : events) {
        const bool started = event.status == "Started"_L1;
        array.append(QJsonObject {
            {u"EventId"_s, event.id},
            {u"EventStatus"_s, event.status},
            {u"EventType"_s, event.type},
            {u"ResourceType"_s, u"VirtualMachine"_s},
            {u"Resources"_s, QJsonArray::fromStringList(event.resources)},
            {u"NotBefore"_s, started ? QString() : u"Tue, 09 Aug 2022 17:07:32 GMT"_s},
            {u"Description"_s, QString()},
            {u"EventSource"_s, u"Platform"_s},
            {u"DurationInSeconds"_s, -1},
        });
    }
    return QJsonDocument(
               QJsonObject {{u"DocumentIncarnation"_s, double(incarnation)}, {u"Events"_s, array}})
        .toJson(QJsonDocument::Compact);
}

FakeDashboard::FakeDashboard(protocol::AgentCredential credential)
    : m_credential(std::move(credential))
{
    auto handle = [this](bool notice) {
        return [this, notice](const RecordedRequest &request,
                              std::shared_ptr<http::Responder> responder) {
            if (mode == Mode::Hang) {
                m_hung.append(responder);
                return;
            }
            if (mode == Mode::Unavailable) {
                responder->send(http::Response::error(503, u"unavailable"_s, u"down"_s));
                return;
            }
            if (mode == Mode::Unauthorized || !verified(request)) {
                responder->send(http::Response::error(401, u"bad_signature"_s, u"no"_s));
                return;
            }
            if (!notice) {
                heartbeats.append(request);
                responder->send(http::Response::json(200, R"({"ok":true})"));
                return;
            }
            const QByteArray id = request.header("webhook-id");
            if (seenIds.contains(id)) {
                ++duplicates;
                responder->send(http::Response::json(200, R"({"duplicate":true})"));
                return;
            }
            seenIds.insert(id);
            accepted.append(request);
            responder->send(http::Response::json(202, R"({"accepted":true})"));
        };
    };
    m_server.route("POST", "/api/v1/notices").respondAsync(handle(true));
    m_server.route("POST", "/api/v1/heartbeats").respondAsync(handle(false));
    m_server.route("POST", "/webhook").respondWith([this](const RecordedRequest &request) {
        legacy.append(request);
        return http::Response::json(200, R"({"ok":true})");
    });
}

bool FakeDashboard::start(QString *error)
{
    return m_server.start(error);
}

bool FakeDashboard::startTls(const http::TlsOptions &tls, QString *error)
{
    return m_server.startTls(tls, error);
}

int FakeDashboard::noticeAttempts() const
{
    return m_server.count("POST", "/api/v1/notices");
}

bool FakeDashboard::verified(const RecordedRequest &request)
{
    protocol::VerifyRequest verify;
    verify.id = request.header("webhook-id");
    verify.timestamp = request.header("webhook-timestamp");
    verify.signature = request.header("webhook-signature");
    verify.keyId = request.header("spotkeeper-key-id");
    verify.body = request.body;
    const auto lookup = [this](QByteArrayView keyId) {
        return keyId == m_credential.keyId.toUtf8() ? m_credential.secrets
                                                    : QList<protocol::WebhookSecret> {};
    };
    const auto result = protocol::verify(verify, QDateTime::currentSecsSinceEpoch(), lookup, true);
    if (result != protocol::VerifyError::None) {
        ++badSignatures;
        return false;
    }
    return true;
}

protocol::AgentCredential testCredential()
{
    protocol::AgentCredential credential;
    credential.keyId = u"agk_test"_s;
    credential.secrets = {
        *protocol::WebhookSecret::fromString(u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s)};
    return credential;
}

QProcessEnvironment agentProcessEnvironment(const QTemporaryDir &dir, const QUrl &dashboard,
                                            const QString &metadataUrl)
{
    QFile(dir.filePath(u"agent.conf"_s)).open(QIODevice::WriteOnly);
    QProcessEnvironment env;
    env.insert(u"PATH"_s, qEnvironmentVariable("PATH"));
    env.insert(u"SPOTKEEPER_AGENT_CONFIG"_s, dir.filePath(u"agent.conf"_s));
    env.insert(u"SPOTKEEPER_DASHBOARD_URL"_s, dashboard.toString());
    env.insert(u"SPOTKEEPER_AGENT_KEY"_s, u"agk_test whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s);
    env.insert(u"SPOTKEEPER_IMDS_URL"_s, metadataUrl);
    env.insert(u"SPOTKEEPER_SPOOL_DIR"_s, dir.filePath(u"spool"_s));
    return env;
}

double percentile(QList<qint64> values, double p)
{
    std::sort(values.begin(), values.end());
    if (values.isEmpty())
        return 0;
    const auto index = static_cast<qsizetype>(p * double(values.size() - 1) + 0.5);
    return double(values.at(std::min(index, values.size() - 1)));
}

void printLine(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

} // namespace spotkeeper::agenttest
