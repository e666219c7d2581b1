// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/ec2cloudprovider.h"

#include "aws/awscredentials.h"
#include "aws/cloudtrail.h"
#include "aws/instancearn.h"

#include <QLoggingCategory>

#include <algorithm>

namespace spotkeeper::core::aws {

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcProvider, "spotkeeper.aws.provider")

constexpr int kMaxTrailPages = 3;

CallResult failure(FailureClass cls, const QString &code, const QString &message)
{
    CallResult result;
    result.failure = cls;
    result.errorCode = code;
    result.errorMessage = message;
    return result;
}

std::optional<InstanceArn> arnOf(const VmRecord &vm, CallResult *bad)
{
    QString error;
    auto arn = InstanceArn::parse(vm.resourceId.isEmpty() ? vm.resourceKey : vm.resourceId, &error);
    if (!arn)
        *bad = failure(FailureClass::Fatal, u"InvalidResourceId"_s, error);
    return arn;
}

bool reasonIs(const Ec2Instance &instance, QLatin1StringView code)
{
    return instance.stateReasonCode.endsWith(code);
}

bool interruptedByEc2(const Ec2Instance &instance)
{
    return reasonIs(instance, "SpotInstanceShutdown"_L1)
        || reasonIs(instance, "SpotInstanceTermination"_L1);
}

// The fleet or group that owns the instance (its tags), or empty.
QString ownerGroup(const Ec2Instance &instance)
{
    for (const QString &key : {u"aws:autoscaling:groupName"_s, u"aws:ec2spot:fleet-request-id"_s,
                               u"aws:ec2:fleet-id"_s}) {
        if (const QString value = instance.tag(key); !value.isEmpty())
            return key + u'=' + value;
    }
    return {};
}

QString describeState(const Ec2Instance &instance)
{
    QString text = toString(instance.state);
    if (!instance.stateReasonCode.isEmpty())
        text += u" ("_s + instance.stateReasonCode + u')';
    return text;
}

} // namespace

struct Ec2CloudProvider::ListState
{
    QString scope;
    QString region;
    QString partition;
    QString nextToken;
    ListResult result;
    std::function<void(ListResult)> done;
};

struct Ec2CloudProvider::Replacement
{
    QString region;
    QString oldArn;
    Ec2Instance instance;
    QList<QPair<QString, QString>> candidates; // (instance type, zone); empty = the template's
    int next = 0;
    QStringList tried;
    std::function<void(StartResult)> done;
};

Ec2CloudProvider::Ec2CloudProvider(AwsCredentialChain *credentials, Ec2ProviderOptions options,
                                   const base::Clock &clock, QObject *parent)
    : CloudProvider(parent)
    , m_credentials(credentials)
    , m_client(new Ec2Client(credentials, options.client, clock, this))
    , m_options(std::move(options))
    , m_clock(clock)
{
    credentials->setParent(this);
}

Ec2CloudProvider::~Ec2CloudProvider() = default;

QString Ec2CloudProvider::credentialStatus() const
{
    return m_credentials->status();
}

void Ec2CloudProvider::describeOne(const QString &region, const QString &instanceId,
                                   std::function<void(CallResult, std::optional<Ec2Instance>)> done)
{
    Ec2Query query("DescribeInstances");
    query.addList("InstanceId", {instanceId.toLatin1()});
    m_client->sendQuery(
        Ec2Client::Kind::Describe, region, query, [done = std::move(done)](const Ec2Reply &reply) {
            if (!reply.call.ok()) {
                done(reply.call, std::nullopt);
                return;
            }
            const DescribeInstancesPage page = parseDescribeInstances(reply.body);
            if (!page.error.isEmpty()) {
                done(failure(FailureClass::Transient, u"InvalidResponse"_s, page.error),
                     std::nullopt);
                return;
            }
            if (page.instances.isEmpty()) {
                done(failure(FailureClass::NotFound, u"InvalidInstanceID.NotFound"_s,
                             u"EC2 does not list the instance"_s),
                     std::nullopt);
                return;
            }
            done(reply.call, page.instances.first());
        });
}

