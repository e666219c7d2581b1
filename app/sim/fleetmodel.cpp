// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/fleetmodel.h"

#include "base/clock.h"
#include "protocol/awsnames.h"

#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

QString powerCode(Power power)
{
    switch (power) {
    case Power::Running:
        return u"running"_s;
    case Power::Deallocating:
        return u"deallocating"_s;
    case Power::Deallocated:
        return u"deallocated"_s;
    case Power::Starting:
        return u"starting"_s;
    case Power::Deleting:
        return u"deleting"_s;
    case Power::Deleted:
        return u"deleted"_s;
    case Power::Stopping:
        return u"stopping"_s;
    case Power::Stopped:
        return u"stopped"_s;
    }
    return u"unknown"_s;
}

QString SimScaleSet::resourceId() const
{
    return u"/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Compute/"
           "virtualMachineScaleSets/%3"_s.arg(subscriptionId, resourceGroup, name);
}

QString SimVm::resourceId() const
{
    if (isGcp())
        return u"projects/%1/zones/%2/instances/%3"_s.arg(gcpProject, location, name);
    if (isAws())
        return protocol::awsInstanceArn(location, awsAccount, vmId);
    if (!scaleSet.isEmpty())
        return u"/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Compute/"
               "virtualMachineScaleSets/%3/virtualMachines/%4"_s.arg(subscriptionId, resourceGroup,
                                                                     scaleSet, instanceId);
    return u"/subscriptions/%1/resourceGroups/%2/providers/Microsoft.Compute/virtualMachines/%3"_s
        .arg(subscriptionId, resourceGroup, name);
}

namespace {

// The caller the Activity Log records for platform operations (and, here, for starts).
const QString kPlatform = QStringLiteral("Microsoft.Compute");

QString capacityMessage(const QString &code, const SimVm &vm)
{
    if (code == "ZonalAllocationFailed"_L1)
        return u"Allocation failed. We do not have sufficient capacity for the requested VM size "
               "in this zone. Read more about improving likelihood of allocation success at "
               "http://aka.ms/allocation-guidance"_s;
    if (code == "SkuNotAvailable"_L1)
        return u"The requested tier for resource '%1' is currently not available in location "
               "'%2' for subscription '%3'. Try another tier or deploy to a different location."_s
                   .arg(vm.resourceId(), vm.location, vm.subscriptionId);
    return u"Allocation failed. We do not have sufficient capacity for the requested VM size in "
           "this region. Read more about improving likelihood of allocation success at "
           "http://aka.ms/allocation-guidance"_s;
}

} // namespace

FleetModel::FleetModel(const base::Clock &clock, quint32 seed, Timings timings)
    : m_clock(clock)
    , m_rng(seed)
    , m_timings(timings)
    , m_epochMs(clock.nowMSecs())
{ }

qint64 FleetModel::nowMs() const
{
    return m_clock.nowMSecs();
}

