// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RestartEngine: the capacity fallback (docs/ENGINE.md "Capacity fallback"). A VM that opted in
// and whose starts were refused for capacity for FallbackConfig::afterMs is resized to the next
// operator-approved size its region offers, then started; a start refused for the max price
// raises billingProfile.maxPrice to the operator's cap, never above. Every change is one audit
// row (before/after) and one event in the VM's timeline, at most maxChangesPerDay a day per VM;
// a dry run records what would happen and changes nothing. The decisions are capacityfallback.h's.
#include "engine/capacityfallback.h"
#include "engine/restartengine.h"
#include "fleet/eventtypes.h"
#include "store/store.h"

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QString callText(const CallResult &call)
{
    QString text = toString(call.failure);
    if (!call.errorCode.isEmpty())
        text += u" ("_s + call.errorCode + u')';
    if (!call.errorMessage.isEmpty())
        text += u": "_s + call.errorMessage;
    return text;
}

QString priceText(double price)
{
    return QString::number(price, 'g', 10);
}

} // namespace

void RestartEngine::fallbackNote(qint64 vmId, const QString &message)
{
    // One event per distinct message per job: a shortage that lasts hours must not repeat
    // "no approved size left" at every backoff.
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->fallbackNotes.contains(message))
        return;
    it->fallbackNotes.insert(message);
    EventRecord event = vmEvent(vmId, EventKind::JobTransition, u"engine"_s, message);
    event.eventType = eventtype::kFallback.toString();
    m_store.appendEvent(event);
}

bool RestartEngine::fallbackLimitReached(const VmRecord &vm, QString *why)
{
    const int limit = m_config.fallback.maxChangesPerDay;
    const QDateTime since = now().addDays(-1);
    const int made =
        fallbackChangesSince(m_store.audit(since, QDateTime(), 0), vm.resourceKey, since);
    if (made < limit)
        return false;
    *why = u"capacity fallback: the limit of %1 changes a day for this VM is reached"_s.arg(limit);
    return true;
}

void RestartEngine::recordFallback(const VmRecord &vm, const QString &action,
                                   const FallbackChange &change, const QString &actor)
{
    AuditRecord record;
    record.at = now();
    record.actor = actor;
    record.action = action;
    record.target = vm.resourceKey;
    record.detail = encodeFallbackChange(change);
    const qint64 auditId = m_store.appendAudit(record);
    if (auditId <= 0)
        Q_EMIT storeFailed(u"cannot write the audit row for "_s + action);
    const QString what = change.field == "size"_L1 ? u"size"_s : u"max price"_s;
    QString message;
    if (!change.error.isEmpty())
        message = u"%1 %2 -> %3 failed: %4"_s.arg(what, change.before, change.after, change.error);
    else if (change.dryRun)
        message = u"dry run: would change the %1 %2 -> %3 (%4)"_s.arg(what, change.before,
                                                                      change.after, change.reason);
    else
        message = u"%1 %2 -> %3 (%4)"_s.arg(what, change.before, change.after, change.reason);
    EventRecord event = vmEvent(
        vm.id, EventKind::JobTransition, u"engine"_s,
        (action == QLatin1StringView(kAuditFallbackUndo) ? u"undo: "_s : u"capacity fallback: "_s)
            + message);
    event.eventType = eventtype::kFallback.toString();
    event.eventId = auditId > 0 ? QString::number(auditId) : QString(); // the undo button's row
    event.eventStatus =
        change.dryRun ? u"dry_run"_s : (change.error.isEmpty() ? u"applied"_s : u"failed"_s);
    m_store.appendEvent(event);
    if (change.error.isEmpty() && !change.dryRun && change.field == "size"_L1) {
        // The row as it is now (the power state may have moved on since the call went out).
        if (std::optional<VmRecord> resized = m_store.vm(vm.id)) {
            resized->size = change.after;
            m_store.upsertVm(*resized);
        }
    }
    Q_EMIT fallbackRecorded(vm.id, action, message);
}

void RestartEngine::resumeAfterFallback(qint64 vmId, bool startNow)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return;
    it->inFlight = false;
    const QDateTime at = now();
    it->dueAt =
        startNow || !it->job.nextAttemptAt.isValid() ? at : std::max(at, it->job.nextAttemptAt);
    reschedule();
}

