// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/healthprobe.h"

#include "agentcore/agentlog.h"
#include "agentcore/httpexchange.h"

#include <QNetworkProxy>
#include <QSslCertificate>
#include <QTcpSocket>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype kMaxDetail = 200; // the wire's limit (messagecodec.h)
}

HealthProbe::HealthProbe(const HealthProbeConfig &config, const base::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_clock(clock)
{
    m_current.probe = config.kind.value_or(protocol::ProbeKind::Http);
    m_interval.setInterval(config.intervalMs);
    connect(&m_interval, &QTimer::timeout, this, &HealthProbe::probeNow);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        finish(false, u"no connection within the %1 ms timeout"_s.arg(m_config.timeoutMs));
    });
    if (config.kind == protocol::ProbeKind::Http && config.url.scheme() == "https"_L1) {
        m_ssl = QSslConfiguration::defaultConfiguration();
        if (!config.caFile.isEmpty())
            m_ssl->addCaCertificates(QSslCertificate::fromPath(config.caFile));
    }
}

HealthProbe::~HealthProbe()
{
    stop();
}

void HealthProbe::start()
{
    if (!m_config.enabled())
        return;
    m_interval.start();
    probeNow();
}

void HealthProbe::stop()
{
    m_interval.stop();
    m_deadline.stop();
    ++m_generation;
    m_running = false;
    if (m_socket) {
        m_socket->abort();
        m_socket->deleteLater();
    }
}

void HealthProbe::probeNow()
{
    if (m_running || !m_config.kind)
        return;
    m_running = true;
    ++m_generation;
    m_elapsed.start();
    switch (*m_config.kind) {
    case protocol::ProbeKind::Http:
        probeHttp();
        break;
    case protocol::ProbeKind::Tcp:
        probeTcp();
        break;
    case protocol::ProbeKind::Command:
        probeCommand();
        break;
    }
}

void HealthProbe::probeHttp()
{
    HttpRequest request;
    request.url = m_config.url;
    request.timeoutMs = m_config.timeoutMs;
    request.noProxy = true; // the application is on this VM
    request.maxResponseBytes = 256 * 1024;
    request.headers.append(qMakePair(QByteArrayLiteral("User-Agent"),
                                     QByteArrayLiteral("spotkeeper-agent health probe")));
    const quint64 generation = m_generation;
    HttpExchange::start(
        request, m_ssl ? &*m_ssl : nullptr,
        [this, generation](const HttpResponse &response) {
            if (generation != m_generation)
                return;
            if (response.status == 0) {
                finish(false, response.error);
                return;
            }
            const bool healthy = m_config.expectStatus == 0
                ? response.status >= 200 && response.status <= 299
                : response.status == m_config.expectStatus;
            QString detail = u"HTTP "_s + QString::number(response.status);
            if (!healthy)
                detail += u", expected "_s
                    + (m_config.expectStatus == 0 ? u"2xx"_s
                                                  : QString::number(m_config.expectStatus));
            finish(healthy, detail);
        },
        this);
}

void HealthProbe::probeTcp()
{
    auto *socket = new QTcpSocket(this);
    socket->setProxy(QNetworkProxy::NoProxy);
    m_socket = socket;
    connect(socket, &QTcpSocket::connected, this, [this] {
        finish(true, u"connected to %1:%2"_s.arg(m_config.host).arg(m_config.port));
    });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket](QAbstractSocket::SocketError) {
        if (socket == m_socket)
            finish(false, socket->errorString());
    });
    m_deadline.start(m_config.timeoutMs);
    socket->connectToHost(m_config.host, m_config.port);
}

void HealthProbe::probeCommand()
{
    QProcessEnvironment env = BoundedCommand::scrubbedEnvironment();
    env.insert(u"SPOTKEEPER_PROBE"_s, u"1"_s);
    const quint64 generation = m_generation;
    m_command.run(m_config.command, m_config.timeoutMs, env, BoundedCommand::Output::Discarded,
                  [this, generation](bool ok, const QString &outcome) {
                      if (generation == m_generation)
                          finish(ok, outcome);
                  });
}

void HealthProbe::finish(bool healthy, const QString &detail)
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation;
    m_deadline.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    const protocol::AppHealthState before = m_current.state;
    m_current.state =
        healthy ? protocol::AppHealthState::Healthy : protocol::AppHealthState::Unhealthy;
    m_current.at = m_clock.nowUtc();
    m_current.latencyMs = m_elapsed.elapsed();
    m_current.detail = detail.left(kMaxDetail);
    emit probed(m_current);
    if (before != m_current.state) {
        if (healthy)
            qCInfo(lcAgent).noquote()
                << u"health: application healthy (%1, %2 ms)"_s.arg(m_current.detail)
                       .arg(m_current.latencyMs);
        else
            qCWarning(lcAgent).noquote()
                << u"health: application unhealthy (%1, %2 ms)"_s.arg(m_current.detail)
                       .arg(m_current.latencyMs);
        emit stateChanged(m_current);
    }
}

} // namespace spotkeeper::agent