QString FleetModel::newGuid()
{
    // Seeded, so a scenario replays with the same ids.
    QByteArray bytes(16, '\0');
    for (char &b : bytes)
        b = char(m_rng.bounded(256));
    bytes[6] = char((bytes[6] & 0x0f) | 0x40);
    bytes[8] = char((bytes[8] & 0x3f) | 0x80);
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

QString FleetModel::randomText(QLatin1StringView alphabet, int length)
{
    QString text;
    for (int i = 0; i < length; ++i)
        text += alphabet.at(qsizetype(m_rng.bounded(int(alphabet.size()))));
    return text;
}

QString FleetModel::checkAwsInstance(SimVm *vm)
{
    // EC2: an account, a Region and an Availability Zone, an instance id; the Spot request's
    // interruption behaviour decides what an interruption does (docs/AWS-PROTOCOL.md §1).
    if (!vm->subscriptionId.isEmpty() || !vm->resourceGroup.isEmpty() || !vm->scaleSet.isEmpty())
        return u"AWS instance '%1': it has no subscription, resource group or scale set"_s.arg(
            vm->name);
    if (vm->vmId.isEmpty())
        vm->vmId = u"i-"_s + randomText("0123456789abcdef"_L1, 17);
    if (vm->name.isEmpty()) // no Name tag: EC2 shows the instance id
        vm->name = vm->vmId;
    if (!protocol::checkAwsAccountId(vm->awsAccount).isEmpty()
        || !protocol::checkAwsRegion(vm->location).isEmpty() || vm->size.isEmpty())
        return u"AWS instance '%1': a 12-digit account, a Region (location) and an "
               "instance type (size) are required"_s.arg(vm->name);
    if (vm->zone.isEmpty())
        vm->zone = vm->location + u'a';
    if (!protocol::checkAwsAvailabilityZone(vm->zone).isEmpty()
        || !vm->zone.startsWith(vm->location))
        return u"AWS instance '%1': zone must be an Availability Zone of %2"_s.arg(vm->name,
                                                                                   vm->location);
    if (vm->awsInterruptionBehavior.isEmpty())
        vm->awsInterruptionBehavior = u"terminate"_s;
    const QString &behaviour = vm->awsInterruptionBehavior;
    if (behaviour != "terminate"_L1 && behaviour != "stop"_L1 && behaviour != "hibernate"_L1)
        return u"AWS instance '%1': interruptionBehavior must be terminate, stop or "
               "hibernate"_s.arg(vm->name);
    if (vm->awsRequestType.isEmpty())
        vm->awsRequestType = behaviour == "terminate"_L1 ? u"one-time"_s : u"persistent"_s;
    if (vm->awsRequestType != "one-time"_L1 && vm->awsRequestType != "persistent"_L1)
        return u"AWS instance '%1': requestType must be one-time or persistent"_s.arg(vm->name);
    if (vm->awsRequestType == "one-time"_L1 && behaviour != "terminate"_L1)
        return u"AWS instance '%1': a one-time Spot request can only terminate"_s.arg(vm->name);
    vm->evictionPolicy = behaviour == "terminate"_L1 ? u"Delete"_s : u"Deallocate"_s;
    if (!protocol::checkAwsInstanceId(vm->vmId).isEmpty())
        return u"AWS instance '%1': vmId must be an instance id (i- and 17 hex digits)"_s.arg(
            vm->name);
    if (vm->awsSpotRequestId.isEmpty() && vm->priority.compare("Spot"_L1, Qt::CaseInsensitive) == 0)
        vm->awsSpotRequestId = u"sir-"_s + randomText("abcdefghijklmnopqrstuvwxyz0123456789"_L1, 8);
    return {};
}

QString FleetModel::checkScaleSetInstance(SimVm *vm) const
{
    const bool digits = !vm->instanceId.isEmpty()
        && std::all_of(vm->instanceId.cbegin(), vm->instanceId.cend(),
                       [](QChar c) { return c.isDigit(); });
    if (!digits)
        return u"instance of scale set '%1': instanceId must be digits"_s.arg(vm->scaleSet);
    const SimScaleSet *set = scaleSet(vm->subscriptionId, vm->resourceGroup, vm->scaleSet);
    if (set == nullptr)
        return u"instance %1: no scale set '%2' in that resource group"_s.arg(vm->instanceId,
                                                                              vm->scaleSet);
    vm->name = vm->scaleSet + u'_' + vm->instanceId;
    vm->priority = set->priority; // an instance follows its scale set's profile
    vm->evictionPolicy = set->evictionPolicy;
    if (vm->location.isEmpty())
        vm->location = set->location;
    if (vm->size.isEmpty())
        vm->size = set->size;
    return {};
}

QString FleetModel::checkCloud(SimVm *vm)
{
    if (vm->isAws())
        return checkAwsInstance(vm);
    if (!vm->isGcp()) {
        if (vm->subscriptionId.isEmpty() || vm->resourceGroup.isEmpty() || vm->name.isEmpty()
            || vm->location.isEmpty() || vm->size.isEmpty())
            return u"VM '%1': subscription, resourceGroup, name, location and size are "
                   "required"_s.arg(vm->name);
        return {};
    }
    // Compute Engine: a project id, an RFC 1035 name, a zone; numeric instance id.
    if (!vm->subscriptionId.isEmpty() || !vm->resourceGroup.isEmpty() || !vm->scaleSet.isEmpty())
        return u"VM '%1': a Google Cloud VM has no subscription, resource group or scale "
               "set"_s.arg(vm->name);
    if (vm->name.isEmpty() || vm->name != vm->name.toLower() || vm->location.isEmpty()
        || vm->size.isEmpty())
        return u"Google Cloud VM '%1': a lower-case name, a zone (location) and a size are "
               "required"_s.arg(vm->name);
    if (vm->vmId.isEmpty())
        vm->vmId = QString::number(m_rng.generate64() >> 1);
    return {};
}

int FleetModel::addVm(SimVm vm, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error != nullptr)
            *error = message;
        return -1;
    };
    if (!vm.scaleSet.isEmpty()) {
        if (const QString problem = checkScaleSetInstance(&vm); !problem.isEmpty())
            return fail(problem);
    }
    if (const QString problem = checkCloud(&vm); !problem.isEmpty())
        return fail(problem);
    // A terminated AWS instance leaves its name (its Name tag) to the instance that replaces it.
    if (const int holder = findByName(vm.name); holder >= 0
        && !(vm.isAws() && m_vms.at(holder).isAws() && m_vms.at(holder).power == Power::Deleted))
        return fail(u"VM name '%1' is used twice (IMDS paths address VMs by name)"_s.arg(vm.name));
    if (vm.evictionPolicy != "Deallocate"_L1 && vm.evictionPolicy != "Delete"_L1)
        return fail(u"VM '%1': evictionPolicy must be Deallocate or Delete"_s.arg(vm.name));
    if (vm.vmId.isEmpty())
        vm.vmId = newGuid();
    vm.powerSinceMs = nowMs();
    const int index = int(m_vms.size());
    m_byName.insert(vm.name.toLower(), index);
    m_vms.push_back(std::move(vm));
    return index;
}

