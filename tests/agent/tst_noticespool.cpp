// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The spool (durable, atomic, pruned), the notice ids it is keyed by, and backoff.
#include "agentcore/backoff.h"
#include "agentcore/noticebuilder.h"
#include "agentcore/noticespool.h"
#include "protocol/messagecodec.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::agent;
using namespace Qt::StringLiterals;

namespace {
protocol::VmIdentity vm(const QString &name = u"vm-spot"_s)
{
    protocol::VmIdentity identity;
    identity.subscriptionId = u"11111111-2222-3333-4444-555555555555"_s;
    identity.resourceGroup = u"rg-spot"_s;
    identity.vmName = name;
    identity.vmId = u"8d2f2e4c-0000-4000-8000-000000000001"_s;
    identity.location = u"westeurope"_s;
    identity.priority = u"Spot"_s;
    return identity;
}

protocol::ScheduledEvent makeEvent(const QString &id, protocol::EventStatus status)
{
    protocol::ScheduledEvent e;
    e.eventId = id;
    e.eventType = protocol::EventType::Preempt;
    e.eventTypeText = u"Preempt"_s;
    e.eventStatus = status;
    e.resourceType = u"VirtualMachine"_s;
    e.resources = {u"vm-spot"_s};
    e.eventSource = u"Platform"_s;
    if (status == protocol::EventStatus::Scheduled)
        e.notBefore = QDateTime(QDate(2026, 1, 1), QTime(0, 0, 30), Qt::UTC);
    return e;
}

const QDateTime kNow(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
} // namespace

class TestNoticeSpool final : public QObject
{
    Q_OBJECT
private slots:
    void webhookIdIsStableAndDistinct();
    void noticeBodyIsTheProtocolNotice();
    void legacyBody();
    void survivesReload();
    void pruneDropsGoneEvents();
    void corruptSpoolIsAnError();
    void atomicWriteLeavesNoTemporaryFiles();
    void spoolIsOwnerOnly();
    void backoffIsSeededAndBounded();
};

void TestNoticeSpool::webhookIdIsStableAndDistinct()
{
    const auto scheduled =
        makeEvent(u"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E"_s, protocol::EventStatus::Scheduled);
    const auto started = makeEvent(scheduled.eventId, protocol::EventStatus::Started);
    const QString id = noticeWebhookId(vm(), scheduled);
    QVERIFY(id.startsWith("ntc_"_L1));
    QCOMPARE(id.size(), 4 + 32);
    QCOMPARE(noticeWebhookId(vm(), scheduled), id); // stable: retries and restarts
    auto lower = scheduled;
    lower.eventId = lower.eventId.toLower();
    QCOMPARE(noticeWebhookId(vm(), lower), id); // EventIds compare case-insensitively
    QVERIFY(noticeWebhookId(vm(), started) != id); // per status
    QVERIFY(noticeWebhookId(vm(u"vm-other"_s), scheduled) != id); // per VM (broadcast events)
}

void TestNoticeSpool::noticeBodyIsTheProtocolNotice()
{
    const auto e =
        makeEvent(u"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E"_s, protocol::EventStatus::Scheduled);
    const SpoolEntry entry = buildNoticeEntry(vm(), e, 42, kNow, false);
    QCOMPARE(entry.eventStatus, u"Scheduled"_s);
    QCOMPARE(entry.eventType, u"Preempt"_s);
    QVERIFY(!entry.delivered);
    const auto decoded = protocol::decodeNotice(entry.body);
    QVERIFY2(decoded.ok(),
             decoded.errors.isEmpty() ? "" : qPrintable(decoded.errors.first().message()));
    QCOMPARE(decoded.value->vm, vm());
    QCOMPARE(decoded.value->event.eventId, e.eventId);
    QCOMPARE(decoded.value->documentIncarnation, 42);
    QCOMPARE(decoded.value->event.notBefore, e.notBefore);
}

void TestNoticeSpool::legacyBody()
{
    const auto e = makeEvent(u"A"_s, protocol::EventStatus::Scheduled);
    const SpoolEntry entry = buildNoticeEntry(vm(), e, 1, kNow, true);
    const QJsonObject body = QJsonDocument::fromJson(entry.body).object();
    QCOMPARE(body.size(), 2);
    QCOMPARE(body.value("resourceGroup"_L1).toString(), u"rg-spot"_s);
    QCOMPARE(body.value("vmName"_L1).toString(), u"vm-spot"_s);
    QVERIFY(isEviction(e));
    auto freeze = e;
    freeze.eventType = protocol::EventType::Freeze;
    QVERIFY(!isEviction(freeze));
}

void TestNoticeSpool::survivesReload()
{
    QTemporaryDir dir;
    const auto a = buildNoticeEntry(vm(), makeEvent(u"AAAA"_s, protocol::EventStatus::Scheduled), 1,
                                    kNow, false);
    const auto b = buildNoticeEntry(vm(), makeEvent(u"AAAA"_s, protocol::EventStatus::Started), 2,
                                    kNow, false);
    {
        NoticeSpool spool(dir.filePath(u"spool"_s)); // created on first write
        QString error;
        QVERIFY(spool.load(&error));
        QVERIFY(spool.entries().isEmpty());
        QVERIFY2(spool.add(a, &error), qPrintable(error));
        QVERIFY(spool.add(a, &error)); // idempotent
        QVERIFY(spool.add(b, &error));
        QVERIFY(spool.markDelivered(a.webhookId, &error));
        QVERIFY(spool.markAcknowledged(u"aaaa"_s, &error));
    }
    NoticeSpool reloaded(dir.filePath(u"spool"_s));
    QString error;
    QVERIFY2(reloaded.load(&error), qPrintable(error));
    QCOMPARE(reloaded.entries().size(), 2);
    QVERIFY(reloaded.find(a.webhookId)->delivered);
    QCOMPARE(reloaded.find(a.webhookId)->body, a.body);
    QCOMPARE(reloaded.pending().size(), 1);
    QCOMPARE(reloaded.pending().first().webhookId, b.webhookId);
    QVERIFY(reloaded.isAcknowledged(u"AAAA"_s));
}

void TestNoticeSpool::pruneDropsGoneEvents()
{
    QTemporaryDir dir;
    NoticeSpool spool(dir.path());
    QString error;
    const auto a = buildNoticeEntry(vm(), makeEvent(u"AAAA"_s, protocol::EventStatus::Scheduled), 1,
                                    kNow, false);
    const auto b = buildNoticeEntry(vm(), makeEvent(u"BBBB"_s, protocol::EventStatus::Scheduled), 1,
                                    kNow, false);
    QVERIFY(spool.add(a, &error));
    QVERIFY(spool.add(b, &error));
    QVERIFY(spool.prune({u"aaaa"_s, u"BBBB"_s}, &error).isEmpty());
    const auto removed = spool.prune({u"BBBB"_s}, &error);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().eventId, u"AAAA"_s);
    NoticeSpool reloaded(dir.path());
    QVERIFY(reloaded.load(&error));
    QCOMPARE(reloaded.entries().size(), 1);
    QCOMPARE(reloaded.entries().first().eventId, u"BBBB"_s);
    QCOMPARE(spool.prune({}, &error).size(), 1);
    QVERIFY(spool.entries().isEmpty());
}

