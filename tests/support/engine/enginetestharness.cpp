// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/engine/enginetestharness.h"

#include "protocol/messagecodec.h"

#include <stdexcept>

namespace spotkeeper::core::test {

using namespace Qt::StringLiterals;

EngineHarness::EngineHarness(EngineConfig config, QString storePath)
{
    StoreOptions options;
    options.path = storePath.isEmpty() ? dir.filePath(u"engine.db"_s) : storePath;
    options.clock = &clock;
    StoreError error;
    store = Store::open(options, &error);
    if (!store)
        throw std::runtime_error(error.message.toStdString());
    cloud = std::make_unique<FakeCloudProvider>(clock);
    engine = std::make_unique<RestartEngine>(*store, *cloud, clock, std::move(config));
    engine->start();
}

EngineHarness::~EngineHarness()
{
    reconciler.reset();
    engine.reset();
}

EngineConfig EngineHarness::defaultConfig()
{
    EngineConfig config;
    config.owner = u"engine-a"_s;
    config.seed = 42;
    config.driveWithTimer = false;
    return config;
}

VmRecord EngineHarness::addVm(const QString &name, ManagedBy managedBy, PowerState state,
                              const QString &subscription)
{
    VmRecord vm;
    vm.subscriptionId = subscription;
    vm.resourceGroup = u"rg-spot"_s;
    vm.name = name;
    vm.resourceId = u"/subscriptions/"_s + subscription
        + u"/resourceGroups/rg-spot/providers/"
          "Microsoft.Compute/virtualMachines/"_s
        + name;
    vm.resourceKey = vm.resourceId.toLower();
    vm.location = u"westeurope"_s;
    vm.priority = u"Spot"_s;
    vm.evictionPolicy = u"Deallocate"_s;
    vm.size = u"Standard_D2s_v5"_s;
    vm.managedBy = managedBy;
    vm.powerState = state;
    vm.powerStateAt = clock.nowUtc();
    vm.id = store->upsertVm(vm);
    if (vm.id <= 0)
        throw std::runtime_error("upsertVm failed");
    cloud->addVm(vm, state);
    return vm;
}

EventRecord EngineHarness::notice(const VmRecord &vm, const QDateTime &notBefore,
                                  const QString &type, const QString &eventId)
{
    protocol::Notice notice;
    notice.vm.subscriptionId = vm.subscriptionId;
    notice.vm.resourceGroup = vm.resourceGroup;
    notice.vm.vmName = vm.name;
    notice.vm.vmId = u"9f2a1c3e-0b4d-4e6f-8a7b-1c2d3e4f5a6b"_s;
    notice.vm.location = vm.location;
    notice.vm.priority = u"Spot"_s;
    notice.vm.evictionPolicy = u"Deallocate"_s;
    notice.event.eventId = eventId;
    notice.event.eventType = protocol::eventTypeFromString(type);
    notice.event.eventTypeText = type;
    notice.event.eventStatus = protocol::EventStatus::Scheduled;
    notice.event.notBefore = notBefore;
    notice.event.description = u"Virtual machine is being preempted."_s;
    notice.event.eventSource = u"Platform"_s;
    notice.event.durationInSeconds = -1;
    notice.event.resourceType = u"VirtualMachine"_s;
    notice.event.resources = {vm.name};
    notice.documentIncarnation = 1;
    notice.agentVersion = u"0.1.0"_s;
    notice.sentAt = clock.nowUtc();

    EventRecord event;
    event.vmId = vm.id;
    event.kind = EventKind::Notice;
    event.at = clock.nowUtc();
    event.source = u"agent"_s;
    event.eventType = type;
    event.eventId = eventId;
    event.eventStatus = u"Scheduled"_s;
    event.webhookId = u"msg_"_s + eventId + QString::number(clock.nowMSecs());
    event.payload = protocol::encodeNotice(notice);
    event.id = store->appendEvent(event);
    engine->handleNoticeStored(vm.id, event);
    return event;
}

void EngineHarness::restartEngine(EngineConfig config)
{
    reconciler.reset();
    engine.reset();
    cloud->dropPendingReplies();
    engine = std::make_unique<RestartEngine>(*store, *cloud, clock, std::move(config));
    engine->start();
}

void EngineHarness::addReconciler(ReconcilerConfig config)
{
    config.driveWithTimer = false;
    reconciler = std::make_unique<Reconciler>(*store, *cloud, *engine, clock, std::move(config));
    reconciler->start();
}

bool EngineHarness::step(const QDateTime &until)
{
    cloud->deliverDue();
    engine->processDue();
    if (reconciler)
        reconciler->processDue();
    QDateTime next;
    auto consider = [&next](const QDateTime &at) {
        if (at.isValid() && (!next.isValid() || at < next))
            next = at;
    };
    consider(cloud->nextReplyAt());
    consider(engine->nextDueAt());
    if (reconciler)
        consider(reconciler->nextDueAt());
    if (!next.isValid() || next > until)
        return false;
    if (next > clock.nowUtc())
        clock.set(next);
    return true;
}

void EngineHarness::runUntil(const QDateTime &until)
{
    for (int i = 0; i < 5'000'000 && step(until); ++i) { }
    if (clock.nowUtc() < until)
        clock.set(until);
    cloud->deliverDue();
    engine->processDue();
}

bool EngineHarness::runUntilTrue(const std::function<bool()> &pred, qint64 limitMs)
{
    const QDateTime until = clock.nowUtc().addMSecs(limitMs);
    for (int i = 0; i < 5'000'000; ++i) {
        if (pred())
            return true;
        if (!step(until))
            break;
    }
    return pred();
}

QList<EventRecord> EngineHarness::events(qint64 vmId, EventKind kind)
{
    EventFilter filter;
    filter.vmId = vmId;
    filter.kinds = {kind};
    filter.limit = 100'000;
    return store->events(filter);
}

std::optional<JobRecord> EngineHarness::latestJob(qint64 vmId)
{
    const QList<JobRecord> jobs = store->jobs(vmId, 1);
    if (jobs.isEmpty())
        return std::nullopt;
    return jobs.first();
}

} // namespace spotkeeper::core::test