int FleetModel::addScaleSet(SimScaleSet set, QString *error)
{
    if (set.subscriptionId.isEmpty() || set.resourceGroup.isEmpty() || set.name.isEmpty()
        || set.location.isEmpty() || set.size.isEmpty()) {
        if (error != nullptr)
            *error = u"scale set '%1': subscription, resourceGroup, name, location and size are "
                     "required"_s.arg(set.name);
        return -1;
    }
    if (scaleSet(set.subscriptionId, set.resourceGroup, set.name) != nullptr) {
        if (error != nullptr)
            *error = u"scale set name '%1' is used twice"_s.arg(set.name);
        return -1;
    }
    m_scaleSets.append(std::move(set));
    return int(m_scaleSets.size()) - 1;
}

const SimScaleSet *FleetModel::scaleSet(const QString &subscriptionId, const QString &resourceGroup,
                                        const QString &name) const
{
    for (const SimScaleSet &set : m_scaleSets) {
        if (set.subscriptionId.compare(subscriptionId, Qt::CaseInsensitive) == 0
            && set.resourceGroup.compare(resourceGroup, Qt::CaseInsensitive) == 0
            && set.name.compare(name, Qt::CaseInsensitive) == 0)
            return &set;
    }
    return nullptr;
}

int FleetModel::findInstance(const QString &subscriptionId, const QString &resourceGroup,
                             const QString &scaleSet, const QString &instanceId) const
{
    const int index = find(subscriptionId, resourceGroup, scaleSet + u'_' + instanceId);
    if (index < 0 || m_vms.at(index).scaleSet.compare(scaleSet, Qt::CaseInsensitive) != 0)
        return -1;
    return index;
}

int FleetModel::findByName(const QString &name) const
{
    return m_byName.value(name.toLower(), -1);
}

int FleetModel::find(const QString &subscriptionId, const QString &resourceGroup,
                     const QString &name) const
{
    const int index = findByName(name);
    if (index < 0)
        return -1;
    const SimVm &vm = m_vms.at(index);
    if (vm.subscriptionId.compare(subscriptionId, Qt::CaseInsensitive) != 0
        || vm.resourceGroup.compare(resourceGroup, Qt::CaseInsensitive) != 0)
        return -1;
    return index;
}

void FleetModel::setPower(SimVm &vm, Power power, qint64 atMs)
{
    vm.power = power;
    vm.powerSinceMs = atMs;
}

void FleetModel::advance()
{
    const qint64 now = nowMs();
    for (int i = 0; i < int(m_vms.size()); ++i)
        stepVm(i, now);
    settleBatches();
}

void FleetModel::settleBatches()
{
    for (auto id = m_batchOps.begin(); id != m_batchOps.end();) {
        SimOperation &batch = m_ops[*id];
        bool running = false;
        qint64 doneAt = batch.startMs;
        for (const QString &childId : std::as_const(batch.children)) {
            const SimOperation child = m_ops.value(childId);
            if (child.status == "InProgress"_L1) {
                running = true;
                break;
            }
            doneAt = std::max(doneAt, child.doneAtMs);
            if (child.status == "Failed"_L1 && batch.failCode.isEmpty()) {
                batch.failCode = child.failCode;
                batch.failMessage = child.failMessage;
            }
        }
        if (running) {
            ++id;
            continue;
        }
        batch.doneAtMs = doneAt;
        batch.status = batch.failCode.isEmpty() ? u"Succeeded"_s : u"Failed"_s;
        id = m_batchOps.erase(id);
    }
}

