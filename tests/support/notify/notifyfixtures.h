// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QString>

// Small builders shared by the notification tests (header only: the tests link the core).
namespace spotkeeper::testsupport {

// Writes content to dir/name; the file's path, or empty when it cannot be written.
inline QString writeTestFile(const QString &dir, const QString &name, const QByteArray &content)
{
    QFile file(QDir(dir).filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    return file.fileName();
}

// A VM of subscription sub-1 in resource group rg; its store id.
inline qint64 addTestVm(core::Store &store, const QString &name,
                        const QString &region = QStringLiteral("westeurope"))
{
    core::VmRecord vm;
    vm.name = name;
    vm.resourceId =
        QStringLiteral("/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/"
                       "virtualMachines/")
        + name;
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = QStringLiteral("sub-1");
    vm.location = region;
    return store.upsertVm(vm);
}

// An agent's eviction of vmId at `at`; the event's id.
inline qint64 appendEviction(core::Store &store, qint64 vmId, const QDateTime &at)
{
    core::EventRecord event;
    event.vmId = vmId;
    event.kind = core::EventKind::Eviction;
    event.at = at;
    event.source = QStringLiteral("agent");
    event.message = QStringLiteral("Preempt notice");
    return store.appendEvent(event);
}

} // namespace spotkeeper::testsupport
