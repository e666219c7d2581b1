// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/apptranslations.h"
#include "models/fleetactions.h"
#include "models/fleettablemodel.h"
#include "models/localfleetsource.h"
#include "support/base/manualclock.h"
#include "support/gui/awaitanswer.h"
#include "support/gui/guitestsupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;

class TestFleetActions : public QObject
{
    Q_OBJECT
private:
    testsupport::ManualClock m_clock;

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(installTranslations(QStringLiteral("en")), QStringLiteral("en"));
    }
    void actionsCallOperationsAndWriteAudit()
    {
        auto store = test::openStore(QStringLiteral(":memory:"), &m_clock);
        test::seedDemoFleet(*store, m_clock.nowUtc(), {6, 1, 3});
        test::RecordingOperations ops(*store, m_clock.nowUtc());
        LocalFleetSource source(*store, &ops, m_clock);
        SourceStatus status;
        status.credentialsAvailable = true;
        source.setStatus(status);
        FleetActions actions(source, QStringLiteral("gui:tester"));
        QVERIFY(actions.disabledReason().isEmpty());
        QSignalSpy jobSpy(&source, &FleetSource::jobChanged);
        QSignalSpy auditSpy(&source, &FleetSource::auditAppended);

        QList<qint64> ids;
        for (const core::VmRecord &vm : store->vms())
            ids.append(vm.id);
        ops.failVmId = ids.at(2);
        const FleetActions::Outcome outcome =
            test::run(actions, FleetActions::Kind::ForceRestart, ids.mid(0, 3));
        QCOMPARE(outcome.succeeded, 2);
        QCOMPARE(outcome.failures.size(), 1);
        QVERIFY(outcome.failures.constFirst().contains(QLatin1StringView("no such VM")));
        QCOMPARE(ops.calls.size(), 3);
        QCOMPARE(ops.calls.at(0).op, QStringLiteral("force_restart"));
        QCOMPARE(ops.calls.at(0).actor, QStringLiteral("gui:tester"));
        QCOMPARE(jobSpy.size(), 3);
        QCOMPARE(auditSpy.size(), 3);
        QCOMPARE(store->audit({}, {}, 100).size(), 2); // the failed call wrote none

        test::run(actions, FleetActions::Kind::Pause, {ids.at(0)});
        QCOMPARE(store->vm(ids.at(0))->autoRestart, false);
        test::run(actions, FleetActions::Kind::Resume, {ids.at(0)});
        QCOMPARE(store->vm(ids.at(0))->autoRestart, true);
        test::run(actions, FleetActions::Kind::Cancel, {ids.at(1)});
        QCOMPARE(ops.calls.constLast().op, QStringLiteral("cancel"));
        QCOMPARE(store->audit({}, {}, 100).size(), 5);

        // Add VM validates the resource id before calling the engine.
        QVERIFY(test::addVm(actions, QStringLiteral("not-an-id")).status
                == core::OperationResult::Status::Invalid);
        const int before = int(ops.calls.size());
        QVERIFY(test::addVm(actions,
                            QStringLiteral(" /subscriptions/s/resourceGroups/rg/providers/"
                                           "Microsoft.Compute/virtualMachines/vm1 "))
                    .ok());
        QCOMPARE(ops.calls.size(), before + 1);
        QCOMPARE(store->audit({}, {}, 100).size(), 6);

        // Enrolling an agent stores a key for that VM and writes one audit row, no secret in it.
        const core::VmRecord vm = *store->vm(ids.at(0));
        const EnrollResult key = test::enroll(source, vm, QStringLiteral("gui:tester"));
        QVERIFY(key.ok);
        QCOMPARE(key.secret.size(), 32);
        QCOMPARE(store->agentKey(key.keyId)->vmResourceKey, vm.resourceKey);
        const QList<core::AuditRecord> audit = store->audit({}, {}, 100);
        QCOMPARE(audit.size(), 7);
        for (const core::AuditRecord &a : audit) {
            QVERIFY(!a.detail.contains(QString::fromLatin1(key.secret.toBase64())));
        }
    }

    void stopOnPurposeShowsWhoInTheFleetTable()
    {
        auto store = test::openStore(QStringLiteral(":memory:"), &m_clock);
        core::VmRecord vm;
        vm.resourceId = QStringLiteral("/subscriptions/s/resourceGroups/rg/providers/"
                                       "Microsoft.Compute/virtualMachines/vm1");
        vm.resourceKey = vm.resourceId.toLower();
        vm.name = QStringLiteral("vm1");
        vm.managedBy = core::ManagedBy::Tag;
        vm.powerState = core::PowerState::Running;
        QVERIFY(store->upsertVm(vm) > 0);
        test::RecordingOperations ops(*store, m_clock.nowUtc());
        LocalFleetSource source(*store, &ops, m_clock);
        SourceStatus status;
        status.credentialsAvailable = true;
        source.setStatus(status);
        FleetActions actions(source, QStringLiteral("gui:alice"));
        const qint64 id = store->vms().constFirst().id;
        QVERIFY(store->vm(id)->stoppedBy.isEmpty());
        store->setPowerState(id, core::PowerState::Deallocated, m_clock.nowUtc());
        QCOMPARE(test::run(actions, FleetActions::Kind::StopOnPurpose, {id}).succeeded, 1);
        QCOMPARE(ops.calls.constLast().op, QStringLiteral("stop_on_purpose"));
        FleetTableModel model(source, m_clock);
        const int row = model.rowOfVm(id);
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, FleetTableModel::Status).data().toString(),
                 QStringLiteral("Stopped on purpose by gui:alice"));
        QCOMPARE(test::run(actions, FleetActions::Kind::Start, {id}).succeeded, 1);
        QCOMPARE(ops.calls.constLast().op, QStringLiteral("start"));
        model.reload();
        QVERIFY(!model.index(row, FleetTableModel::Status)
                     .data()
                     .toString()
                     .startsWith(QLatin1StringView("Stopped on purpose")));
        QCOMPARE(store->audit({}, {}, 100).size(), 2);
    }

    void disabledWithReason()
    {
        auto store = test::openStore(QStringLiteral(":memory:"), &m_clock);
        LocalFleetSource readOnly(*store, nullptr, m_clock);
        FleetActions actions(readOnly, QStringLiteral("gui:tester"));
        QVERIFY(!actions.disabledReason().isEmpty());
        const auto outcome = test::run(actions, FleetActions::Kind::ForceRestart, {1});
        QCOMPARE(outcome.succeeded, 0);
        QCOMPARE(outcome.failures.size(), 1);

        test::RecordingOperations ops(*store, m_clock.nowUtc());
        LocalFleetSource noCredentials(*store, &ops, m_clock);
        FleetActions actions2(noCredentials, QStringLiteral("gui:tester"));
        QVERIFY(actions2.disabledReason().contains(QLatin1StringView("credentials")));
    }

    void confirmationStatesTheCount()
    {
        QCOMPARE(FleetActions::confirmationText(FleetActions::Kind::ForceRestart, 1).left(32),
                 QStringLiteral("Force a restart of 1 VM now? Bac"));
        QVERIFY(FleetActions::confirmationText(FleetActions::Kind::ForceRestart, 12)
                    .startsWith(QLatin1StringView("Force a restart of 12 VMs now?")));
        QVERIFY(FleetActions::confirmationText(FleetActions::Kind::Cancel, 3)
                    .contains(QLatin1StringView("3 VMs")));
    }
};

QTEST_GUILESS_MAIN(TestFleetActions)
#include "tst_fleetactions.moc"