std::optional<FallbackPolicy> RestartEngine::fallbackPolicyOf(const VmRecord &vm)
{
    QString problem;
    std::optional<FallbackPolicy> policy = fallbackPolicyFor(m_config.fallback, vm, &problem);
    if (!problem.isEmpty())
        fallbackNote(vm.id, u"capacity fallback: the VM's tags are not usable: "_s + problem);
    return policy;
}

bool RestartEngine::fallbackAllowed(const VmRecord &vm)
{
    if (!m_cloud.canChangeSettings(vm)) {
        fallbackNote(vm.id,
                     u"capacity fallback: "_s + CloudProvider::settingsNotSupported().errorMessage);
        return false;
    }
    if (QString why; fallbackLimitReached(vm, &why)) {
        fallbackNote(vm.id, why);
        return false;
    }
    return true;
}

bool RestartEngine::fallBackFromCapacity(qint64 vmId)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end() || it->job.state != JobState::BackingOff || it->inFlight)
        return false;
    if (!it->capacitySince.isValid())
        it->capacitySince = now();
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (!vm)
        return false;
    const std::optional<FallbackPolicy> policy = fallbackPolicyOf(*vm);
    if (!policy || policy->sizes.isEmpty()
        || it->capacitySince.msecsTo(now()) < m_config.fallback.afterMs)
        return false;
    if (m_config.fallback.dryRun && it->fallbackDryRun)
        return false; // what a dry run would do is recorded once per job
    if (!fallbackAllowed(*vm))
        return false;
    if (takeTokens(
            budget(m_vmStart, vm->resourceKey, m_config.budgets.vmStarts),
            budget(m_subWrite, vm->subscriptionId.toLower(), m_config.budgets.subscriptionWrites))
            .isValid())
        return false; // no write budget now: the next refusal tries again
    const FallbackStep step {vmId, it->generation, *vm,
                             u"capacity errors for %1 min (last %2), %3"_s.arg(
                                 QString::number(it->capacitySince.msecsTo(now()) / 60'000),
                                 it->job.lastErrorCode, policy->source)};
    it->inFlight = true;
    it->dueAt = QDateTime();
    m_cloud.availableSizes(
        *vm, [alive = m_alive, this, step, approved = policy->sizes](const VmSizesResult &sizes) {
            if (*alive)
                resizeWithin(step, approved, sizes);
        });
    return true;
}

void RestartEngine::resizeWithin(const FallbackStep &step, const QStringList &approved,
                                 const VmSizesResult &sizes)
{
    auto job = m_jobs.find(step.vmId);
    if (job == m_jobs.end() || job->generation != step.generation)
        return; // an operator acted meanwhile; nothing was changed yet
    if (!sizes.call.ok()) {
        fallbackNote(step.vmId,
                     u"capacity fallback: cannot read the sizes the region offers: "_s
                         + callText(sizes.call));
        resumeAfterFallback(step.vmId, false);
        return;
    }
    QString why;
    const QString next = nextFallbackSize(approved, step.vm.size, sizes.sizes, &why);
    if (next.isEmpty()) {
        fallbackNote(step.vmId, u"capacity fallback: "_s + why);
        resumeAfterFallback(step.vmId, false);
        return;
    }
    const FallbackChange change {u"size"_s, step.vm.size, next, m_config.fallback.dryRun,
                                 step.reason};
    if (change.dryRun) {
        job->fallbackDryRun = true;
        recordFallback(step.vm, QLatin1StringView(kAuditFallbackResize), change, u"engine"_s);
        resumeAfterFallback(step.vmId, false);
        return;
    }
    applyFallback(step, QLatin1StringView(kAuditFallbackResize), change,
                  VmSettingsChange {next, std::nullopt});
}

void RestartEngine::applyFallback(const FallbackStep &step, const QString &action,
                                  const FallbackChange &change, const VmSettingsChange &settings)
{
    m_cloud.changeSettings(
        step.vm, settings, [alive = m_alive, this, step, action, change](const CallResult &call) {
            if (!*alive)
                return;
            FallbackChange done = change;
            if (!call.ok())
                done.error = callText(call);
            recordFallback(step.vm, action, done,
                           u"engine"_s); // the change happened, whatever else
            auto job = m_jobs.find(step.vmId);
            if (job == m_jobs.end() || job->generation != step.generation)
                return;
            job->inFlight = false;
            if (change.field == "max_price"_L1 && !call.ok()) {
                parkForOperator(step.vmId,
                                u"the capacity fallback could not raise the max price: "_s
                                    + done.error);
                return;
            }
            if (change.field == "size"_L1 && call.ok()) {
                job->capacityKey =
                    (step.vm.subscriptionId + u'|' + step.vm.location + u'|' + change.after)
                        .toLower();
                job->capacitySince = QDateTime();
            }
            resumeAfterFallback(step.vmId, call.ok()); // changed: start now
        });
}