void Ec2CloudProvider::powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done)
{
    CallResult bad;
    const auto arn = arnOf(vm, &bad);
    if (!arn) {
        done(PowerStateResult {bad, PowerState::Unknown});
        return;
    }
    describeOne(arn->region, arn->instanceId,
                [done = std::move(done)](const CallResult &call,
                                         const std::optional<Ec2Instance> &instance) {
                    PowerStateResult result {call, PowerState::Unknown};
                    if (call.failure == FailureClass::NotFound)
                        result.state = PowerState::Deleted; // gone from the listing
                    else if (instance)
                        result.state = powerStateOf(instance->state);
                    done(result);
                });
}

void Ec2CloudProvider::start(const VmRecord &vm, std::function<void(const QString &)> progress,
                             std::function<void(StartResult)> done)
{
    Q_UNUSED(progress); // EC2 has no operation to follow: the power state confirms a start
    CallResult bad;
    const auto arn = arnOf(vm, &bad);
    if (!arn) {
        done(StartResult {bad, {}, true});
        return;
    }
    const QString region = arn->region;
    describeOne(region, arn->instanceId,
                [this, vm, region, done = std::move(done)](
                    const CallResult &call, const std::optional<Ec2Instance> &instance) mutable {
                    if (!instance) {
                        done(StartResult {call, {}, call.failure == FailureClass::NotFound});
                        return;
                    }
                    decideStart(vm, region, *instance, std::move(done));
                });
}

