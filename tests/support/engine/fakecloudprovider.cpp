// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/engine/fakecloudprovider.h"

#include <algorithm>

namespace spotkeeper::core::test {

using namespace Qt::StringLiterals;
using spotkeeper::testsupport::ManualClock;

namespace {

// A token bucket kept as integers: tokens are scaled by periodMs so that refilling
// perPeriod tokens per period adds exactly perPeriod units per millisecond.
bool takeToken(qint64 &units, qint64 &atMs, qint64 nowMs, int burst, int perPeriod, qint64 periodMs,
               qint64 *waitMs)
{
    const qint64 capacity = qint64(burst) * periodMs;
    if (atMs == 0) {
        units = capacity;
        atMs = nowMs;
    }
    units = std::min(capacity, units + (nowMs - atMs) * perPeriod);
    atMs = nowMs;
    if (units >= periodMs) {
        units -= periodMs;
        return true;
    }
    if (waitMs)
        *waitMs = (periodMs - units + perPeriod - 1) / perPeriod;
    return false;
}

} // namespace

FakeCloudProvider::FakeCloudProvider(ManualClock &clock, QObject *parent)
    : CloudProvider(parent)
    , m_clock(clock)
{ }

FakeCloudProvider::~FakeCloudProvider() = default;

void FakeCloudProvider::addVm(const VmRecord &vm, PowerState state)
{
    Vm entry;
    entry.record = vm;
    if (entry.record.resourceKey.isEmpty())
        entry.record.resourceKey = vm.resourceId.toLower();
    entry.timeline.insert(0, state);
    m_vms.insert(entry.record.resourceKey, entry);
}

void FakeCloudProvider::setPowerAt(const QString &key, const QDateTime &at, PowerState state)
{
    auto it = m_vms.find(key);
    if (it == m_vms.end())
        return;
    const qint64 ms = at.toMSecsSinceEpoch();
    // A new fact replaces whatever the timeline planned from then on.
    it->timeline.erase(it->timeline.lowerBound(ms), it->timeline.end());
    it->timeline.insert(ms, state);
}

PowerState FakeCloudProvider::powerAt(const QString &key, const QDateTime &at) const
{
    const auto it = m_vms.constFind(key);
    if (it == m_vms.cend())
        return PowerState::Deleted;
    auto entry = it->timeline.upperBound(at.toMSecsSinceEpoch());
    if (entry == it->timeline.cbegin())
        return PowerState::Unknown;
    return std::prev(entry).value();
}

void FakeCloudProvider::setTags(const QString &key, const QMap<QString, QString> &tags)
{
    if (auto it = m_vms.find(key); it != m_vms.end())
        it->record.tags = tags;
}

void FakeCloudProvider::scriptStarts(const QString &key, const QList<StartScript> &script)
{
    if (auto it = m_vms.find(key); it != m_vms.end())
        it->script = script;
}

void FakeCloudProvider::scriptPowerFailures(const QString &key, const QList<CallResult> &failures)
{
    if (auto it = m_vms.find(key); it != m_vms.end())
        it->powerFailures = failures;
}

void FakeCloudProvider::enforceWriteBucket(int burst, int perSecond)
{
    m_writeBurst = burst;
    m_writePerSecond = perSecond;
    m_writeAtMs = 0;
}

void FakeCloudProvider::enforceVmStartPace(int burst, int perMinute)
{
    m_paceBurst = burst;
    m_pacePerMinute = perMinute;
}

void FakeCloudProvider::post(qint64 atMs, std::function<void()> reply)
{
    m_pending.insert(qMakePair(atMs, m_seq++), std::move(reply));
}

int FakeCloudProvider::deliverDue()
{
    int delivered = 0;
    const qint64 now = m_clock.nowMSecs();
    while (!m_pending.isEmpty() && m_pending.firstKey().first <= now) {
        std::function<void()> reply = m_pending.take(m_pending.firstKey());
        reply(); // may queue more replies
        ++delivered;
    }
    return delivered;
}

QDateTime FakeCloudProvider::nextReplyAt() const
{
    if (m_pending.isEmpty())
        return {};
    return QDateTime::fromMSecsSinceEpoch(m_pending.firstKey().first, Qt::UTC);
}

void FakeCloudProvider::dropPendingReplies()
{
    m_pending.clear();
}

int FakeCloudProvider::count(Kind kind, const QString &vm) const
{
    return int(std::count_if(calls.cbegin(), calls.cend(), [&](const Call &c) {
        return c.kind == kind && (vm.isEmpty() || c.vm == vm);
    }));
}

QList<QDateTime> FakeCloudProvider::times(Kind kind, const QString &vm) const
{
    QList<QDateTime> out;
    for (const Call &c : calls) {
        if (c.kind == kind && (vm.isEmpty() || c.vm == vm))
            out.append(c.at);
    }
    return out;
}

void FakeCloudProvider::powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    PowerStateResult result;
    auto it = m_vms.find(vm.resourceKey);
    if (it != m_vms.end() && !it->powerFailures.isEmpty()) {
        result.call = it->powerFailures.takeFirst();
    } else {
        result.state = powerAt(vm.resourceKey, now);
        // Azure answers 404 for a deleted VM; EC2 still lists a terminated instance (its ARN
        // key) for a while, as "terminated": an answer, not an error.
        if (result.state == PowerState::Deleted && !vm.resourceKey.startsWith(u"arn:"_s)) {
            result.call.failure = FailureClass::NotFound;
            result.call.httpStatus = 404;
            result.call.errorCode = u"NotFound"_s;
            result.call.errorMessage = u"The entity was not found in this Azure location."_s;
        } else {
            result.call.httpStatus = 200;
        }
    }
    calls.append({Kind::PowerState, vm.resourceKey, now, false, 0, result.call.failure});
    post(now.toMSecsSinceEpoch() + latencyMs, [done, result] { done(result); });
}

