// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/activejobsproxy.h"
#include "models/apptranslations.h"
#include "models/auditmodel.h"
#include "models/chartmodel.h"
#include "models/cloudname.h"
#include "models/eventsmodel.h"
#include "models/fleetfilterproxy.h"
#include "models/fleettablemodel.h"
#include "models/localfleetsource.h"
#include "models/notificationcenter.h"
#include "support/base/manualclock.h"
#include "support/gui/guitestsupport.h"
#include "support/gui/otherclouds.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;

class TestFleetModels : public QObject
{
    Q_OBJECT
private:
    testsupport::ManualClock m_clock;
    std::unique_ptr<core::Store> m_store;
    std::unique_ptr<LocalFleetSource> m_source;

    qint64 vmIdByName(const QString &name)
    {
        for (const core::VmRecord &vm : m_store->vms()) {
            if (vm.name == name)
                return vm.id;
        }
        return 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCOMPARE(installTranslations(QStringLiteral("en")), QStringLiteral("en"));
    }
    void init()
    {
        m_store = test::openStore(QStringLiteral(":memory:"), &m_clock);
        test::seedDemoFleet(*m_store, m_clock.nowUtc(), {48, 4, 7});
        m_source = std::make_unique<LocalFleetSource>(*m_store, nullptr, m_clock);
    }
    void cleanup()
    {
        m_source.reset();
        m_store.reset();
    }

