// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 17: which events are news for operators, what each notification says, templates.
#include "notify/notification.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace spotkeeper::core;
using namespace Qt::StringLiterals;

namespace {

VmRecord vm()
{
    VmRecord v;
    v.id = 7;
    v.name = u"web-1"_s;
    v.resourceId = u"/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/"
                   "virtualMachines/web-1"_s;
    v.subscriptionId = u"sub-1"_s;
    v.resourceGroup = u"rg"_s;
    v.location = u"westeurope"_s;
    v.size = u"Standard_D2s_v5"_s;
    return v;
}

EventRecord makeEvent(EventKind kind, const QString &message, const QString &type = {})
{
    EventRecord e;
    e.id = 42;
    e.vmId = 7;
    e.kind = kind;
    e.at = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
    e.message = message;
    e.eventType = type;
    return e;
}

} // namespace

class TestNotification : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eventsThatAreNews_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("expected"); // notification kind, empty = not news
        QTest::addColumn<QString>("title");
        QTest::newRow("eviction") << int(EventKind::Eviction) << u"Preempt"_s << QString()
                                  << u"eviction"_s << u"Spot VM web-1 evicted"_s;
        QTest::newRow("restarted")
            << int(EventKind::JobTransition) << u"starting -> running: power state running"_s
            << u"restarted"_s << u"restarted"_s << u"VM web-1 restarted"_s;
        // A successful start is a restart attempt event: its kind is no transition.
        QTest::newRow("restarted by a start")
            << int(EventKind::RestartAttempt) << u"start attempt 1 succeeded"_s << u"restarted"_s
            << u"restarted"_s << u"VM web-1 restarted"_s;
        QTest::newRow("needs operator")
            << int(EventKind::JobTransition)
            << u"backing_off -> needs_operator: quota exceeded in westeurope"_s
            << u"needs_operator"_s << u"needs_operator"_s << u"VM web-1 needs an operator"_s;
        QTest::newRow("needs operator after a start")
            << int(EventKind::RestartAttempt)
            << u"starting -> needs_operator: starting the VM: 409 OperationNotAllowed"_s
            << u"needs_operator"_s << u"needs_operator"_s << u"VM web-1 needs an operator"_s;
        QTest::newRow("stopped on purpose")
            << int(EventKind::PowerChange)
            << u"Stopped on purpose by alice (deallocate); desired state is now stopped"_s
            << u"stopped"_s << u"stopped"_s << u"VM web-1 stopped on purpose"_s;
        QTest::newRow("still down")
            << int(EventKind::Alert) << u"still down after 15 min"_s << u"still_down"_s
            << u"still_down"_s << u"VM web-1 still down"_s;
        QTest::newRow("agent silent")
            << int(EventKind::Alert) << u"agent silent for 3 min"_s << u"agent_silent"_s
            << u"agent_silent"_s << u"Agent of web-1 silent (VM running)"_s;
        QTest::newRow("capacity") << int(
            EventKind::Alert) << u"capacity errors for Standard_D2s_v5 in westeurope for 31 min"_s
                                  << u"capacity"_s << u"capacity"_s
                                  << u"Capacity errors for Standard_D2s_v5 in westeurope"_s;
        // The kind is what the engine recorded, never guessed from the text.
        QTest::newRow("transition text without a type")
            << int(EventKind::JobTransition) << u"starting -> running"_s << QString() << QString()
            << QString();
        QTest::newRow("an operator's alert is no still-down")
            << int(EventKind::Alert)
            << u"Stop on purpose by alice: the deallocation failed: throttled"_s << QString()
            << QString() << QString();
        QTest::newRow("application unhealthy")
            << int(EventKind::Alert) << u"application unhealthy for 5 min on a running VM"_s
            << u"app_unhealthy"_s << u"app_unhealthy"_s
            << u"Application on web-1 unhealthy (VM running)"_s;
        QTest::newRow("application health in the timeline")
            << int(EventKind::Heartbeat) << u"application unhealthy: HTTP 503 (http probe, 3 ms)"_s
            << u"app_health"_s << QString() << QString();
        QTest::newRow("other transition")
            << int(EventKind::JobTransition) << u"waiting_for_deallocation -> starting"_s
            << QString() << QString() << QString();
        QTest::newRow("power change") << int(EventKind::PowerChange) << u"running -> deallocated"_s
                                      << QString() << QString() << QString();
        QTest::newRow("notice") << int(EventKind::Notice) << u"Preempt"_s << u"Preempt"_s
                                << QString() << QString();
        QTest::newRow("heartbeat") << int(EventKind::Heartbeat) << u"agent_resumed"_s
                                   << u"agent_resumed"_s << QString() << QString();
    }

    void eventsThatAreNews()
    {
        QFETCH(int, kind);
        QFETCH(QString, message);
        QFETCH(QString, type);
        QFETCH(QString, expected);
        QFETCH(QString, title);
        const auto n =
            notificationFor(makeEvent(static_cast<EventKind>(kind), message, type), vm());
        QCOMPARE(n.has_value(), !expected.isEmpty());
        if (!n)
            return;
        QCOMPARE(n->kind, expected);
        QCOMPARE(n->key, u"evt_42"_s);
        QCOMPARE(n->facts.value(u"title"_s).toString(), title);
        QCOMPARE(n->facts.value(u"region"_s).toString(), u"westeurope"_s);
        QCOMPARE(n->subscriptionId, u"sub-1"_s);
    }

    void restartCarriesItsDowntimeAndNeedsOperatorItsReason()
    {
        const EventRecord running =
            makeEvent(EventKind::RestartAttempt, u"start attempt 2 succeeded"_s, u"restarted"_s);
        JobRecord job;
        job.createdAt = running.at.addSecs(-700);
        job.evictedAt = running.at.addSecs(-754);
        const auto restarted = notificationFor(running, vm(), &job);
        QVERIFY(restarted);
        QCOMPARE(restarted->facts.value(u"downtimeSeconds"_s).toInt(), 754);
        QCOMPARE(restarted->facts.value(u"text"_s).toString(),
                 u"running again after 12 min down"_s);
        job.reason = u"quota exceeded"_s;
        const auto stuck = notificationFor(
            makeEvent(EventKind::JobTransition, u"backing_off -> needs_operator: quota exceeded"_s,
                      u"needs_operator"_s),
            vm(), &job);
        QCOMPARE(stuck->facts.value(u"reason"_s).toString(), u"quota exceeded"_s);
    }

    void routesByKindSubscriptionAndTag_data()
    {
        QTest::addColumn<QStringList>("events");
        QTest::addColumn<QStringList>("subscriptions");
        QTest::addColumn<QStringList>("tags");
        QTest::addColumn<bool>("wanted");
        // The VM: an eviction in sub-1 with tags env=prod, Team=ops.
        QTest::newRow("everything") << QStringList() << QStringList() << QStringList() << true;
        QTest::newRow("kind listed")
            << QStringList {u"eviction"_s} << QStringList() << QStringList() << true;
        QTest::newRow("kind not listed")
            << QStringList {u"restarted"_s} << QStringList() << QStringList() << false;
        QTest::newRow("other subscription")
            << QStringList() << QStringList {u"sub-2"_s} << QStringList() << false;
        QTest::newRow("subscription, any case")
            << QStringList() << QStringList {u"SUB-1"_s} << QStringList() << true;
        QTest::newRow("tag value")
            << QStringList() << QStringList() << QStringList {u"env=prod"_s} << true;
        QTest::newRow("other tag value")
            << QStringList() << QStringList() << QStringList {u"env=test"_s} << false;
        QTest::newRow("tag name, any case")
            << QStringList() << QStringList() << QStringList {u"team"_s} << true;
        QTest::newRow("one of several tags")
            << QStringList() << QStringList() << QStringList {u"critical"_s, u"env=prod"_s} << true;
        QTest::newRow("kind, subscription and tag")
            << QStringList {u"eviction"_s} << QStringList {u"sub-1"_s}
            << QStringList {u"env=prod"_s} << true;
        QTest::newRow("right tag, wrong kind")
            << QStringList {u"capacity"_s} << QStringList() << QStringList {u"env=prod"_s} << false;
    }

    void routesByKindSubscriptionAndTag()
    {
        QFETCH(QStringList, events);
        QFETCH(QStringList, subscriptions);
        QFETCH(QStringList, tags);
        QFETCH(bool, wanted);
        VmRecord tagged = vm();
        tagged.tags = {{u"env"_s, u"prod"_s}, {u"Team"_s, u"ops"_s}};
        const auto n = notificationFor(makeEvent(EventKind::Eviction, u"Preempt"_s), tagged);
        QVERIFY(n);
        QCOMPARE(n->facts.value(u"tags"_s).toString(), u"Team=ops, env=prod"_s);
        NotifyChannel channel;
        channel.events = events;
        channel.subscriptions = subscriptions;
        channel.tags = tags;
        QCOMPARE(channel.wants(n->kind, n->subscriptionId, n->vmTags), wanted);
    }

    void aGroupGoesWhereOneOfItsVmsIsRouted()
    {
        VmRecord prod = vm();
        prod.tags = {{u"env"_s, u"prod"_s}};
        QList<Notification> storm;
        for (int i = 0; i < 3; ++i) {
            EventRecord e = makeEvent(EventKind::Eviction, u"Preempt"_s);
            e.id = 100 + i;
            storm << *notificationFor(e, i == 1 ? prod : vm());
        }
        const Notification group = groupEvictions(storm, {});
        NotifyChannel channel;
        channel.tags = {u"env=prod"_s};
        QVERIFY(channel.wants(group.kind, group.subscriptionId, group.vmTags));
        channel.tags = {u"env=test"_s};
        QVERIFY(!channel.wants(group.kind, group.subscriptionId, group.vmTags));
    }

    void templatesRenderPlaceholders()
    {
        const EventRecord running =
            makeEvent(EventKind::JobTransition, u"starting -> running"_s, u"restarted"_s);
        JobRecord job;
        job.createdAt = running.at.addSecs(-90);
        VmRecord tagged = vm();
        tagged.tags = {{u"env"_s, u"prod"_s}};
        const auto n = notificationFor(running, tagged, &job);
        QCOMPARE(renderText(u"{vm} ({tags})"_s, n->facts), u"web-1 (env=prod)"_s);
        QCOMPARE(renderText(u"{title} in {region}/{resource_group} ({size}), down {downtime} s, "
                            "{unknown} stays, {count}"_s,
                            n->facts),
                 u"VM web-1 restarted in westeurope/rg (Standard_D2s_v5), down 90 s, "
                 "{unknown} stays, 1"_s);
        QCOMPARE(renderText(defaultTemplate(ChannelType::Slack), n->facts),
                 u"*VM web-1 restarted*\nrunning again after 90 s down"_s);
        const QJsonObject slack =
            QJsonDocument::fromJson(channelBody(ChannelType::Slack, {}, n->kind, n->facts))
                .object();
        QCOMPARE(slack.keys(), QStringList {u"text"_s});
    }

    void groupNamesCountsRegionsAndWorstCases()
    {
        QList<Notification> storm;
        QHash<qint64, int> counts;
        for (int i = 0; i < 8; ++i) {
            VmRecord v = vm();
            v.id = 100 + i;
            v.name = u"spot-"_s + QString::number(i);
            v.location = i < 6 ? u"westeurope"_s : u"eastus"_s;
            EventRecord e = makeEvent(EventKind::Eviction, u"Preempt"_s);
            e.id = 10 + i;
            e.vmId = v.id;
            e.at = e.at.addSecs(i);
            storm.append(*notificationFor(e, v));
            counts.insert(v.id, i == 5 ? 4 : 1);
        }
        const Notification g = groupEvictions(storm, counts, 3);
        QCOMPARE(g.key, u"grp_10_17"_s);
        QCOMPARE(g.vmId, qint64(0));
        QCOMPARE(g.facts.value(u"count"_s).toInt(), 8);
        QCOMPARE(g.facts.value(u"worst"_s).toArray().size(), 3);
        QCOMPARE(g.facts.value(u"worst"_s).toArray().at(0).toObject().value(u"vm"_s).toString(),
                 u"spot-5"_s);
        QCOMPARE(g.facts.value(u"text"_s).toString(),
                 u"8 evictions within 7 s (eastus 2, westeurope 6); worst: spot-5 (4 in 7 "
                 "days), spot-0, spot-1 and 5 more"_s);
    }
};

QTEST_GUILESS_MAIN(TestNotification)
#include "tst_notification.moc"
