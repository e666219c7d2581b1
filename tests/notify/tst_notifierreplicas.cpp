// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 17: two Notifiers (replicas, each with its own connection) on one store never send one
// outbox row at the same moment: each claims the rows it sends with a lease. On SQLite (two
// connections to one file) and on PostgreSQL (a throwaway cluster; skips without it, fails
// where CI=true).
#include "notify/notifier.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/common/pgcluster.h"
#include "support/http/fakehttpserver.h"
#include "support/notify/notifyfixtures.h"

#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

namespace {

const QString kSecret = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s;
constexpr int kEvictions = 40;

} // namespace

class TestNotifierReplicas : public QObject
{
    Q_OBJECT

private:
    StoreOptions options(bool postgres, const QString &name)
    {
        StoreOptions o;
        if (postgres) {
            QString error;
            if (!m_pg.createDatabase(name, &error))
                qWarning() << "create database:" << error;
            o.path = m_pg.url(name);
            o.passwordFile = m_pg.passwordFile();
        } else {
            o.path = m_dir->filePath(name + u".db"_s);
        }
        o.clock = &m_clock;
        return o;
    }
    NotifyConfig config(const QUrl &url)
    {
        NotifyChannel c;
        c.name = u"ops"_s;
        c.type = ChannelType::Webhook;
        c.url = url.toString();
        c.secretFile = writeTestFile(m_dir->path(), u"ops.secret"_s, kSecret.toUtf8());
        NotifyConfig config;
        config.channels = {c};
        config.groupWindowSeconds = 0; // every eviction its own row
        config.timeoutMs = 5'000;
        return config;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    PgCluster m_pg;
    bool m_pgAvailable = false;
    ManualClock m_clock;

private Q_SLOTS:
    void initTestCase()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QString reason = PgCluster::unavailableReason();
        if (reason.isEmpty() && !m_pg.start(&reason))
            QFAIL(qPrintable(u"cannot start PostgreSQL: "_s + reason));
        if (!reason.isEmpty() && PgCluster::required())
            QFAIL(qPrintable(u"PostgreSQL tests cannot run (CI=true): "_s + reason));
        m_pgAvailable = reason.isEmpty();
        if (!m_pgAvailable)
            qWarning() << "PostgreSQL rows skipped:" << reason;
        m_clock.set(QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
    }

    void eachRowIsSentOnceByOneReplica_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("sqlite") << false;
        QTest::newRow("postgresql") << true;
    }

    void eachRowIsSentOnceByOneReplica()
    {
        QFETCH(bool, postgres);
        if (postgres && !m_pgAvailable)
            QSKIP("PostgreSQL is not available here");
        const StoreOptions o = options(postgres, QString::fromLatin1(QTest::currentDataTag()));
        StoreError error;
        auto storeA = Store::open(o, &error);
        QVERIFY2(storeA, qPrintable(error.message));
        auto storeB = Store::open(o, &error);
        QVERIFY2(storeB, qPrintable(error.message));

        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        receiver.route("POST", "/hook").respond(200, "{}");
        QString why;
        auto a = Notifier::create(config(receiver.url(u"/hook"_s)), *storeA, m_clock, &why);
        QVERIFY2(a, qPrintable(why));
        auto b = Notifier::create(config(receiver.url(u"/hook"_s)), *storeB, m_clock, &why);
        QVERIFY2(b, qPrintable(why));
        QCOMPARE(a->enqueueNew(), 0); // the cursor starts after the (no) history

        const qint64 vmId = addTestVm(*storeA, u"spot-1"_s);
        for (int i = 0; i < kEvictions; ++i)
            QVERIFY(appendEviction(*storeA, vmId, m_clock.nowUtc()) > 0);
        // Both replicas enqueue (the unique row keeps one per event) and both deliver at the
        // same moment: before either hears back, each has sent what it claimed.
        QVERIFY(a->enqueueNew() >= 0);
        QVERIFY(b->enqueueNew() >= 0);
        a->deliverDue();
        b->deliverDue();
        a->deliverDue();
        b->deliverDue();
        QVERIFY(a->inFlight() + b->inFlight() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(a->inFlight() + b->inFlight(), 0, 20'000);
        // Whatever is left (the per-pump limit) goes the same way.
        for (int round = 0; round < 5; ++round) {
            a->deliverDue();
            b->deliverDue();
            QTRY_COMPARE_WITH_TIMEOUT(a->inFlight() + b->inFlight(), 0, 20'000);
        }

        QHash<QByteArray, int> sent;
        for (const RecordedRequest &request : receiver.requests("POST", "/hook"))
            ++sent[request.header("webhook-id")];
        QCOMPARE(sent.size(), kEvictions);
        for (auto it = sent.cbegin(); it != sent.cend(); ++it)
            QVERIFY2(it.value() == 1,
                     QByteArray(it.key() + " sent " + QByteArray::number(it.value()) + " times")
                         .constData());
        for (const OutboxCount &count : storeA->notificationCounts())
            QVERIFY(count.state == OutboxEntry::State::Delivered);
    }
};

QTEST_GUILESS_MAIN(TestNotifierReplicas)
#include "tst_notifierreplicas.moc"
