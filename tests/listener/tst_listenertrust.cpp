// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/messagecodec.h"
#include "support/listener/listenertestbase.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::listenertest;
using namespace Qt::StringLiterals;

// What one agent (or a fault) must never do to another agent (issue 13): lock it out
// through a shared NAT address, make its notice a "duplicate" with a predictable
// webhook-id, or have a later phase of its event dropped; and what a broken store or a
// broken stored secret must never turn into (an "unknown key", an empty HMAC key).
class TestListenerTrust : public ListenerTestBase
{
    Q_OBJECT

private:
    struct Agent
    {
        QString keyId;
        QList<protocol::WebhookSecret> secrets;
    };
    Agent enroll(const QString &vmName)
    {
        core::KeyError code = core::KeyError::None;
        QString error;
        const auto issued =
            m_listener->keys().generate(vmResourceId(vmName), u"test"_s, &code, &error);
        if (!issued)
            qFatal("cannot enroll %s: %s", qPrintable(vmName), qPrintable(error));
        return {issued->keyId, {issued->secret}};
    }
    testsupport::RawResponse post(const protocol::Notice &notice, const Agent &agent,
                                  const QString &webhookId)
    {
        const SignedRequest request =
            sign(protocol::encodeNotice(notice), agent.keyId, agent.secrets, webhookId,
                 m_clock->nowUtc().toSecsSinceEpoch());
        return exchange(rawRequest("POST", "/api/v1/notices", request.headers, request.body));
    }
    QString errorCode(const testsupport::RawResponse &response) const
    {
        return json(response).value(u"error"_s).toObject().value(u"code"_s).toString();
    }

private slots:
    void cleanup() { tearDown(); }

    void misconfiguredNeighbourDoesNotLockOutGoodAgents();
    void webhookIdOfAnotherVmIsNotADuplicate();
    void startedAfterScheduledIsStored();
    void storeReadErrorIsRetryNotUnknownKey();
    void malformedStoredSecretFailsClosed();
    void rotationOverlapIsBounded();
};

void TestListenerTrust::misconfiguredNeighbourDoesNotLockOutGoodAgents()
{
    setUpStore();
    core::ListenerOptions options;
    options.failedAuthPerMinute = 5;
    startServer(options);
    const Agent good = {m_keyId, m_secrets};
    const Agent neighbour = enroll(u"vm-n"_s);
    // The neighbour (same address: every test client is 127.0.0.1) signs with a wrong
    // secret, 25 times: 401 until its own limit, then 429.
    const Agent misconfigured = {neighbour.keyId, {protocol::WebhookSecret::generate()}};
    QList<int> statuses;
    for (int i = 0; i < 25; ++i)
        statuses << post(makeNotice(u"vm-n"_s, newEventId(i), m_clock->nowUtc()), misconfigured,
                         u"msg_n_"_s + QString::number(i))
                        .status;
    QCOMPARE(statuses.count(401), 5);
    QCOMPARE(statuses.count(429), 20);
    QCOMPARE(statuses.last(), 429);

    // Another VM behind the same address is served at once.
    const auto response =
        post(makeNotice(u"vm-a"_s, newEventId(100), m_clock->nowUtc()), good, u"msg_a"_s);
    QCOMPARE(response.status, 200);
    QCOMPARE(m_ops->count(u"notice"_s), 1);
    // And so is the neighbour itself once it is fixed: a verifying request is never refused.
    QCOMPARE(
        post(makeNotice(u"vm-n"_s, newEventId(101), m_clock->nowUtc()), neighbour, u"msg_n_fixed"_s)
            .status,
        200);
    QCOMPARE(m_listener->metrics().rejections(u"rate_limited"_s), 20);
}

void TestListenerTrust::webhookIdOfAnotherVmIsNotADuplicate()
{
    setUpStore();
    startServer();
    const Agent a = {m_keyId, m_secrets};
    const Agent b = enroll(u"vm-b"_s);
    // VM A's valid key posts first under the id VM B's agent will use (it is
    // predictable), for VM A's own notice: the only VM A's key may speak for.
    const QString predicted = u"msg_vm-b_preempt"_s;
    const auto squat = post(makeNotice(u"vm-a"_s, newEventId(1), m_clock->nowUtc()), a, predicted);
    QCOMPARE(squat.status, 200);
    const auto real = post(makeNotice(u"vm-b"_s, newEventId(2), m_clock->nowUtc()), b, predicted);
    QCOMPARE(real.status, 200);
    QCOMPARE(json(real).value(u"duplicate"_s).toBool(true), false);
    QCOMPARE(m_ops->count(u"notice"_s), 2);
    QCOMPARE(storedEvents(), 2);
    // Within one VM the id still dedups.
    const auto replay = post(makeNotice(u"vm-b"_s, newEventId(2), m_clock->nowUtc()), b, predicted);
    QCOMPARE(json(replay).value(u"duplicate"_s).toBool(), true);
    QCOMPARE(storedEvents(), 2);
}