StartOutcome FleetModel::startInstances(const QList<int> &indices, qint64 wallMs)
{
    advance();
    ++m_counters.scaleSetStarts;
    m_counters.scaleSetStartInstances += indices.size();
    SimOperation batch;
    batch.id = newGuid();
    batch.startMs = nowMs();
    std::optional<StartOutcome> refused;
    for (const int index : indices) {
        const StartOutcome out = start(index, wallMs);
        if (out.httpStatus == 202) {
            batch.children.append(out.opId);
            batch.subscriptionId = m_vms.at(index).subscriptionId;
            batch.location = m_vms.at(index).location;
        } else if (!refused) {
            refused = out;
        }
    }
    if (batch.children.isEmpty())
        return refused.value_or(StartOutcome {404, {}, u"NotFound"_s, u"no instance"_s});
    if (refused) { // a partial start: the operation reports the refusal once the rest is done
        batch.failCode = refused->errorCode;
        batch.failMessage = refused->errorMessage;
    }
    m_ops.insert(batch.id, batch);
    m_batchOps.append(batch.id);
    StartOutcome out;
    out.opId = batch.id;
    return out;
}

void FleetModel::stepVm(int index, qint64 now)
{
    SimVm &vm = m_vms[index];
    for (int guard = 0; guard < 8; ++guard) {
        if (vm.evictAtMs > 0 && vm.evictAtMs <= now && vm.power == Power::Running) {
            completeEviction(index, vm.evictAtMs);
            continue;
        }
        if (!vm.startOp.isEmpty()) {
            auto it = m_ops.find(vm.startOp);
            if (it != m_ops.end() && it->doneAtMs <= now) {
                finishOperation(*it, it->doneAtMs);
                continue;
            }
        }
        if (vm.nextAtMs == 0 || vm.nextAtMs > now || !stepTransition(vm))
            break;
    }
}

bool FleetModel::stepTransition(SimVm &vm)
{
    const qint64 at = vm.nextAtMs;
    if (vm.power == Power::Stopping) {
        vm.nextAtMs = 0;
        setPower(vm, Power::Stopped, at);
        return true;
    }
    if (vm.power == Power::Deallocating || vm.power == Power::Deleting) {
        vm.nextAtMs = 0;
        setPower(vm, vm.power == Power::Deallocating ? Power::Deallocated : Power::Deleted, at);
        if (!vm.events.isEmpty()) { // the Started Preempt disappears
            vm.events.clear();
            bumpIncarnation(vm);
        }
        if (vm.power == Power::Deallocated) {
            vm.unavoidableEndMs = capacityFreeAt(vm, at) + m_timings.startingMs;
            vm.deallocatedAtMs = at;
            if (ec2RestartsIt(vm))
                vm.nextAtMs = capacityFreeAt(vm, at) + m_timings.awsRestartMs;
        }
        return true;
    }
    return stepEc2Restart(vm);
}

bool FleetModel::stepEc2Restart(SimVm &vm)
{
    const qint64 at = vm.nextAtMs;
    // AWS: EC2 itself restarts an interrupted instance of a persistent Spot request once
    // capacity is back (a shortage added meanwhile moves it later).
    if (vm.power == Power::Deallocated && ec2RestartsIt(vm)) {
        const qint64 free = capacityFreeAt(vm, at);
        if (free > at) {
            vm.nextAtMs = free + m_timings.awsRestartMs;
            return true;
        }
        setPower(vm, Power::Starting, at);
        vm.nextAtMs = at + m_timings.startingMs;
        ++m_counters.ec2Restarts;
        return true;
    }
    if (vm.power == Power::Starting && vm.startOp.isEmpty() && vm.isAws()) {
        vm.nextAtMs = 0;
        vm.awsStateReason.clear();
        setPower(vm, Power::Running, at);
        vm.evictedAtMs = 0;
        return true;
    }
    return false;
}

bool FleetModel::ec2RestartsIt(const SimVm &vm)
{
    return vm.isAws() && vm.awsRequestType == "persistent"_L1
        && vm.awsStateReason == "Server.SpotInstanceShutdown"_L1;
}

SimVm *FleetModel::runningVm(int index)
{
    advance();
    if (index < 0 || index >= int(m_vms.size()))
        return nullptr;
    SimVm &vm = m_vms[index];
    return vm.power == Power::Running && vm.evictAtMs == 0 ? &vm : nullptr;
}

