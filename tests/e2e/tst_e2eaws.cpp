// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end, AWS (issue 16): the simulator's AWS account (one model: IMDSv2 per instance and
// the EC2 Query API, CloudTrail and STS under /aws/), one real `spotkeeper-agent --cloud aws`
// per interruption behaviour (terminate, stop, hibernate), each key bound to its instance's ARN,
// and spotkeeperd with [aws] restarting per the decision table of docs/AWS-PROTOCOL.md §9:
// - every agent's signed version 2 notice ("aws") is stored under the ARN, naming its
//   behaviour; a rebalance recommendation is a notice of its own;
// - the interrupted stop- and hibernate-behaviour instances of persistent requests are watched
//   (AwaitingSpotRestart) until EC2 restarts them, and SpotKeeper sends no StartInstances for
//   them (only EC2 may restart an interrupted Spot Instance; the simulator would refuse);
// - a principal's StopInstances (CloudTrail names alice) stays stopped;
// - a terminated one-time instance that opted in (tag spotkeeper:replace=true, [aws]
//   replace_terminated) is replaced once from its launch template by RunInstances and audited;
//   one that did not is reported gone;
// - during a RequestLimitExceeded storm spotkeeperd sends nothing before its backoff ends.
#include "fleet/cloud.h"
#include "support/e2e/e2echecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>

using namespace spotkeeper;
using namespace spotkeeper::e2e;
using namespace Qt::StringLiterals;

namespace {

const QString kAccount = u"123456789012"_s;
const QString kRegion = u"eu-west-1"_s;
// Names (Name tags) of the instances; the first three run a real agent.
const QString kTerminated = u"ec2-001"_s; // one-time, terminate, replace=true
const QString kStopped = u"ec2-002"_s; // persistent, stop: EC2 restarts it
const QString kHibernated = u"ec2-003"_s; // persistent, hibernate: EC2 resumes it
const QString kUserStopped = u"ec2-004"_s; // persistent, stop: alice stops it
const QString kNotOptedIn = u"ec2-005"_s; // one-time, terminate, no replacement
const QHash<QString, QString> kBehaviourOf {
    {kTerminated, u"terminate"_s}, {kStopped, u"stop"_s}, {kHibernated, u"hibernate"_s}};

QString groups()
{
    const QString common =
        uR"("count":1,"account":"%1","location":"%2","zones":["eu-west-1b"],"size":"m5.large")"_s
            .arg(kAccount, kRegion);
    const QString tagged = uR"("spotkeeper:auto-restart":"true")"_s;
    QStringList list;
    list << uR"({%1,"name":"%2","interruptionBehavior":"terminate","requestType":"one-time",
                 "launchTemplate":"lt-0abc1","tags":{%3,"spotkeeper:replace":"true","team":"a"}})"_s
                .arg(common, kTerminated, tagged);
    for (const QString &name : {kStopped, kUserStopped})
        list << uR"({%1,"name":"%2","interruptionBehavior":"stop","tags":{%3}})"_s.arg(common, name,
                                                                                       tagged);
    list << uR"({%1,"name":"%2","interruptionBehavior":"hibernate","tags":{%3}})"_s.arg(
        common, kHibernated, tagged);
    list << uR"({%1,"name":"%2","interruptionBehavior":"terminate","requestType":"one-time",
                 "launchTemplate":"lt-0abc2","tags":{%3}})"_s.arg(common, kNotOptedIn, tagged);
    return list.join(u',');
}

// The notices stored for the VM filed under arn, oldest first.
QList<core::EventRecord> noticesOf(core::Store &store, const QString &arn)
{
    const auto vm = store.vmByKey(arn.toLower());
    if (!vm)
        return {};
    core::EventFilter filter;
    filter.vmId = vm->id;
    filter.kinds = {core::EventKind::Notice};
    QList<core::EventRecord> notices = store.events(filter);
    std::reverse(notices.begin(), notices.end());
    return notices;
}

// The simulator's newest instance of that name (a replacement takes its predecessor's name).
QJsonObject simVm(E2eRig &rig, const QString &name)
{
    const QJsonArray vms = rig.state().value("vms"_L1).toArray();
    QJsonObject found;
    for (const QJsonValue vm : vms) {
        if (vm.toObject().value("name"_L1).toString() == name)
            found = vm.toObject();
    }
    return found;
}

QJsonObject awsCounters(E2eRig &rig)
{
    return rig.state().value("aws"_L1).toObject();
}

} // namespace

class TestE2eAws : public QObject
{
    Q_OBJECT

private slots:
    void decisionTableWithRealAgents();

private:
    void checkNotices(E2eRig &rig, core::Store &store, const QHash<QString, QString> &arns);
};

