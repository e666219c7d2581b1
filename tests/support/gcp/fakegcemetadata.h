// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/http/fakehttpserver.h"

#include <QHash>
#include <QList>

#include <memory>

// A Compute Engine metadata server on 127.0.0.1 (docs/GCP-PROTOCOL.md §1) for tests: plain
// text keys under /computeMetadata/v1/, instance/scheduling/ as JSON with
// ?recursive=true&alt=json, an ETag per value, and ?wait_for_change=true long polls that
// answer at once when last_etag is stale, else when the value changes or timeout_sec runs
// out. Like the real one it refuses a request without "Metadata-Flavor: Google" (or with
// X-Forwarded-For) with 403 and marks every answer with "Metadata-Flavor: Google".
// Faults: scripted statuses, hangs, answers without the flavor header, wait_for_change
// ignored.
namespace spotkeeper::testsupport {

class FakeGceMetadata
{
public:
    FakeGceMetadata();
    ~FakeGceMetadata();
    Q_DISABLE_COPY_MOVE(FakeGceMetadata)

    bool start(QString *error);
    QUrl baseUrl() const { return m_server.baseUrl(); }
    FakeHttpServer &server() { return m_server; }

    // key relative to /computeMetadata/v1/, e.g. "instance/preempted". Setting a new value
    // changes its ETag and answers the long polls waiting on it.
    void set(const QString &key, const QByteArray &value);
    QByteArray value(const QString &key) const { return m_values.value(key); }
    QByteArray etag(const QString &key) const;
    void remove(const QString &key); // then 404

    // Faults, consumed one per request (any key) in order: an HTTP status with a text body,
    // or 0 = never answer (the client times out).
    QList<int> script;
    bool flavorHeader = true; // false: answers lack Metadata-Flavor (not Google's server)
    bool honourWait = true; // false: wait_for_change is ignored, every read answers at once

    int refusedWithoutHeader = 0;
    int requests(const QString &key) const;
    int waitRequests(const QString &key) const; // those with wait_for_change=true
    int waiting() const; // long polls open right now

private:
    struct Waiter;
    void handle(const RecordedRequest &request, std::shared_ptr<http::Responder> responder);
    http::Response answer(const QString &key, bool json) const;

    FakeHttpServer m_server;
    QHash<QString, QByteArray> m_values;
    QHash<QString, int> m_versions;
    std::vector<std::unique_ptr<Waiter>> m_waiters;
    QList<std::shared_ptr<http::Responder>> m_hung;
};

} // namespace spotkeeper::testsupport
