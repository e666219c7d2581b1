// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/listener/listenertestbase.h"

#include "protocol/messagecodec.h"

#include <QFile>
#include <QJsonDocument>
#include <QSslKey>
#include <QTest>

namespace spotkeeper::listenertest {

using namespace Qt::StringLiterals;

void ListenerTestBase::setUpStore(const QString &path)
{
    m_clock = std::make_unique<testsupport::ManualClock>();
    core::StoreError error;
    m_store = core::Store::open(core::StoreOptions {path, false, 5000, m_clock.get()}, &error);
    QVERIFY2(m_store, qPrintable(error.message));
    m_ops = std::make_unique<RecordingOperations>();
}

void ListenerTestBase::tearDown()
{
    m_listener.reset();
    m_server.reset();
    m_store.reset();
}

void ListenerTestBase::startServer(core::ListenerOptions options, http::Limits limits,
                                   const http::TlsOptions &tls)
{
    m_server = std::make_unique<http::HttpServer>();
    m_server->setLimits(limits);
    if (!tls.certificateFile.isEmpty()) {
        QString tlsError;
        QVERIFY2(m_server->setTls(tls, &tlsError), qPrintable(tlsError));
    }
    m_listener = std::make_unique<core::WebhookListener>(*m_store, *m_ops, *m_clock, options);
    m_listener->attach(*m_server);
    QString error;
    QVERIFY2(m_server->listen(QHostAddress(QHostAddress::LocalHost), 0, &error), qPrintable(error));
    core::KeyError code = core::KeyError::None;
    const auto issued =
        m_listener->keys().generate(vmResourceId(u"vm-a"_s), u"test"_s, &code, &error);
    QVERIFY2(issued, qPrintable(error));
    m_keyId = issued->keyId;
    m_secrets = {issued->secret};
}

SignedRequest ListenerTestBase::signedNotice(const QString &vmName, int eventNumber,
                                             const QString &webhookId)
{
    const QByteArray body =
        protocol::encodeNotice(makeNotice(vmName, newEventId(eventNumber), m_clock->nowUtc()));
    return sign(body, m_keyId, m_secrets, webhookId, m_clock->nowUtc().toSecsSinceEpoch());
}

testsupport::RawResponse ListenerTestBase::exchange(const QByteArray &request)
{
    testsupport::RawHttpClient client;
    if (!client.connectTo(m_server->serverPort()))
        return {};
    client.send(request);
    return client.readResponse(10'000);
}

QJsonObject ListenerTestBase::json(const testsupport::RawResponse &response) const
{
    return QJsonDocument::fromJson(response.body).object();
}

qint64 ListenerTestBase::storedEvents()
{
    return m_store->eventCount(core::EventFilter {});
}

testsupport::RawResponse ListenerTestBase::tlsExchange(const QSslConfiguration &configuration,
                                                       const QByteArray &request, bool *connected)
{
    testsupport::RawHttpClient client;
    *connected = client.connectTls(m_server->serverPort(), configuration);
    if (!*connected)
        return {};
    client.send(request);
    return client.readResponse(5'000);
}

QString tlsFile(const char *name)
{
    return QStringLiteral(SPOTKEEPER_TEST_DATA "/tls/") + QLatin1StringView(name);
}

QSslConfiguration clientConfiguration(const char *certificate, const char *key, bool trustServer)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(trustServer ? QSslCertificate::fromPath(tlsFile("ca.pem"))
                                                : QList<QSslCertificate>());
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (certificate) {
        configuration.setLocalCertificate(QSslCertificate::fromPath(tlsFile(certificate)).value(0));
        QFile keyFile(tlsFile(key));
        if (keyFile.open(QIODevice::ReadOnly))
            configuration.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    }
    return configuration;
}

} // namespace spotkeeper::listenertest
