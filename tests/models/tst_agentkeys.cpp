// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Agent key management through the FleetSource seam (what the keys panel calls): the local
// source over the listener's AgentKeyManager and the remote source over the operator API of a
// real listener on 127.0.0.1 port 0. A rotation keeps the old secret valid for the overlap
// only, a revocation ends the key, each writes exactly one audit row, and no secret is listed.
#include "http/httpserver.h"
#include "listener/agentkeymanager.h"
#include "listener/webhooklistener.h"
#include "models/localfleetsource.h"
#include "models/remotefleetsource.h"
#include "support/base/manualclock.h"
#include "support/gui/awaitanswer.h"
#include "support/gui/guitestsupport.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;
using namespace Qt::StringLiterals;

namespace {
const QString kVm = u"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
                    "rg-keys/providers/Microsoft.Compute/virtualMachines/vm-keys"_s;
} // namespace

class TestAgentKeys final : public QObject
{
    Q_OBJECT
private:
    testsupport::ManualClock m_clock;
    std::unique_ptr<core::Store> m_store;

    int auditRows(const QString &action)
    {
        int n = 0;
        const QList<core::AuditRecord> rows = m_store->audit({}, {}, 0);
        for (const core::AuditRecord &row : rows)
            n += row.action == action ? 1 : 0;
        return n;
    }
    QString generate(core::AgentKeyManager &keys, QByteArray *secret = nullptr)
    {
        core::KeyError code = core::KeyError::None;
        QString error;
        const auto issued = keys.generate(kVm, u"test"_s, &code, &error);
        if (!issued)
            return {};
        if (secret)
            *secret = issued->secret.bytes();
        return issued->keyId;
    }
    static std::optional<AgentKeyInfo> find(const QList<AgentKeyInfo> &keys, const QString &id)
    {
        for (const AgentKeyInfo &key : keys) {
            if (key.keyId == id)
                return key;
        }
        return std::nullopt;
    }
    static bool accepts(core::AgentKeyManager &keys, const QString &id, const QByteArray &secret)
    {
        keys.invalidate();
        const auto active = keys.lookup(id.toUtf8());
        if (!active)
            return false;
        for (const protocol::WebhookSecret &s : active->secrets) {
            if (s.bytes() == secret)
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { m_store = test::openStore(u":memory:"_s, &m_clock); }
    void cleanup() { m_store.reset(); }

    void withoutAKeyManagerEverythingSaysWhy()
    {
        LocalFleetSource source(*m_store, nullptr, m_clock);
        QVERIFY(!source.keyManagementUnavailableReason().isEmpty());
        QString error;
        QVERIFY(test::listKeys(source, &error).isEmpty());
        QCOMPARE(error, source.keyManagementUnavailableReason());
        const KeyActionResult rotated = test::rotateKey(source, u"key_x"_s, u"gui:alice"_s);
        QVERIFY(!rotated.ok);
        QVERIFY(!rotated.error.isEmpty());
        QVERIFY(!test::revokeKey(source, u"key_x"_s, u"gui:alice"_s).ok);
        QCOMPARE(m_store->audit({}, {}, 0).size(), 0);
    }

    void localListRotateRevoke()
    {
        core::AgentKeyManager keys(*m_store, m_clock, 30);
        QByteArray oldSecret;
        const QString id = generate(keys, &oldSecret);
        QVERIFY(!id.isEmpty());
        LocalFleetSource source(*m_store, nullptr, m_clock);
        source.setKeyManager(&keys, 3600);
        QVERIFY(source.keyManagementUnavailableReason().isEmpty());

        QString error;
        auto listed = find(test::listKeys(source, &error), id);
        QVERIFY2(listed, qPrintable(error));
        QCOMPARE(listed->vmResourceKey, kVm.toLower());
        QCOMPARE(listed->createdAt, m_clock.nowUtc());
        QCOMPARE(listed->state, AgentKeyInfo::State::Active);

        QSignalSpy audit(&source, &FleetSource::auditAppended);
        const KeyActionResult rotated = test::rotateKey(source, id, u"gui:alice"_s);
        QVERIFY2(rotated.ok, qPrintable(rotated.error));
        QCOMPARE(rotated.secret.size(), 32);
        QVERIFY(rotated.secret != oldSecret);
        QCOMPARE(rotated.overlapEndsAt, m_clock.nowUtc().addSecs(3600));
        QCOMPARE(rotated.vmResourceKey, kVm.toLower());
        QCOMPARE(auditRows(u"key_rotate"_s), 1); // one row, written by the manager
        QCOMPARE(audit.size(), 1);
        QVERIFY(accepts(keys, id, oldSecret)); // overlap: both valid
        QVERIFY(accepts(keys, id, rotated.secret));
        listed = find(test::listKeys(source, &error), id);
        QCOMPARE(listed->state, AgentKeyInfo::State::Overlap);
        QCOMPARE(listed->overlapEndsAt, rotated.overlapEndsAt);

        m_clock.advanceMSecs(3601 * 1000);
        QVERIFY(!accepts(keys, id, oldSecret)); // overlap over
        QVERIFY(accepts(keys, id, rotated.secret));
        QCOMPARE(find(test::listKeys(source, &error), id)->state, AgentKeyInfo::State::Active);

        const KeyActionResult revoked = test::revokeKey(source, id, u"gui:alice"_s);
        QVERIFY2(revoked.ok, qPrintable(revoked.error));
        QVERIFY(!accepts(keys, id, rotated.secret));
        QCOMPARE(find(test::listKeys(source, &error), id)->state, AgentKeyInfo::State::Revoked);
        QCOMPARE(auditRows(u"key_revoke"_s), 1);
        QCOMPARE(audit.size(), 2);

        // Failure paths: no audit row, a message naming the key.
        const KeyActionResult again = test::revokeKey(source, id, u"gui:alice"_s);
        QVERIFY(!again.ok);
        QVERIFY(again.error.contains(id));
        QVERIFY(!test::rotateKey(source, id, u"gui:alice"_s).ok);
        QVERIFY(!test::rotateKey(source, u"key_missing"_s, u"gui:alice"_s).ok);
        QCOMPARE(auditRows(u"key_rotate"_s), 1);
        QCOMPARE(auditRows(u"key_revoke"_s), 1);
        QCOMPARE(audit.size(), 2);
    }

    void remoteListRotateRevoke()
    {
        test::RecordingOperations ops(*m_store, m_clock.nowUtc());
        http::HttpServer server;
        core::ListenerOptions options;
        options.rotationOverlapSeconds = 7200;
        core::WebhookListener listener(*m_store, ops, m_clock, options);
        listener.attach(server);
        QString error;
        QVERIFY2(server.listen(QHostAddress(QHostAddress::LocalHost), 0, &error),
                 qPrintable(error));
        const auto token = listener.tokens().create(u"test"_s, 0, &error);
        QVERIFY2(token, qPrintable(error));
        QByteArray oldSecret;
        const QString id = generate(listener.keys(), &oldSecret);
        QVERIFY(!id.isEmpty());

        RemoteSourceOptions o;
        o.baseUrl = QUrl(u"http://127.0.0.1:"_s + QString::number(server.serverPort()));
        o.token = token->token.toUtf8();
        o.pollMs = 60'000;
        o.statusPollMs = 60'000;
        RemoteFleetSource source(o, m_clock);
        QVERIFY(source.keyManagementUnavailableReason().isEmpty());

        const auto listed = find(test::listKeys(source, &error), id);
        QVERIFY2(listed, qPrintable(error));
        QCOMPARE(listed->vmResourceKey, kVm.toLower());
        QCOMPARE(listed->state, AgentKeyInfo::State::Active);

        const KeyActionResult rotated = test::rotateKey(source, id, u"gui:alice"_s);
        QVERIFY2(rotated.ok, qPrintable(rotated.error));
        QCOMPARE(rotated.secret.size(), 32);
        QCOMPARE(rotated.overlapEndsAt, m_clock.nowUtc().addSecs(7200));
        QVERIFY(accepts(listener.keys(), id, oldSecret));
        QVERIFY(accepts(listener.keys(), id, rotated.secret));
        QCOMPARE(find(test::listKeys(source, &error), id)->state, AgentKeyInfo::State::Overlap);
        QCOMPARE(auditRows(u"key_rotate"_s), 1);

        const KeyActionResult revoked = test::revokeKey(source, id, u"gui:alice"_s);
        QVERIFY2(revoked.ok, qPrintable(revoked.error));
        QVERIFY(!accepts(listener.keys(), id, rotated.secret));
        QCOMPARE(find(test::listKeys(source, &error), id)->state, AgentKeyInfo::State::Revoked);
        QCOMPARE(auditRows(u"key_revoke"_s), 1);

        const KeyActionResult again = test::revokeKey(source, id, u"gui:alice"_s);
        QVERIFY(!again.ok);
        QVERIFY(again.error.contains(u"409"_s));
        QCOMPARE(auditRows(u"key_revoke"_s), 1);
    }
};

QTEST_GUILESS_MAIN(TestAgentKeys)
#include "tst_agentkeys.moc"
