// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/csvexport.h"

#include "fleet/cloud.h"

#include <QHash>

#include <limits>

namespace spotkeeper::core {

QString exportStoreError(Store &store, const QString &what)
{
    const StoreError err = store.lastError();
    if (err.code == StoreError::Code::None)
        return QStringLiteral("Cannot read %1 from the store").arg(what);
    return QStringLiteral("Cannot read %1 from the store: %2").arg(what, err.message);
}

bool continueExport(ExportProgress *progress, qint64 rows, qint64 step, qint64 steps,
                    QString *error)
{
    if (progress == nullptr || !progress->report || progress->report(rows, step, steps))
        return true;
    progress->cancelled = true;
    if (error != nullptr)
        *error = QStringLiteral("Export cancelled: no file was written");
    return false; // the caller's QSaveFile is discarded
}

QStringList eventCsvColumns()
{
    return {QStringLiteral("id"),
            QStringLiteral("time_utc"),
            QStringLiteral("vm_id"),
            QStringLiteral("vm_name"),
            QStringLiteral("resource_group"),
            QStringLiteral("kind"),
            QStringLiteral("source"),
            QStringLiteral("event_type"),
            QStringLiteral("event_id"),
            QStringLiteral("event_status"),
            QStringLiteral("http_status"),
            QStringLiteral("arm_error_code"),
            QStringLiteral("correlation_id"),
            QStringLiteral("message"),
            QStringLiteral("evidence")};
}

QStringList auditCsvColumns()
{
    return {QStringLiteral("id"),     QStringLiteral("time_utc"), QStringLiteral("actor"),
            QStringLiteral("action"), QStringLiteral("target"),   QStringLiteral("detail")};
}

QStringList fleetCsvColumns()
{
    return {QStringLiteral("id"),
            QStringLiteral("name"),
            QStringLiteral("resource_group"),
            QStringLiteral("subscription_id"),
            QStringLiteral("location"),
            QStringLiteral("zone"),
            QStringLiteral("size"),
            QStringLiteral("priority"),
            QStringLiteral("eviction_policy"),
            QStringLiteral("power_state"),
            QStringLiteral("power_state_at_utc"),
            QStringLiteral("desired_state"),
            QStringLiteral("auto_restart"),
            QStringLiteral("managed_by"),
            QStringLiteral("agent_last_seen_utc"),
            QStringLiteral("agent_version"),
            QStringLiteral("job_state"),
            QStringLiteral("job_attempt"),
            QStringLiteral("job_next_attempt_utc"),
            QStringLiteral("job_last_error_code"),
            QStringLiteral("resource_id"),
            QStringLiteral("cloud")}; // "azure" | "gcp" (last: older readers keep their indexes)
}

bool exportAudit(Store &store, const QDateTime &from, const QDateTime &to, const QString &path,
                 const CsvOptions &options, QString *error, ExportProgress *progress)
{
    constexpr qsizetype kRowsPerStep = 4096;
    CsvWriter writer(path, options);
    if (!writer.open(error))
        return false;
    writer.writeRow(auditCsvColumns());
    const QList<AuditRecord> rows = store.audit(from, to, std::numeric_limits<int>::max());
    if (rows.isEmpty() && store.lastError().code != StoreError::Code::None) {
        if (error != nullptr)
            *error = exportStoreError(store, QStringLiteral("the audit log"));
        return false;
    }
    const qint64 steps = qMax<qint64>(1, (rows.size() + kRowsPerStep - 1) / kRowsPerStep);
    if (!continueExport(progress, 0, 0, steps, error))
        return false;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const AuditRecord &a = rows.at(i);
        writer.number(a.id).time(a.at).text(a.actor).text(a.action).text(a.target).text(a.detail);
        writer.endRow();
        if ((i + 1) % kRowsPerStep == 0 || i + 1 == rows.size()) {
            if (!continueExport(progress, i + 1, (i + kRowsPerStep) / kRowsPerStep, steps, error))
                return false;
        }
    }
    if (!writer.commit(error))
        return false;
    if (progress != nullptr)
        progress->rows = rows.size();
    return true;
}

bool exportFleet(Store &store, const QString &path, const CsvOptions &options, QString *error)
{
    CsvWriter writer(path, options);
    if (!writer.open(error))
        return false;
    const QList<VmRecord> vms = store.vms();
    if (vms.isEmpty() && store.lastError().code != StoreError::Code::None) {
        if (error != nullptr)
            *error = exportStoreError(store, QStringLiteral("the fleet"));
        return false;
    }
    QHash<qint64, JobRecord> jobs;
    for (const JobRecord &job : store.activeJobs())
        jobs.insert(job.vmId, job);

    writer.writeRow(fleetCsvColumns());
    for (const VmRecord &vm : vms) {
        writer.number(vm.id).text(vm.name).text(vm.resourceGroup).text(vm.subscriptionId);
        writer.text(vm.location).text(vm.zone).text(vm.size).text(vm.priority);
        writer.text(vm.evictionPolicy).text(toString(vm.powerState)).time(vm.powerStateAt);
        writer.text(toString(vm.desiredState));
        writer.text(vm.autoRestart ? QStringLiteral("true") : QStringLiteral("false"));
        writer.text(toString(vm.managedBy)).time(vm.agentLastSeen).text(vm.agentVersion);
        const auto job = jobs.constFind(vm.id);
        if (job != jobs.constEnd()) {
            writer.text(toString(job->state)).number(qint64(job->attempt));
            writer.time(job->nextAttemptAt).text(job->lastErrorCode);
        } else {
            writer.empty().empty().empty().empty();
        }
        writer.text(vm.resourceId).text(toString(cloudOf(vm)));
        writer.endRow();
    }
    return writer.commit(error);
}

} // namespace spotkeeper::core