bool RestartEngine::raiseMaxPriceAfterRefusal(qint64 vmId, const CallResult &call,
                                              const EventRecord &attempt)
{
    auto it = m_jobs.find(vmId);
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (it == m_jobs.end() || !vm)
        return false;
    const std::optional<FallbackPolicy> policy = fallbackPolicyOf(*vm);
    if (!policy || !policy->maxPriceCap || !fallbackAllowed(*vm))
        return false;
    // The refusal is recorded as the start attempt it is; the job waits (BackingOff, nothing
    // due) while the max price is read and raised.
    it->job.nextAttemptAt = now();
    EventRecord event = attempt;
    event.message += u"; the capacity fallback raises the max price (cap %1)"_s.arg(
        formatMaxPrice(*policy->maxPriceCap));
    if (!transition(vmId, JobState::BackingOff, {}, &event))
        return true;
    it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return true;
    it->inFlight = true;
    it->dueAt = QDateTime();
    const FallbackStep step {vmId, it->generation, *vm,
                             u"start refused for the max price, cap %1 (%2)"_s.arg(
                                 formatMaxPrice(*policy->maxPriceCap), policy->source)};
    m_cloud.vmSettings(*vm,
                       [alive = m_alive, this, step, cap = *policy->maxPriceCap,
                        refusal = callText(call)](const VmSettingsResult &settings) {
                           if (*alive)
                               raiseWithin(step, cap, refusal, settings);
                       });
    return true;
}

void RestartEngine::raiseWithin(const FallbackStep &step, double cap, const QString &refusal,
                                const VmSettingsResult &settings)
{
    auto job = m_jobs.find(step.vmId);
    if (job == m_jobs.end() || job->generation != step.generation)
        return;
    const QString refused = u"start refused for the max price (%1); "_s.arg(refusal);
    if (!settings.call.ok()) {
        parkForOperator(step.vmId,
                        refused
                            + u"the capacity fallback cannot read the VM's max "
                              "price: "_s
                            + callText(settings.call));
        return;
    }
    QString why = u"the VM has no max price to raise"_s;
    const std::optional<double> raised =
        settings.maxPrice ? raisedMaxPrice(*settings.maxPrice, cap, &why) : std::nullopt;
    if (!raised) {
        parkForOperator(step.vmId,
                        refused + u"the capacity fallback may not raise it further: "_s + why
                            + u" — raise the cap or wait for the Spot price to "
                              "fall, then force a restart"_s);
        return;
    }
    const FallbackChange change {u"max_price"_s, priceText(*settings.maxPrice), priceText(*raised),
                                 m_config.fallback.dryRun, step.reason};
    if (change.dryRun) {
        recordFallback(step.vm, QLatin1StringView(kAuditFallbackMaxPrice), change, u"engine"_s);
        parkForOperator(step.vmId,
                        refused
                            + u"dry run: the capacity fallback would raise the max "
                              "price %1 -> %2"_s.arg(formatMaxPrice(*settings.maxPrice),
                                                     formatMaxPrice(*raised)));
        return;
    }
    applyFallback(step, QLatin1StringView(kAuditFallbackMaxPrice), change,
                  VmSettingsChange {{}, *raised});
}

void RestartEngine::parkForOperator(qint64 vmId, const QString &reason)
{
    auto it = m_jobs.find(vmId);
    if (it == m_jobs.end())
        return;
    it->inFlight = false;
    it->job.reason = reason;
    it->dueAt = QDateTime();
    it->reserved = false;
    EventRecord event = jobEvent(it->job, EventKind::JobTransition,
                                 toString(it->job.state) + u" -> needs_operator: "_s + reason);
    event.eventType = eventtype::kNeedsOperator.toString();
    if (transition(vmId, JobState::NeedsOperator, {}, &event))
        Q_EMIT needsOperator(vmId, reason);
    reschedule();
}

void RestartEngine::noteDeliberateStop(const VmRecord &vm)
{
    if (!m_config.fallback.enabled || !m_config.fallback.returnToPreferred
        || !m_cloud.canChangeSettings(vm))
        return;
    const std::optional<VmRecord> stored = m_store.vm(vm.id);
    if (!stored)
        return;
    const QString preferred = preferredSizeOf(m_store.audit(QDateTime(), QDateTime(), 0),
                                              stored->resourceKey, stored->size);
    if (preferred.isEmpty())
        return;
    m_sizeReturns.insert(vm.id, preferred);
    if (stored->powerState == PowerState::Deallocated)
        returnToPreferredSize(vm.id); // the Activity Log told of a stop that is done already
}

