// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/cloudselect.h"

#include "agentcore/agentlog.h"
#include "agentcore/azureimdssource.h"
#include "agentcore/ec2metadatasource.h"
#include "agentcore/gcemetadatasource.h"

#include <algorithm>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

CloudDetectingSource::CloudDetectingSource(const QUrl &gceMetadataUrl, const QUrl &awsImdsUrl,
                                           Factory gcp, Factory aws, Factory azure, QObject *parent)
    : NoticeSource(parent)
    , m_client(gceMetadataUrl)
    , m_aws(awsImdsUrl, base::systemClock())
    , m_gcp(std::move(gcp))
    , m_awsFactory(std::move(aws))
    , m_azure(std::move(azure))
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &CloudDetectingSource::probe);
}

void CloudDetectingSource::start()
{
    m_running = true;
    if (m_inner) {
        m_inner->start();
        return;
    }
    if (!m_retry.isActive() && m_attempt == 0)
        probe();
}

void CloudDetectingSource::stop()
{
    m_running = false;
    m_retry.stop();
    if (m_inner)
        m_inner->stop();
}

protocol::VmIdentity CloudDetectingSource::identity() const
{
    return m_inner ? m_inner->identity() : protocol::VmIdentity {};
}

QString CloudDetectingSource::identityError() const
{
    if (m_inner)
        return m_inner->identityError();
    return m_lastProblem.isEmpty() ? u"detecting the cloud"_s
                                   : u"detecting the cloud: "_s + m_lastProblem;
}

protocol::PollOutcome CloudDetectingSource::lastPoll() const
{
    return m_inner ? m_inner->lastPoll() : protocol::PollOutcome {};
}

void CloudDetectingSource::acknowledge(const QString &eventId,
                                       std::function<void(bool, const QString &)> done)
{
    if (m_inner) {
        m_inner->acknowledge(eventId, std::move(done));
        return;
    }
    QTimer::singleShot(0, this, [done] { done(false, u"the cloud is not known yet"_s); });
}

void CloudDetectingSource::probe()
{
    if (!m_running || m_inner)
        return;
    ++m_attempt;
    m_client.get(u"instance/id"_s, {}, kProbeTimeoutMs, [this](const GceReply &reply) {
        if (m_inner)
            return;
        if (reply.fromMetadataServer) { // even a 503 of Google's server says where we are
            choose(AgentConfig::Cloud::Gcp,
                   u"the metadata server at %1 answered with Metadata-Flavor: Google"_s.arg(
                       m_client.baseUrl().toString()));
            return;
        }
        if (reply.httpStatus != 0) {
            probeAws(reply.httpStatus);
            return;
        }
        m_lastProblem = reply.error;
        if (m_attempt >= kAttempts) {
            choose(
                AgentConfig::Cloud::Azure,
                u"nothing answered at %1 in %2 attempts (%3)"_s.arg(m_client.baseUrl().toString())
                    .arg(m_attempt)
                    .arg(reply.error));
            return;
        }
        if (m_running)
            m_retry.start(250);
    });
}

void CloudDetectingSource::probeAws(int firstStatus)
{
    const QString base = m_aws.baseUrl().toString();
    m_aws.probeToken(kProbeTimeoutMs, [this, firstStatus, base](const Ec2Reply &reply) {
        if (m_inner)
            return;
        if (reply.ok()) {
            choose(AgentConfig::Cloud::Aws,
                   u"%1 gave an IMDSv2 session token (PUT /latest/api/token)"_s.arg(base));
        } else if (reply.httpStatus != 0) {
            choose(AgentConfig::Cloud::Azure,
                   u"%1 is neither Google's metadata server nor EC2's IMDSv2 (token request: "
                   "%2)"_s.arg(base, reply.error));
        } else if (firstStatus == 401) {
            choose(AgentConfig::Cloud::Aws,
                   u"%1 refused a read without a session token (HTTP 401, as IMDSv2 does) but "
                   "the token request got no answer (%2): raise the instance's metadata hop "
                   "limit to 2 in a container"_s.arg(base, reply.error));
        } else {
            choose(AgentConfig::Cloud::Azure,
                   u"%1 is not Google's metadata server (HTTP %2) and the IMDSv2 token "
                   "request got no answer (%3)"_s.arg(base)
                       .arg(firstStatus)
                       .arg(reply.error));
        }
    });
}

void CloudDetectingSource::choose(AgentConfig::Cloud cloud, const QString &why)
{
    m_detected = cloud;
    QString name = u"Azure"_s;
    if (cloud == AgentConfig::Cloud::Gcp) {
        m_inner = m_gcp();
        name = u"Google Cloud"_s;
    } else if (cloud == AgentConfig::Cloud::Aws) {
        m_inner = m_awsFactory();
        name = u"AWS"_s;
    } else {
        m_inner = m_azure();
    }
    qCInfo(lcAgent).noquote() << u"cloud: %1, because %2"_s.arg(name, why);
    connect(m_inner.get(), &NoticeSource::identityResolved, this, &NoticeSource::identityResolved);
    connect(m_inner.get(), &NoticeSource::eventsObserved, this, &NoticeSource::eventsObserved);
    connect(m_inner.get(), &NoticeSource::pollFailed, this, &NoticeSource::pollFailed);
    emit cloudDetected(cloud);
    if (m_running)
        m_inner->start();
}

namespace {

// What every cloud's timing takes from the settings alike: the poll interval, and an error
// backoff that starts no later than the next poll.
template<typename Timing>
Timing pollTiming(const AgentConfig &config)
{
    Timing timing;
    timing.pollIntervalMs = config.pollIntervalMs;
    timing.errorBackoffBaseMs = std::min(1000, config.pollIntervalMs);
    return timing;
}

// A metadata source of the clouds whose reads all have one timeout (Google Cloud, AWS).
template<typename Source, typename Timing>
CloudDetectingSource::Factory plainSource(const AgentConfig &config, const QUrl &url, quint32 seed,
                                          const base::Clock &clock)
{
    auto timing = pollTiming<Timing>(config);
    timing.requestTimeoutMs = config.pollTimeoutMs;
    return [url, timing, seed, &clock]() -> std::unique_ptr<NoticeSource> {
        return std::make_unique<Source>(url, timing, seed, clock);
    };
}

} // namespace

std::unique_ptr<NoticeSource> createNoticeSource(const AgentConfig &config, quint32 seed,
                                                 const base::Clock &clock)
{
    auto azure = [config, seed, &clock]() -> std::unique_ptr<NoticeSource> {
        auto timing = pollTiming<ImdsTiming>(config);
        timing.firstPollTimeoutMs = config.firstPollTimeoutMs;
        timing.pollTimeoutMs = config.pollTimeoutMs;
        timing.identityTimeoutMs = config.pollTimeoutMs;
        return std::make_unique<AzureImdsSource>(config.imdsUrl, timing, seed, clock);
    };
    const auto gcp =
        plainSource<GceMetadataSource, GceTiming>(config, config.gceMetadataUrl, seed, clock);
    const auto aws =
        plainSource<Ec2MetadataSource, Ec2Timing>(config, config.awsImdsUrl, seed, clock);
    switch (config.cloud) {
    case AgentConfig::Cloud::Gcp:
        return gcp();
    case AgentConfig::Cloud::Aws:
        return aws();
    case AgentConfig::Cloud::Auto:
        return std::make_unique<CloudDetectingSource>(config.gceMetadataUrl, config.awsImdsUrl, gcp,
                                                      aws, azure);
    case AgentConfig::Cloud::Azure:
        break;
    }
    return azure();
}

} // namespace spotkeeper::agent