void TestListenerTrust::startedAfterScheduledIsStored()
{
    setUpStore();
    startServer();
    const Agent a = {m_keyId, m_secrets};
    protocol::Notice notice = makeNotice(u"vm-a"_s, newEventId(5), m_clock->nowUtc());
    QCOMPARE(json(post(notice, a, u"msg_scheduled"_s)).value(u"duplicate"_s).toBool(true), false);
    notice.event.eventStatus = protocol::EventStatus::Started;
    notice.event.notBefore = QDateTime();
    notice.documentIncarnation = 2;
    const auto started = post(notice, a, u"msg_started"_s);
    QCOMPARE(started.status, 200);
    QCOMPARE(json(started).value(u"duplicate"_s).toBool(true), false);
    core::EventFilter notices;
    notices.kinds = {core::EventKind::Notice};
    const QList<core::EventRecord> history = m_store->events(notices);
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0).eventStatus, u"Scheduled"_s);
    QCOMPARE(history.at(1).eventStatus, u"Started"_s);
    // The engine acted on the first phase; the second is history, not a second eviction.
    QCOMPARE(m_ops->count(u"notice"_s), 1);
    // The same phase again (an agent that lost its spool) is still a duplicate.
    QCOMPARE(json(post(notice, a, u"msg_started_again"_s)).value(u"duplicate"_s).toBool(), true);
}

void TestListenerTrust::storeReadErrorIsRetryNotUnknownKey()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"store.db"_s);
    setUpStore(path);
    core::ListenerOptions options;
    options.failedAuthPerMinute = 5;
    startServer(options);
    const Agent a = {m_keyId, m_secrets};
    {
        // The key table becomes unreadable under the running listener.
        QSqlDatabase raw = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"raw"_s);
        raw.setDatabaseName(path);
        QVERIFY(raw.open());
        QSqlQuery query(raw);
        QVERIFY(query.exec(u"ALTER TABLE agent_keys RENAME TO agent_keys_away"_s));
    }
    for (int i = 0; i < 8; ++i) {
        const auto response = post(makeNotice(u"vm-a"_s, newEventId(i), m_clock->nowUtc()), a,
                                   u"msg_"_s + QString::number(i));
        QCOMPARE(response.status, 503);
        QCOMPARE(errorCode(response), u"store_unavailable"_s);
        QCOMPARE(response.header("Retry-After"), QByteArray("5"));
    }
    {
        QSqlDatabase raw = QSqlDatabase::database(u"raw"_s);
        QSqlQuery query(raw);
        QVERIFY(query.exec(u"ALTER TABLE agent_keys_away RENAME TO agent_keys"_s));
    }
    QSqlDatabase::removeDatabase(u"raw"_s);
    // None of the eight counted as a failed authentication: no 429 for a wrong secret now.
    const Agent wrong = {m_keyId, {protocol::WebhookSecret::generate()}};
    const auto bad =
        post(makeNotice(u"vm-a"_s, newEventId(20), m_clock->nowUtc()), wrong, u"msg_bad"_s);
    QCOMPARE(bad.status, 401);
    QCOMPARE(post(makeNotice(u"vm-a"_s, newEventId(21), m_clock->nowUtc()), a, u"msg_ok"_s).status,
             200);
    QCOMPARE(storedEvents(), 1);
}

void TestListenerTrust::malformedStoredSecretFailsClosed()
{
    setUpStore();
    startServer();
    // A key whose stored secret is not a secret (3 bytes; a damaged or hand-edited row).
    core::AgentKeyRecord record;
    record.keyId = u"key_broken"_s;
    record.vmResourceKey = vmResourceId(u"vm-x"_s).toLower();
    record.createdAt = m_clock->nowUtc();
    record.secrets.append(core::AgentKeySecret {QByteArray("abc"), m_clock->nowUtc(), {}});
    QVERIFY(m_store->saveAgentKey(record));
    // Anyone can sign with the empty key; that must not verify.
    const Agent forger = {record.keyId, {protocol::WebhookSecret()}};
    const auto response =
        post(makeNotice(u"vm-x"_s, newEventId(1), m_clock->nowUtc()), forger, u"msg_forged"_s);
    QCOMPARE(response.status, 401);
    QCOMPARE(errorCode(response), u"unknown_key"_s);
    QCOMPARE(storedEvents(), 0);
    QVERIFY(!m_listener->keys().lookup(record.keyId.toUtf8()));

    // A good secret next to the broken one still works; the broken one still does not.
    const protocol::WebhookSecret good = protocol::WebhookSecret::generate();
    record.secrets.append(core::AgentKeySecret {good.bytes(), m_clock->nowUtc(), {}});
    QVERIFY(m_store->saveAgentKey(record));
    m_listener->keys().invalidate();
    QCOMPARE(
        post(makeNotice(u"vm-x"_s, newEventId(2), m_clock->nowUtc()), forger, u"msg_f2"_s).status,
        401);
    QCOMPARE(post(makeNotice(u"vm-x"_s, newEventId(3), m_clock->nowUtc()),
                  Agent {record.keyId, {good}}, u"msg_good"_s)
                 .status,
             200);
}

void TestListenerTrust::rotationOverlapIsBounded()
{
    setUpStore();
    startServer();
    core::KeyError code = core::KeyError::None;
    QString error;
    constexpr qint64 kMax = core::AgentKeyManager::kMaxOverlapSeconds;
    QVERIFY(!m_listener->keys().rotate(m_keyId, kMax + 1, u"test"_s, &code, &error));
    QVERIFY(code == core::KeyError::Invalid);
    QVERIFY2(error.contains(u"90 days"_s), qPrintable(error));
    QVERIFY(!m_listener->keys().rotate(m_keyId, std::numeric_limits<qint64>::max(), u"test"_s,
                                       &code, &error));
    const auto rotated = m_listener->keys().rotate(m_keyId, kMax, u"test"_s, &code, &error);
    QVERIFY2(rotated, qPrintable(error));
    QCOMPARE(rotated->previousSecretsExpireAt, m_clock->nowUtc().addSecs(kMax));
}

QTEST_GUILESS_MAIN(TestListenerTrust)
#include "tst_listenertrust.moc"
