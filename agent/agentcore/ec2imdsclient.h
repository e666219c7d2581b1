// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/httpexchange.h"
#include "base/clock.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

// Thin IMDSv2-only transport for the EC2 instance metadata service (docs/AWS-PROTOCOL.md §4):
// a session token first (PUT <base>/latest/api/token with X-aws-ec2-metadata-token-ttl-seconds;
// the body is the token), then GET <base><path> with X-aws-ec2-metadata-token. The token is
// kept until shortly before it expires (a quarter of its lifetime, at most 5 minutes, before)
// and fetched again then, and at once when a read answers 401 (the read is retried once with
// the new token). Never through a proxy, no redirects, a per-call timeout. Reads that arrive
// while a token is being fetched wait for it. The token is a credential for this instance's
// metadata: it is never logged or put into an error. No IMDSv1 fallback: a read without a token
// is never sent. Parsing lives in ec2metadata.h.
namespace spotkeeper::agent {

using Ec2Reply = MetadataReply;

class Ec2ImdsClient final : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const Ec2Reply &)>;

    // tokenTtlSeconds: 1-21600 (the SDKs' default is the maximum, 21600).
    Ec2ImdsClient(QUrl baseUrl, const base::Clock &clock, int tokenTtlSeconds = kMaxTokenTtl,
                  QObject *parent = nullptr);
    ~Ec2ImdsClient() override;
    Q_DISABLE_COPY_MOVE(Ec2ImdsClient)

    // path from the root, e.g. "/latest/meta-data/spot/instance-action". done is called once,
    // never from inside get().
    void get(const QString &path, int timeoutMs, Callback done);
    // Only the session token request (cloud = auto asks it to tell AWS from the others); the
    // reply's body is dropped: ok() says a token came.
    void probeToken(int timeoutMs, Callback done);

    const QUrl &baseUrl() const { return m_base; }
    int tokensFetched() const { return m_tokensFetched; }
    int readsSent() const { return m_readsSent; }
    bool hasToken() const { return !m_token.isEmpty(); }

    static constexpr int kMaxTokenTtl = 21'600;
    static constexpr int kMaxRefreshLeadMs = 300'000;

    // The base URL the AWS SDKs would use: AWS_EC2_METADATA_SERVICE_ENDPOINT when set (a URL),
    // else with AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6 http://[fd00:ec2::254], else
    // http://169.254.169.254. Invalid (and *error set) when the variables are malformed.
    static QUrl urlFromEnvironment(const QString &endpoint, const QString &mode, QString *error);

private:
    struct Waiting
    {
        QString path;
        int timeoutMs = 0;
        Callback done;
        bool retried = false; // already retried after a 401
    };

    bool tokenFresh() const;
    void enqueue(Waiting waiting);
    void fetchToken(int timeoutMs);
    void read(Waiting waiting);
    void failWaiting(const Ec2Reply &reply);

    QUrl m_base;
    const base::Clock &m_clock;
    int m_ttlSeconds;
    QByteArray m_token; // secret: never logged
    qint64 m_refreshAtMs = 0; // clock time from which the token is fetched again
    bool m_fetching = false;
    quint64 m_tokenGeneration = 0;
    QList<Waiting> m_waiting;
    int m_tokensFetched = 0;
    int m_readsSent = 0;
};

} // namespace spotkeeper::agent
