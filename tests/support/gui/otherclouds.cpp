// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/gui/otherclouds.h"

namespace spotkeeper::gui::test {

QList<qint64> seedOtherClouds(core::Store &store, const QDateTime &now, int gcpEvictions,
                              int awsEvictions)
{
    struct Other
    {
        QString id, scope, name, location;
        int evictions;
    };
    const QList<Other> others {{kGcpVmId, QStringLiteral("spot-fleet-1"), QStringLiteral("gce-7"),
                                QStringLiteral("europe-west1-b"), gcpEvictions},
                               {kAwsVmId, QStringLiteral("arn:aws:ec2:eu-west-1:123456789012"),
                                QStringLiteral("i-0123456789abcdef0"), QStringLiteral("eu-west-1"),
                                awsEvictions}};
    QList<qint64> ids;
    for (const Other &other : others) {
        core::VmRecord vm;
        vm.resourceId = other.id;
        vm.resourceKey = other.id.toLower();
        vm.subscriptionId = other.scope;
        vm.name = other.name;
        vm.location = other.location;
        vm.size = QStringLiteral("e2-standard-4");
        vm.powerState = core::PowerState::Running;
        vm.powerStateAt = now;
        const qint64 id = store.upsertVm(vm);
        ids.append(id);
        for (int e = 0; e < other.evictions; ++e) {
            core::EventRecord event;
            event.vmId = id;
            event.kind = core::EventKind::Eviction;
            event.at = now.addSecs(-3600LL * (e + 1));
            event.source = QStringLiteral("reconciler");
            store.appendEvent(event);
        }
        core::JobRecord job;
        job.vmId = id;
        job.trigger = QStringLiteral("reconciler");
        job.evictedAt = now.addSecs(-3600);
        job.createdAt = job.evictedAt;
        bool created = false;
        if (auto stored = store.createJob(job, &created)) {
            stored->state = core::JobState::Running;
            stored->finishedAt = job.evictedAt.addSecs(120);
            store.saveJob(*stored);
        }
    }
    return ids;
}

} // namespace spotkeeper::gui::test
