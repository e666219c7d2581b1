// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// OperatorClient, the GUI-free HTTP client of the operator API, against a fake server on
// 127.0.0.1: answers by callback, the token only where it cannot travel in clear, and each
// failure classified for the caller to word.
#include "operatorapi/operatorclient.h"
#include "support/http/fakehttpserver.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTest>

#include <optional>

using namespace spotkeeper;
using namespace Qt::StringLiterals;
using Client = core::OperatorClient;
using Failure = Client::Reply::Failure;

class TestOperatorClient final : public QObject
{
    Q_OBJECT
private:
    static Client::Reply await(Client &client, const QString &path, bool expectJson = true)
    {
        std::optional<Client::Reply> answer;
        client.get(
            path, [&answer](const Client::Reply &r) { answer = r; }, expectJson);
        if (answer) // never before the call returned: the caller's state is settled first
            qWarning("answered inside the call");
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
            qWarning("no answer");
        return answer.value_or(Client::Reply {});
    }

private Q_SLOTS:
    void tokenOnlyWhereItCannotLeakInClear()
    {
        QVERIFY(Client::mayCarryToken(QUrl(u"https://spotkeeperd.example:8443"_s)));
        QVERIFY(Client::mayCarryToken(QUrl(u"http://127.0.0.1:8443"_s)));
        QVERIFY(Client::mayCarryToken(QUrl(u"http://[::1]:8443"_s)));
        QVERIFY(Client::mayCarryToken(QUrl(u"http://localhost:8443"_s)));
        QVERIFY(!Client::mayCarryToken(QUrl(u"http://10.0.0.5:8443"_s)));
        QVERIFY(!Client::mayCarryToken(QUrl(u"http://spotkeeperd.example"_s)));
        QVERIFY(!Client::mayCarryToken(QUrl(u"ftp://127.0.0.1"_s)));
    }

    void answersAndFailures()
    {
        testsupport::FakeHttpServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        server.route("GET", "/api/v1/vms").respond(200, R"({"vms":[]})");
        server.route("GET", "/api/v1/broken").respond(500, R"({"error":{"message":"disk full"}})");
        server.route("GET", "/api/v1/text").respond(200, "not json");
        server.route("GET", "/api/v1/secret").respond(401, R"({"error":{"message":"no"}})");
        Client client({server.baseUrl(), "skop_token", {}, 5000});

        const Client::Reply ok = await(client, u"/api/v1/vms?limit=5"_s);
        QVERIFY(ok.ok());
        QVERIFY(ok.json.value(u"vms"_s).isArray());
        const auto recorded = server.requests("GET", "/api/v1/vms");
        QCOMPARE(recorded.size(), 1);
        QCOMPARE(recorded.constFirst().header("authorization"), QByteArray("Bearer skop_token"));
        QCOMPARE(recorded.constFirst().queryItem(u"limit"_s), u"5"_s);

        const Client::Reply broken = await(client, u"/api/v1/broken"_s);
        QVERIFY(broken.failure == Failure::Http);
        QCOMPARE(broken.status, 500);
        QCOMPARE(broken.detail, u"disk full"_s);
        QVERIFY(await(client, u"/api/v1/text"_s).failure == Failure::NotJson);
        QVERIFY(await(client, u"/api/v1/text"_s, false).ok()); // text wanted (/metrics)
        const Client::Reply refused = await(client, u"/api/v1/secret"_s);
        QVERIFY(refused.failure == Failure::Unauthorized);
        QVERIFY(!refused.detail.contains(u"skop_token"_s));

        server.route("POST", "/api/v1/vms").respond(201, R"({"message":"added"})");
        std::optional<Client::Reply> posted;
        client.call("POST", u"/api/v1/vms"_s, {{u"resourceId"_s, u"/x"_s}},
                    [&posted](const Client::Reply &r) { posted = r; });
        QTRY_VERIFY(posted.has_value());
        QVERIFY(posted->ok());
        QCOMPARE(
            server.requests("POST", "/api/v1/vms").constFirst().json()[u"resourceId"_s].toString(),
            u"/x"_s);
    }

    void unreachableServer()
    {
        QTcpServer closed; // a port nothing listens on any more
        QVERIFY(closed.listen(QHostAddress(QHostAddress::LocalHost), 0));
        const quint16 port = closed.serverPort();
        closed.close();
        Client gone({QUrl(u"http://127.0.0.1:%1"_s.arg(port)), "skop_token", {}, 5000});
        const Client::Reply r = await(gone, u"/healthz"_s);
        QVERIFY(r.failure == Failure::Unreachable);
        QCOMPARE(r.status, 0);
        QVERIFY(!r.detail.isEmpty());
        QVERIFY(!r.detail.contains(u"skop_token"_s));
    }
};

QTEST_GUILESS_MAIN(TestOperatorClient)
#include "tst_operatorclient.moc"
