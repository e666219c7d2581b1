// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/reconciler.h"
#include "engine/restartengine.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/engine/fakecloudprovider.h"

#include <QTemporaryDir>

#include <memory>

// QCOMPARE cannot print our enums (ADL finds core::toString, which returns QString).
#define QCOMPARE_ENUM(actual, expected)                                                            \
    QCOMPARE(spotkeeper::core::toString(actual), spotkeeper::core::toString(expected))

// One engine under test: a SQLite store on a temp file, a ManualClock, the fake cloud,
// and a discrete-event loop that jumps the clock straight to the next thing due.
namespace spotkeeper::core::test {
using testsupport::ManualClock;

inline const QString kSubscription = QStringLiteral("11111111-2222-3333-4444-555555555555");

class EngineHarness
{
public:
    explicit EngineHarness(EngineConfig config = defaultConfig(), QString storePath = {});
    ~EngineHarness();
    Q_DISABLE_COPY_MOVE(EngineHarness)

    static EngineConfig defaultConfig(); // seeded, no timer, owner "engine-a"

    // A VM in the store and in the fake cloud.
    VmRecord addVm(const QString &name, ManagedBy managedBy, PowerState state,
                   const QString &subscription = kSubscription);
    // Stores a Preempt notice (NotBefore = notBefore) and hands it to the engine.
    EventRecord
    notice(const VmRecord &vm, const QDateTime &notBefore,
           const QString &type = QStringLiteral("Preempt"),
           const QString &eventId = QStringLiteral("5C6D9AD1-3C0A-4B2E-9E35-0A1B2C3D4E5F"));

    // Destroys the engine (a killed process: its pending replies are lost) and builds a
    // new one on the same store with config (a new owner by default).
    void restartEngine(EngineConfig config);
    void addReconciler(ReconcilerConfig config);

    // Runs everything due, in time order, until `until` (the clock ends there).
    void runUntil(const QDateTime &until);
    void runFor(qint64 ms) { runUntil(clock.nowUtc().addMSecs(ms)); }
    // Runs until pred() holds or `limit` ms of simulated time passed; returns pred().
    bool runUntilTrue(const std::function<bool()> &pred, qint64 limitMs);

    QList<EventRecord> events(qint64 vmId, EventKind kind);
    std::optional<JobRecord> latestJob(qint64 vmId);

    testsupport::ManualClock clock;
    QTemporaryDir dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<FakeCloudProvider> cloud;
    std::unique_ptr<RestartEngine> engine;
    std::unique_ptr<Reconciler> reconciler;

private:
    bool step(const QDateTime &until);
};

} // namespace spotkeeper::core::test
