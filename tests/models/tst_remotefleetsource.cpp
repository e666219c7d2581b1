// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RemoteFleetSource against a real listener with its operator API (the spotkeeperd routes) on
// 127.0.0.1 port 0 over a SQLite store holding a demo fleet: the cache equals the store, changes
// arrive as signals, actions and enrollment go through the API, and an unreachable server, a
// bad token and an answer that is not JSON each say so in the status.
#include "http/httpserver.h"
#include "listener/webhooklistener.h"
#include "models/auditmodel.h"
#include "models/eventsmodel.h"
#include "models/fleetfilterproxy.h"
#include "models/fleettablemodel.h"
#include "models/remotefleetsource.h"
#include "support/base/manualclock.h"
#include "support/gui/awaitanswer.h"
#include "support/gui/guitestsupport.h"
#include "support/http/fakehttpserver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

#include <limits>

using namespace spotkeeper;
using namespace spotkeeper::gui;
using namespace Qt::StringLiterals;

class TestRemoteFleetSource final : public QObject
{
    Q_OBJECT
private:
    testsupport::ManualClock m_clock;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<test::RecordingOperations> m_ops;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<core::WebhookListener> m_listener;
    QByteArray m_token;
    QString m_tokenId;

    RemoteSourceOptions options(const QByteArray &token = {}) const
    {
        RemoteSourceOptions o;
        o.baseUrl = QUrl(u"http://127.0.0.1:"_s + QString::number(m_server->serverPort()));
        o.token = token.isEmpty() ? m_token : token;
        o.pollMs = 60'000; // the tests poll explicitly
        o.statusPollMs = 60'000;
        return o;
    }
    static bool poll(RemoteFleetSource &source)
    {
        QSignalSpy done(&source, &RemoteFleetSource::pollFinished);
        source.pollNow();
        if (!done.wait(20'000))
            return false;
        return done.constFirst().constFirst().toBool();
    }
    static inline const QByteArray kAgentCa =
        QByteArrayLiteral("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

    static QList<qint64> ids(const QList<core::EventRecord> &events)
    {
        QList<qint64> out;
        for (const core::EventRecord &e : events)
            out.append(e.id);
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        m_store = test::openStore(u":memory:"_s, &m_clock);
        test::seedDemoFleet(*m_store, m_clock.nowUtc(), {24, 6, 11});
        m_ops = std::make_unique<test::RecordingOperations>(*m_store, m_clock.nowUtc());
        m_server = std::make_unique<http::HttpServer>();
        core::ListenerOptions listenerOptions;
        listenerOptions.agentCaPem =
            kAgentCa; // what spotkeeperd's [tls] agent_ca gives the listener
        m_listener =
            std::make_unique<core::WebhookListener>(*m_store, *m_ops, m_clock, listenerOptions);
        m_listener->attach(*m_server);
        m_listener->setExtraMetricsProvider([] {
            return QByteArrayLiteral(
                "spotkeeper_arm_ratelimit_remaining{counter=\"subscription-reads\"} 249\n"
                "spotkeeper_arm_ratelimit_remaining{counter=\"subscription-writes\"} 1187\n");
        });
        m_listener->setCredentialStatusProvider([] { return u"azure cli: ops@example.com"_s; });
        QString error;
        QVERIFY2(m_server->listen(QHostAddress(QHostAddress::LocalHost), 0, &error),
                 qPrintable(error));
        const auto token = m_listener->tokens().create(u"test"_s, 0, &error);
        QVERIFY2(token, qPrintable(error));
        m_token = token->token.toUtf8();
        m_tokenId = token->tokenId;
    }
    void cleanup()
    {
        m_listener.reset();
        m_server.reset();
        m_ops.reset();
        m_store.reset();
    }

    void cacheEqualsTheServersStore()
    {
        RemoteFleetSource source(options(), m_clock);
        QSignalSpy reset(&source, &FleetSource::fleetReset);
        QVERIFY(poll(source));
        QVERIFY(source.hasLoaded());
        QVERIFY(!reset.isEmpty());
        const QList<core::VmRecord> local = m_store->vms();
        QCOMPARE(source.vms().size(), local.size());
        for (const core::VmRecord &vm : local) {
            const auto remote = source.vm(vm.id);
            QVERIFY(remote);
            QCOMPARE(remote->resourceId, vm.resourceId);
            QCOMPARE(remote->name, vm.name);
            QCOMPARE(remote->location, vm.location);
            QCOMPARE(remote->zone, vm.zone);
            QCOMPARE(remote->size, vm.size);
            QCOMPARE(core::toString(remote->powerState), core::toString(vm.powerState));
            QCOMPARE(remote->autoRestart, vm.autoRestart);
            QCOMPARE(source.activeJob(vm.id).has_value(), m_store->activeJob(vm.id).has_value());
            if (const auto job = m_store->activeJob(vm.id)) {
                QCOMPARE(core::toString(source.activeJob(vm.id)->state),
                         core::toString(job->state));
                QCOMPARE(source.activeJob(vm.id)->attempt, job->attempt);
                QCOMPARE(source.activeJob(vm.id)->nextAttemptAt, job->nextAttemptAt);
            }
        }
        QCOMPARE(source.activeJobs().size(), m_store->activeJobs().size());

        // Event queries answer from the cache exactly as the store does.
        core::EventFilter evictions;
        evictions.kinds = {core::EventKind::Eviction};
        evictions.from = m_clock.nowUtc().addDays(-7);
        evictions.limit = 0;
        QVERIFY(!m_store->events(evictions).isEmpty());
        QCOMPARE(ids(source.events(evictions)), ids(m_store->events(evictions)));
        core::EventFilter newest;
        newest.vmId = local.constFirst().id;
        newest.beforeId = std::numeric_limits<qint64>::max();
        newest.limit = 3;
        QCOMPARE(ids(source.events(newest)), ids(m_store->events(newest)));

        // One VM's job history is fetched on demand and announced with a reset.
        const qint64 withJob = m_store->activeJobs().constFirst().vmId;
        source.jobs(withJob, 10);
        QTRY_VERIFY(reset.size() >= 2);
        QCOMPARE(source.jobs(withJob, 10).size(), m_store->jobs(withJob, 10).size());

        // Status: the server, its listener, credentials and the ARM budget from /metrics.
        const SourceStatus status = source.status();
        QVERIFY(status.connected);
        QVERIFY2(status.description.contains(u"spotkeeperd at http://127.0.0.1:"_s),
                 qPrintable(status.description));
        QSignalSpy statusChanged(&source, &FleetSource::statusChanged);
        source.start();
        QTRY_COMPARE(source.status().armBudgetHeadroom, 249);
        QTRY_VERIFY(source.status().credentialsAvailable);
        QCOMPARE(source.status().credentialSource, u"azure cli"_s);
        QVERIFY(source.status().actionsDisabledReason.isEmpty());
        QVERIFY(source.storePath().isEmpty()); // exports run on the server
    }

    void changesArriveAsSignals()
    {
        RemoteFleetSource source(options(), m_clock);
        QVERIFY(poll(source));
        QSignalSpy vmChanged(&source, &FleetSource::vmChanged);
        QSignalSpy appended(&source, &FleetSource::eventAppended);
        QVERIFY(poll(source)); // nothing changed: no signal
        QCOMPARE(vmChanged.size(), 0);
        QCOMPARE(appended.size(), 0);

        const core::VmRecord vm = m_store->vms().constLast();
        m_clock.advanceMSecs(5000);
        QVERIFY(m_store->setPowerState(vm.id, core::PowerState::Deallocated, m_clock.nowUtc()));
        core::EventRecord notice;
        notice.vmId = vm.id;
        notice.kind = core::EventKind::Notice;
        notice.at = m_clock.nowUtc();
        notice.source = u"agent"_s;
        notice.message = u"Preempt Scheduled"_s;
        const qint64 eventId = m_store->appendEvent(notice);
        QVERIFY(eventId > 0);
        QVERIFY(poll(source));
        QCOMPARE(vmChanged.size(), 1);
        QCOMPARE(vmChanged.constFirst().constFirst().toLongLong(), vm.id);
        QCOMPARE(core::toString(source.vm(vm.id)->powerState), u"deallocated"_s);
        QCOMPARE(appended.size(), 1);
        QCOMPARE(appended.constFirst().constFirst().value<core::EventRecord>().id, eventId);
        QCOMPARE(source.status().lastNoticeAt, notice.at);
    }

    void actionsAndEnrollmentGoThroughTheApi()
    {
        RemoteFleetSource source(options(), m_clock);
        QVERIFY(poll(source));
        const core::VmRecord vm = m_store->vms().constFirst();
        QSignalSpy auditAppended(&source, &FleetSource::auditAppended);
        const int auditBefore = int(source.audit({}, {}, 0).size());
        QVERIFY(source.canOperate());
        using A = OperatorAction;
        // The answer comes by callback, after the call returned: nothing blocks.
        bool answered = false;
        source.operate(A::ForceRestart, vm.id, u"gui:alice"_s,
                       [&answered](const core::OperationResult &result) {
                           QVERIFY(result.ok());
                           answered = true;
                       });
        QVERIFY(!answered);
        QTRY_VERIFY(answered);
        QVERIFY(test::operate(source, A::Pause, vm.id, u"gui:alice"_s).ok());
        QCOMPARE(m_ops->calls.size(), 2);
        QCOMPARE(m_ops->calls.at(0).op, u"force_restart"_s);
        QCOMPARE(m_ops->calls.at(0).vmId, vm.id);
        QCOMPARE(m_ops->calls.at(0).actor, u"api:"_s + m_tokenId); // the server's audit actor
        QCOMPARE(m_ops->calls.at(1).op, u"pause"_s);
        QTRY_VERIFY(!auditAppended.isEmpty());
        QTRY_COMPARE(int(source.audit({}, {}, 0).size()), auditBefore + 2);

        m_ops->failVmId = vm.id;
        const core::OperationResult failed =
            test::operate(source, A::Cancel, vm.id, u"gui:alice"_s);
        QVERIFY(failed.status == core::OperationResult::Status::NotFound);
        QVERIFY2(failed.message.contains(u"no such VM"_s), qPrintable(failed.message));
        QVERIFY(test::operate(source, A::ForceRestart, 999'999, u"gui:alice"_s).status
                == core::OperationResult::Status::NotFound);

        const EnrollResult key = test::enroll(source, vm, u"gui:alice"_s);
        QVERIFY2(key.ok, qPrintable(key.error));
        QCOMPARE(key.secret.size(), 32);
        QCOMPARE(key.endpoint, options().baseUrl.toString());
        QCOMPARE(key.caCertificate, kAgentCa); // the snippet installs it as the agent's ca-file
        const auto stored = m_store->agentKey(key.keyId);
        QVERIFY(stored);
        QCOMPARE(stored->vmResourceKey, vm.resourceKey);
    }

    // An action answered while a poll is under way (that poll may have read the fleet before
    // the change): the source polls again at once, so the VM shows the change without
    // waiting for the next poll interval.
    void actionDuringAPollIsShownAtOnce()
    {
        RemoteFleetSource source(options(), m_clock); // polls only when asked (60 s)
        QVERIFY(poll(source));
        qint64 running = 0;
        for (const core::VmRecord &vm : m_store->vms()) {
            if (!running && vm.desiredState == core::DesiredState::Running)
                running = vm.id;
        }
        QVERIFY(running != 0);
        QSignalSpy polls(&source, &RemoteFleetSource::pollFinished);
        source.pollNow(); // under way when the action's answer arrives
        const core::OperationResult result =
            test::operate(source, OperatorAction::StopOnPurpose, running, u"gui:alice"_s);
        QVERIFY2(result.ok(), qPrintable(result.message));
        QTRY_VERIFY(source.vm(running)->desiredState == core::DesiredState::Stopped);
        QCOMPARE(source.vm(running)->stoppedBy, u"api:"_s + m_tokenId);
        // The one under way, and the one the answer asked for (no timer polls in this test).
        QTRY_VERIFY(polls.size() >= 2);
    }

    void modelsOverTheRemoteSourcePassTheTester()
    {
        RemoteFleetSource source(options(), m_clock);
        FleetTableModel fleet(source, m_clock);
        QAbstractItemModelTester fleetTester(
            &fleet, QAbstractItemModelTester::FailureReportingMode::QtTest);
        FleetFilterProxy proxy;
        proxy.setSourceModel(&fleet);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AuditModel audit(source);
        QAbstractItemModelTester auditTester(
            &audit, QAbstractItemModelTester::FailureReportingMode::QtTest);
        audit.setRange(m_clock.nowUtc().addDays(-30), m_clock.nowUtc().addDays(1));
        EventsModel events(source);
        QAbstractItemModelTester eventsTester(
            &events, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(fleet.rowCount(), 0);
        QVERIFY(poll(source));
        QTRY_COMPARE(fleet.rowCount(), int(m_store->vms().size()));
        const core::VmRecord vm = m_store->vms().constFirst();
        events.setFilter(vm.id, {}, {});
        while (events.canFetchMore({}))
            events.fetchMore({});
        core::EventFilter ofVm;
        ofVm.vmId = vm.id;
        QCOMPARE(events.rowCount(), int(m_store->eventCount(ofVm)));
        QVERIFY(events.rowCount() > 0);
        QVERIFY(test::operate(source, OperatorAction::Resume, vm.id, u"gui:bob"_s).ok());
        QTRY_VERIFY(audit.rowCount() > 0);
        m_clock.advanceMSecs(1000);
        m_store->setPowerState(vm.id, core::PowerState::Running, m_clock.nowUtc());
        QVERIFY(poll(source));
        fleet.flushPendingChanges();
    }

    void unauthorizedTokenIsReported()
    {
        RemoteFleetSource source(options("skop_wrong"), m_clock);
        QVERIFY(!poll(source));
        const SourceStatus status = source.status();
        QVERIFY(!status.connected);
        QVERIFY2(status.connectionProblem.contains(u"401"_s), qPrintable(status.connectionProblem));
        QVERIFY(!status.connectionProblem.contains(u"skop_wrong"_s)); // never the token
        QCOMPARE(status.actionsDisabledReason, status.connectionProblem);
        QVERIFY(source.vms().isEmpty());
        const core::OperationResult result = test::awaitAnswer<core::OperationResult>(
            [&](OperationDone done) { source.addVm(u"/x"_s, u"gui"_s, std::move(done)); });
        QVERIFY(!result.ok());
    }

    void unreachableServerIsReported()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress(QHostAddress::LocalHost), 0));
        RemoteSourceOptions o = options();
        o.baseUrl.setPort(closed.serverPort());
        closed.close(); // nothing listens there now
        RemoteFleetSource source(o, m_clock);
        QVERIFY(!poll(source));
        QVERIFY2(source.status().connectionProblem.contains(u"unreachable"_s),
                 qPrintable(source.status().connectionProblem));
        // The cache of a source that had loaded survives a server that goes away.
        RemoteFleetSource loaded(options(), m_clock);
        QVERIFY(poll(loaded));
        const qsizetype vms = loaded.vms().size();
        m_server->close();
        m_listener.reset();
        m_server.reset();
        QVERIFY(!poll(loaded));
        QCOMPARE(loaded.vms().size(), vms);
        QVERIFY(!loaded.status().connected);
    }

    void badJsonIsReported()
    {
        testsupport::FakeHttpServer fake;
        QVERIFY(fake.start());
        fake.route("GET", "/api/v1/vms").respond(200, "<html>not json</html>");
        RemoteSourceOptions o = options();
        o.baseUrl = fake.baseUrl();
        RemoteFleetSource source(o, m_clock);
        QVERIFY(!poll(source));
        QVERIFY2(source.status().connectionProblem.contains(u"not a JSON object"_s),
                 qPrintable(source.status().connectionProblem));
        fake.clearRoutes();
        fake.route("GET", "/api/v1/vms").respond(200, R"({"fleet": []})");
        QVERIFY(!poll(source));
        QVERIFY2(source.status().connectionProblem.contains(u"expected fields"_s),
                 qPrintable(source.status().connectionProblem));
    }

    void optionsAreChecked()
    {
        RemoteSourceOptions o = options();
        QVERIFY(RemoteFleetSource::checkOptions(o).isEmpty());
        o.baseUrl = QUrl(u"ftp://example.invalid"_s);
        QVERIFY(RemoteFleetSource::checkOptions(o).contains(u"https://"_s));
        o.baseUrl = QUrl(u"not a url"_s);
        QVERIFY(!RemoteFleetSource::checkOptions(o).isEmpty());
        // http:// would carry the operator token in clear: only to a loopback host.
        for (const char *url : {"http://spotkeeperd.example.net:8443", "http://10.0.0.5:8443",
                                "http://192.0.2.1", "http://[2001:db8::1]:8443"}) {
            o.baseUrl = QUrl(QString::fromLatin1(url));
            QVERIFY2(RemoteFleetSource::checkOptions(o).contains(u"in clear"_s), url);
            QVERIFY2(!RemoteFleetSource::checkUrl(o.baseUrl).isEmpty(), url);
        }
        for (const char *url : {"http://127.0.0.1:8443", "http://localhost:8443",
                                "http://[::1]:8443", "https://spotkeeperd.example.net:8443"}) {
            o.baseUrl = QUrl(QString::fromLatin1(url));
            QVERIFY2(RemoteFleetSource::checkOptions(o).isEmpty(), url);
        }
        o = options();
        o.token.clear();
        QVERIFY(RemoteFleetSource::checkOptions(o).contains(u"token"_s));
        o = options();
        o.caFile = QStringLiteral(SPOTKEEPER_TEST_DATA "/does-not-exist.pem");
        QVERIFY(RemoteFleetSource::checkOptions(o).contains(u"CA file"_s));
    }
};

QTEST_MAIN(TestRemoteFleetSource)
#include "tst_remotefleetsource.moc"
