// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httpserver.h"
#include "support/http/rawhttpclient.h"
#include "support/http/testhttpclient.h"
#include "support/http/testtls.h"

#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

// TLS and mutual TLS with the committed test PKI (tests/data/tls).
class TestHttpServerTls final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void httpsHappyPath();
    void plainClientRefused();
    void untrustingClientRefused();
    void silentTlsClientClosedByDeadline();
    void mutualTls_data();
    void mutualTls();
    void setTlsErrors_data();
    void setTlsErrors();

private:
    static void answer(http::HttpServer &server, int *handled)
    {
        server.setHandler([handled](const http::Request &r, std::shared_ptr<http::Responder> out) {
            ++*handled;
            out->send(http::Response::text(200, "secure:"_ba + r.body));
        });
    }
    static QUrl url(const http::HttpServer &server, const QString &scheme)
    {
        return QUrl(u"%1://127.0.0.1:%2/x"_s.arg(scheme).arg(server.serverPort()));
    }
};

void TestHttpServerTls::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
}

void TestHttpServerTls::httpsHappyPath()
{
    http::HttpServer server;
    int handled = 0;
    answer(server, &handled);
    QString error;
    QVERIFY2(server.setTls(testServerTls(), &error), qPrintable(error));
    QVERIFY(server.isTls());
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));

    TestHttpClient client;
    client.setSslConfiguration(testClientTls());
    for (int i = 0; i < 3; ++i) { // keep-alive over TLS
        const HttpReply reply = client.post(url(server, u"https"_s), "abc"_ba);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, "secure:abc"_ba);
    }
    QCOMPARE(handled, 3);
    QCOMPARE(server.openConnections(), 1);
}

void TestHttpServerTls::plainClientRefused()
{
    http::HttpServer server;
    int handled = 0;
    answer(server, &handled);
    QVERIFY(server.setTls(testServerTls(), nullptr));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));

    TestHttpClient client;
    const HttpReply reply = client.get(url(server, u"http"_s));
    QCOMPARE(reply.status, 0);
    QVERIFY(reply.error != QNetworkReply::NoError);

    QSignalSpy rejected(&server, &http::HttpServer::requestRejected);
    RawHttpClient raw;
    QVERIFY(raw.connectTo(server.serverPort()));
    raw.send("GET /x HTTP/1.1\r\n\r\n"_ba);
    QVERIFY(raw.waitForClosed());
    QCOMPARE(raw.readResponse(100).status, 0);
    QCOMPARE(handled, 0);
    QTRY_COMPARE(server.openConnections(), 0);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected.at(0).at(1).toByteArray(), "tls_handshake_failed"_ba);
}

void TestHttpServerTls::silentTlsClientClosedByDeadline()
{
    http::HttpServer server;
    int handled = 0;
    answer(server, &handled);
    http::Limits limits;
    limits.readDeadlineMs = 300;
    server.setLimits(limits);
    QVERIFY(server.setTls(testServerTls(), nullptr));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    QSignalSpy deadlines(&server, &http::HttpServer::connectionClosedByDeadline);
    QSignalSpy rejected(&server, &http::HttpServer::requestRejected);
    RawHttpClient raw; // connects but never starts the handshake
    QVERIFY(raw.connectTo(server.serverPort()));
    QVERIFY(raw.waitForClosed());
    QCOMPARE(deadlines.size(), 1);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected.at(0).at(1).toByteArray(), "tls_handshake_deadline"_ba);
    QTRY_COMPARE(server.openConnections(), 0);
}

void TestHttpServerTls::untrustingClientRefused()
{
    http::HttpServer server;
    int handled = 0;
    answer(server, &handled);
    QVERIFY(server.setTls(testServerTls(), nullptr));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    TestHttpClient client; // system CAs only: the test CA is unknown
    const HttpReply reply = client.get(url(server, u"https"_s));
    QCOMPARE(reply.status, 0);
    QCOMPARE(reply.error, QNetworkReply::SslHandshakeFailedError);
    QCOMPARE(handled, 0);
}

