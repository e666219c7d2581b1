// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end (issue 17, application health): a real spotkeeper-agent per VM probes the
// simulator's application of its VM (GET /app/{vm}/health, turned healthy or unhealthy through
// POST /control/app) and a real spotkeeperd with a [health] section (second-granular timers)
// acts on what the heartbeats say:
//  (a) an evicted VM's restart job waits in WaitingForApplication and ends recovered only
//      once the application reports healthy;
//  (b) a VM whose application stays unhealthy ends "running, application not healthy" after
//      restart_timeout_seconds, with an app_unhealthy alert delivered to a webhook;
//  (c) an application unhealthy for unhealthy_seconds on a running VM that opted in (the
//      spotkeeper-app-restart tag) is restarted through the simulator's ARM restart, audited,
//      at most restarts_per_hour times; the VM without the tag is only alerted.
// All three run at once on one rig; each test waits for its own VMs' outcome.
#include "support/e2e/e2echecks.h"
#include "support/http/fakehttpserver.h"
#include "support/notify/notifyfixtures.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace spotkeeper::e2e;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

namespace {

constexpr int kRestartTimeoutSeconds = 25;
constexpr int kUnhealthySeconds = 8;
constexpr int kRestartsPerHour = 2;
const QString kRecovered = u"app-001"_s; // (a)
const QString kNeverHealthy = u"app-002"_s; // (b)
const QString kOptedIn = u"app-003"_s; // (c), tagged spotkeeper-app-restart=true
const QString kNotOptedIn = u"app-004"_s; // (c), no tag: alert only

QList<EventRecord> eventsOf(Store &store, qint64 vmId, EventKind kind)
{
    EventFilter filter;
    filter.vmId = vmId;
    filter.kinds = {kind};
    filter.limit = 1000;
    return store.events(filter);
}

QList<EventRecord> appAlerts(Store &store, qint64 vmId)
{
    QList<EventRecord> out;
    for (const EventRecord &e : eventsOf(store, vmId, EventKind::Alert))
        if (e.eventType == "app_unhealthy"_L1)
            out << e;
    return out;
}

// The simulator's restarts (ARM POST .../restart) of one VM.
int restartsOf(const QJsonObject &records, const QString &name)
{
    int n = 0;
    for (const QJsonValue &v : records.value("restarts"_L1).toArray())
        n += v.toObject().value("vm"_L1).toString().endsWith(u'/' + name) ? 1 : 0;
    return n;
}

} // namespace

class TestE2eAppHealth : public QObject
{
    Q_OBJECT

private:
    E2eRig m_rig;
    QTemporaryDir m_dir;
    FakeHttpServer m_hook; // the webhook receiver of app_unhealthy notifications
    std::unique_ptr<Store> m_store;
    QHash<QString, qint64> m_ids; // VM name -> id in the store

