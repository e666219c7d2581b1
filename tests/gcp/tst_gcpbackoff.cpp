// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Google Cloud capacity retries back off (issue 15): the restart engine drives the real
// ComputeCloudProvider against a fake Compute Engine API on 127.0.0.1, on a ManualClock that
// moves only while nothing is in flight, so the clock time of every start request is exact.
// The jitter is pinned to the top of its window, so each backoff delay is the policy's
// ceiling min(cap, base * 2^n): the test reads the delays between successive starts and
// compares them with the numbers the configuration gives, and with Google's Retry-After (a
// 429's header, or the minute a rateLimitExceeded without one means) where that is later.
#include "engine/restartengine.h"
#include "gcp/computecloudprovider.h"
#include "store/store.h"
#include "support/azure/azuretestsupport.h"
#include "support/base/manualclock.h"
#include "support/common/fixtures.h"
#include "support/http/fakehttpserver.h"
#include "support/store/storetestutil.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <deque>

using namespace spotkeeper;
using namespace Qt::StringLiterals;
using core::FailureClass;
using core::JobState;

namespace {

const QString kId = u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s;
const QByteArray kInstancePath =
    "/compute/v1/projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7";

QByteArray fixture(const QString &name)
{
    QFile file(testsupport::testDataPath(u"gcp/compute/"_s + name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestGcpBackoff final : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void capacityRetriesBackOffToTheCap();
    void retryAfterIsHonoured();

private:
    // Starts on the fake answer `answers` in turn (then success); the engine restarts the
    // preempted VM; returns the clock's ms at every start request, or {} on a failure.
    QList<qint64> startTimes(std::deque<http::Response> answers, const core::EngineConfig &config);
    static core::EngineConfig engineConfig();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testsupport::ManualClock> m_clock;
    std::unique_ptr<testsupport::FakeHttpServer> m_fake;
};

void TestGcpBackoff::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_clock = std::make_unique<testsupport::ManualClock>();
    m_fake = std::make_unique<testsupport::FakeHttpServer>();
    QString error;
    QVERIFY2(m_fake->start(&error), qPrintable(error));
}

void TestGcpBackoff::cleanup()
{
    m_fake.reset();
    m_clock.reset();
    m_dir.reset();
}

core::EngineConfig TestGcpBackoff::engineConfig()
{
    core::EngineConfig config;
    config.owner = u"engine-a"_s;
    config.driveWithTimer = false;
    config.budgets.enabled = false; // only the backoff decides when the next start goes
    config.backoff.baseMs = 10'000;
    config.backoff.capMs = 80'000;
    config.backoff.capacityBaseMs = 20'000;
    config.backoff.capacityCapMs = 160'000;
    // The top of the full-jitter window: every delay is the ceiling of its retry.
    config.random = [](qint64 highest) {
        return highest;
    };
    return config;
}

QList<qint64> TestGcpBackoff::startTimes(std::deque<http::Response> answers,
                                         const core::EngineConfig &config)
{
    auto store =
        core::testutil::openStore(core::testutil::options(m_dir->filePath(u"gcp.db"_s)), *m_clock);
    if (!store)
        return {};
    gcp::ComputeOptions options;
    options.computeUrl = m_fake->url(u"/compute/v1/"_s);
    options.loggingUrl = m_fake->url(u"/logging/v2/"_s);
    options.operationPollMs = 1;
    options.budgets.enabled = false;
    gcp::ComputeCloudProvider provider(new azuretest::CountingTokenSource, options, *m_clock);

    // The instance reads TERMINATED until a start succeeded; each start answers the next
    // scripted failure, then a finished operation.
    bool started = false;
    QList<qint64> posts;
    m_fake->route("GET", kInstancePath).respondWith([&](const testsupport::RecordedRequest &) {
        return http::Response::json(200,
                                    fixture(started ? u"instance-spot-running.json"_s
                                                    : u"instance-spot-terminated.json"_s));
    });
    m_fake->route("POST", kInstancePath + "/start")
        .respondWith([&](const testsupport::RecordedRequest &) {
            posts.append(m_clock->nowMSecs());
            if (!answers.empty()) {
                http::Response next = answers.front();
                answers.pop_front();
                return next;
            }
            started = true;
            return http::Response::json(200, fixture(u"operation-start-done.json"_s));
        });

    core::VmRecord vm;
    vm.resourceId = kId;
    vm.resourceKey = kId;
    vm.subscriptionId = u"spot-fleet-1"_s;
    vm.name = u"worker-7"_s;
    vm.location = u"europe-west1-b"_s;
    vm.priority = u"SPOT"_s;
    vm.evictionPolicy = u"STOP"_s;
    vm.size = u"e2-standard-4"_s;
    vm.managedBy = core::ManagedBy::Tag;
    vm.powerState = core::PowerState::Deallocated;
    vm.powerStateAt = m_clock->nowUtc();
    vm.id = store->upsertVm(vm);
    if (vm.id <= 0)
        return {};

    core::RestartEngine engine(*store, provider, *m_clock, config);
    engine.start();
    if (!engine.handleUnreportedEviction(vm.id, core::PowerState::Deallocated))
        return {};
    // Discrete events: act on what is due, wait (real time, the clock standing still) until
    // the job has the cloud's answer, then jump the clock to its next attempt.
    for (int step = 0; step < 100; ++step) {
        engine.processDue();
        provider.client()->processQueue();
        std::optional<core::JobRecord> job;
        const bool settled = QTest::qWaitFor(
            [&] {
                const QList<core::JobRecord> jobs = store->jobs(vm.id, 1);
                job = jobs.isEmpty() ? std::nullopt : std::optional(jobs.constFirst());
                return job
                    && (core::isTerminal(job->state)
                        || (job->state == JobState::BackingOff
                            && job->nextAttemptAt > m_clock->nowUtc()));
            },
            10'000);
        if (!settled) {
            qWarning() << "the job did not settle; state"
                       << (job ? core::toString(job->state) : u"none"_s);
            return {};
        }
        if (job->state == JobState::Running)
            return posts;
        if (core::isTerminal(job->state)) {
            qWarning() << "the job ended" << core::toString(job->state) << job->reason;
            return {};
        }
        m_clock->set(job->nextAttemptAt);
    }
    return {};
}

void TestGcpBackoff::capacityRetriesBackOffToTheCap()
{
    // Six starts end in ZONE_RESOURCE_POOL_EXHAUSTED (inside a DONE operation), the seventh
    // runs the VM.
    std::deque<http::Response> answers;
    for (int i = 0; i < 6; ++i)
        answers.push_back(
            http::Response::json(200, fixture(u"operation-start-zone-exhausted.json"_s)));
    const QList<qint64> posts = startTimes(answers, engineConfig());
    QCOMPARE(posts.size(), 7);
    QList<qint64> gaps;
    for (qsizetype i = 1; i < posts.size(); ++i)
        gaps.append(posts.at(i) - posts.at(i - 1));
    // capacityBaseMs * 2^n, capped at capacityCapMs: it grows, then stays at the cap.
    const QList<qint64> expected {20'000, 40'000, 80'000, 160'000, 160'000, 160'000};
    QCOMPARE(gaps, expected);
    // The policy itself says the same (its ceiling, the jitter being at the top).
    const core::BackoffPolicy policy(engineConfig().backoff, engineConfig().random);
    for (int retry = 0; retry < int(gaps.size()); ++retry)
        QCOMPARE(gaps.at(retry), policy.ceilingMs(retry, FailureClass::Capacity));
}

void TestGcpBackoff::retryAfterIsHonoured()
{
    // A 429 with Retry-After: 120 (the backoff alone would wait 10 s), a capacity failure
    // (40 s), a 403 rateLimitExceeded without Retry-After (Google's per-minute quota: 60 s,
    // later than the 40 s of the backoff), then the start goes through.
    std::deque<http::Response> answers;
    http::Response throttled = http::Response::error(429, u"RESOURCE_EXHAUSTED"_s, u"slow down"_s);
    throttled.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("120")});
    answers.push_back(throttled);
    answers.push_back(http::Response::json(200, fixture(u"operation-start-zone-exhausted.json"_s)));
    answers.push_back(http::Response::json(403, fixture(u"error-rate-limit-403.json"_s)));
    const QList<qint64> posts = startTimes(answers, engineConfig());
    QCOMPARE(posts.size(), 4);
    QCOMPARE(posts.at(1) - posts.at(0), 120'000); // Retry-After, not the backoff's 10 s
    QCOMPARE(posts.at(2) - posts.at(1), 40'000); // the capacity backoff of retry 1
    QCOMPARE(posts.at(3) - posts.at(2), 60'000); // the minute, not the backoff's 40 s
}

QTEST_GUILESS_MAIN(TestGcpBackoff)
#include "tst_gcpbackoff.moc"
