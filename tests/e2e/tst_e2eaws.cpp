// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end, AWS (issue 16): one real `spotkeeper-agent --cloud aws` per interruption
// behaviour (terminate, stop, hibernate) watches the simulator's IMDSv2 of its EC2 Spot
// instance; each key is bound to the instance's ARN by `spotkeeperd keys generate`; when the
// simulator interrupts the instances, every agent's signed version 2 notice ("aws") is
// verified and stored by spotkeeperd under the ARN, naming the behaviour; a rebalance
// recommendation is stored as its own notice. (Restarting or replacing the instances is the
// EC2 provider's part and not checked here.)
#include "fleet/cloud.h"
#include "support/e2e/e2echecks.h"

#include <QJsonDocument>
#include <QTest>

#include <algorithm>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

namespace {

const QString kAccount = u"123456789012"_s;
const QString kRegion = u"eu-west-1"_s;
const QStringList kBehaviours {u"terminate"_s, u"stop"_s, u"hibernate"_s};

// The notices stored for the VM filed under arn, oldest first.
QList<core::EventRecord> noticesOf(core::Store &store, const QString &arn)
{
    const auto vm = store.vmByKey(arn);
    if (!vm)
        return {};
    core::EventFilter filter;
    filter.vmId = vm->id;
    filter.kinds = {core::EventKind::Notice};
    QList<core::EventRecord> notices = store.events(filter);
    std::reverse(notices.begin(), notices.end());
    return notices;
}

} // namespace

class TestE2eAws : public QObject
{
    Q_OBJECT

private slots:
    void interruptionNoticesAreStored()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        E2eRig rig;
        const QString scenario = rig.writeAwsScenario(kBehaviours, kAccount, kRegion);
        QString error;
        QVERIFY(!scenario.isEmpty());
        QVERIFY2(rig.startSim(1, 0, 1, {u"--scenario"_s, scenario}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error), qPrintable(error));
        QHash<QString, QString> arns; // behaviour -> ARN
        QStringList names;
        for (int i = 0; i < kBehaviours.size(); ++i) {
            const QString vm = E2eRig::awsName(i + 1);
            names.append(u'"' + vm + u'"');
            arns.insert(kBehaviours.at(i), rig.arnOf(vm));
            QVERIFY2(rig.startRealAwsAgent(vm, &error), qPrintable(error));
        }
        auto store = rig.openStore();
        QVERIFY(store);
        // Every agent read its identity through IMDSv2 and sent its first heartbeat.
        for (const QString &arn : std::as_const(arns)) {
            QVERIFY2(E2eRig::waitFor(
                         [&] {
                             const auto record = store->vmByKey(arn);
                             return record && record->agentLastSeen.isValid()
                                 && !record->vmId.isEmpty();
                         },
                         60'000),
                     qPrintable(u"no heartbeat from "_s + arn + u"; daemon log tail: "_s
                                + rig.daemonLog().right(1500)));
        }

        // A rebalance recommendation first, then the interruption of all three.
        const QJsonObject rebalanced =
            rig.control("rebalance", u"{\"vms\":[\"%1\"]}"_s.arg(E2eRig::awsName(2)).toUtf8());
        QCOMPARE(rebalanced.value("recommended"_L1).toArray().size(), 1);
        QVERIFY2(
            E2eRig::waitFor([&] { return !noticesOf(*store, arns.value(u"stop"_s)).isEmpty(); },
                            30'000),
            qPrintable(u"no rebalance notice; daemon log tail: "_s + rig.daemonLog().right(1500)));
        QCOMPARE(noticesOf(*store, arns.value(u"stop"_s)).first().eventType,
                 u"RebalanceRecommendation"_s);

        const QJsonObject evicted =
            rig.control("evict", (u"{\"vms\":["_s + names.join(u',') + u"]}"_s).toUtf8());
        QCOMPARE(evicted.value("evicted"_L1).toArray().size(), 3);
        for (const QString &behaviour : kBehaviours) {
            const QString arn = arns.value(behaviour);
            const auto interruption = [&]() -> std::optional<core::EventRecord> {
                for (const core::EventRecord &notice : noticesOf(*store, arn)) {
                    if (notice.eventType == "Preempt"_L1)
                        return notice;
                }
                return std::nullopt;
            };
            QVERIFY2(E2eRig::waitFor([&] { return interruption().has_value(); }, 30'000),
                     qPrintable(u"no interruption notice for "_s + behaviour
                                + u"; daemon log tail: "_s + rig.daemonLog().right(1500)));
            const core::EventRecord notice = *interruption();
            QCOMPARE(notice.source, u"agent"_s);
            // Terminate and stop come two minutes ahead; hibernation starts at once.
            QCOMPARE(notice.eventStatus,
                     behaviour == "hibernate"_L1 ? u"Started"_s : u"Scheduled"_s);
            const QJsonObject payload = QJsonDocument::fromJson(notice.payload).object();
            QCOMPARE(payload.value("version"_L1).toInt(), 2);
            const QJsonObject vm = payload.value("vm"_L1).toObject();
            QCOMPARE(vm.value("cloud"_L1).toString(), u"aws"_s);
            QCOMPARE(payload.value("event"_L1).toObject().value("Description"_L1).toString(),
                     u"EC2 Spot interruption: "_s + behaviour);
            const auto record = store->vmByKey(arn);
            QVERIFY(record);
            QVERIFY(cloudOf(*record) == core::Cloud::Aws);
            QCOMPARE(record->resourceId, arn);
            QCOMPARE(record->subscriptionId, u"arn:aws:ec2:"_s + kRegion + u':' + kAccount);
            QCOMPARE(record->location, kRegion);
            QCOMPARE(record->name, vm.value("instanceId"_L1).toString());
            QCOMPARE(record->size, u"m5.large"_s);
            QCOMPARE(record->priority, u"Spot"_s);
            QVERIFY(record->managedBy == core::ManagedBy::Agent);
        }
    }
};

QTEST_GUILESS_MAIN(TestE2eAws)
#include "tst_e2eaws.moc"
