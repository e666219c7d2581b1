// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/webhooksignature.h"
#include "support/http/fakehttpserver.h"

#include <QList>
#include <QProcessEnvironment>
#include <QSet>
#include <QTemporaryDir>

#include <memory>

// The agent's two counterparts as real HTTP servers on 127.0.0.1 (FakeHttpServer):
// a scriptable IMDS and a dashboard that verifies every Standard Webhooks signature
// and dedupes on webhook-id the way the real listener does.
namespace spotkeeper::agenttest {

// What IMDS does with the next request; consumed in order, then `Serve` forever.
struct ImdsStep
{
    enum Kind { Serve, Status, Hang, Slow };
    Kind kind = Serve;
    int status = 200; // for Status
    int delayMs = 0; // for Slow: answer the document after this long
};

class FakeImds
{
public:
    FakeImds();
    bool start(QString *error);
    QUrl baseUrl() const { return m_server.baseUrl(); }
    testsupport::FakeHttpServer &server() { return m_server; }

    QByteArray instance; // body of GET /metadata/instance
    QByteArray document; // body of GET /metadata/scheduledevents
    QList<ImdsStep> instanceScript;
    QList<ImdsStep> eventsScript;

    int eventPolls() const;
    int instanceReads() const;
    QList<testsupport::RecordedRequest> startRequests() const; // POST scheduledevents
    int missingMetadataHeader = 0; // requests IMDS would have refused with 400

    static QByteArray instanceFor(const QString &vmName);
    // {"DocumentIncarnation":n,"Events":[...]} from (id, type, status, resources) rows.
    struct Event
    {
        QString id;
        QString type;
        QString status;
        QStringList resources;
    };
    static QByteArray documentWith(qint64 incarnation, const QList<Event> &events);

private:
    void serve(const testsupport::RecordedRequest &request,
               std::shared_ptr<http::Responder> responder, QList<ImdsStep> &script,
               const QByteArray &body);

    testsupport::FakeHttpServer m_server;
    QList<std::shared_ptr<http::Responder>> m_hung; // kept open so clients time out
};

class FakeDashboard
{
public:
    enum class Mode { Accept, Unavailable, Unauthorized, Hang };

    explicit FakeDashboard(protocol::AgentCredential credential);
    bool start(QString *error);
    bool startTls(const http::TlsOptions &tls, QString *error);
    QUrl baseUrl() const { return m_server.baseUrl(); }
    testsupport::FakeHttpServer &server() { return m_server; }

    Mode mode = Mode::Accept;
    QList<testsupport::RecordedRequest> accepted; // notices answered 2xx (not duplicates)
    QList<testsupport::RecordedRequest> heartbeats; // verified heartbeats
    QList<testsupport::RecordedRequest> legacy; // POST /webhook
    QSet<QByteArray> seenIds; // webhook-ids already stored
    int duplicates = 0;
    int badSignatures = 0;
    int noticeAttempts() const;

private:
    bool verified(const testsupport::RecordedRequest &request);

    protocol::AgentCredential m_credential;
    testsupport::FakeHttpServer m_server;
    QList<std::shared_ptr<http::Responder>> m_hung;
};

protocol::AgentCredential testCredential();

// For the benchmarks that run the built agent as a process: its environment (an empty config
// file in dir, the fake dashboard, testCredential()'s key, metadataUrl as imds-url, the spool
// in dir), a percentile of latencies and a flushed output line.
QProcessEnvironment agentProcessEnvironment(const QTemporaryDir &dir, const QUrl &dashboard,
                                            const QString &metadataUrl);
double percentile(QList<qint64> values, double p);
void printLine(const QString &line);

} // namespace spotkeeper::agenttest
