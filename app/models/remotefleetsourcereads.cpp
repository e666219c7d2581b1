// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RemoteFleetSource's cache: the reads the views make (FleetSource's core::FleetReads),
// answered from what the polls last heard.
#include "models/remotefleetsource.h"

#include <algorithm>

namespace spotkeeper::gui {

std::optional<core::VmRecord> RemoteFleetSource::Cache::vm(qint64 id)
{
    const auto it = vmIndex.constFind(id);
    return it == vmIndex.cend() ? std::nullopt : std::optional(vmRows.at(*it));
}

std::optional<core::JobRecord> RemoteFleetSource::Cache::activeJob(qint64 vmId)
{
    const auto it = activeJobsByVm.constFind(vmId);
    return it == activeJobsByVm.cend() ? std::nullopt : std::optional(*it);
}

QList<core::JobRecord> RemoteFleetSource::Cache::jobs(qint64 vmId, int limit)
{
    const auto it = jobsByVm.constFind(vmId);
    if (it == jobsByVm.cend()) {
        source.jobsMissing(vmId);
        const auto active = activeJob(vmId);
        return active ? QList<core::JobRecord> {*active} : QList<core::JobRecord> {};
    }
    return limit > 0 ? it->mid(0, limit) : *it;
}

QList<core::EventRecord> RemoteFleetSource::Cache::events(const core::EventFilter &filter)
{
    const auto matches = [&filter](const core::EventRecord &e) {
        return (filter.vmId == 0 || e.vmId == filter.vmId)
            && (filter.kinds.isEmpty() || filter.kinds.contains(e.kind))
            && (!filter.from.isValid() || e.at >= filter.from)
            && (!filter.to.isValid() || e.at < filter.to);
    };
    const auto byId = [](const core::EventRecord &e, qint64 id) {
        return e.id < id;
    };
    const qsizetype limit = filter.limit > 0 ? filter.limit : eventRows.size();
    QList<core::EventRecord> out;
    if (filter.beforeId > 0) { // newest first
        const auto end =
            std::lower_bound(eventRows.cbegin(), eventRows.cend(), filter.beforeId, byId);
        for (auto it = end; it != eventRows.cbegin() && out.size() < limit;) {
            --it;
            if (matches(*it))
                out.append(*it);
        }
        return out;
    }
    auto it = std::lower_bound(eventRows.cbegin(), eventRows.cend(), filter.afterId + 1, byId);
    for (; it != eventRows.cend() && out.size() < limit; ++it) {
        if (matches(*it))
            out.append(*it);
    }
    return out;
}

QList<core::AuditRecord> RemoteFleetSource::Cache::audit(const QDateTime &from, const QDateTime &to,
                                                         int limit)
{
    QList<core::AuditRecord> out;
    for (const core::AuditRecord &row : std::as_const(auditRows)) {
        if ((from.isValid() && row.at < from) || (to.isValid() && row.at >= to))
            continue;
        out.append(row);
        if (limit > 0 && out.size() >= limit)
            break;
    }
    return out;
}

} // namespace spotkeeper::gui