void TestNoticeSpool::corruptSpoolIsAnError()
{
    QTemporaryDir dir;
    NoticeSpool spool(dir.path());
    for (const QByteArray &contents :
         {QByteArray("{\"version\":1,\"entries\":[{"), QByteArray("{\"version\":9,\"entries\":[]}"),
          QByteArray("{\"version\":1,\"entries\":[{\"eventId\":\"A\"}]}")}) {
        QFile file(spool.filePath());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(contents);
        file.close();
        QString error;
        QVERIFY(!spool.load(&error));
        QVERIFY2(error.contains(spool.filePath()), qPrintable(error));
    }
}

void TestNoticeSpool::atomicWriteLeavesNoTemporaryFiles()
{
    QTemporaryDir dir;
    NoticeSpool spool(dir.path());
    QString error;
    for (int i = 0; i < 20; ++i) {
        const auto e = makeEvent(u"E%1"_s.arg(i), protocol::EventStatus::Scheduled);
        QVERIFY(spool.add(buildNoticeEntry(vm(), e, i, kNow, false), &error));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList {u"notices.json"_s});
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner);
    const bool wrote = spool.add(
        buildNoticeEntry(vm(), makeEvent(u"X"_s, protocol::EventStatus::Started), 1, kNow, false),
        &error);
    QFile::setPermissions(dir.path(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (!wrote) { // root ignores directory permissions; otherwise the old file is intact
        QVERIFY2(error.startsWith(u"cannot write "_s + dir.filePath(u"notices.json"_s)),
                 qPrintable(error));
        NoticeSpool reloaded(dir.path());
        QVERIFY(reloaded.load(&error));
        QCOMPARE(reloaded.entries().size(), 20);
    }
}

void TestNoticeSpool::spoolIsOwnerOnly()
{
    // Signed notices are for the agent alone to re-send: the file is 0600 whatever the umask.
    QTemporaryDir dir;
    NoticeSpool spool(dir.path());
    QString error;
    QVERIFY2(spool.add(buildNoticeEntry(vm(), makeEvent(u"E1"_s, protocol::EventStatus::Scheduled),
                                        1, kNow, false),
                       &error),
             qPrintable(error));
    QCOMPARE(QFile::permissions(dir.filePath(u"notices.json"_s))
                 & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
                    | QFileDevice::WriteOther),
             QFileDevice::Permissions());
}

void TestNoticeSpool::backoffIsSeededAndBounded()
{
    Backoff a(500, 30'000, 7);
    Backoff b(500, 30'000, 7);
    int ceiling = 500;
    for (int i = 0; i < 12; ++i) {
        const int delay = a.nextDelayMs();
        QCOMPARE(b.nextDelayMs(), delay); // same seed, same schedule
        QVERIFY2(delay >= ceiling / 2 && delay <= ceiling, qPrintable(QString::number(delay)));
        ceiling = std::min(ceiling * 2, 30'000);
    }
    QCOMPARE(a.failures(), 12);
    a.reset();
    QVERIFY(a.nextDelayMs() <= 500);
    Backoff c(500, 30'000, 8);
    bool differs = false;
    Backoff d(500, 30'000, 7);
    for (int i = 0; i < 8; ++i)
        differs |= c.nextDelayMs() != d.nextDelayMs();
    QVERIFY(differs); // jitter really depends on the seed
}

QTEST_GUILESS_MAIN(TestNoticeSpool)
#include "tst_noticespool.moc"