void TestHttpServerTls::mutualTls_data()
{
    QTest::addColumn<QString>("clientCert");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("signed by the CA") << u"client"_s << true;
    QTest::newRow("no certificate") << QString() << false;
    QTest::newRow("untrusted CA") << u"other-client"_s << false;
}

void TestHttpServerTls::mutualTls()
{
    QFETCH(QString, clientCert);
    QFETCH(bool, accepted);
    http::HttpServer server;
    int handled = 0;
    answer(server, &handled);
    QString error;
    QVERIFY2(server.setTls(testServerTls(true), &error), qPrintable(error));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, nullptr));
    QSignalSpy rejected(&server, &http::HttpServer::requestRejected);

    TestHttpClient client;
    client.setSslConfiguration(testClientTls(clientCert));
    const HttpReply reply = client.post(url(server, u"https"_s), "m"_ba);
    if (accepted) {
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, "secure:m"_ba);
        QCOMPARE(handled, 1);
        QCOMPARE(rejected.size(), 0);
    } else {
        QCOMPARE(reply.status, 0);
        QVERIFY(reply.error != QNetworkReply::NoError);
        QCOMPARE(handled, 0);
        QTRY_VERIFY(!rejected.isEmpty());
        QVERIFY(rejected.at(0).at(1).toByteArray().startsWith("tls_"));
    }
    QTRY_COMPARE(server.openConnections(), accepted ? 1 : 0);
}

void TestHttpServerTls::setTlsErrors_data()
{
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("ca");
    QTest::addColumn<QString>("expected"); // part of the message

    const QString cert = tlsFile(u"server.pem"_s);
    const QString key = tlsFile(u"server.key"_s);
    const QString missing = tlsFile(u"no-such-file.pem"_s);
    const QString notPem = tlsFile(u"not-pem.txt"_s);
    QTest::newRow("missing certificate")
        << missing << key << QString() << u"cannot read TLS certificate file \"%1\""_s.arg(missing);
    QTest::newRow("certificate not PEM")
        << notPem << key << QString() << u"\"%1\" holds no PEM certificate"_s.arg(notPem);
    QTest::newRow("key given as certificate")
        << key << key << QString() << u"holds no PEM certificate"_s;
    QTest::newRow("missing key") << cert << missing << QString()
                                 << u"cannot read TLS private key file \"%1\""_s.arg(missing);
    QTest::newRow("key not a key")
        << cert << notPem << QString()
        << u"\"%1\" holds no unencrypted PEM RSA or EC private key"_s.arg(notPem);
    QTest::newRow("key of another certificate")
        << cert << tlsFile(u"client.key"_s) << QString()
        << u"TLS private key \"%1\" does not match the certificate \"%2\""_s.arg(
               tlsFile(u"client.key"_s), cert);
    QTest::newRow("certificate as key") << cert << cert << QString() << u"private key"_s;
    QTest::newRow("no key at all") << cert << QString() << QString() << u"needs a private key"_s;
    QTest::newRow("key without certificate")
        << QString() << key << QString() << u"needs a certificate file"_s;
    QTest::newRow("client CA missing")
        << cert << key << missing << u"cannot read TLS client CA file \"%1\""_s.arg(missing);
    QTest::newRow("client CA not PEM")
        << cert << key << notPem << u"TLS client CA file \"%1\" holds no PEM"_s.arg(notPem);
}

void TestHttpServerTls::setTlsErrors()
{
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, ca);
    QFETCH(QString, expected);
    http::HttpServer server;
    QString error;
    QVERIFY(!server.setTls(http::TlsOptions {cert, key, ca}, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!server.isTls());
    QVERIFY(!server.setTls(http::TlsOptions {cert, key, ca}, nullptr)); // null error is fine
}

QTEST_GUILESS_MAIN(TestHttpServerTls)
#include "tst_httpservertls.moc"