bool FleetModel::evict(int index, bool notice)
{
    SimVm *running = runningVm(index);
    if (running == nullptr)
        return false;
    SimVm &vm = *running;
    const qint64 now = nowMs();
    if (!notice) {
        ++m_counters.evictionsWithoutNotice;
        completeEviction(index, now);
        return true;
    }
    SimEvent event;
    event.eventId = newGuid().toUpper();
    event.status = u"Scheduled"_s;
    // EC2 hibernates at once, with no two-minute lead (docs/AWS-PROTOCOL.md §3).
    const bool atOnce = vm.isAws() && vm.awsInterruptionBehavior == "hibernate"_L1;
    event.notBeforeMs = now + (atOnce ? 0 : m_timings.noticeMs);
    vm.events.append(event);
    bumpIncarnation(vm);
    vm.evictAtMs = event.notBeforeMs;
    return true;
}

bool FleetModel::recommendRebalance(int index)
{
    SimVm *running = runningVm(index);
    if (running == nullptr || !running->isAws())
        return false;
    running->rebalanceAtMs = nowMs();
    return true;
}

void FleetModel::completeEviction(int index, qint64 atMs)
{
    SimVm &vm = m_vms[index];
    vm.evictAtMs = 0;
    vm.rebalanceAtMs = 0; // the next run of the instance starts without one
    bool changed = false;
    for (SimEvent &event : vm.events) {
        if (event.status == "Scheduled"_L1) {
            event.status = u"Started"_s;
            event.notBeforeMs = 0;
            changed = true;
        }
    }
    if (changed)
        bumpIncarnation(vm);
    const bool deleting = vm.evictionPolicy == "Delete"_L1;
    setPower(vm, deleting ? Power::Deleting : Power::Deallocating, atMs);
    vm.nextAtMs = atMs + (deleting ? m_timings.deletingMs : m_timings.deallocatingMs);
    vm.evictedAtMs = atMs;
    vm.outageNoticed = changed;
    vm.deallocatedAtMs = 0;
    vm.firstStartAtMs = 0;
    vm.startsRefused = 0;
    vm.unavoidableEndMs =
        capacityFreeAt(vm, vm.nextAtMs) + m_timings.startingMs; // refined when deallocated
    ++m_counters.evictions;
    if (vm.isAws()) // EC2 stops, hibernates or terminates it; CloudTrail records the eviction
        vm.awsStateReason =
            deleting ? u"Server.SpotInstanceTermination"_s : u"Server.SpotInstanceShutdown"_s;
    m_activity.append(
        ActivityEntry {vm.resourceId(),
                       vm.isAws() ? u"BidEvictedEvent"_s
                                  : u"Microsoft.Compute/virtualMachines/evictSpotVM/action"_s,
                       u"Succeeded"_s, atMs, newGuid(),
                       vm.isAws() ? u"ec2.amazonaws.com"_s : QString(kPlatform), 0});
}

bool FleetModel::deallocate(int index, const QString &caller, qint64 logDelayMs)
{
    return stopAsUser(index, caller, logDelayMs, true);
}

bool FleetModel::restart(int index, const QString &caller, qint64 wallMs)
{
    SimVm *vm = runningVm(index);
    if (!vm)
        return false;
    ++vm->restarts;
    ++m_counters.restarts;
    if (vm->appFixedByRestart) {
        vm->appHealthy = true;
        vm->appFixedByRestart = false;
    }
    m_restarts.append(RestartRecord {nowMs(), wallMs, vm->key(), caller});
    return true;
}

bool FleetModel::setAppHealthy(int index, bool healthy, bool fixedByRestart)
{
    if (index < 0 || index >= int(m_vms.size()))
        return false;
    SimVm &vm = m_vms[index];
    vm.appHealthy = healthy;
    vm.appFixedByRestart = !healthy && fixedByRestart;
    return true;
}

bool FleetModel::appAnswersHealthy(int index)
{
    advance();
    return index >= 0 && index < int(m_vms.size()) && m_vms[index].power == Power::Running
        && m_vms[index].appHealthy;
}

bool FleetModel::powerOff(int index, const QString &caller, qint64 logDelayMs)
{
    return stopAsUser(index, caller, logDelayMs, false);
}

bool FleetModel::stopAsUser(int index, const QString &caller, qint64 logDelayMs, bool deallocate)
{
    SimVm *vmp = runningVm(index);
    if (vmp == nullptr && deallocate && index >= 0 && index < int(m_vms.size())
        && m_vms[index].power == Power::Stopped)
        vmp = &m_vms[index]; // a stopped VM can still be deallocated
    if (vmp == nullptr)
        return false;
    SimVm &vm = *vmp;
    const qint64 now = nowMs();
    setPower(vm, deallocate ? Power::Deallocating : Power::Stopping, now);
    vm.nextAtMs = now + (deallocate ? m_timings.deallocatingMs : m_timings.stoppingMs);
    vm.evictedAtMs = 0; // somebody's decision, not an outage
    vm.deallocatedAtMs = 0;
    ++(deallocate ? m_counters.userDeallocations : m_counters.userPowerOffs);
    if (vm.isAws())
        vm.awsStateReason = u"Client.UserInitiatedShutdown"_s;
    m_activity.append(ActivityEntry {
        vm.resourceId(),
        vm.isAws()       ? u"StopInstances"_s
            : deallocate ? u"Microsoft.Compute/virtualMachines/deallocate/action"_s
                         : u"Microsoft.Compute/virtualMachines/powerOff/action"_s,
        u"Succeeded"_s, now, newGuid(), caller, now + std::max<qint64>(0, logDelayMs)});
    return true;
}