    void fleetModelPassesTester()
    {
        FleetTableModel model(*m_source, m_clock);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 48);
        QCOMPARE(model.columnCount(), int(FleetTableModel::ColumnCount));
        FleetFilterProxy proxy;
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(FleetTableModel::LastEviction, Qt::DescendingOrder);
        // Changes flow through both models without tripping the testers.
        const qint64 id = vmIdByName(QStringLiteral("batch-001"));
        m_store->setPowerState(id, core::PowerState::Deallocated, m_clock.nowUtc());
        m_source->notifyVmChanged(id);
        model.flushPendingChanges();
        model.reload();
    }

    // Issue 15: the Cloud column says each VM's cloud (from its id), and the free-text filter
    // finds Google Cloud VMs by it.
    void cloudColumnNamesEachVmsCloud()
    {
        core::VmRecord gcp;
        gcp.resourceId = QStringLiteral("projects/spot-fleet-1/zones/europe-west1-b/instances/w-7");
        gcp.resourceKey = gcp.resourceId;
        gcp.subscriptionId = QStringLiteral("spot-fleet-1");
        gcp.name = QStringLiteral("w-7");
        const qint64 id = m_store->upsertVm(gcp);
        QVERIFY(id > 0);
        FleetTableModel model(*m_source, m_clock);
        QCOMPARE(
            model.headerData(FleetTableModel::Cloud, Qt::Horizontal, Qt::DisplayRole).toString(),
            QStringLiteral("Cloud"));
        const QModelIndex google = model.index(model.rowOfVm(id), FleetTableModel::Cloud);
        QCOMPARE(google.data().toString(), QStringLiteral("Google Cloud"));
        const QModelIndex azure = model.index(
            model.rowOfVm(vmIdByName(QStringLiteral("batch-001"))), FleetTableModel::Cloud);
        QCOMPARE(azure.data().toString(), QStringLiteral("Azure"));
        QVERIFY(google.siblingAtColumn(0)
                    .data(FleetTableModel::SearchTextRole)
                    .toString()
                    .contains(QStringLiteral("google cloud")));
        // Issue 16: an EC2 instance, filed under its ARN, reads AWS.
        core::VmRecord ec2;
        ec2.resourceId =
            QStringLiteral("arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0");
        ec2.resourceKey = ec2.resourceId;
        ec2.subscriptionId = QStringLiteral("arn:aws:ec2:eu-west-1:123456789012");
        ec2.name = QStringLiteral("worker-1");
        const qint64 awsId = m_store->upsertVm(ec2);
        QVERIFY(awsId > 0);
        model.reload();
        const QModelIndex aws = model.index(model.rowOfVm(awsId), FleetTableModel::Cloud);
        QCOMPARE(aws.data().toString(), QStringLiteral("AWS"));
        QVERIFY(aws.siblingAtColumn(0)
                    .data(FleetTableModel::SearchTextRole)
                    .toString()
                    .contains(QStringLiteral("aws")));
    }

    QList<qint64> addOtherClouds(int gcpEvictions, int awsEvictions)
    {
        return test::seedOtherClouds(*m_store, m_clock.nowUtc(), gcpEvictions, awsEvictions);
    }

    // Issues 15/16: the fleet's Cloud filter keeps one cloud's VMs.
    void cloudFilterKeepsOneCloud()
    {
        const QList<qint64> ids = addOtherClouds(0, 0);
        FleetTableModel model(*m_source, m_clock);
        FleetFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.rowCount(), 50);
        QCOMPARE(cloudName(core::Cloud::Gcp), QStringLiteral("Google Cloud"));
        proxy.setCloud(core::Cloud::Gcp);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(FleetTableModel::VmIdRole).toLongLong(), ids.at(0));
        proxy.setCloud(core::Cloud::Aws);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, FleetTableModel::Cloud).data().toString(), QStringLiteral("AWS"));
        proxy.setCloud(core::Cloud::Azure);
        QCOMPARE(proxy.rowCount(), 48);
        for (int r = 0; r < proxy.rowCount(); ++r)
            QCOMPARE(proxy.index(r, FleetTableModel::Cloud).data().toString(),
                     QStringLiteral("Azure"));
        // With the other filters: one cloud and a free-text term.
        proxy.setFilterText(QStringLiteral("gce"));
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setCloud(std::nullopt);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterText({});
        QCOMPARE(proxy.rowCount(), 50);
    }

    // Issues 15/16: the charts per cloud, as a series (stack by cloud) and as a filter that
    // applies to all three charts.
    void chartsPerCloud()
    {
        addOtherClouds(3, 2);
        FleetCharts charts(*m_source, m_clock);
        charts.setRange(m_clock.nowUtc().addDays(-1), m_clock.nowUtc().addSecs(1));
        const int all = charts.evictions()->total();
        const int allRecovered = charts.recovery()->total();
        const int allJobs = charts.outcomes()->total();
        charts.setGroupBy(buckets::GroupBy::Cloud);
        const QStringList series = charts.evictions()->seriesNames();
        QVERIFY2(series.contains(QStringLiteral("Google Cloud"))
                     && series.contains(QStringLiteral("AWS")),
                 qPrintable(series.join(u',')));
        const auto seriesTotal = [&charts](const QString &name) {
            const int s = int(charts.evictions()->seriesNames().indexOf(name));
            int sum = 0;
            for (int c = 0; s >= 0 && c < charts.evictions()->categories().size(); ++c)
                sum += charts.evictions()->value(s, c);
            return sum;
        };
        QCOMPARE(seriesTotal(QStringLiteral("Google Cloud")), 3);
        QCOMPARE(seriesTotal(QStringLiteral("AWS")), 2);
        QCOMPARE(seriesTotal(QStringLiteral("Azure")), all - 5);
        QCOMPARE(charts.evictions()->total(), all);

        charts.setCloud(core::Cloud::Gcp);
        QCOMPARE(charts.evictions()->total(), 3);
        QCOMPARE(charts.evictions()->seriesNames(), QStringList {QStringLiteral("Google Cloud")});
        QCOMPARE(charts.recovery()->total(), 1); // its one recovered job
        QCOMPARE(charts.outcomes()->total(), 1);
        charts.setCloud(core::Cloud::Aws);
        QCOMPARE(charts.evictions()->total(), 2);
        QCOMPARE(charts.outcomes()->total(), 1);
        charts.setCloud(core::Cloud::Azure);
        QCOMPARE(charts.evictions()->total(), all - 5);
        QCOMPARE(charts.recovery()->total(), allRecovered - 2);
        QCOMPARE(charts.outcomes()->total(), allJobs - 2);
        charts.setCloud(std::nullopt);
        QCOMPARE(charts.evictions()->total(), all);
    }

    // The Retries panel's rows: exactly the VMs with an active restart job.
    void activeJobsProxyKeepsRowsWithAJob()
    {
        FleetTableModel model(*m_source, m_clock);
        ActiveJobsProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        const QList<core::JobRecord> jobs = m_store->activeJobs();
        QVERIFY(!jobs.isEmpty());
        QCOMPARE(proxy.rowCount(), int(jobs.size()));
        QSet<qint64> shown;
        for (int r = 0; r < proxy.rowCount(); ++r)
            shown.insert(proxy.index(r, 0).data(FleetTableModel::VmIdRole).toLongLong());
        for (const core::JobRecord &job : jobs)
            QVERIFY(shown.contains(job.vmId));
    }

    void statusHasColourIconAndText()
    {
        FleetTableModel model(*m_source, m_clock);
        bool sawProblem = false;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QModelIndex idx = model.index(r, FleetTableModel::Status);
            QVERIFY(!idx.data(Qt::DisplayRole).toString().isEmpty());
            QVERIFY(idx.data(Qt::ForegroundRole).isValid());
            QVERIFY(idx.data(Qt::DecorationRole).isValid());
            sawProblem |= idx.data(FleetTableModel::ProblemRole).toBool();
        }
        QVERIFY(sawProblem);
        // Last eviction: relative text, exact UTC in the tooltip.
        const int r = model.rowOfVm(vmIdByName(QStringLiteral("train-004")));
        const QModelIndex ev = model.index(r, FleetTableModel::LastEviction);
        QVERIFY(ev.data(Qt::DisplayRole).toString().contains(QLatin1StringView("ago")));
        QVERIFY(QDateTime::fromString(ev.data(Qt::ToolTipRole).toString(), Qt::ISODate).isValid());
    }

    void filtersAndFacets()
    {
        FleetTableModel model(*m_source, m_clock);
        FleetFilterProxy proxy;
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.rowCount(), 48);
        proxy.setFilterText(QStringLiteral("RENDER"));
        QCOMPARE(proxy.rowCount(), 12);
        proxy.setFilterText(QStringLiteral("render 002"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterText(QStringLiteral("no-such-vm"));
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setFilterText(QString());

        proxy.setRegionFacet({QStringLiteral("eastus")});
        int eastus = 0;
        for (const core::VmRecord &vm : m_store->vms())
            eastus += vm.location == QLatin1StringView("eastus") ? 1 : 0;
        QCOMPARE(proxy.rowCount(), eastus);
        proxy.setResourceGroupFacet({QStringLiteral("rg-batch")});
        for (int r = 0; r < proxy.rowCount(); ++r) {
            QCOMPARE(proxy.index(r, 0).data(FleetTableModel::RegionRole).toString(),
                     QStringLiteral("eastus"));
            QCOMPARE(proxy.index(r, 0).data(FleetTableModel::ResourceGroupRole).toString(),
                     QStringLiteral("rg-batch"));
        }
        proxy.setRegionFacet({});
        proxy.setResourceGroupFacet({});

        proxy.setHealthFacet({Health::NeedsOperator});
        QVERIFY(proxy.rowCount() > 0);
        for (int r = 0; r < proxy.rowCount(); ++r)
            QCOMPARE(proxy.index(r, 0).data(FleetTableModel::HealthRole).toInt(),
                     int(Health::NeedsOperator));
        proxy.setHealthFacet({});

        proxy.setOnlyProblems(true);
        const int problems = proxy.rowCount();
        QVERIFY(problems > 0 && problems < 48);
        for (int r = 0; r < proxy.rowCount(); ++r)
            QVERIFY(proxy.index(r, 0).data(FleetTableModel::ProblemRole).toBool());
        QCOMPARE(model.distinctValues(FleetTableModel::RegionRole).size(), 4);
    }

    void coalescedUpdates()
    {
        FleetTableModel model(*m_source, m_clock);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // 200 state changes across the 48 VMs within one tick...
        const QList<core::VmRecord> vms = m_store->vms();
        for (int i = 0; i < 200; ++i) {
            const core::VmRecord &vm = vms.at(i % vms.size());
            m_store->setPowerState(
                vm.id, i % 2 != 0 ? core::PowerState::Running : core::PowerState::Deallocating,
                m_clock.nowUtc());
            m_source->notifyVmChanged(vm.id);
            m_source->notifyJobChanged(vm.id);
        }
        QCOMPARE(changed.size(), 0); // nothing before the tick
        QCOMPARE(model.pendingChangeCount(), 48);
        model.flushPendingChanges();
        // ...every row changed, rows are contiguous: exactly one dataChanged.
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 47);

        // Two separate ranges -> two emissions, whatever the number of changes in them.
        changed.clear();
        for (int rep = 0; rep < 10; ++rep) {
            for (int r : {2, 3, 4, 20, 21}) {
                m_source->notifyVmChanged(model.rowAt(r)->vm.id);
            }
        }
        model.flushPendingChanges();
        QCOMPARE(changed.size(), 2);
        // The change is visible after the flush.
        const int row = model.rowOfVm(vms.at(1).id);
        QVERIFY(model.rowAt(row)->vm.powerState == core::PowerState::Running);

        // The tick timer flushes by itself.
        changed.clear();
        model.setTickInterval(10);
        m_source->notifyVmChanged(vms.at(5).id);
        QTRY_COMPARE(changed.size(), 1);
    }

    void newVmsAreInsertedAndEvictionsCounted()
    {
        FleetTableModel model(*m_source, m_clock);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        core::VmRecord vm;
        vm.name = QStringLiteral("new-vm");
        vm.resourceId = QStringLiteral("/subscriptions/s/resourceGroups/rg-new/providers/"
                                       "Microsoft.Compute/virtualMachines/new-vm");
        vm.resourceKey = vm.resourceId.toLower();
        vm.resourceGroup = QStringLiteral("rg-new");
        vm.location = QStringLiteral("eastus");
        vm.powerState = core::PowerState::Running;
        vm.id = m_store->upsertVm(vm);
        m_source->notifyVmChanged(vm.id);
        model.flushPendingChanges();
        QCOMPARE(model.rowCount(), 49);
        const int row = model.rowOfVm(vm.id);
        QCOMPARE(model.index(row, FleetTableModel::Evictions24h).data().toInt(), 0);

        core::EventRecord ev;
        ev.vmId = vm.id;
        ev.kind = core::EventKind::Eviction;
        ev.at = m_clock.nowUtc().addSecs(-60);
        ev.id = m_store->appendEvent(ev);
        m_source->notifyEventAppended(ev);
        model.flushPendingChanges();
        QCOMPARE(model.index(row, FleetTableModel::Evictions24h).data().toInt(), 1);
        QCOMPARE(model.index(row, FleetTableModel::Evictions7d).data().toInt(), 1);
        QCOMPARE(
            model.index(row, FleetTableModel::Status).data(FleetTableModel::HealthRole).toInt(),
            int(Health::Recovered));
        // A day later it no longer counts for 24 h, and the VM is plainly running.
        m_clock.advanceMSecs(25LL * 3600 * 1000);
        for (int i = 0; i < 60; ++i)
            model.tickClock();
        QCOMPARE(model.index(row, FleetTableModel::Evictions24h).data().toInt(), 0);
        QCOMPARE(
            model.index(row, FleetTableModel::Status).data(FleetTableModel::HealthRole).toInt(),
            int(Health::Healthy));
    }

    void eventsModelPagesLazily()
    {
        EventsModel model(*m_source);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(25);
        model.setFilter(0, {}, {});
        if (model.rowCount() == 0) // the tester may already have fetched the first page
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 25);
        QVERIFY(model.canFetchMore({}));
        // Newest first: descending ids.
        QVERIFY(model.eventAt(0)->id > model.eventAt(24)->id);
        while (model.canFetchMore({}))
            model.fetchMore({});
        core::EventFilter all;
        all.limit = 100000;
        QCOMPARE(model.rowCount(), int(m_store->events(all).size()));

        // One VM's attempts only; a new attempt appears on top live.
        const qint64 id = vmIdByName(QStringLiteral("train-004"));
        model.setFilter(id, {}, {}, {core::EventKind::RestartAttempt});
        model.fetchMore({});
        const int before = model.rowCount();
        QVERIFY(before >= 1);
        QCOMPARE(model.index(0, EventsModel::HttpStatus).data().toInt(), 409);
        QCOMPARE(model.index(0, EventsModel::ArmError).data().toString(),
                 QStringLiteral("ZonalAllocationFailed"));
        core::EventRecord ev;
        ev.vmId = id;
        ev.kind = core::EventKind::RestartAttempt;
        ev.at = m_clock.nowUtc();
        ev.httpStatus = 202;
        ev.id = m_store->appendEvent(ev);
        m_source->notifyEventAppended(ev);
        QCOMPARE(model.rowCount(), before + 1);
        QCOMPARE(model.index(0, EventsModel::HttpStatus).data().toInt(), 202);
        ev.kind = core::EventKind::Heartbeat; // filtered out
        ev.id = m_store->appendEvent(ev);
        m_source->notifyEventAppended(ev);
        QCOMPARE(model.rowCount(), before + 1);
    }

    void auditModel()
    {
        AuditModel model(*m_source);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRange(m_clock.nowUtc().addDays(-1), m_clock.nowUtc().addSecs(1));
        QCOMPARE(model.rowCount(), 0);
        m_store->appendAudit({0, m_clock.nowUtc(), QStringLiteral("gui:alice"),
                              QStringLiteral("pause"), QStringLiteral("vm"), QString()});
        m_store->appendAudit({0, m_clock.nowUtc().addSecs(-5), QStringLiteral("gui:bob"),
                              QStringLiteral("force_restart"), QStringLiteral("vm"), QString()});
        m_source->notifyAuditAppended(); // as the engine's action announces its audit row
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, AuditModel::Actor).data().toString(), QStringLiteral("gui:alice"));
        QCOMPARE(model.index(1, AuditModel::Action).data().toString(),
                 AuditModel::actionText(QStringLiteral("force_restart")));
    }

    void chartModels()
    {
        FleetCharts charts(*m_source, m_clock);
        QAbstractItemModelTester t1(charts.evictions(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(charts.recovery(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(charts.outcomes(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        charts.setRange(m_clock.nowUtc().addDays(-30), m_clock.nowUtc());
        core::EventFilter f;
        f.kinds = {core::EventKind::Eviction};
        f.from = m_clock.nowUtc().addDays(-30);
        f.to = m_clock.nowUtc();
        f.limit = 100000;
        QCOMPARE(charts.evictions()->total(), int(m_store->events(f).size()));
        QCOMPARE(charts.evictions()->rowCount(), 31); // daily buckets, aligned to midnight
        QVERIFY(charts.recovery()->total() > 0);
        QVERIFY(charts.outcomes()->total() >= charts.recovery()->total());
        charts.setGroupBy(buckets::GroupBy::ResourceGroup);
        QCOMPARE(charts.evictions()->seriesNames().size(), 4);
        QVERIFY(charts.evictions()->seriesNames().contains(QStringLiteral("rg-render")));
    }

    // Evictions in [from, to) straight from the store, to compare the charts with.
    int storedEvictions(const QDateTime &from, const QDateTime &to)
    {
        core::EventFilter f;
        f.kinds = {core::EventKind::Eviction};
        f.from = from;
        f.to = to;
        return int(m_store->eventCount(f));
    }

    void relativeRangeFollowsTheClock()
    {
        FleetCharts charts(*m_source, m_clock);
        QSignalSpy reloaded(&charts, &FleetCharts::reloaded);
        charts.setRelativeRange(qint64(24) * 3600);
        QVERIFY(charts.followsClock());
        const int atStart = charts.evictions()->total();
        QCOMPARE(atStart, storedEvictions(charts.from(), charts.to()));

        // Ten minutes after start, a VM is evicted: the chart (redrawn after its 2 s
        // throttle) counts it in the last bucket.
        m_clock.advanceMSecs(qint64(10) * 60 * 1000);
        core::EventRecord ev;
        ev.vmId = vmIdByName(QStringLiteral("train-004"));
        ev.kind = core::EventKind::Eviction;
        ev.at = m_clock.nowUtc();
        ev.id = m_store->appendEvent(ev);
        reloaded.clear();
        m_source->notifyEventAppended(ev);
        QVERIFY(reloaded.wait(20'000));
        QVERIFY(charts.to() > ev.at);
        QCOMPARE(charts.evictions()->total(), storedEvictions(charts.from(), charts.to()));
        const ChartModel &model = *charts.evictions();
        const int last = model.rowCount() - 1;
        int lastBucket = 0;
        for (int s = 0; s < model.seriesNames().size(); ++s)
            lastBucket += model.value(s, last);
        QVERIFY(lastBucket >= 1);
        QVERIFY(model.bucketStarts().constLast() <= ev.at);

        // A day later, with nothing new, it has left the last 24 hours.
        m_clock.advanceMSecs(25LL * 3600 * 1000);
        charts.reload(); // what the follow timer does every minute
        QCOMPARE(charts.evictions()->total(), storedEvictions(charts.from(), charts.to()));
        QCOMPARE(charts.evictions()->total(), 0);

        // An absolute range stays put: a later eviction is outside it.
        const QDateTime end = m_clock.nowUtc();
        charts.setRange(end.addDays(-2), end);
        QVERIFY(!charts.followsClock());
        const int fixed = charts.evictions()->total();
        QCOMPARE(fixed, storedEvictions(end.addDays(-2), end));
        QVERIFY(fixed >= 1);
        m_clock.advanceMSecs(qint64(60) * 1000);
        ev.at = m_clock.nowUtc();
        ev.id = m_store->appendEvent(ev);
        m_source->notifyEventAppended(ev);
        charts.reload();
        QCOMPARE(charts.to(), end);
        QCOMPARE(charts.evictions()->total(), fixed);
    }

    void notificationsAreGroupedAndSnoozed()
    {
        NotificationCenter center(*m_source, m_clock);
        QAbstractItemModelTester tester(&center,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy spy(&center, &NotificationCenter::notify);
        QList<core::VmRecord> eastus;
        for (const core::VmRecord &vm : m_store->vms()) {
            if (vm.location == QLatin1StringView("eastus"))
                eastus.append(vm);
        }
        QVERIFY(eastus.size() >= 6);
        center.snoozeVm(eastus.at(0).id, m_clock.nowUtc().addSecs(3600));
        for (const core::VmRecord &vm : eastus.mid(0, 6)) {
            core::EventRecord ev;
            ev.vmId = vm.id;
            ev.kind = core::EventKind::Eviction;
            ev.at = m_clock.nowUtc();
            m_source->notifyEventAppended(ev);
        }
        center.flush();
        QCOMPARE(spy.size(), 1);
        const auto n = spy.at(0).at(0).value<Notification>();
        QCOMPARE(n.vmIds.size(), 5); // the snoozed VM is left out
        QCOMPARE(n.title(), QStringLiteral("5 VMs evicted in eastus"));
        QCOMPARE(center.rowCount(), 1);

        // Issue 17: a silent agent's alert is not a "still down" (the VM runs).
        core::EventRecord silent;
        silent.vmId = eastus.at(2).id;
        silent.kind = core::EventKind::Alert;
        silent.eventType = QStringLiteral("agent_silent");
        m_source->notifyEventAppended(silent);
        center.flush();
        QCOMPARE(spy.size(), 2);
        QCOMPARE(spy.at(1).at(0).value<Notification>().title(),
                 QStringLiteral("1 running VM with a silent agent in eastus"));

        // A snoozed resource group stays quiet until the snooze ends.
        center.snoozeResourceGroup(eastus.at(1).resourceGroup.toUpper(),
                                   m_clock.nowUtc().addSecs(60));
        QVERIFY(center.isSnoozed(eastus.at(1)));
        m_clock.advanceMSecs(qint64(61) * 1000);
        QVERIFY(!center.isSnoozed(eastus.at(1)));
    }
};

QTEST_MAIN(TestFleetModels)
#include "tst_fleetmodels.moc"
