// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/httpexchange.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>

// Thin transport for the three IMDS calls the agent makes, following IMDS's rules:
// header "Metadata: true", never a proxy (not even an auto-discovered one), no
// redirects, and a per-call timeout (the first Scheduled Events call may take two
// minutes). Parsing lives in scheduledevents.h.
namespace spotkeeper::agent {

using ImdsReply = MetadataReply;

class ImdsClient final : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const ImdsReply &)>;

    explicit ImdsClient(QUrl baseUrl, QObject *parent = nullptr);
    ~ImdsClient() override = default;
    Q_DISABLE_COPY_MOVE(ImdsClient)

    void getInstance(int timeoutMs, Callback done);
    void getScheduledEvents(int timeoutMs, Callback done);
    void postStartRequests(const QStringList &eventIds, int timeoutMs, Callback done);

    int requestsSent() const { return m_requestsSent; }
    const QUrl &baseUrl() const { return m_base; }

    static constexpr auto kInstanceApiVersion = "2021-02-01";
    static constexpr auto kScheduledEventsApiVersion = "2020-07-01";

private:
    void send(const QByteArray &verb, const QString &path, const QString &apiVersion,
              const QByteArray &body, int timeoutMs, Callback done);

    QUrl m_base;
    int m_requestsSent = 0;
};

} // namespace spotkeeper::agent
