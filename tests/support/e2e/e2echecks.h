// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/common/pgcluster.h"
#include "support/e2e/e2eharness.h"

#include <QJsonArray>
#include <QSet>

// In initTestCase() of an end-to-end test on PostgreSQL: skip without the executables, start
// `cluster` (or fail / skip, as SPOTKEEPER_PG_CLUSTER_START), and let every process (simulator,
// replicas, CLI, the test's own reads) find the password the standard way: libpq's PGPASSFILE.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): QSKIP/QFAIL must return from the test function
#define SPOTKEEPER_E2E_PG_START(cluster)                                                           \
    do {                                                                                           \
        if (const QString missing_ = spotkeeper::e2e::E2eRig::missingBinaries();                   \
            !missing_.isEmpty())                                                                   \
            QSKIP(qPrintable(missing_));                                                           \
        SPOTKEEPER_PG_CLUSTER_START(cluster);                                                      \
        QString pgPassError_;                                                                      \
        QVERIFY2((cluster).usePgPassFile(&pgPassError_), qPrintable(pgPassError_));                \
    } while (false)

// What every end-to-end test asserts, read from the simulator's state and the store.
namespace spotkeeper::e2e {

inline qint64 counter(const QJsonObject &state, const char *name)
{
    return state.value(QLatin1StringView("counters"))
        .toObject()
        .value(QLatin1StringView(name))
        .toInteger();
}

inline int runningVms(const QJsonObject &state)
{
    return state.value(QLatin1StringView("powerStates"))
        .toObject()
        .value(QLatin1StringView("running"))
        .toInt();
}

// The simulator's power state of one VM by name ("running", "deallocated", ...), empty if none.
inline QString powerOf(const QJsonObject &state, const QString &name)
{
    for (const QJsonValue &v : state.value(QLatin1StringView("vms")).toArray()) {
        if (v.toObject().value(QLatin1StringView("name")).toString() == name)
            return v.toObject().value(QLatin1StringView("power")).toString();
    }
    return {};
}

// Start requests the simulator recorded for one VM by name.
inline int startsOf(const QJsonObject &records, const QString &name)
{
    int n = 0;
    for (const QJsonValue &v : records.value(QLatin1StringView("starts")).toArray())
        n += v.toObject()
                 .value(QLatin1StringView("vm"))
                 .toString()
                 .endsWith(QLatin1Char('/') + name.toLower())
            ? 1
            : 0;
    return n;
}

// VMs the store knows as running and managed (the reconciler listed and tagged them): only
// those are restarted when they go without a notice.
inline int managedRunningVms(core::Store &store)
{
    int running = 0;
    for (const core::VmRecord &vm : store.vms())
        running +=
            vm.powerState == core::PowerState::Running && vm.managedBy != core::ManagedBy::None ? 1
                                                                                                : 0;
    return running;
}

// Event ids of the notices the store holds (any VM).
inline QSet<QString> storedNoticeIds(core::Store &store)
{
    QSet<QString> ids;
    core::EventFilter filter;
    filter.kinds = {core::EventKind::Notice};
    filter.limit = 1000;
    for (;;) {
        const QList<core::EventRecord> page = store.events(filter);
        for (const core::EventRecord &e : page)
            ids.insert(e.eventId.toUpper());
        if (page.size() < filter.limit)
            break;
        filter.afterId = page.last().id;
    }
    return ids;
}

// Every notice a simulated agent got a 2xx for.
inline QSet<QString> acknowledgedNoticeIds(const QJsonObject &records)
{
    QSet<QString> ids;
    const QJsonArray acked = records.value(QLatin1StringView("agents"))
                                 .toObject()
                                 .value(QLatin1StringView("acknowledged"))
                                 .toArray();
    for (const QJsonValue &v : acked)
        ids.insert(v.toObject().value(QLatin1StringView("eventId")).toString().toUpper());
    return ids;
}

} // namespace spotkeeper::e2e
