// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/agentconfig.h"
#include "agentcore/ec2imdsclient.h"
#include "agentcore/gcemetadataclient.h"
#include "agentcore/noticesource.h"
#include "base/clock.h"

#include <QTimer>

#include <functional>
#include <memory>

// Which NoticeSource the agent runs: `cloud = azure` (Azure IMDS), `gcp` (the Compute
// Engine metadata server), `aws` (EC2's IMDSv2) or `auto`. Auto asks the metadata server
// address once whether it is Google's (GET /computeMetadata/v1/instance/id with
// Metadata-Flavor: Google, and an answer that carries the same header): yes -> Google Cloud.
// Any other HTTP answer -> it asks for an IMDSv2 session token (PUT /latest/api/token at the
// AWS address): a token -> AWS; another HTTP answer -> Azure; no answer to the PUT -> AWS if
// the first GET was refused with 401 (what IMDSv2 answers a read without a token: the PUT's
// answer is then most likely lost to the hop limit, docs/AGENT.md), else Azure. No answer at
// all to the first GET -> asked again, at most kAttempts times kProbeTimeoutMs, then Azure.
// The chosen source then runs behind this one, which forwards everything to it.
namespace spotkeeper::agent {

class CloudDetectingSource final : public NoticeSource
{
    Q_OBJECT
public:
    using Factory = std::function<std::unique_ptr<NoticeSource>()>;

    CloudDetectingSource(const QUrl &gceMetadataUrl, const QUrl &awsImdsUrl, Factory gcp,
                         Factory aws, Factory azure, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CloudDetectingSource)

    void start() override;
    void stop() override;
    bool identityKnown() const override { return m_inner && m_inner->identityKnown(); }
    protocol::VmIdentity identity() const override;
    QString identityError() const override;
    protocol::PollOutcome lastPoll() const override;
    void acknowledge(const QString &eventId,
                     std::function<void(bool ok, const QString &error)> done) override;

    // AgentConfig::Cloud::Auto until decided.
    AgentConfig::Cloud detected() const { return m_detected; }
    NoticeSource *inner() const { return m_inner.get(); }

    static constexpr int kProbeTimeoutMs = 1'000;
    static constexpr int kAttempts = 3;

signals:
    void cloudDetected(spotkeeper::agent::AgentConfig::Cloud cloud);

private:
    void probe();
    void probeAws(int firstStatus);
    void choose(AgentConfig::Cloud cloud, const QString &why);

    GceMetadataClient m_client;
    Ec2ImdsClient m_aws;
    Factory m_gcp;
    Factory m_awsFactory;
    Factory m_azure;
    std::unique_ptr<NoticeSource> m_inner;
    AgentConfig::Cloud m_detected = AgentConfig::Cloud::Auto;
    QTimer m_retry;
    int m_attempt = 0;
    bool m_running = false;
    QString m_lastProblem;
};

// The source config.cloud asks for (timings from config; seed and clock as given).
std::unique_ptr<NoticeSource> createNoticeSource(const AgentConfig &config, quint32 seed,
                                                 const base::Clock &clock);

} // namespace spotkeeper::agent