void RestartEngine::returnToPreferredSize(qint64 vmId)
{
    const QString preferred = m_sizeReturns.take(vmId);
    const std::optional<VmRecord> vm = m_store.vm(vmId);
    if (preferred.isEmpty() || !vm || vm->desiredState != DesiredState::Stopped
        || vm->size.compare(preferred, Qt::CaseInsensitive) == 0)
        return;
    FallbackChange change {u"size"_s, vm->size, preferred, m_config.fallback.dryRun,
                           u"back to the preferred size at a deliberate stop"_s};
    if (change.dryRun) {
        recordFallback(*vm, QLatin1StringView(kAuditFallbackReturn), change, u"engine"_s);
        return;
    }
    m_cloud.changeSettings(*vm, VmSettingsChange {preferred, std::nullopt},
                           [alive = m_alive, this, vm = *vm, change](const CallResult &call) {
                               if (!*alive)
                                   return;
                               FallbackChange done = change;
                               if (!call.ok())
                                   done.error = callText(call);
                               recordFallback(vm, QLatin1StringView(kAuditFallbackReturn), done,
                                              u"engine"_s);
                           });
}

OperationResult RestartEngine::undoFallback(qint64 auditId, const QString &actor)
{
    std::optional<AuditRecord> row;
    for (const AuditRecord &record : m_store.audit(QDateTime(), QDateTime(), 0)) {
        if (record.id == auditId)
            row = record;
    }
    if (!row
        || (row->action != QLatin1StringView(kAuditFallbackResize)
            && row->action != QLatin1StringView(kAuditFallbackMaxPrice)
            && row->action != QLatin1StringView(kAuditFallbackReturn)))
        return {OperationResult::Status::NotFound, u"no capacity fallback change with that id"_s};
    const std::optional<FallbackChange> change = decodeFallbackChange(row->detail);
    if (!change)
        return {OperationResult::Status::Invalid, u"the audit row's detail is not readable"_s};
    if (change->dryRun || !change->error.isEmpty())
        return {OperationResult::Status::Invalid,
                u"that row changed nothing (a dry run or a failed change)"_s};
    const std::optional<VmRecord> vm = m_store.vmByKey(row->target);
    if (!vm)
        return {OperationResult::Status::NotFound, u"the VM is no longer in the fleet"_s};
    if (vm->powerState != PowerState::Deallocated && vm->powerState != PowerState::Stopped)
        return {OperationResult::Status::Conflict,
                u"the VM is %1: undo changes a deallocated VM only; stop it on purpose first"_s.arg(
                    toString(vm->powerState))};
    if (const auto job = m_jobs.constFind(vm->id);
        job != m_jobs.constEnd() && (job->inFlight || job->job.state == JobState::Starting))
        return {OperationResult::Status::Conflict, u"a start or a change is in progress"_s};
    if (change->field == "size"_L1 && vm->size.compare(change->after, Qt::CaseInsensitive) != 0)
        return {OperationResult::Status::Conflict,
                u"the VM's size is %1 now, not %2: undo would overwrite a later change"_s.arg(
                    vm->size, change->after)};
    VmSettingsChange settings;
    if (change->field == "size"_L1) {
        settings.size = change->before;
    } else {
        bool ok = false;
        settings.maxPrice = change->before.toDouble(&ok);
        if (!ok)
            return {OperationResult::Status::Invalid,
                    u"the row's earlier max price is unreadable"_s};
    }
    FallbackChange undo {change->field, change->after, change->before, false,
                         u"undo of audit row %1 by %2"_s.arg(QString::number(auditId), actor)};
    undo.undoes = auditId;
    m_cloud.changeSettings(
        *vm, settings, [alive = m_alive, this, vm = *vm, undo, actor](const CallResult &call) {
            if (!*alive)
                return;
            FallbackChange done = undo;
            if (!call.ok())
                done.error = callText(call);
            recordFallback(vm, QLatin1StringView(kAuditFallbackUndo), done, actor);
        });
    return {OperationResult::Status::Ok,
            u"undo requested: %1 %2 -> %3"_s.arg(change->field, change->after, change->before)};
}

} // namespace spotkeeper::core