void Ec2CloudProvider::decideStart(const VmRecord &vm, const QString &region,
                                   const Ec2Instance &instance,
                                   std::function<void(StartResult)> done)
{
    const QString id = instance.instanceId;
    switch (instance.state) {
    case Ec2InstanceState::Running:
    case Ec2InstanceState::Pending:
        // Started already (by EC2, or by someone): running is done; pending is confirmed by
        // the power state, as an accepted start.
        m_watchingSince.remove(id);
        done(StartResult {CallResult {}, {}, instance.state == Ec2InstanceState::Running});
        return;
    case Ec2InstanceState::Stopping:
    case Ec2InstanceState::ShuttingDown:
    case Ec2InstanceState::Unknown:
        done(StartResult {
            failure(FailureClass::Transient, u"IncorrectInstanceState"_s,
                    u"the instance is %1; waiting for it to settle"_s.arg(describeState(instance))),
            {},
            false});
        return;
    case Ec2InstanceState::Stopped:
    case Ec2InstanceState::Terminated:
        break;
    }
    if (const QString group = ownerGroup(instance); !group.isEmpty()) {
        done(StartResult {failure(FailureClass::Fatal, u"ManagedByFleet"_s,
                                  u"the instance belongs to %1, which replaces or restarts it; "
                                  "SpotKeeper leaves it to its fleet or group"_s.arg(group)),
                          {},
                          true});
        return;
    }
    const bool needsRequest = instance.isSpot() && interruptedByEc2(instance)
        && !instance.spotInstanceRequestId.isEmpty();
    if (!needsRequest) {
        if (instance.state == Ec2InstanceState::Terminated)
            afterTermination(vm, region, instance, {}, std::move(done));
        else
            startInstance(region, instance, std::move(done)); // the owner may start it
        return;
    }
    QString error;
    const Ec2Query query =
        describeSpotInstanceRequests({instance.spotInstanceRequestId.toLatin1()}, {}, &error);
    if (!error.isEmpty()) {
        done(
            StartResult {failure(FailureClass::Fatal, u"InvalidSpotRequestId"_s, error), {}, true});
        return;
    }
    m_client->sendQuery(
        Ec2Client::Kind::Describe, region, query,
        [this, vm, region, instance, done = std::move(done)](const Ec2Reply &reply) mutable {
            std::optional<SpotInstanceRequest> request;
            if (reply.call.ok()) {
                const SpotInstanceRequestsPage page = parseDescribeSpotInstanceRequests(reply.body);
                if (!page.requests.isEmpty())
                    request = page.requests.first();
            } else if (reply.call.failure != FailureClass::NotFound) {
                done(StartResult {reply.call, {}, false});
                return;
            }
            // A request EC2 no longer lists (closed long ago) was a one-time request.
            const QString type = request ? request->type : u"one-time"_s;
            if (instance.state == Ec2InstanceState::Terminated) {
                afterTermination(vm, region, instance, type, std::move(done));
                return;
            }
            // Stopped or hibernated by EC2: only EC2 restarts it, and only for a persistent
            // request that is still open (AWS-PROTOCOL.md §2).
            const QString requestText = request
                ? u"%1 request %2, state %3, status %4"_s.arg(request->type,
                                                              request->spotInstanceRequestId,
                                                              request->state, request->statusCode)
                : u"request %1 not listed"_s.arg(instance.spotInstanceRequestId);
            const bool open = request && request->type == "persistent"_L1
                && request->state != "cancelled"_L1 && request->state != "closed"_L1
                && request->state != "failed"_L1;
            if (!open) {
                done(StartResult {
                    failure(FailureClass::Fatal, u"SpotRequestNotOpen"_s,
                            u"EC2 stopped the Spot Instance %1 and only EC2 may start it again, "
                            "but its %2 will not: an operator decides"_s.arg(instance.instanceId,
                                                                             requestText)),
                    {},
                    true});
                return;
            }
            const QDateTime now = m_clock.nowUtc();
            auto since = m_watchingSince.find(instance.instanceId);
            if (since == m_watchingSince.end())
                since = m_watchingSince.insert(instance.instanceId, now);
            const qint64 waited = since->msecsTo(now);
            if (waited > m_options.restartWatchMs) {
                done(StartResult {
                    failure(FailureClass::Fatal, u"SpotRestartOverdue"_s,
                            u"EC2 has not restarted the interrupted Spot Instance %1 within %2 "
                            "minutes (%3); capacity may not return in its Availability Zone "
                            "and type"_s.arg(instance.instanceId,
                                             QString::number(m_options.restartWatchMs / 60'000),
                                             requestText)),
                    {},
                    true});
                return;
            }
            done(
                StartResult {failure(FailureClass::Capacity, u"AwaitingSpotRestart"_s,
                                     u"EC2 restarts the interrupted Spot Instance %1 itself when "
                                     "capacity returns (%2); SpotKeeper watches and does not "
                                     "call StartInstances"_s.arg(instance.instanceId, requestText)),
                             {},
                             false});
        });
}

void Ec2CloudProvider::startInstance(const QString &region, const Ec2Instance &instance,
                                     std::function<void(StartResult)> done)
{
    QString error;
    const Ec2Query query = startInstances({instance.instanceId.toLatin1()}, &error);
    if (!error.isEmpty()) {
        done(StartResult {failure(FailureClass::Fatal, u"InvalidInstanceId"_s, error), {}, true});
        return;
    }
    qCInfo(lcProvider).noquote() << "StartInstances" << instance.instanceId << "in" << region
                                 << "(was" << describeState(instance) + u')';
    m_client->sendQuery(Ec2Client::Kind::Mutate, region, query,
                        [done = std::move(done)](const Ec2Reply &reply) {
                            if (!reply.call.ok()) {
                                done(StartResult {reply.call, {}, false});
                                return;
                            }
                            const StartInstancesAnswer answer = parseStartInstances(reply.body);
                            const bool running = !answer.instances.isEmpty()
                                && answer.instances.first().current == Ec2InstanceState::Running;
                            // pending: accepted; the engine confirms by the power state.
                            done(StartResult {reply.call, {}, running});
                        });
}

void Ec2CloudProvider::afterTermination(const VmRecord &vm, const QString &region,
                                        const Ec2Instance &instance, const QString &requestType,
                                        std::function<void(StartResult)> done)
{
    const QString id = instance.instanceId;
    if (!instance.isSpot() || !reasonIs(instance, "SpotInstanceTermination"_L1)) {
        done(StartResult {
            failure(FailureClass::NotFound, u"InstanceTerminated"_s,
                    u"the instance %1 was terminated (%2), not by a Spot "
                    "interruption; nothing can start it"_s.arg(id, describeState(instance))),
            {},
            true});
        return;
    }
    if (requestType == "persistent"_L1) {
        done(StartResult {
            failure(FailureClass::NotFound, u"InstanceTerminated"_s,
                    u"EC2 terminated the Spot Instance %1; its persistent request %2 launches a "
                    "new instance, which the reconciler finds by its tag"_s.arg(
                        id, instance.spotInstanceRequestId)),
            {},
            true});
        return;
    }
    QString why;
    if (!m_options.replaceTerminated)
        why = u"replacement is off ([aws] replace_terminated)"_s;
    else if (instance.tag(QString(kReplaceTagKey)) != "true"_L1)
        why = u"the instance does not carry the tag %1=true"_s.arg(kReplaceTagKey);
    else if (instance.launchTemplateId().isEmpty())
        why = u"the instance was not launched from a launch template"_s;
    if (!why.isEmpty()) {
        done(StartResult {failure(FailureClass::NotFound, u"InstanceTerminated"_s,
                                  u"EC2 terminated the one-time Spot Instance %1: it is gone; not "
                                  "replaced: %2"_s.arg(id, why)),
                          {},
                          true});
        return;
    }
    auto replacement = std::make_shared<Replacement>();
    replacement->region = region;
    replacement->oldArn = vm.resourceId;
    replacement->instance = instance;
    replacement->done = std::move(done);
    replacement->candidates.append({QString(), QString()}); // the template as it is
    for (const QString &type : m_options.alternateInstanceTypes)
        replacement->candidates.append({type, QString()});
    for (const QString &zone : m_options.alternateZones)
        replacement->candidates.append({QString(), zone});
    for (const QString &type : m_options.alternateInstanceTypes) {
        for (const QString &zone : m_options.alternateZones)
            replacement->candidates.append({type, zone});
    }
    launchReplacement(replacement);
}

void Ec2CloudProvider::launchReplacement(const std::shared_ptr<Replacement> &replacement)
{
    const Ec2Instance &old = replacement->instance;
    const auto &[type, zone] = replacement->candidates.at(replacement->next);
    LaunchFromTemplate launch;
    launch.launchTemplateId = old.launchTemplateId().toLatin1();
    const QString version = old.tag(u"aws:ec2launchtemplate:version"_s);
    launch.version = version.isEmpty() ? QByteArray("$Default") : version.toUtf8();
    launch.instanceType = type.toUtf8();
    launch.availabilityZone = zone.toUtf8();
    for (const auto &[key, value] : old.tags)
        launch.tags.append({key.toUtf8(), value.toUtf8()});
    launch.tags.append({"spotkeeper:replaces", old.instanceId.toUtf8()});
    // One token per old instance and choice: a start retried after a lost answer, or by
    // another engine, never launches a second replacement.
    launch.clientToken =
        "spotkeeper-" + old.instanceId.toLatin1() + '-' + QByteArray::number(replacement->next);
    QString error;
    const Ec2Query query = runInstanceFromTemplate(launch, &error);
    const QString choice = u"%1 %2, type %3, zone %4"_s.arg(
        old.launchTemplateId(), QString::fromUtf8(launch.version),
        type.isEmpty() ? u"of the template"_s : type, zone.isEmpty() ? u"of the template"_s : zone);
    if (!error.isEmpty()) {
        replacement->done(
            StartResult {failure(FailureClass::Fatal, u"InvalidLaunch"_s, error), {}, true});
        return;
    }
    qCInfo(lcProvider).noquote() << "RunInstances to replace" << old.instanceId << "from" << choice;
    m_client->sendQuery(
        Ec2Client::Kind::Run, replacement->region, query,
        [this, replacement, choice](const Ec2Reply &reply) {
            const Ec2Instance &replaced = replacement->instance;
            if (!reply.call.ok()) {
                replacement->tried.append(choice + u": "_s + reply.call.errorCode);
                if (reply.call.failure == FailureClass::Capacity
                    && replacement->next + 1 < replacement->candidates.size()) {
                    ++replacement->next;
                    launchReplacement(replacement);
                    return;
                }
                CallResult call = reply.call;
                call.errorMessage =
                    u"replacing the terminated Spot Instance %1 failed (%2): %3"_s.arg(
                        replaced.instanceId, replacement->tried.join(u"; "_s),
                        reply.call.errorMessage);
                qCWarning(lcProvider).noquote() << call.errorMessage;
                emit replacementLaunched(replacement->oldArn, {}, call.errorMessage);
                replacement->done(StartResult {call, {}, false});
                return;
            }
            const RunInstancesAnswer answer = parseRunInstances(reply.body);
            const QString newId =
                answer.instances.isEmpty() ? QString() : answer.instances.first().instanceId;
            const QString message =
                u"EC2 terminated the one-time Spot Instance %1; replaced by %2 from %3 "
                "(RunInstances request %4)"_s.arg(replaced.instanceId,
                                                  newId.isEmpty() ? u"a new instance"_s : newId,
                                                  choice, answer.requestId);
            qCInfo(lcProvider).noquote() << message;
            emit replacementLaunched(replacement->oldArn, newId, message);
            replacement->done(StartResult {
                failure(FailureClass::NotFound, u"ReplacedByNewInstance"_s, message), {}, true});
        });
}

void Ec2CloudProvider::resumeStart(const VmRecord &vm, const QString &asyncUrl,
                                   std::function<void(StartResult)> done)
{
    Q_UNUSED(vm);
    Q_UNUSED(asyncUrl);
    // EC2 has no operation URL; a start is confirmed by the power state.
    done(StartResult {CallResult {}, {}, false});
}

void Ec2CloudProvider::listVms(const QString &scope, bool statusOnly,
                               std::function<void(ListResult)> done)
{
    Q_UNUSED(statusOnly); // one shape for both
    QString error;
    const auto arn = InstanceArn::parseScope(scope, &error);
    if (!arn) {
        ListResult result;
        result.call = failure(FailureClass::Fatal, u"InvalidScope"_s, error);
        done(result);
        return;
    }
    auto state = std::make_shared<ListState>();
    state->scope = scope;
    state->region = arn->region;
    state->partition = arn->partition;
    state->result.complete = !m_options.listFilterByTag;
    state->done = std::move(done);
    listPage(state);
}

void Ec2CloudProvider::listPage(const std::shared_ptr<ListState> &state)
{
    QString error;
    Ec2Query query("DescribeInstances");
    if (m_options.listFilterByTag) {
        query = describeAutoRestartInstances(state->nextToken.toUtf8(), m_options.pageSize, &error);
    } else {
        query.add("MaxResults", QByteArray::number(m_options.pageSize));
        if (!state->nextToken.isEmpty())
            query.add("NextToken", state->nextToken.toUtf8());
    }
    if (!error.isEmpty()) {
        state->result.call = failure(FailureClass::Fatal, u"InvalidRequest"_s, error);
        state->done(state->result);
        return;
    }
    m_client->sendQuery(
        Ec2Client::Kind::Describe, state->region, query, [this, state](const Ec2Reply &reply) {
            ++state->result.pages;
            state->result.call = reply.call;
            if (!reply.call.ok()) {
                state->result.vms.clear();
                state->done(state->result);
                return;
            }
            const DescribeInstancesPage page = parseDescribeInstances(reply.body);
            if (!page.error.isEmpty()) {
                state->result.call =
                    failure(FailureClass::Transient, u"InvalidResponse"_s, page.error);
                state->result.vms.clear();
                state->done(state->result);
                return;
            }
            for (const Ec2Instance &instance : page.instances) {
                VmRecord vm = toVmRecord(instance, state->region, state->partition);
                if (vm.subscriptionId.compare(state->scope, Qt::CaseInsensitive) == 0)
                    state->result.vms.append(vm);
            }
            if (page.nextToken.isEmpty()) {
                state->done(state->result);
                return;
            }
            if (state->result.pages >= m_options.maxListPages) {
                state->result.call =
                    failure(FailureClass::Fatal, u"TooManyPages"_s,
                            u"the listing has more than %1 pages"_s.arg(state->result.pages));
                state->result.vms.clear();
                state->done(state->result);
                return;
            }
            state->nextToken = page.nextToken;
            listPage(state);
        });
}

void Ec2CloudProvider::evictionEvidence(const VmRecord &vm, const QDateTime &since,
                                        std::function<void(EvidenceResult)> done)
{
    CallResult bad;
    const auto arn = arnOf(vm, &bad);
    if (!arn) {
        EvidenceResult result;
        result.call = bad;
        done(result);
        return;
    }
    const QString region = arn->region;
    const QString instanceId = arn->instanceId;
    describeOne(region, instanceId,
                [this, region, instanceId, since, done = std::move(done)](
                    const CallResult &call, std::optional<Ec2Instance> instance) mutable {
                    if (!instance && call.failure != FailureClass::NotFound) {
                        EvidenceResult result;
                        result.call = call;
                        done(result);
                        return;
                    }
                    if (!instance) {
                        instance = Ec2Instance {};
                        instance->instanceId = instanceId;
                    }
                    EvidenceResult base;
                    const QString reason = instance->stateReasonCode;
                    if (interruptedByEc2(*instance)) {
                        // Documented for stop, hibernate and terminate (§5): decisive alone.
                        base.kind = EvidenceKind::Eviction;
                        base.operation = reason;
                        base.caller = u"ec2.amazonaws.com"_s;
                        base.evidence =
                            u"state reason %1: %2"_s.arg(reason, instance->stateReasonMessage);
                        done(base);
                        return;
                    }
                    if (reason.startsWith(u"Client.UserInitiated"_s)
                        || reason == "Client.InstanceInitiatedShutdown"_L1) {
                        base.kind = EvidenceKind::Deliberate;
                        base.operation = reason;
                        base.caller = u"unknown principal"_s;
                        base.evidence =
                            u"state reason %1: %2"_s.arg(reason, instance->stateReasonMessage);
                    }
                    lookupTrail(region, *instance, since, base, std::move(done));
                });
}

void Ec2CloudProvider::lookupTrail(const QString &region, const Ec2Instance &instance,
                                   const QDateTime &since, const EvidenceResult &base,
                                   std::function<void(EvidenceResult)> done)
{
    struct Walk
    {
        QString nextToken;
        int pages = 0;
        std::optional<TrailEvent> latest;
    };
    auto walk = std::make_shared<Walk>();
    auto step = std::make_shared<std::function<void()>>();
    *step = [this, region, instance, since, base, done = std::move(done), walk,
             weakStep = std::weak_ptr<std::function<void()>>(step)]() {
        // Held by the answer's callback: the walk lives until its last page answered.
        auto self = weakStep.lock();
        const QByteArray body = lookupEventsBody(instance.instanceId, since, walk->nextToken);
        m_client->sendCloudTrail(
            region, "LookupEvents", body, [base, done, walk, self](const Ec2Reply &reply) {
                EvidenceResult result = base;
                if (!reply.call.ok()) {
                    // A decided kind stands without the principal; otherwise the engine asks
                    // again (or its evidence wait decides).
                    if (base.kind == EvidenceKind::None)
                        result.call = reply.call;
                    else
                        result.evidence += u"; CloudTrail not read: "_s + reply.call.errorCode;
                    done(result);
                    return;
                }
                const LookupEventsPage page = parseLookupEvents(reply.body);
                ++walk->pages;
                for (const TrailEvent &event : page.events) {
                    if (event.kind == EvidenceKind::None)
                        continue;
                    if (!walk->latest || event.time > walk->latest->time)
                        walk->latest = event;
                }
                if (!page.nextToken.isEmpty() && walk->pages < kMaxTrailPages && self) {
                    walk->nextToken = page.nextToken;
                    (*self)();
                    return;
                }
                if (walk->latest) {
                    const TrailEvent &event = *walk->latest;
                    // The state reason decided deliberate: CloudTrail names who.
                    if (base.kind == EvidenceKind::None || event.kind == base.kind) {
                        result.kind = event.kind;
                        result.caller = event.caller;
                        result.operation = event.name;
                        result.at = event.time;
                        result.evidence = u"CloudTrail %1 by %2 at %3 (event %4)"_s.arg(
                                              event.name, event.caller,
                                              event.time.toString(Qt::ISODate), event.eventId)
                            + (base.evidence.isEmpty() ? QString() : u"; "_s + base.evidence);
                    }
                }
                done(result);
            });
    };
    (*step)();
}

void Ec2CloudProvider::deallocate(const VmRecord &vm, std::function<void(CallResult)> done)
{
    instanceAction(vm, "StopInstances", std::move(done));
}

void Ec2CloudProvider::restart(const VmRecord &vm, std::function<void(CallResult)> done)
{
    instanceAction(vm, "RebootInstances", std::move(done));
}

void Ec2CloudProvider::instanceAction(const VmRecord &vm, const QByteArray &action,
                                      std::function<void(CallResult)> done)
{
    CallResult bad;
    const auto arn = arnOf(vm, &bad);
    if (!arn) {
        done(bad);
        return;
    }
    Ec2Query query(action);
    query.addList("InstanceId", {arn->instanceId.toLatin1()});
    m_client->sendQuery(Ec2Client::Kind::Mutate, arn->region, query,
                        [done = std::move(done)](const Ec2Reply &reply) { done(reply.call); });
}

} // namespace spotkeeper::core::aws