void TestE2eAws::decisionTableWithRealAgents()
{
    if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    E2eRig rig;
    const QString scenario = rig.writeAwsScenario(groups());
    QString error;
    QVERIFY2(!scenario.isEmpty() && rig.startSim(1, 0, 1, {u"--scenario"_s, scenario}, &error),
             qPrintable(error));
    rig.enableAws(kAccount, kRegion, u"replace_terminated = true"_s);
    QVERIFY2(rig.startDaemon(&error), qPrintable(error));
    QHash<QString, QString> arns; // name -> ARN
    for (const QString &name : {kTerminated, kStopped, kHibernated, kUserStopped, kNotOptedIn})
        arns.insert(name, rig.arnOf(name));
    for (const QString &name : {kTerminated, kStopped, kHibernated})
        QVERIFY2(rig.startRealAwsAgent(name, &error), qPrintable(error));
    auto store = rig.openStore();
    QVERIFY(store);
    const auto stored = [&](const QString &name) {
        return store->vmByKey(arns[name].toLower());
    };
    const auto running = [&](const QString &name) {
        const auto vm = stored(name);
        return vm && vm->powerState == core::PowerState::Running;
    };
    // Every agent read its identity through IMDSv2 and sent its first heartbeat; the reconciler
    // listed the tagged instances through DescribeInstances, signed.
    QVERIFY2(
        E2eRig::waitFor(
            [&] {
                for (const QString &name : {kTerminated, kStopped, kHibernated}) {
                    const auto vm = stored(name);
                    if (!vm || !vm->agentLastSeen.isValid())
                        return false;
                }
                return std::all_of(arns.keyBegin(), arns.keyEnd(), running);
            },
            90'000),
        qPrintable(u"not all listed and heard; daemon log tail: "_s + rig.daemonLog().right(2000)));
    QVERIFY(core::cloudOf(*stored(kStopped)) == core::Cloud::Aws);
    QCOMPARE(stored(kStopped)->subscriptionId, u"arn:aws:ec2:"_s + kRegion + u':' + kAccount);

    // A rebalance recommendation first, then EC2 interrupts four and alice stops one.
    const QJsonObject rebalanced =
        rig.control("rebalance", u"{\"vms\":[\"%1\"]}"_s.arg(kStopped).toUtf8());
    QCOMPARE(rebalanced.value("recommended"_L1).toArray().size(), 1);
    QVERIFY2(E2eRig::waitFor([&] { return !noticesOf(*store, arns[kStopped]).isEmpty(); }, 30'000),
             qPrintable(u"no rebalance notice; daemon log tail: "_s + rig.daemonLog().right(1500)));
    QCOMPARE(noticesOf(*store, arns[kStopped]).first().eventType, u"RebalanceRecommendation"_s);
    const QJsonObject evicted = rig.control(
        "evict",
        QJsonDocument(
            QJsonObject {{u"vms"_s, QJsonArray {kTerminated, kStopped, kHibernated, kNotOptedIn}}})
            .toJson());
    QCOMPARE(evicted.value("evicted"_L1).toArray().size(), 4);
    const QJsonObject byUser = rig.control(
        "deallocate",
        QJsonDocument(QJsonObject {{u"vms"_s, QJsonArray {kUserStopped}},
                                   {u"caller"_s, u"arn:aws:iam::123456789012:user/alice"_s}})
            .toJson());
    QCOMPARE(byUser.value("deallocated"_L1).toArray().size(), 1);
    checkNotices(rig, *store, arns);

    // The opted-in terminated instance is replaced from its launch template, once, and
    // audited; the other is reported gone.
    const auto jobOf = [&](const QString &name) -> std::optional<core::JobRecord> {
        const auto vm = stored(name);
        return vm ? store->activeJob(vm->id) : std::nullopt;
    };
    QVERIFY2(E2eRig::waitFor(
                 [&] {
                     const auto replaced = jobOf(kTerminated);
                     const auto gone = jobOf(kNotOptedIn);
                     return replaced && replaced->lastErrorCode == "ReplacedByNewInstance"_L1
                         && gone && gone->lastErrorCode == "InstanceTerminated"_L1;
                 },
                 120'000),
             qPrintable(rig.daemonLog().right(3000)));
    QCOMPARE(awsCounters(rig).value("runs"_L1).toInt(), 1);
    QVERIFY(jobOf(kNotOptedIn)->lastErrorMessage.contains(u"spotkeeper:replace=true"_s));
    // The replacement took the Name (and the IMDS path) of the terminated instance.
    const QJsonObject replacement = simVm(rig, kTerminated);
    QVERIFY(replacement.value("resourceId"_L1).toString() != arns[kTerminated]);
    QCOMPARE(replacement.value("power"_L1).toString(), u"running"_s);
    const QList<core::AuditRecord> audit =
        store->audit(QDateTime::fromSecsSinceEpoch(0), QDateTime::currentDateTimeUtc(), 1000);
    QVERIFY2(
        std::any_of(audit.cbegin(), audit.cend(),
                    [&](const core::AuditRecord &entry) {
                        return entry.action == "aws_replace"_L1
                            && entry.target == arns[kTerminated].toLower()
                            && entry.detail.contains(
                                replacement.value("resourceId"_L1).toString().section(u'/', -1));
                    }),
        "the replacement is not in the audit log");

    // The stop and hibernate instances: watched while EC2 keeps them stopped, recovered when
    // EC2 restarts them; SpotKeeper sent no StartInstances.
    QVERIFY2(E2eRig::waitFor([&] { return running(kStopped) && running(kHibernated); }, 150'000),
             qPrintable(rig.daemonLog().right(3000)));
    QJsonObject aws = awsCounters(rig);
    QCOMPARE(aws.value("starts"_L1).toInt(), 0);
    QCOMPARE(aws.value("startsRefused"_L1).toInt(), 0);
    QVERIFY(aws.value("ec2Restarts"_L1).toInt() >= 2);
    QCOMPARE(aws.value("refusedSignatures"_L1).toInt(), 0);
    QVERIFY(aws.value("trailReads"_L1).toInt() >= 1);
    for (const QString &name : {kStopped, kHibernated}) {
        core::EventFilter filter;
        filter.vmId = stored(name)->id;
        const QList<core::EventRecord> events = store->events(filter);
        QVERIFY2(std::any_of(events.cbegin(), events.cend(),
                             [](const core::EventRecord &event) {
                                 return event.armErrorCode == "AwaitingSpotRestart"_L1;
                             }),
                 qPrintable(name + u" was not watched"_s));
    }

    // The user's stop stays: CloudTrail names alice, the instance is left stopped.
    const auto userStopped = stored(kUserStopped);
    QVERIFY(userStopped);
    QVERIFY(userStopped->desiredState == core::DesiredState::Stopped);
    QCOMPARE(userStopped->stoppedBy, u"arn:aws:iam::123456789012:user/alice"_s);
    QCOMPARE(simVm(rig, kUserStopped).value("power"_L1).toString(), u"deallocated"_s);

    // RequestLimitExceeded: during a storm every AWS call is throttled; spotkeeperd backs off
    // and asks again only after its backoff, then lists again once the storm is over. The
    // storm outlasts two reconcile intervals (10 s): the wait above ends right after a sweep
    // (it saw that sweep's result), so a shorter storm could fall entirely between two sweeps,
    // with nothing sent and so nothing throttled.
    const qint64 describesBefore = aws.value("describes"_L1).toInteger();
    const qint64 throttledBefore = aws.value("throttled"_L1).toInteger();
    QCOMPARE(rig.control("throttle-storm", R"({"seconds":25})").value("ok"_L1).toBool(), true);
    QVERIFY2(E2eRig::waitFor(
                 [&] {
                     const QJsonObject now = awsCounters(rig);
                     return now.value("throttled"_L1).toInteger() > throttledBefore
                         && now.value("describes"_L1).toInteger() > describesBefore;
                 },
                 90'000),
             qPrintable(u"describes %1, throttled %2 before the storm; now %3; daemon log tail: "_s
                            .arg(describesBefore)
                            .arg(throttledBefore)
                            .arg(QString::fromUtf8(
                                QJsonDocument(awsCounters(rig)).toJson(QJsonDocument::Compact)))
                        + rig.daemonLog().right(1500)));
    aws = awsCounters(rig);
    QCOMPARE(aws.value("requestsBeforeBackoff"_L1).toInt(), 0);
    QCOMPARE(aws.value("starts"_L1).toInt(), 0);
}

void TestE2eAws::checkNotices(E2eRig &rig, core::Store &store, const QHash<QString, QString> &arns)
{
    for (auto it = kBehaviourOf.cbegin(); it != kBehaviourOf.cend(); ++it) {
        const QString &behaviour = it.value();
        const QString arn = arns.value(it.key());
        const auto interruption = [&]() -> std::optional<core::EventRecord> {
            for (const core::EventRecord &notice : noticesOf(store, arn)) {
                if (notice.eventType == "Preempt"_L1)
                    return notice;
            }
            return std::nullopt;
        };
        QVERIFY2(E2eRig::waitFor([&] { return interruption().has_value(); }, 30'000),
                 qPrintable(u"no interruption notice for "_s + behaviour + u"; daemon log tail: "_s
                            + rig.daemonLog().right(1500)));
        const core::EventRecord notice = *interruption();
        QCOMPARE(notice.source, u"agent"_s);
        // Terminate and stop come ahead of EC2's action; hibernation starts at once.
        QCOMPARE(notice.eventStatus, behaviour == "hibernate"_L1 ? u"Started"_s : u"Scheduled"_s);
        const QJsonObject payload = QJsonDocument::fromJson(notice.payload).object();
        QCOMPARE(payload.value("version"_L1).toInt(), 2);
        QCOMPARE(payload.value("vm"_L1).toObject().value("cloud"_L1).toString(), u"aws"_s);
        QCOMPARE(payload.value("event"_L1).toObject().value("Description"_L1).toString(),
                 u"EC2 Spot interruption: "_s + behaviour);
        const auto record = store.vmByKey(arn.toLower());
        QVERIFY(record);
        QVERIFY(cloudOf(*record) == core::Cloud::Aws);
        QCOMPARE(record->resourceId, arn);
        QCOMPARE(record->location, kRegion);
        QCOMPARE(record->size, u"m5.large"_s);
        QCOMPARE(record->priority, u"Spot"_s);
    }
}

QTEST_GUILESS_MAIN(TestE2eAws)
#include "tst_e2eaws.moc"
