// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The keys panel (AgentKeysDialog over a LocalFleetSource: the list shows the store's keys and
// never a secret, Rotate hands the new secret over once, Revoke asks naming the VM, buttons are
// disabled with the reason) and Settings -> Budgets (validation messages; the values reach
// the in-process engine's options, and the session wires the listener's key manager).
#include "azure/armclient.h"
#include "azure/armcloudprovider.h"
#include "engine/agentwatch.h"
#include "engine/restartengine.h"
#include "fleet/enginehost.h"
#include "listener/agentkeymanager.h"
#include "listener/webhooklistener.h"
#include "models/localfleetsource.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/gui/awaitanswer.h"
#include "support/listener/listenertestkit.h"
#include "ui/agentkeysdialog.h"
#include "ui/dashboardsession.h"
#include "ui/dashboardsettings.h"

#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace spotkeeper;
using namespace spotkeeper::gui;
using namespace Qt::StringLiterals;

class TestKeysAndBudgets final : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    testsupport::ManualClock m_clock;

    DashboardSettings settings() const
    {
        DashboardSettings s;
        s.storePath = m_dir->filePath(u"spotkeeper.db"_s);
        s.listenPort = 0;
        s.subscriptions = {listenertest::kSubscription};
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Nothing here may reach Azure (as in tst_dashboardsession).
        qputenv("SPOTKEEPER_ARM_URL", "http://127.0.0.1:9");
        qputenv("SPOTKEEPER_AZ_PROGRAM", "/nonexistent/az");
        for (const char *name : {"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
                                 "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLOUD"})
            qunsetenv(name);
        if (qEnvironmentVariableIsEmpty("SPOTKEEPER_IMDS_URL"))
            qputenv("SPOTKEEPER_IMDS_URL", "http://127.0.0.1:9");
    }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    // Every field goes through QSettings and comes back; the engine's numbers are kept in range.
    void settingsRoundTrip()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir->path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->path());
        DashboardSettings d;
        d.listenAddress = u"0.0.0.0"_s;
        d.listenPort = 9443;
        d.tls = true;
        d.tlsCertificate = u"/etc/cert.pem"_s;
        d.tlsKey = u"/etc/key.pem"_s;
        d.tlsAgentCa = u"/etc/ca.pem"_s;
        d.credentialSource = u"cli"_s;
        d.tenantId = u"tenant"_s;
        d.clientId = u"client"_s;
        d.subscriptions = {listenertest::kSubscription, u"other"_s};
        d.subscriptionWritesPerSecond = 11;
        d.subscriptionWriteBurst = 12;
        d.subscriptionReadsPerSecond = 13;
        d.subscriptionReadBurst = 14;
        d.vmStartsPerMinute = 15;
        d.vmStartBurst = 16;
        d.evidenceWaitSeconds = 17;
        d.restartUnprovenDeallocation = false;
        d.heartbeatIntervalSeconds = 18;
        d.agentSilentIntervals = 19;
        d.theme = u"dark"_s;
        d.language = u"de"_s;
        d.csvBom = true;
        d.storePath = u"/var/store.db"_s;
        d.remoteUrl = u"https://server.example"_s;
        d.remoteCaFile = u"/etc/remote-ca.pem"_s;
        d.attachAtStart = true;
        d.save();

        const DashboardSettings loaded = DashboardSettings::load();
        QCOMPARE(loaded.listenAddress, d.listenAddress);
        QCOMPARE(loaded.listenPort, d.listenPort);
        QCOMPARE(loaded.tls, d.tls);
        QCOMPARE(loaded.tlsCertificate, d.tlsCertificate);
        QCOMPARE(loaded.tlsKey, d.tlsKey);
        QCOMPARE(loaded.tlsAgentCa, d.tlsAgentCa);
        QCOMPARE(loaded.credentialSource, d.credentialSource);
        QCOMPARE(loaded.tenantId, d.tenantId);
        QCOMPARE(loaded.clientId, d.clientId);
        QCOMPARE(loaded.subscriptions, d.subscriptions);
        QVERIFY(loaded.budgets() == d.budgets());
        QCOMPARE(loaded.evidenceWaitSeconds, d.evidenceWaitSeconds);
        QCOMPARE(loaded.restartUnprovenDeallocation, false);
        QCOMPARE(loaded.heartbeatIntervalSeconds, d.heartbeatIntervalSeconds);
        QCOMPARE(loaded.agentSilentIntervals, d.agentSilentIntervals);
        QCOMPARE(loaded.theme, d.theme);
        QCOMPARE(loaded.language, d.language);
        QCOMPARE(loaded.csvBom, d.csvBom);
        QCOMPARE(loaded.storePath, d.storePath);
        QCOMPARE(loaded.remoteUrl, d.remoteUrl);
        QCOMPARE(loaded.remoteCaFile, d.remoteCaFile);
        QCOMPARE(loaded.attachAtStart, d.attachAtStart);

        QSettings stored;
        stored.setValue(u"engine/evidenceWaitSeconds"_s, 99'999);
        stored.setValue(u"engine/heartbeatIntervalSeconds"_s, 0);
        stored.setValue(u"engine/agentSilentIntervals"_s, -5);
        stored.setValue(u"engine/unprovenDeallocation"_s, u"restart"_s);
        stored.sync();
        const DashboardSettings clamped = DashboardSettings::load();
        QCOMPARE(clamped.evidenceWaitSeconds, 3600);
        QCOMPARE(clamped.heartbeatIntervalSeconds, 1);
        QCOMPARE(clamped.agentSilentIntervals, 0);
        QCOMPARE(clamped.restartUnprovenDeallocation, true);

        stored.clear();
        stored.sync();
        const DashboardSettings defaults = DashboardSettings::load();
        const DashboardSettings fresh;
        QCOMPARE(defaults.listenAddress, fresh.listenAddress);
        QCOMPARE(defaults.listenPort, fresh.listenPort);
        QCOMPARE(defaults.credentialSource, fresh.credentialSource);
        QVERIFY(defaults.budgets() == fresh.budgets());
        QCOMPARE(defaults.heartbeatIntervalSeconds, fresh.heartbeatIntervalSeconds);
        QCOMPARE(defaults.theme, fresh.theme);
        QCOMPARE(defaults.storePath, QString());
    }

    void panelListsRotatesAndRevokes()
    {
        core::StoreOptions options;
        options.path = m_dir->filePath(u"keys.db"_s);
        options.clock = &m_clock;
        core::StoreError storeError;
        auto store = core::Store::open(options, &storeError);
        QVERIFY2(store, qPrintable(storeError.message));
        core::AgentKeyManager keys(*store, m_clock);
        core::KeyError code = core::KeyError::None;
        QString error;
        const auto issued =
            keys.generate(listenertest::vmResourceId(u"vm-panel"_s), u"test"_s, &code, &error);
        QVERIFY2(issued, qPrintable(error));

        LocalFleetSource source(*store, nullptr, m_clock);
        {
            AgentKeysDialog unavailable(source, u"gui:alice"_s);
            QCOMPARE(unavailable.keyList()->topLevelItemCount(), 0);
            QVERIFY(!unavailable.rotateButton()->isEnabled());
            QCOMPARE(unavailable.rotateButton()->toolTip(),
                     source.keyManagementUnavailableReason());
            QVERIFY(!unavailable.revokeButton()->isEnabled());
        }
        source.setKeyManager(&keys, 600);
        AgentKeysDialog dialog(source, u"gui:alice"_s);
        QCOMPARE(dialog.keyList()->topLevelItemCount(), 1);
        const QTreeWidgetItem *row = dialog.keyList()->topLevelItem(0);
        QCOMPARE(row->text(0), issued->keyId);
        QCOMPARE(row->text(1), u"vm-panel"_s); // not in the fleet: the name part of the id
        QCOMPARE(row->text(4), AgentKeysDialog::stateText(AgentKeyInfo::State::Active));
        const QString secretText = issued->secret.toString();
        for (int c = 0; c < dialog.keyList()->columnCount(); ++c)
            QVERIFY(!row->text(c).contains(secretText.mid(6, 12)));
        QVERIFY(!dialog.rotateButton()->isEnabled()); // nothing selected yet
        QVERIFY(dialog.selectKey(issued->keyId));
        QVERIFY(dialog.rotateButton()->isEnabled());

        QList<KeyActionResult> shown;
        dialog.setSecretPresenter([&shown](const KeyActionResult &r) { shown.append(r); });
        dialog.rotateSelected();
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.constFirst().secret.size(), 32);
        QCOMPARE(shown.constFirst().overlapEndsAt, m_clock.nowUtc().addSecs(600));
        QVERIFY(
            AgentKeysDialog::keyLine(shown.constFirst()).startsWith(issued->keyId + u" whsec_"_s));
        row = dialog.keyList()->topLevelItem(0);
        QCOMPARE(row->text(4), AgentKeysDialog::stateText(AgentKeyInfo::State::Overlap));
        QVERIFY(!row->text(3).isEmpty());

        QStringList asked;
        dialog.setConfirmer([&asked](const QString &text) {
            asked.append(text);
            return false;
        });
        QVERIFY(dialog.selectKey(issued->keyId));
        dialog.revokeSelected();
        QCOMPARE(asked.size(), 1);
        QVERIFY(asked.constFirst().contains(u"vm-panel"_s));
        QVERIFY(keys.lookup(issued->keyId.toUtf8())); // declined: still valid
        dialog.setConfirmer([](const QString &) { return true; });
        dialog.revokeSelected();
        keys.invalidate();
        QVERIFY(!keys.lookup(issued->keyId.toUtf8()));
        QVERIFY(dialog.selectKey(issued->keyId));
        QCOMPARE(dialog.keyList()->currentItem()->text(4),
                 AgentKeysDialog::stateText(AgentKeyInfo::State::Revoked));
        QVERIFY(!dialog.rotateButton()->isEnabled());
        QVERIFY(!dialog.rotateButton()->toolTip().isEmpty());

        int rotations = 0;
        int revocations = 0;
        const QList<core::AuditRecord> rows = store->audit({}, {}, 0);
        for (const core::AuditRecord &r : rows) {
            rotations += r.action == u"key_rotate"_s ? 1 : 0;
            revocations += r.action == u"key_revoke"_s ? 1 : 0;
            QVERIFY(!r.detail.contains(secretText.mid(6, 12)));
        }
        QCOMPARE(rotations, 1);
        QCOMPARE(revocations, 1);
    }

    void budgetValidationNamesTheSetting()
    {
        DashboardSettings s;
        QVERIFY(s.budgetProblem().isEmpty()); // the defaults are Azure's limits
        s.subscriptionWritesPerSecond = 0;
        QVERIFY2(s.budgetProblem().contains(u"ARM writes per second per subscription"_s),
                 qPrintable(s.budgetProblem()));
        s = {};
        s.vmStartBurst = 1000;
        QVERIFY2(s.budgetProblem().contains(u"Start call burst per VM"_s)
                     && s.budgetProblem().contains(u"1000"_s),
                 qPrintable(s.budgetProblem()));
    }

    void budgetsReachTheEngine()
    {
        DashboardSettings s = settings();
        s.subscriptionWritesPerSecond = 3;
        s.subscriptionWriteBurst = 30;
        s.subscriptionReadsPerSecond = 7;
        s.subscriptionReadBurst = 70;
        s.vmStartsPerMinute = 2;
        s.vmStartBurst = 5;
        s.evidenceWaitSeconds = 90;
        s.restartUnprovenDeallocation = false;
        s.heartbeatIntervalSeconds = 20;
        s.agentSilentIntervals = 5;
        DashboardSession session(base::systemClock());
        QString error;
        QVERIFY2(session.open(s, &error), qPrintable(error));
        QVERIFY(session.host()->engine());
        const core::EngineConfig &config = session.host()->engine()->config();
        QCOMPARE(config.budgets.subscriptionWrites.refill, 3);
        QCOMPARE(config.budgets.subscriptionWrites.burst, 30);
        QCOMPARE(config.budgets.subscriptionWrites.periodMs, 1000);
        QCOMPARE(config.budgets.subscriptionReads.refill, 7);
        QCOMPARE(config.budgets.subscriptionReads.burst, 70);
        QCOMPARE(config.budgets.vmStarts.refill, 2);
        QCOMPARE(config.budgets.vmStarts.burst, 5);
        QCOMPARE(config.budgets.vmStarts.periodMs, 60'000);
        // One budget (issue 12): the ARM request queue paces with the very same numbers.
        QVERIFY(session.host()->cloud());
        QVERIFY(session.host()->cloud()->client()->options().budgets == config.budgets);
        QCOMPARE(config.evidenceWaitMs, 90'000);
        QVERIFY(!config.restartUnproven);
        // Silent agents (issue 17): Settings -> Budgets reach the agent watch.
        QVERIFY(session.host()->agentWatch());
        QCOMPARE(session.host()->agentWatch()->config().silentAfterMs(), 100'000);
        // The session hands the listener's key manager to the keys panel.
        QVERIFY(session.source().keyManagementUnavailableReason().isEmpty());
        core::KeyError code = core::KeyError::None;
        const auto issued = session.host()->listener()->keys().generate(
            listenertest::vmResourceId(u"vm-s"_s), u"test"_s, &code, &error);
        QVERIFY2(issued, qPrintable(error));
        QCOMPARE(test::listKeys(session.source(), &error).size(), 1);
        session.shutdown();

        // A hand-edited bad value keeps the engine's defaults.
        s.storePath = m_dir->filePath(u"second.db"_s);
        s.subscriptionWriteBurst = -5;
        DashboardSession second(base::systemClock());
        QVERIFY2(second.open(s, &error), qPrintable(error));
        QCOMPARE(second.host()->engine()->config().budgets.subscriptionWrites.burst,
                 core::EngineConfig().budgets.subscriptionWrites.burst);
        second.shutdown();
    }
};

QTEST_MAIN(TestKeysAndBudgets)
#include "tst_keysandbudgets.moc"