    std::optional<VmRecord> vm(const QString &name) { return m_store->vm(m_ids.value(name)); }
    QString log() { return m_rig.daemonLog().right(2500); }

private slots:
    void initTestCase()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        m_hook.route("POST", "/hook").respond(200, "{}");
        QVERIFY(m_hook.start());
        const QString secret = writeTestFile(m_dir.path(), u"notify.secret"_s,
                                             "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        const QString scenario =
            writeTestFile(m_dir.path(), u"apphealth.json"_s,
                          uR"({"name":"apphealth","fleet":[
              {"count":1,"name":"%1","subscription":"6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
               "resourceGroup":"sim-rg","location":"westeurope",
               "tags":{"spotkeeper:auto-restart":"true"}},
              {"count":1,"name":"%2","subscription":"6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
               "resourceGroup":"sim-rg","location":"westeurope",
               "tags":{"spotkeeper:auto-restart":"true"}},
              {"count":1,"name":"%3","subscription":"6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
               "resourceGroup":"sim-rg","location":"westeurope",
               "tags":{"spotkeeper:auto-restart":"true","spotkeeper-app-restart":"true"}},
              {"count":1,"name":"%4","subscription":"6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
               "resourceGroup":"sim-rg","location":"westeurope",
               "tags":{"spotkeeper:auto-restart":"true"}}]})"_s
                              .arg(kRecovered, kNeverHealthy, kOptedIn, kNotOptedIn)
                              .toUtf8());
        m_rig.setExtraConfig(
            u"[health]\nrestart_timeout_seconds = %1\nunhealthy_seconds = %2\nrestart = tagged\n"
            "restarts_per_hour = %3\n"
            "[notify]\ngroup_window_seconds = 0\nretry_base_seconds = 1\nretry_cap_seconds = 4\n"
            "[notify.ops]\ntype = webhook\nurl = http://127.0.0.1:%4/hook\nsecret_file = %5\n"
            "events = app_unhealthy\n"_s.arg(kRestartTimeoutSeconds)
                .arg(kUnhealthySeconds)
                .arg(kRestartsPerHour)
                .arg(m_hook.port())
                .arg(secret));
        QString error;
        QVERIFY2(m_rig.startSim(1, 0, 10, {u"--scenario"_s, scenario}, &error), qPrintable(error));
        QVERIFY2(m_rig.startDaemon(&error, 10), qPrintable(error));
        for (const QString &name : {kRecovered, kNeverHealthy, kOptedIn, kNotOptedIn})
            QVERIFY2(m_rig.startRealAgent(name, &error, {}, m_rig.appProbeArgs(name)),
                     qPrintable(error));
        m_store = m_rig.openStore();
        QVERIFY(m_store);
        // Every VM managed, running, and its agent's probe reports the application healthy.
        const bool ready = E2eRig::waitFor(
            [&] {
                int healthy = 0;
                for (const VmRecord &v : m_store->vms()) {
                    m_ids.insert(v.name, v.id);
                    healthy += v.powerState == PowerState::Running && v.managedBy != ManagedBy::None
                            && v.appHealth == AppHealth::Healthy && v.appProbe == "http"_L1
                        ? 1
                        : 0;
                }
                return healthy == 4;
            },
            90'000);
        QVERIFY2(ready, qPrintable(log()));

        // (c): two running VMs' applications break.
        QCOMPARE(
            m_rig
                .control(
                    "app",
                    uR"({"vms":["%1","%2"],"healthy":false})"_s.arg(kOptedIn, kNotOptedIn).toUtf8())
                .value("changed"_L1)
                .toArray()
                .size(),
            2);
        // (a), (b): two VMs are evicted (with notice) and their applications are down after.
        QCOMPARE(m_rig
                     .control("evict",
                              uR"({"vms":["%1","%2"]})"_s.arg(kRecovered, kNeverHealthy).toUtf8())
                     .value("evicted"_L1)
                     .toArray()
                     .size(),
                 2);
        m_rig.control(
            "app",
            uR"({"vms":["%1","%2"],"healthy":false})"_s.arg(kRecovered, kNeverHealthy).toUtf8());
    }

    // (a) The job passes WaitingForApplication while the VM runs but its application does not
    // answer healthy, and ends recovered with the time the agent reported it healthy.
    void evictedVmIsRecoveredOnlyOnceItsApplicationIsHealthy()
    {
        const qint64 id = m_ids.value(kRecovered);
        const bool waiting = E2eRig::waitFor(
            [&] {
                const auto job = m_store->activeJob(id);
                return job && job->state == JobState::WaitingForApplication;
            },
            150'000);
        QVERIFY2(waiting, qPrintable(log()));
        QCOMPARE(powerOf(m_rig.state(), kRecovered), u"running"_s);
        QCOMPARE(toString(vm(kRecovered)->powerState), toString(PowerState::Running));
        // The VM runs and the job still waits: power alone does not end it.
        QVERIFY(m_store->activeJob(id).has_value());

        const QDateTime healthyFrom = QDateTime::currentDateTimeUtc();
        m_rig.control("app", uR"({"vms":["%1"],"healthy":true})"_s.arg(kRecovered).toUtf8());
        const bool recovered =
            E2eRig::waitFor([&] { return !m_store->activeJob(id).has_value(); }, 60'000);
        QVERIFY2(recovered, qPrintable(log()));
        const QList<JobRecord> jobs = m_store->jobs(id, 5);
        QCOMPARE(jobs.size(), 1);
        const JobRecord &job = jobs.first();
        QCOMPARE(toString(job.state), toString(JobState::Running));
        QVERIFY2(job.reason.isEmpty(), qPrintable(job.reason));
        QVERIFY(job.appHealthyAt.isValid());
        QVERIFY2(job.appHealthyAt >= healthyFrom,
                 qPrintable(job.appHealthyAt.toString(Qt::ISODateWithMs) + u" < "_s
                            + healthyFrom.toString(Qt::ISODateWithMs)));
        QStringList transitions;
        for (const EventRecord &e : eventsOf(*m_store, id, EventKind::JobTransition))
            transitions << e.message;
        QVERIFY2(transitions.join(u'\n').contains(u"-> waiting_for_app"_s),
                 qPrintable(transitions.join(u'\n')));
        QVERIFY2(transitions.join(u'\n').contains(u"waiting_for_app -> running: application "
                                                  "healthy"_s),
                 qPrintable(transitions.join(u'\n')));
        QVERIFY(appAlerts(*m_store, id).isEmpty());
        const QJsonObject records = m_rig.records();
        QCOMPARE(startsOf(records, kRecovered), 1);
        QCOMPARE(restartsOf(records, kRecovered), 0);
    }

    // (b) Still unhealthy restart_timeout_seconds after the VM came back: the job ends running
    // with "application not healthy", an app_unhealthy alert, and the webhook hears of it.
    void applicationStillDownEndsRunningNotHealthyWithAnAlert()
    {
        const qint64 id = m_ids.value(kNeverHealthy);
        const bool ended = E2eRig::waitFor(
            [&] {
                const QList<JobRecord> jobs = m_store->jobs(id, 1);
                return !jobs.isEmpty() && isTerminal(jobs.first().state);
            },
            180'000);
        QVERIFY2(ended, qPrintable(log()));
        const JobRecord job = m_store->jobs(id, 1).first();
        QCOMPARE(toString(job.state), toString(JobState::Running));
        QCOMPARE(job.reason, u"application not healthy"_s);
        QVERIFY(!job.appHealthyAt.isValid());
        // It waited the whole timeout after the VM came back (never less).
        QDateTime waitBegan;
        QDateTime waitEnded;
        for (const EventRecord &e : eventsOf(*m_store, id, EventKind::JobTransition)) {
            if (e.message.contains(u"-> waiting_for_app"_s))
                waitBegan = e.at;
            if (e.message.startsWith(u"waiting_for_app -> running"_s))
                waitEnded = e.at;
        }
        QVERIFY(waitBegan.isValid() && waitEnded.isValid());
        QVERIFY2(waitBegan.msecsTo(waitEnded) >= kRestartTimeoutSeconds * 1000,
                 qPrintable(QString::number(waitBegan.msecsTo(waitEnded))));
        // The alert is written just after the job's last transition: wait for it.
        QVERIFY(E2eRig::waitFor([&] { return !appAlerts(*m_store, id).isEmpty(); }, 30'000));
        const QList<EventRecord> alerts = appAlerts(*m_store, id);
        QCOMPARE(alerts.size(), 1); // the watch does not alert the same episode again
        QVERIFY2(alerts.first().message.contains(u"application not healthy"_s),
                 qPrintable(alerts.first().message));
        QCOMPARE(powerOf(m_rig.state(), kNeverHealthy), u"running"_s);
        QCOMPARE(restartsOf(m_rig.records(), kNeverHealthy), 0); // not opted in

        const auto delivered = [&] {
            for (const RecordedRequest &r : m_hook.requests("POST", "/hook"))
                if (r.body.contains("spotkeeper.app_unhealthy")
                    && r.body.contains(kNeverHealthy.toUtf8()))
                    return true;
            return false;
        };
        QVERIFY2(E2eRig::waitFor(delivered, 60'000), qPrintable(log()));
    }

    // (c) The opted-in VM is restarted through ARM (audited, in its timeline) at most
    // restarts_per_hour times, each at least unhealthy_seconds after the last; then the watch
    // says it gave up. The VM without the tag gets one alert and no restart.
    void optedInVmIsRestartedAtMostRestartsPerHour()
    {
        const qint64 id = m_ids.value(kOptedIn);
        const auto limitReached = [&] {
            for (const EventRecord &e : appAlerts(*m_store, id))
                if (e.eventStatus == "restart_limit"_L1)
                    return true;
            return false;
        };
        QVERIFY2(E2eRig::waitFor(limitReached, 150'000), qPrintable(log()));
        const QJsonObject records = m_rig.records();
        QCOMPARE(restartsOf(records, kOptedIn), kRestartsPerHour);
        QCOMPARE(restartsOf(records, kNotOptedIn), 0);
        QCOMPARE(powerOf(m_rig.state(), kOptedIn), u"running"_s);
        QList<qint64> restartWall;
        for (const QJsonValue &v : records.value("restarts"_L1).toArray())
            if (v.toObject().value("vm"_L1).toString().endsWith(u'/' + kOptedIn))
                restartWall << v.toObject().value("wallMs"_L1).toInteger();
        QVERIFY2(restartWall.at(1) - restartWall.at(0) >= kUnhealthySeconds * 1000,
                 qPrintable(QString::number(restartWall.at(1) - restartWall.at(0))));

        // Audited (a refusal for want of an ARM budget token would be audited too, as a
        // conflict), and in the VM's timeline: requested, then ARM's answer.
        int audited = 0;
        for (const AuditRecord &a : m_store->audit({}, {}, 1000))
            audited += a.action == "app_restart"_L1 && a.actor == "engine"_L1
                    && a.detail.startsWith("ok:"_L1)
                    && a.target.compare(vm(kOptedIn)->resourceKey, Qt::CaseInsensitive) == 0
                ? 1
                : 0;
        QCOMPARE(audited, kRestartsPerHour);
        int requested = 0;
        int accepted = 0;
        for (const EventRecord &e : eventsOf(*m_store, id, EventKind::RestartAttempt)) {
            requested += e.eventType == "app_restart"_L1 && e.eventStatus == "requested"_L1;
            accepted += e.eventType == "app_restart"_L1 && e.eventStatus == "accepted"_L1;
        }
        QCOMPARE(requested, kRestartsPerHour);
        QCOMPARE(accepted, kRestartsPerHour);
        QVERIFY(!m_store->activeJob(id).has_value()); // a restart is not a restart job

        const qint64 other = m_ids.value(kNotOptedIn);
        QVERIFY2(E2eRig::waitFor([&] { return !appAlerts(*m_store, other).isEmpty(); }, 60'000),
                 qPrintable(log()));
        const QList<EventRecord> alerts = appAlerts(*m_store, other);
        QCOMPARE(alerts.size(), 1);
        QVERIFY2(alerts.first().message.contains(u"alert only (not opted in"_s),
                 qPrintable(alerts.first().message));
        QVERIFY(eventsOf(*m_store, other, EventKind::RestartAttempt).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestE2eAppHealth)
#include "tst_e2eapphealth.moc"
