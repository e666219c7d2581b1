// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/http/fakehttpserver.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <memory>

// EC2's instance metadata service with IMDSv2 on 127.0.0.1 for tests (docs/AWS-PROTOCOL.md §4):
// PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds (1-21600, else 400; a
// forwarded PUT is refused with 403) answers a fresh token and echoes the TTL header; every
// GET under /latest/ needs a token it issued and has not revoked (else 401). Items are
// answered from a table (path -> body, or absent = 404): by default an identity document of
// a Spot Instance, no instance-action, no rebalance recommendation and an empty list of
// scheduled events. Faults: scripted statuses for reads, 0 = never answer; PUTs that hang.
namespace spotkeeper::testsupport {

class FakeEc2Imds
{
public:
    FakeEc2Imds();
    ~FakeEc2Imds();
    Q_DISABLE_COPY_MOVE(FakeEc2Imds)

    bool start(QString *error);
    QUrl baseUrl() const { return m_server.baseUrl(); }
    FakeHttpServer &server() { return m_server; }

    // path from the root, e.g. "/latest/meta-data/spot/instance-action".
    void set(const QString &path, const QByteArray &body) { m_items.insert(path, body); }
    void remove(const QString &path) { m_items.remove(path); } // then 404

    // Every token issued so far stops working (the next read answers 401).
    void revokeTokens() { m_tokens.clear(); }

    QList<int> script; // read faults, consumed one per authorised GET: a status, 0 = hang
    bool hangTokenRequests = false; // PUTs never answer (the hop limit of a container)

    int tokensIssued() const { return m_issued; }
    int unauthorised() const { return m_unauthorised; }
    int reads(const QString &path) const;
    QList<int> requestedTtls() const { return m_ttls; }

    static const QString kIdentityPath;
    static const QString kActionPath;
    static const QString kRebalancePath;
    static const QString kScheduledPath;

private:
    http::Response read(const RecordedRequest &request, bool *hang);

    FakeHttpServer m_server;
    QHash<QString, QByteArray> m_items;
    QSet<QByteArray> m_tokens;
    QList<std::shared_ptr<http::Responder>> m_hung;
    QList<int> m_ttls;
    int m_issued = 0;
    int m_unauthorised = 0;
};

} // namespace spotkeeper::testsupport
