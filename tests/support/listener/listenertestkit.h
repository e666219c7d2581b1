// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleetoperations.h"
#include "http/httpserver.h"
#include "protocol/messages.h"
#include "protocol/webhooksignature.h"

#include <QByteArray>
#include <QList>
#include <QString>

// Shared by the listener tests and the listener benchmark: signed requests as an agent
// sends them, and a FleetOperations that records what the listener asked of it.
namespace spotkeeper::listenertest {

inline const QString kSubscription = QStringLiteral("8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11");
inline const QString kGroup = QStringLiteral("rg-spot");

QString vmResourceId(const QString &name);
protocol::Notice makeNotice(const QString &vmName, const QString &eventId, const QDateTime &sentAt);
protocol::Heartbeat makeHeartbeat(const QString &vmName, const QDateTime &sentAt);
QString newEventId(int n); // a GUID in upper case, distinct per n

struct SignedRequest
{
    QByteArray body;
    http::HeaderList headers; // webhook-id, webhook-timestamp, webhook-signature, key id
};
SignedRequest sign(const QByteArray &body, const QString &keyId,
                   const QList<protocol::WebhookSecret> &secrets, const QString &webhookId,
                   qint64 timestamp);
// "POST <path> HTTP/1.1" with Host, Content-Type, Content-Length and the headers.
QByteArray rawRequest(const QByteArray &method, const QByteArray &path,
                      const http::HeaderList &headers, const QByteArray &body);

class RecordingOperations final : public core::FleetOperations
{
public:
    struct Call
    {
        QString what;
        qint64 vmId = 0;
        QString actor;
        qint64 eventId = 0;
    };
    QList<Call> calls;
    core::OperationResult::Status answer = core::OperationResult::Status::Ok;

    int count(const QString &what) const;
    void handleNoticeStored(qint64 vmId, const core::EventRecord &notice) override;
    void handleUnconfirmedNotice(qint64 vmId) override;
    core::OperationResult forceRestart(qint64 vmId, const QString &actor) override;
    core::OperationResult pauseAutoRestart(qint64 vmId, const QString &actor) override;
    core::OperationResult resumeAutoRestart(qint64 vmId, const QString &actor) override;
    core::OperationResult cancelJob(qint64 vmId, const QString &actor) override;
    core::OperationResult addVm(const QString &resourceId, const QString &actor) override;
    core::OperationResult stopOnPurpose(qint64 vmId, const QString &actor) override;
    core::OperationResult startVm(qint64 vmId, const QString &actor) override;

private:
    core::OperationResult record(const QString &what, qint64 vmId, const QString &actor);
};

} // namespace spotkeeper::listenertest