QList<int> FleetModel::evictRandom(int count, const QString &region, bool notice)
{
    advance();
    QList<int> candidates;
    for (int i = 0; i < int(m_vms.size()); ++i) {
        const SimVm &vm = m_vms.at(i);
        if (vm.power == Power::Running && vm.evictAtMs == 0
            && (region.isEmpty() || vm.location.compare(region, Qt::CaseInsensitive) == 0))
            candidates.append(i);
    }
    QList<int> chosen;
    while (chosen.size() < count && !candidates.isEmpty()) {
        const int pick = int(m_rng.bounded(quint32(candidates.size())));
        const int index = candidates.takeAt(pick);
        if (evict(index, notice))
            chosen.append(index);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

QList<int> FleetModel::evictRegion(const QString &region, bool notice)
{
    return evictRandom(int(m_vms.size()), region, notice);
}

void FleetModel::acknowledge(int index, const QStringList &eventIds)
{
    advance();
    SimVm &vm = m_vms[index];
    for (const SimEvent &event : std::as_const(vm.events)) {
        if (event.status == "Scheduled"_L1
            && eventIds.contains(event.eventId, Qt::CaseInsensitive)) {
            ++m_counters.acks;
            vm.evictAtMs = nowMs(); // approval releases the event now
        }
    }
    stepVm(index, nowMs());
}

std::optional<CapacityWindow> FleetModel::shortage(const SimVm &vm, qint64 atMs) const
{
    for (const CapacityWindow &w : m_windows) {
        if (atMs < w.fromMs || atMs >= w.untilMs)
            continue;
        if (!w.region.isEmpty() && w.region.compare(vm.location, Qt::CaseInsensitive) != 0)
            continue;
        if (!w.size.isEmpty() && w.size.compare(vm.size, Qt::CaseInsensitive) != 0)
            continue;
        return w;
    }
    return std::nullopt;
}

qint64 FleetModel::capacityFreeAt(const SimVm &vm, qint64 atMs) const
{
    qint64 t = atMs;
    for (int guard = 0; guard < 1000; ++guard) {
        const auto w = shortage(vm, t);
        if (!w)
            return t;
        t = w->untilMs;
    }
    return t;
}

void FleetModel::addCapacityWindow(CapacityWindow window)
{
    if (window.fromMs == 0)
        window.fromMs = nowMs();
    m_windows.append(window);
}

void FleetModel::setAvailableSizes(const QString &region, const QStringList &sizes)
{
    m_availableSizes.insert(region.toLower(), sizes);
}

QStringList FleetModel::availableSizes(const QString &region) const
{
    if (const auto it = m_availableSizes.constFind(region.toLower());
        it != m_availableSizes.constEnd())
        return *it;
    QStringList sizes;
    const auto add = [&sizes](const QString &size) {
        if (!size.isEmpty() && !sizes.contains(size, Qt::CaseInsensitive))
            sizes.append(size);
    };
    for (const SimVm &vm : m_vms) {
        if (vm.gcpProject.isEmpty() && vm.awsAccount.isEmpty())
            add(vm.size);
    }
    for (auto it = m_prices.cbegin(); it != m_prices.cend(); ++it)
        add(it.key());
    return sizes;
}

std::optional<FleetModel::Refusal> FleetModel::update(int index, const QString &size,
                                                      std::optional<double> maxPrice)
{
    advance();
    SimVm &vm = m_vms[index];
    const QString state = vm.power == Power::Deallocated ? u"deallocated"_s
        : vm.power == Power::Stopped                     ? u"stopped"_s
                                                         : QString();
    if (state.isEmpty() || (maxPrice && vm.power != Power::Deallocated))
        return Refusal {409, u"OperationNotAllowed"_s,
                        u"The VM '%1' must be deallocated to change its %2."_s.arg(
                            vm.name, maxPrice ? u"max price"_s : u"size"_s)};
    if (maxPrice && (*maxPrice < 0 && *maxPrice != -1.0))
        return Refusal {400, u"InvalidParameter"_s,
                        u"maxPrice must be -1 or a positive price in US dollars."_s};
    if (!size.isEmpty() && !availableSizes(vm.location).contains(size, Qt::CaseInsensitive))
        return Refusal {
            409, u"SkuNotAvailable"_s,
            u"The requested VM size %1 is not available in the current region %2."_s.arg(
                size, vm.location)};
    if (!size.isEmpty())
        vm.size = size;
    if (maxPrice)
        vm.maxPrice = *maxPrice;
    return std::nullopt;
}

QList<int> FleetModel::raiseSpotPrice(const QString &size, double usd)
{
    setSpotPrice(size, usd);
    advance();
    QList<int> evicted;
    for (int i = 0; i < vmCount(); ++i) {
        const SimVm &vm = m_vms.at(i);
        if (vm.priority == "Spot"_L1 && vm.size.compare(size, Qt::CaseInsensitive) == 0
            && vm.maxPrice >= 0 && vm.maxPrice < usd && evict(i, true))
            evicted.append(i);
    }
    return evicted;
}

double FleetModel::spotPrice(const QString &size) const
{
    return m_prices.value(size.toLower(), 0.02);
}

std::optional<FleetModel::StartRefusal> FleetModel::startDeallocated(SimVm &vm, SimOperation *op,
                                                                     qint64 now, bool inOutage)
{
    const double price = spotPrice(vm.size);
    if (vm.maxPrice >= 0 && vm.maxPrice < price) {
        ++m_counters.startsRefusedPrice;
        return StartRefusal {409, u"SpotPriceGreaterThanProvidedMaxPrice"_s,
                             u"Unable to perform operation 'start' since the provided max price "
                             "'%1 USD' is lower than the current spot price '%2 USD' for Azure "
                             "Spot Virtual Machine size '%3'."_s.arg(vm.maxPrice)
                                 .arg(price)
                                 .arg(vm.size)};
    }
    if (const auto w = shortage(vm, now)) {
        ++m_counters.startsRefusedCapacity;
        QString code = w->code;
        if (code == "ZonalAllocationFailed"_L1 && vm.zone.isEmpty())
            code = u"AllocationFailed"_s;
        if (!w->async || code == "SkuNotAvailable"_L1)
            return StartRefusal {409, code, capacityMessage(code, vm)};
        op->failCode = code;
        op->failMessage = capacityMessage(code, vm);
        if (inOutage)
            ++vm.startsRefused;
        op->doneAtMs = now + m_timings.startFailMs;
    } else {
        op->doneAtMs = now + m_timings.startingMs;
    }
    setPower(vm, Power::Starting, now);
    return std::nullopt;
}

StartOutcome FleetModel::start(int index, qint64 wallMs)
{
    advance();
    SimVm &vm = m_vms[index];
    const qint64 now = nowMs();
    StartRecord record;
    record.simMs = now;
    record.wallMs = wallMs;
    record.vmKey = vm.key();
    record.powerBefore = vm.power;
    const auto inFlight = m_ops.constFind(vm.startOp);
    record.whileInFlight = inFlight != m_ops.constEnd() && inFlight->status == "InProgress"_L1;
    record.onRunning = vm.power == Power::Running;
    if (record.whileInFlight)
        ++m_counters.doubleStarts;
    if (record.onRunning)
        ++m_counters.startsOnRunning;

    const bool inOutage = vm.evictedAtMs > 0 && vm.deallocatedAtMs > 0;
    if (inOutage && vm.firstStartAtMs == 0)
        vm.firstStartAtMs = now;
    StartOutcome out;
    const auto refuse = [&](int status, const QString &code, const QString &message) {
        if (inOutage)
            ++vm.startsRefused;
        out.httpStatus = status;
        out.errorCode = code;
        out.errorMessage = message;
        record.httpStatus = status;
        record.outcome = code;
        m_starts.append(record);
        return out;
    };
    if (vm.power == Power::Deleted)
        return refuse(404, u"NotFound"_s, u"The entity was not found in this Azure location."_s);
    if (record.whileInFlight || vm.power == Power::Deallocating || vm.power == Power::Deleting
        || vm.power == Power::Stopping) {
        ++m_counters.startsRefusedBusy;
        return refuse(409, u"Conflict"_s,
                      u"Operation 'start' is not allowed on VM '%1' since another operation is in "
                      "progress."_s.arg(vm.name));
    }
    SimOperation op;
    op.id = newGuid();
    op.vm = index;
    op.subscriptionId = vm.subscriptionId;
    op.location = vm.location;
    op.startMs = now;
    if (vm.power == Power::Running) {
        op.doneAtMs = now + m_timings.runningStartNoopMs;
    } else if (vm.power == Power::Stopped) {
        // Powered off, still allocated: no capacity or price check, it only boots.
        op.doneAtMs = now + m_timings.startingMs;
        setPower(vm, Power::Starting, now);
    } else if (const std::optional<StartRefusal> refusal =
                   startDeallocated(vm, &op, now, inOutage)) {
        return refuse(refusal->status, refusal->code, refusal->message);
    }
    ++m_counters.startsAccepted;
    vm.startOp = op.id;
    out.opId = op.id;
    record.httpStatus = 202;
    record.outcome = u"accepted"_s;
    m_starts.append(record);
    m_activity.append(ActivityEntry {vm.resourceId(),
                                     u"Microsoft.Compute/virtualMachines/start/action"_s,
                                     u"Started"_s, now, op.id, kPlatform, 0});
    m_ops.insert(op.id, op);
    return out;
}

void FleetModel::finishOperation(SimOperation &op, qint64 atMs)
{
    SimVm &vm = m_vms[op.vm];
    vm.startOp.clear();
    if (!op.failCode.isEmpty()) {
        op.status = u"Failed"_s;
        ++m_counters.startsFailed;
        if (vm.power == Power::Starting)
            setPower(vm, Power::Deallocated, atMs);
        return;
    }
    op.status = u"Succeeded"_s;
    ++m_counters.startsSucceeded;
    if (vm.power == Power::Starting) {
        setPower(vm, Power::Running, atMs);
        if (vm.evictedAtMs > 0) {
            recordLoss(vm, op.startMs);
            vm.downMs += atMs - vm.evictedAtMs;
            vm.unavoidableDownMs +=
                std::max<qint64>(0, std::min(vm.unavoidableEndMs, atMs) - vm.evictedAtMs);
            vm.evictedAtMs = 0;
        }
    }
}

void FleetModel::recordLoss(const SimVm &vm, qint64 acceptedAtMs)
{
    if (vm.deallocatedAtMs <= 0)
        return; // started while never deallocated: not an outage the engine had to end
    const qint64 capacityFree = capacityFreeAt(vm, vm.deallocatedAtMs);
    const qint64 loss = std::max<qint64>(0, acceptedAtMs - capacityFree);
    LossBreakdown &l = m_losses;
    ++l.outages;
    if (vm.outageNoticed)
        ++l.outagesWithNotice;
    const bool shortage = capacityFree > vm.deallocatedAtMs;
    if (shortage)
        ++l.outagesWithShortage;
    if (vm.startsRefused == 0)
        (vm.outageNoticed ? l.detectionMs : l.detectionNoNoticeMs) += loss;
    else
        (shortage ? l.retriesShortageMs : l.retriesMs) += loss;
    l.maxLossMs = std::max(l.maxLossMs, loss);
}

const SimOperation *FleetModel::operation(const QString &id) const
{
    const auto it = m_ops.constFind(id);
    return it == m_ops.constEnd() ? nullptr : &*it;
}

QList<ActivityEntry> FleetModel::activity(const QString &resourceKey, qint64 sinceMs) const
{
    QList<ActivityEntry> out;
    const qint64 now = nowMs();
    for (const ActivityEntry &entry : m_activity) {
        if (entry.atMs < sinceMs || entry.visibleAtMs > now)
            continue;
        if (!resourceKey.isEmpty() && entry.resourceId.toLower() != resourceKey)
            continue;
        out.append(entry);
    }
    return out;
}

FleetModel::Availability FleetModel::availability() const
{
    const qint64 now = nowMs();
    Availability result;
    for (const SimVm &vm : m_vms) {
        if (vm.power == Power::Deleted || vm.power == Power::Deleting)
            continue;
        const auto total = double(now - m_epochMs);
        auto down = double(vm.downMs);
        auto unavoidable = double(vm.unavoidableDownMs);
        if (vm.evictedAtMs > 0) {
            down += double(now - vm.evictedAtMs);
            unavoidable +=
                double(std::max<qint64>(0, std::min(vm.unavoidableEndMs, now) - vm.evictedAtMs));
        }
        result.runningVmMs += total - down;
        result.bestVmMs += total - unavoidable;
    }
    return result;
}

qint64 FleetModel::runningCount() const
{
    return std::count_if(m_vms.begin(), m_vms.end(),
                         [](const SimVm &vm) { return vm.power == Power::Running; });
}

} // namespace spotkeeper::sim
