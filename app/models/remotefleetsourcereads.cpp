// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RemoteFleetSource: the synchronous reads the views make (answered from the cache) and the
// calls that are not engine operations (enrollment, discovery, audit).
#include "models/remotefleetsource.h"

#include <QTimer>

#include <algorithm>

namespace spotkeeper::gui {

using namespace Qt::StringLiterals;

QList<core::VmRecord> RemoteFleetSource::vms()
{
    return m_vms;
}

std::optional<core::VmRecord> RemoteFleetSource::vm(qint64 vmId)
{
    const auto it = m_vmIndex.constFind(vmId);
    return it == m_vmIndex.cend() ? std::nullopt : std::optional(m_vms.at(*it));
}

QList<core::JobRecord> RemoteFleetSource::activeJobs()
{
    return m_activeJobs.values();
}

std::optional<core::JobRecord> RemoteFleetSource::activeJob(qint64 vmId)
{
    const auto it = m_activeJobs.constFind(vmId);
    return it == m_activeJobs.cend() ? std::nullopt : std::optional(*it);
}

QList<core::JobRecord> RemoteFleetSource::jobs(qint64 vmId, int limit)
{
    const auto it = m_jobs.constFind(vmId);
    if (it == m_jobs.cend()) {
        if (!m_jobQueue.contains(vmId))
            m_jobQueue.append(vmId);
        m_jobMisses = true;
        QTimer::singleShot(0, this, &RemoteFleetSource::fetchNextJobs);
        const auto active = activeJob(vmId);
        return active ? QList<core::JobRecord> {*active} : QList<core::JobRecord> {};
    }
    return limit > 0 ? it->mid(0, limit) : *it;
}

QList<core::EventRecord> RemoteFleetSource::events(const core::EventFilter &filter)
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
    const qsizetype limit = filter.limit > 0 ? filter.limit : m_events.size();
    QList<core::EventRecord> out;
    if (filter.beforeId > 0) { // newest first
        const auto end =
            std::lower_bound(m_events.cbegin(), m_events.cend(), filter.beforeId, byId);
        for (auto it = end; it != m_events.cbegin() && out.size() < limit;) {
            --it;
            if (matches(*it))
                out.append(*it);
        }
        return out;
    }
    auto it = std::lower_bound(m_events.cbegin(), m_events.cend(), filter.afterId + 1, byId);
    for (; it != m_events.cend() && out.size() < limit; ++it) {
        if (matches(*it))
            out.append(*it);
    }
    return out;
}

QList<core::AuditRecord> RemoteFleetSource::audit(const QDateTime &from, const QDateTime &to,
                                                  int limit)
{
    QList<core::AuditRecord> out;
    for (const core::AuditRecord &row : std::as_const(m_audit)) {
        if ((from.isValid() && row.at < from) || (to.isValid() && row.at >= to))
            continue;
        out.append(row);
        if (limit > 0 && out.size() >= limit)
            break;
    }
    return out;
}

void RemoteFleetSource::enrollAgent(const core::VmRecord &vm, const QString &, EnrollDone done)
{
    call("POST", u"/api/v1/keys"_s, {{u"vm"_s, vm.resourceId}},
         [this, done = std::move(done)](const Reply &reply) {
             EnrollResult result;
             const auto secret = issuedSecret(reply, &result.error);
             if (secret) {
                 result.ok = true;
                 result.keyId = reply.json.value(u"keyId"_s).toString();
                 result.secret = *secret;
                 result.endpoint =
                     m_options.baseUrl.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
                 result.caCertificate = reply.json.value(u"caCertificate"_s).toString().toLatin1();
                 pollNow(); // the server wrote an audit row
             }
             done(result);
         });
}

void RemoteFleetSource::discoverVms(const QString &, std::function<void(core::ListResult)> done)
{
    core::ListResult result;
    result.call.failure = core::FailureClass::Authorization;
    result.call.errorMessage = tr("Discovery runs on the server: use spotkeeperd's subscriptions.");
    done(result);
}

} // namespace spotkeeper::gui
