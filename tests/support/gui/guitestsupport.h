// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/fleetoperations.h"
#include "store/store.h"

#include <QList>
#include <QString>

#include <memory>

// Shared by the dashboard tests, the benchmark and the screenshot seeder.
namespace spotkeeper::gui::test {

std::unique_ptr<core::Store> openStore(const QString &path, base::Clock *clock);

struct DemoOptions
{
    int vms = 48;
    int eventsPerVm = 12; // notices/heartbeats/attempts spread over the last 30 days
    quint32 seed = 42;
};
// A realistic demo fleet: several regions and resource groups, mostly running VMs, some
// evicted, waiting, backing off, needing an operator; evictions over the last 30 days.
void seedDemoFleet(core::Store &store, const QDateTime &now, const DemoOptions &options = {});

// Records every FleetOperations call and, as the contract asks, writes one audit row each.
class RecordingOperations final : public core::FleetOperations
{
public:
    struct Call
    {
        QString op;
        qint64 vmId = 0;
        QString actor;
    };
    RecordingOperations(core::Store &store, const QDateTime &now)
        : m_store(store)
        , m_now(now)
    { }
    void handleNoticeStored(qint64, const core::EventRecord &) override { }
    void handleUnconfirmedNotice(qint64) override { }
    core::OperationResult forceRestart(qint64 vmId, const QString &actor) override;
    core::OperationResult pauseAutoRestart(qint64 vmId, const QString &actor) override;
    core::OperationResult resumeAutoRestart(qint64 vmId, const QString &actor) override;
    core::OperationResult cancelJob(qint64 vmId, const QString &actor) override;
    core::OperationResult addVm(const QString &resourceId, const QString &actor) override;
    core::OperationResult stopOnPurpose(qint64 vmId, const QString &actor) override;
    core::OperationResult startVm(qint64 vmId, const QString &actor) override;

    QList<Call> calls;
    qint64 failVmId = -1; // answer NotFound for this VM

private:
    core::OperationResult record(const QString &op, qint64 vmId, const QString &actor,
                                 const QString &target);
    core::Store &m_store;
    QDateTime m_now;
};

} // namespace spotkeeper::gui::test