CallResult FakeCloudProvider::failureFor(const StartScript &script) const
{
    CallResult call;
    call.failure = script.failure;
    call.errorCode = script.errorCode;
    call.httpStatus = script.httpStatus;
    call.correlationId = u"corr-"_s + QString::number(m_seq);
    if (call.httpStatus == 0) {
        switch (script.failure) {
        case FailureClass::Throttled:
            call.httpStatus = 429;
            break;
        case FailureClass::Authorization:
            call.httpStatus = 403;
            break;
        case FailureClass::NotFound:
            call.httpStatus = 404;
            break;
        case FailureClass::Transient:
        case FailureClass::Capacity:
        case FailureClass::Quota:
        case FailureClass::Price:
            call.httpStatus = 409;
            break;
        default:
            call.httpStatus = 400;
            break;
        }
    }
    call.errorMessage = u"scripted "_s + toString(script.failure) + u" failure"_s;
    if (script.retryAfterMs > 0)
        call.retryAfter = m_clock.nowUtc().addMSecs(script.retryAfterMs);
    return call;
}

void FakeCloudProvider::start(const VmRecord &vm, std::function<void(const QString &)> progress,
                              std::function<void(StartResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const QString key = vm.resourceKey;
    auto it = m_vms.find(key);
    Call call {Kind::Start, key, now, false, 0, FailureClass::None};
    if (it == m_vms.end()) {
        StartResult result;
        result.call = failureFor({FailureClass::NotFound, u"NotFound"_s});
        result.finished = true;
        call.answered = FailureClass::NotFound;
        calls.append(call);
        post(nowMs + latencyMs, [done, result] { done(result); });
        return;
    }
    const PowerState current = powerAt(key, now);
    if (current == PowerState::Running || current == PowerState::Starting)
        ++startsWhileRunning;

    qint64 waitMs = 0;
    if (m_writeBurst > 0
        && !takeToken(m_writeTokensMilli, m_writeAtMs, nowMs, m_writeBurst, m_writePerSecond, 1'000,
                      &waitMs)) {
        ++m_throttled;
        StartScript throttle {FailureClass::Throttled, u"TooManyRequests"_s, 429,
                              ((waitMs + 999) / 1'000) * 1'000};
        StartResult result;
        result.call = failureFor(throttle);
        result.finished = true;
        call.answered = FailureClass::Throttled;
        calls.append(call);
        post(nowMs + latencyMs, [done, result] { done(result); });
        return;
    }
    if (m_paceBurst > 0
        && !takeToken(it->paceTokensMilli, it->paceAtMs, nowMs, m_paceBurst, m_pacePerMinute,
                      60'000, nullptr)) {
        ++m_paceViolations; // Compute would answer 429 here; the engine must never get here
    }

    std::optional<StartScript> outcome;
    if (!it->script.isEmpty())
        outcome = it->script.takeFirst();
    else if (startRule)
        outcome = startRule(key);
    if (!outcome && (current == PowerState::Deallocating || current == PowerState::Stopping))
        outcome = StartScript {FailureClass::Transient, u"OperationNotAllowed"_s, 409};
    const StartScript script = outcome.value_or(StartScript {});

    if (script.failure != FailureClass::None && !script.failAsync) {
        StartResult result;
        result.call = failureFor(script);
        result.finished = true;
        call.answered = script.failure;
        calls.append(call);
        post(nowMs + latencyMs, [done, result] { done(result); });
        return;
    }

    if (script.acceptedWithoutUrl) {
        StartResult result;
        result.call.httpStatus = 202;
        calls.append(call);
        post(nowMs + latencyMs, [done, result] { done(result); });
        return;
    }

    // 202 Accepted: the async operation runs operationMs, then Succeeded or Failed.
    const QString url = u"https://fake.invalid/operations/op"_s + QString::number(++m_opCounter);
    Operation op;
    op.vm = key;
    op.finishMs = nowMs + script.operationMs;
    op.result.asyncOperationUrl = url;
    op.result.finished = true;
    if (script.failure == FailureClass::None) {
        op.result.call.httpStatus = 200;
        setPowerAt(key, now.addMSecs(latencyMs), PowerState::Starting);
        setPowerAt(key, QDateTime::fromMSecsSinceEpoch(op.finishMs, Qt::UTC), PowerState::Running);
    } else {
        op.result.call = failureFor(script);
        call.answered = script.failure;
    }
    m_ops.insert(url, op);
    calls.append(call);
    post(nowMs + latencyMs, [progress, url] { progress(url); });
    const StartResult result = op.result;
    post(op.finishMs, [done, result] { done(result); });
}

void FakeCloudProvider::startWithoutFollowing(const VmRecord &vm,
                                              std::function<void(StartResult)> done)
{
    // The same start (script, budgets, power timeline, operation), but done() gets the 202
    // itself: ok, not finished, with the operation's URL (a later resumeStart follows it).
    ++startsNotFollowed;
    auto url = std::make_shared<QString>();
    auto answered = std::make_shared<bool>(false);
    start(
        vm, [url](const QString &u) { *url = u; },
        [this, done, url, answered](StartResult result) {
            if (*answered)
                return;
            *answered = true;
            done(result); // a synchronous failure (or a 202 without URL) as start() gives it
        });
    // start() queued progress(url) at now + latency: answer right after it.
    post(m_clock.nowMSecs() + latencyMs, [this, done, url, answered] {
        if (*answered || url->isEmpty())
            return;
        *answered = true;
        StartResult accepted;
        accepted.call.httpStatus = 202;
        accepted.asyncOperationUrl = *url;
        done(accepted);
    });
}

void FakeCloudProvider::resumeStart(const VmRecord &vm, const QString &asyncUrl,
                                    std::function<void(StartResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    calls.append({Kind::ResumeStart, vm.resourceKey, now, false, 0, FailureClass::None});
    const auto it = m_ops.constFind(asyncUrl);
    if (it == m_ops.cend()) {
        StartResult result;
        result.call = failureFor({FailureClass::NotFound, u"NotFound"_s});
        result.finished = true;
        post(now.toMSecsSinceEpoch() + latencyMs, [done, result] { done(result); });
        return;
    }
    const StartResult result = it->result;
    post(std::max(now.toMSecsSinceEpoch() + latencyMs, it->finishMs),
         [done, result] { done(result); });
}

void FakeCloudProvider::listVms(const QString &subscriptionId, bool statusOnly,
                                std::function<void(ListResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    ListResult result;
    QList<QString> keys = m_vms.keys();
    std::sort(keys.begin(), keys.end());
    for (const QString &key : std::as_const(keys)) {
        const Vm &vm = m_vms[key];
        if (vm.record.subscriptionId.compare(subscriptionId, Qt::CaseInsensitive) != 0)
            continue;
        const PowerState state = powerAt(key, now);
        if (state == PowerState::Deleted)
            continue;
        VmRecord listed;
        listed.resourceId = vm.record.resourceId;
        listed.resourceKey = key;
        listed.subscriptionId = vm.record.subscriptionId;
        listed.resourceGroup = vm.record.resourceGroup;
        listed.name = vm.record.name;
        listed.location = vm.record.location;
        if (statusOnly) {
            listed.powerState = state;
        } else {
            listed.vmId = vm.record.vmId;
            listed.size = vm.record.size;
            listed.priority = vm.record.priority;
            listed.evictionPolicy = vm.record.evictionPolicy;
            listed.tags = vm.record.tags;
        }
        result.vms.append(listed);
    }
    result.pages = std::max<int>(1, int((result.vms.size() + listPageSize - 1) / listPageSize));
    result.complete = listsComplete;
    result.call.httpStatus = 200;
    calls.append(
        {Kind::List, subscriptionId.toLower(), now, statusOnly, result.pages, FailureClass::None});
    post(now.toMSecsSinceEpoch() + latencyMs * result.pages, [done, result] { done(result); });
}

void FakeCloudProvider::evictionEvidence(const VmRecord &vm, const QDateTime &since,
                                         std::function<void(EvidenceResult)> done)
{
    Q_UNUSED(since);
    const QDateTime now = m_clock.nowUtc();
    calls.append({Kind::Evidence, vm.resourceKey, now, false, 0, FailureClass::None});
    EvidenceResult result = m_evidence.value(vm.resourceKey);
    result.call = CallResult {};
    result.call.httpStatus = 200;
    post(now.toMSecsSinceEpoch() + latencyMs, [done, result] { done(result); });
}

void FakeCloudProvider::evictionEvidenceForVms(const QString &subscriptionId,
                                               const QList<VmRecord> &vms, const QDateTime &since,
                                               std::function<void(FleetEvidenceResult)> done)
{
    Q_UNUSED(since);
    // The listing returns every record of the subscription, asked about or not: pages follow
    // from all of them.
    qsizetype records = 0;
    for (auto it = m_evidence.cbegin(); it != m_evidence.cend(); ++it) {
        const auto vm = m_vms.constFind(it.key());
        if (it->kind != EvidenceKind::None && vm != m_vms.cend()
            && vm->record.subscriptionId.compare(subscriptionId, Qt::CaseInsensitive) == 0)
            ++records;
    }
    const int pageSize = std::max(1, evidencePageSize);
    const int needed = std::max(1, int((records + pageSize - 1) / pageSize));
    FleetEvidenceResult result;
    result.pages = std::min(needed, std::max(1, maxEvidencePages));
    result.complete = result.pages == needed;
    result.call.httpStatus = 200;
    if (result.complete) { // a cut-short listing: which records it holds is not modelled
        for (const VmRecord &vm : vms) {
            const auto found = m_evidence.constFind(vm.resourceKey);
            if (found != m_evidence.cend() && found->kind != EvidenceKind::None)
                result.byVm.insert(vm.resourceKey, *found);
        }
    }
    const QDateTime now = m_clock.nowUtc();
    calls.append({Kind::EvidenceListing, QString(), now, false, result.pages, FailureClass::None});
    post(now.toMSecsSinceEpoch() + latencyMs * result.pages, [done, result] { done(result); });
}

void FakeCloudProvider::deallocate(const VmRecord &vm, std::function<void(CallResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    const CallResult answer = deallocateAnswer;
    calls.append({Kind::Deallocate, vm.resourceKey, now, false, 0, answer.failure});
    if (answer.ok() && m_vms.contains(vm.resourceKey)) {
        setPowerAt(vm.resourceKey, now.addMSecs(latencyMs), PowerState::Deallocating);
        setPowerAt(vm.resourceKey, now.addMSecs(latencyMs + 30'000), PowerState::Deallocated);
    }
    post(now.toMSecsSinceEpoch() + latencyMs, [done, answer] { done(answer); });
}

void FakeCloudProvider::restart(const VmRecord &vm, std::function<void(CallResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    const CallResult answer = restartAnswer;
    calls.append({Kind::Restart, vm.resourceKey, now, false, 0, answer.failure});
    post(now.toMSecsSinceEpoch() + latencyMs, [done, answer] { done(answer); });
}

bool FakeCloudProvider::canChangeSettings(const VmRecord &vm) const
{
    Q_UNUSED(vm);
    return settingsSupported;
}

void FakeCloudProvider::vmSettings(const VmRecord &vm, std::function<void(VmSettingsResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    VmSettingsResult result;
    if (!settingsSupported) {
        result.call = settingsNotSupported();
    } else {
        result.size = size(vm.resourceKey);
        result.maxPrice = maxPrice(vm.resourceKey);
    }
    calls.append({Kind::Settings, vm.resourceKey, now, false, 0, result.call.failure});
    post(now.toMSecsSinceEpoch() + latencyMs, [done, result] { done(result); });
}

void FakeCloudProvider::availableSizes(const VmRecord &vm, std::function<void(VmSizesResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    VmSizesResult result;
    if (!settingsSupported)
        result.call = settingsNotSupported();
    else
        result.sizes = sizesOffered;
    calls.append({Kind::Sizes, vm.resourceKey, now, false, 0, result.call.failure});
    post(now.toMSecsSinceEpoch() + latencyMs, [done, result] { done(result); });
}

void FakeCloudProvider::changeSettings(const VmRecord &vm, const VmSettingsChange &change,
                                       std::function<void(CallResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    const CallResult answer = settingsSupported ? changeSettingsAnswer : settingsNotSupported();
    calls.append({Kind::ChangeSettings, vm.resourceKey, now, false, 0, answer.failure});
    const QString key = vm.resourceKey;
    post(now.toMSecsSinceEpoch() + latencyMs, [this, key, change, done, answer] {
        if (answer.ok() && m_vms.contains(key)) { // applied when the answer comes
            if (!change.size.isEmpty())
                m_vms[key].record.size = change.size;
            if (change.maxPrice)
                m_vms[key].maxPrice = change.maxPrice;
        }
        done(answer);
    });
}

} // namespace spotkeeper::core::test
