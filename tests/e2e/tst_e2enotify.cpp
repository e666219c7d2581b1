// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end (issue 17): a real spotkeeperd notifies a webhook receiver of a storm of 40
// evictions and 40 restarts, one message each. The receiver dies mid-storm (requests it
// holds are reset, then it stops listening) and comes back on the same port; every
// notification is then answered 2xx exactly once - none lost, none accepted twice - and the
// store's outbox has every row delivered.
#include "support/e2e/e2echecks.h"
#include "support/http/fakehttpserver.h"
#include "support/notify/notifyfixtures.h"

#include <QSet>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace spotkeeper::e2e;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

namespace {

constexpr int kFleet = 40;

// A webhook receiver: answers 200 to the first `answer` requests (all when negative) and
// holds the rest unanswered; records the webhook-ids it answered 2xx.
struct Receiver
{
    FakeHttpServer server;
    QList<QByteArray> accepted;
    std::vector<std::shared_ptr<http::Responder>> held;
    int answer = -1;

    bool start(quint16 port)
    {
        server.route("POST", "/hook")
            .respondAsync(
                [this](const RecordedRequest &request, std::shared_ptr<http::Responder> responder) {
                    if (answer >= 0 && int(accepted.size()) >= answer) {
                        held.push_back(std::move(responder));
                        return;
                    }
                    accepted << request.header("webhook-id");
                    responder->send(http::Response::json(200, "{}"));
                });
        return server.start(nullptr, port);
    }
    void kill()
    {
        for (const auto &responder : held)
            responder->reset(); // connections cut mid-request
        held.clear();
    }
};

} // namespace

class TestE2eNotify : public QObject
{
    Q_OBJECT

private slots:
    void receiverKilledMidStormGetsEveryNotificationOnce()
    {
        if (const QString missing = E2eRig::missingBinaries(); !missing.isEmpty())
            QSKIP(qPrintable(missing));
        QTemporaryDir dir;
        const QString secretFile =
            writeTestFile(dir.path(), u"notify.secret"_s, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        auto first = std::make_unique<Receiver>();
        first->answer = 15; // then it hangs: the requests after it wait on a dying receiver
        QVERIFY(first->start(0));
        const quint16 port = first->server.port();

        E2eRig rig;
        rig.setExtraConfig(u"[notify]\ngroup_window_seconds = 0\nretry_base_seconds = 1\n"
                           "retry_cap_seconds = 4\ntimeout_seconds = 3\n"
                           "[notify.ops]\ntype = webhook\nurl = http://127.0.0.1:%1/hook\n"
                           "secret_file = %2\nevents = eviction, restarted\n"_s.arg(port)
                               .arg(secretFile));
        QString error;
        QVERIFY2(rig.startSim(kFleet, 0, 10, {}, &error), qPrintable(error));
        QVERIFY2(rig.startDaemon(&error, 10), qPrintable(error));
        auto store = rig.openStore();
        QVERIFY(store);
        QVERIFY(E2eRig::waitFor([&] { return managedRunningVms(*store) == kFleet; }, 60'000));

        rig.control("evict", R"({"count":40})");
        // Mid-storm: it has accepted its share and holds more.
        QVERIFY2(E2eRig::waitFor([&] { return first->held.size() >= 3; }, 90'000),
                 qPrintable(u"accepted %1, held %2; log: %3"_s.arg(first->accepted.size())
                                .arg(first->held.size())
                                .arg(rig.daemonLog().right(1500))));
        QList<QByteArray> accepted = first->accepted;
        const qsizetype cut = first->held.size();
        first->kill();
        first.reset(); // nobody listens on the port now
        QTest::qWait(3'000); // attempts fail against a closed port meanwhile

        Receiver second;
        QVERIFY(second.start(port));
        const auto settled = [&] {
            if (managedRunningVms(*store) != kFleet)
                return false;
            for (const OutboxCount &count : store->notificationCounts())
                if (count.state != OutboxEntry::State::Delivered)
                    return false;
            return true;
        };
        QVERIFY2(E2eRig::waitFor(settled, 180'000),
                 qPrintable(u"running %1; log: %2"_s.arg(managedRunningVms(*store))
                                .arg(rig.daemonLog().right(1500))));
        QTest::qWait(2'000); // nothing more arrives once all is delivered
        accepted << second.accepted;

        qint64 rows = 0;
        for (const OutboxCount &count : store->notificationCounts())
            rows += count.count;
        QCOMPARE(rows, qint64(2 * kFleet)); // one eviction and one restart per VM
        QSet<QByteArray> once;
        for (const QByteArray &id : std::as_const(accepted)) {
            QVERIFY2(!once.contains(id), id.constData()); // accepted twice
            once.insert(id);
        }
        QCOMPARE(qint64(once.size()), rows);
        qInfo("first receiver accepted %lld and died holding %lld; the second accepted %lld",
              qlonglong(accepted.size() - second.accepted.size()), qlonglong(cut),
              qlonglong(second.accepted.size()));
    }
};

QTEST_GUILESS_MAIN(TestE2eNotify)
#include "tst_e2enotify.moc"
