// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/agentconfig.h"
#include "base/clock.h"

#include <QObject>
#include <QSslConfiguration>

#include <functional>
#include <optional>

// Sends one message to the dashboard and reports what happened. Signed mode: Standard
// Webhooks headers (webhook-id stable per message, webhook-timestamp fresh at every
// attempt and re-signed) plus spotkeeper-key-id, to /api/v1/notices or
// /api/v1/heartbeats. Legacy mode: `Authorization: Bearer <WEBHOOK_API_KEY>` to the
// legacy webhook URL. No retries here: the caller owns the retry policy.
namespace spotkeeper::agent {

enum class Route { Notice, Heartbeat };

struct PostResult
{
    int httpStatus = 0; // 0 when no HTTP answer arrived
    QByteArray body;
    QString error; // transport error text, or "HTTP <status>"
    bool duplicate = false; // 200 {"duplicate": true}: delivered before
    bool delivered() const { return httpStatus >= 200 && httpStatus < 300; }
    // 4xx other than 408/429 means our configuration (key, URL, VM binding) is wrong.
    bool configurationError() const
    {
        return httpStatus >= 400 && httpStatus < 500 && httpStatus != 408 && httpStatus != 429;
    }
};

class DashboardClient final : public QObject
{
    Q_OBJECT
public:
    DashboardClient(const AgentConfig &config, const base::Clock &clock, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(DashboardClient)

    bool isLegacy() const { return m_legacy; }
    QUrl urlFor(Route route) const;
    void post(Route route, const QByteArray &body, const QByteArray &webhookId,
              std::function<void(const PostResult &)> done);

private:
    bool m_legacy;
    QUrl m_baseUrl;
    QUrl m_legacyUrl;
    protocol::AgentCredential m_credential;
    QByteArray m_legacyApiKey;
    int m_timeoutMs;
    const base::Clock &m_clock;
    bool m_tls = false;
    std::optional<QSslConfiguration> m_ssl; // even a default-constructed one loads OpenSSL
};

} // namespace spotkeeper::agent
