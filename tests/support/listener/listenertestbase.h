// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"
#include "listener/webhooklistener.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/http/rawhttpclient.h"
#include "support/listener/listenertestkit.h"

#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>

#include <memory>

// The fixture of the listener tests: a fresh in-memory store, a ManualClock, a
// RecordingOperations and a listener on 127.0.0.1:0 with one agent key for "vm-a".
namespace spotkeeper::listenertest {
using testsupport::ManualClock;

class ListenerTestBase : public QObject
{
protected:
    void setUpStore(const QString &path = QStringLiteral(":memory:"));
    void tearDown();
    void startServer(core::ListenerOptions options = {}, http::Limits limits = {},
                     const http::TlsOptions &tls = {});
    testsupport::RawResponse tlsExchange(const QSslConfiguration &configuration,
                                         const QByteArray &request, bool *connected);
    SignedRequest signedNotice(const QString &vmName, int eventNumber, const QString &webhookId);
    testsupport::RawResponse exchange(const QByteArray &request);
    QJsonObject json(const testsupport::RawResponse &response) const;
    qint64 storedEvents();

    std::unique_ptr<testsupport::ManualClock> m_clock;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<RecordingOperations> m_ops;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<core::WebhookListener> m_listener;
    QString m_keyId;
    QList<protocol::WebhookSecret> m_secrets;
};

QString tlsFile(const char *name);
QSslConfiguration clientConfiguration(const char *certificate, const char *key,
                                      bool trustServer = true);

} // namespace spotkeeper::listenertest
