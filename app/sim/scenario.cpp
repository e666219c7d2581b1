// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/scenario.h"

#include "base/duration.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

qint64 parseScenarioDuration(const QJsonValue &value, QString *error)
{
    std::optional<qint64> ms;
    if (value.isDouble())
        ms = base::durationFromSeconds(value.toDouble(), error);
    else if (value.isString())
        ms = base::parseDuration(value.toString(), error);
    else if (error != nullptr)
        *error = u"not a duration (a number of seconds, or a string such as \"30s\", \"2m\", "
                 "\"1h\")"_s;
    return ms.value_or(-1);
}

namespace {

const QStringList kActions {u"evict"_s, u"agent-loss"_s, u"capacity"_s, u"throttle-storm"_s,
                            u"faults"_s};

bool readDuration(const QJsonObject &obj, const char *key, qint64 *out, const QString &where,
                  QString *error)
{
    const QJsonValue value = obj.value(QLatin1StringView(key));
    if (value.isUndefined())
        return true;
    QString problem;
    const qint64 ms = parseScenarioDuration(value, &problem);
    if (ms < 0) {
        *error = u"%1.%2: %3"_s.arg(where, QLatin1StringView(key), problem);
        return false;
    }
    *out = ms;
    return true;
}

// The durations of "timings" (a key left out keeps its default).
bool readTimings(const QJsonObject &timings, Timings *out, QString *error)
{
    const QString where = u"timings"_s;
    return readDuration(timings, "notice", &out->noticeMs, where, error)
        && readDuration(timings, "deallocating", &out->deallocatingMs, where, error)
        && readDuration(timings, "deleting", &out->deletingMs, where, error)
        && readDuration(timings, "starting", &out->startingMs, where, error)
        && readDuration(timings, "startFail", &out->startFailMs, where, error)
        && readDuration(timings, "awsRestart", &out->awsRestartMs, where, error);
}

void readLimits(const QJsonObject &limits, LimitsConfig *out)
{
    out->readBurst = limits.value("readBurst"_L1).toDouble(out->readBurst);
    out->readsPerSecond = limits.value("readsPerSecond"_L1).toDouble(out->readsPerSecond);
    out->writeBurst = limits.value("writeBurst"_L1).toDouble(out->writeBurst);
    out->writesPerSecond = limits.value("writesPerSecond"_L1).toDouble(out->writesPerSecond);
    out->vmStartBurst = limits.value("vmStartBurst"_L1).toDouble(out->vmStartBurst);
    out->vmStartsPerMinute = limits.value("vmStartsPerMinute"_L1).toDouble(out->vmStartsPerMinute);
}

// A group with "scaleSet" is one uniform scale set of count instances (ids 0..); its tags,
// priority and eviction policy are the scale set's.
bool readScaleSet(const QJsonObject &group, const QString &where, Scenario *s, QString *error)
{
    SimScaleSet set;
    set.subscriptionId = group.value("subscription"_L1).toString();
    set.resourceGroup = group.value("resourceGroup"_L1).toString();
    set.name = group.value("scaleSet"_L1).toString();
    set.location = group.value("location"_L1).toString();
    set.size = group.value("size"_L1).toString(u"Standard_D2s_v5"_s);
    set.evictionPolicy = group.value("evictionPolicy"_L1).toString(u"Deallocate"_s);
    set.orchestrationMode = group.value("orchestrationMode"_L1).toString(u"Uniform"_s);
    set.spotRestore = group.value("spotRestore"_L1).toBool(false);
    const QJsonObject setTags = group.value("tags"_L1).toObject();
    for (auto it = setTags.constBegin(); it != setTags.constEnd(); ++it)
        set.tags.insert(it.key(), it.value().toString());
    if (set.orchestrationMode != "Uniform"_L1) {
        *error = where
            + u".orchestrationMode: only Uniform scale sets are simulated "
              "(Flexible VMs are plain VMs: use a group without scaleSet)"_s;
        return false;
    }
    s->scaleSets.append(set);
    return true;
}

// The cloud's own fields of VM i of a group, or why the group is wrong for its cloud.
// "project": a Google Cloud VM (location = its zone, e.g. "europe-west1-b"), watched by a real
// `spotkeeper-agent --cloud gcp` against /gce/{name}. "account": an AWS instance (location =
// its Region, "zones" its Availability Zones), watched by a real `spotkeeper-agent --cloud aws`
// against /aws-imds/{name}; "interruptionBehavior" and "requestType" as the Spot request has
// them (FleetModel checks the combination); "ids" their instance ids (else generated),
// "launchTemplate" the launch template ("lt-...") they came from. The simulated EC2 Query API,
// CloudTrail and STS are under /aws/ (ec2routes.cpp).
QString readCloud(const QJsonObject &group, qsizetype i, SimVm *vm)
{
    vm->gcpProject = group.value("project"_L1).toString();
    vm->awsAccount = group.value("account"_L1).toString();
    const bool azureFields =
        !vm->subscriptionId.isEmpty() || !vm->resourceGroup.isEmpty() || !vm->scaleSet.isEmpty();
    if (vm->isAws()) {
        // With "agents", simulated agents send what spotkeeper-agent --cloud aws sends (the demo).
        if (azureFields || vm->location.isEmpty() || vm->isGcp())
            return u": an AWS group (account) needs a location (its Region) and no "
                   "subscription, resourceGroup, project or scaleSet"_s;
        vm->vmId = group.value("ids"_L1).toArray().at(i).toString();
        vm->size = group.value("size"_L1).toString(u"m5.large"_s);
        vm->awsInterruptionBehavior = group.value("interruptionBehavior"_L1).toString();
        vm->awsRequestType = group.value("requestType"_L1).toString();
        vm->awsLaunchTemplate = group.value("launchTemplate"_L1).toString();
    } else if (vm->isGcp()) {
        // With "agents", simulated agents send what spotkeeper-agent --cloud gcp sends (the demo).
        if (azureFields || vm->location.isEmpty())
            return u": a Google Cloud group (project) needs a location (its zone) and no "
                   "subscription, resourceGroup or scaleSet"_s;
        vm->name = vm->name.toLower();
        vm->size = group.value("size"_L1).toString(u"e2-standard-2"_s);
    } else if (vm->subscriptionId.isEmpty() || vm->resourceGroup.isEmpty()
               || vm->location.isEmpty()) {
        return u": subscription, resourceGroup and location are required"_s;
    }
    return {};
}

bool readGroup(const QJsonObject &group, const QString &where, Scenario *s, QString *error)
{
    const int count = group.value("count"_L1).toInt(1);
    const QString prefix = group.value("namePrefix"_L1).toString(u"spot-vm-"_s);
    const QJsonArray zones = group.value("zones"_L1).toArray();
    if (count < 1 || count > 100'000) {
        *error = where + u".count must be within 1..100000"_s;
        return false;
    }
    const QString scaleSet = group.value("scaleSet"_L1).toString();
    if (!scaleSet.isEmpty() && !readScaleSet(group, where, s, error))
        return false;
    const QJsonObject tags = scaleSet.isEmpty() ? group.value("tags"_L1).toObject() : QJsonObject();
    for (int i = 0; i < count; ++i) {
        SimVm vm;
        vm.subscriptionId = group.value("subscription"_L1).toString();
        vm.resourceGroup = group.value("resourceGroup"_L1).toString();
        vm.name = count == 1 && group.contains("name"_L1)
            ? group.value("name"_L1).toString()
            : prefix + QString::number(i + 1).rightJustified(count >= 1000 ? 4 : 3, u'0');
        vm.location = group.value("location"_L1).toString();
        vm.size = group.value("size"_L1).toString(u"Standard_D2s_v5"_s);
        vm.evictionPolicy = group.value("evictionPolicy"_L1).toString(u"Deallocate"_s);
        vm.maxPrice = group.value("maxPrice"_L1).toDouble(-1);
        vm.agent = group.value("agents"_L1).toBool(false);
        if (!zones.isEmpty())
            vm.zone = zones.at(i % zones.size()).toString();
        if (!scaleSet.isEmpty()) {
            vm.scaleSet = scaleSet;
            vm.instanceId = QString::number(i);
        }
        for (auto it = tags.constBegin(); it != tags.constEnd(); ++it)
            vm.tags.insert(it.key(), it.value().toString());
        if (const QString problem = readCloud(group, i, &vm); !problem.isEmpty()) {
            *error = where + problem;
            return false;
        }
        s->vms.append(vm);
    }
    return true;
}

bool readTimeline(const QJsonArray &timeline, QList<TimelineAction> *out, QString *error)
{
    for (qsizetype i = 0; i < timeline.size(); ++i) {
        const QJsonObject item = timeline.at(i).toObject();
        const QString where = u"timeline[%1]"_s.arg(i);
        TimelineAction action;
        action.action = item.value("action"_L1).toString();
        if (!kActions.contains(action.action)) {
            *error = where + u".action must be one of "_s + kActions.join(u", "_s);
            return false;
        }
        if (!readDuration(item, "at", &action.atMs, where, error)
            || !readDuration(item, "every", &action.everyMs, where, error))
            return false;
        action.repeat = item.value("repeat"_L1).toInt(0);
        action.args = item;
        out->append(action);
    }
    return true;
}

} // namespace

std::optional<Scenario> Scenario::parse(const QByteArray &json, QString *error)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"scenario is not a JSON object: %1 at offset %2"_s.arg(
            parseError.errorString(), QString::number(parseError.offset));
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    Scenario s;
    s.name = root.value("name"_L1).toString();
    s.speed = root.value("speed"_L1).toDouble(1.0);
    if (s.speed <= 0 || s.speed > 10'000) {
        *error = u"speed must be within (0, 10000]"_s;
        return std::nullopt;
    }
    s.seed = quint32(root.value("seed"_L1).toInt(1));
    s.pageSize = root.value("pageSize"_L1).toInt(50);
    if (!readTimings(root.value("timings"_L1).toObject(), &s.timings, error))
        return std::nullopt;
    readLimits(root.value("limits"_L1).toObject(), &s.limits);
    const QJsonObject prices = root.value("spotPrices"_L1).toObject();
    for (auto it = prices.constBegin(); it != prices.constEnd(); ++it)
        s.spotPrices.insert(it.key().toLower(), it.value().toDouble());

    const QJsonArray fleet = root.value("fleet"_L1).toArray();
    if (fleet.isEmpty()) {
        *error = u"fleet: at least one group of VMs is required"_s;
        return std::nullopt;
    }
    for (qsizetype g = 0; g < fleet.size(); ++g) {
        if (!readGroup(fleet.at(g).toObject(), u"fleet[%1]"_s.arg(g), &s, error))
            return std::nullopt;
    }
    if (!readTimeline(root.value("timeline"_L1).toArray(), &s.timeline, error))
        return std::nullopt;
    return s;
}

std::optional<Scenario> Scenario::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read scenario %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    auto scenario = parse(file.readAll(), error);
    if (!scenario)
        *error = path + u": "_s + *error;
    return scenario;
}

Scenario Scenario::demo()
{
    const QByteArray json = R"({
      "name": "demo", "speed": 1, "seed": 7,
      "timings": {"notice": "30s", "deallocating": "40s", "starting": "50s", "startFail": "15s",
                  "awsRestart": "90s"},
      "fleet": [
        {"count": 14, "namePrefix": "web-eus-", "subscription": "00000000-0000-4000-8000-00000000d3e0",
         "resourceGroup": "demo-web", "location": "eastus", "zones": ["1","2","3"],
         "size": "Standard_D2s_v5", "tags": {"spotkeeper:auto-restart": "true", "env": "demo"},
         "agents": true},
        {"count": 12, "namePrefix": "batch-weu-", "subscription": "00000000-0000-4000-8000-00000000d3e0",
         "resourceGroup": "demo-batch", "location": "westeurope", "size": "Standard_F4s_v2",
         "tags": {"spotkeeper:auto-restart": "true", "env": "demo"}, "agents": true},
        {"count": 8, "namePrefix": "ml-wus-", "subscription": "00000000-0000-4000-8000-00000000d3e0",
         "resourceGroup": "demo-ml", "location": "westus2", "size": "Standard_NC4as_T4_v3",
         "evictionPolicy": "Deallocate", "tags": {"spotkeeper:auto-restart": "true"}, "agents": true},
        {"count": 2, "namePrefix": "tmp-wus-", "subscription": "00000000-0000-4000-8000-00000000d3e0",
         "resourceGroup": "demo-ml", "location": "westus2", "size": "Standard_D2s_v5",
         "evictionPolicy": "Delete", "tags": {"spotkeeper:auto-restart": "true"}, "agents": true},
        {"count": 8, "namePrefix": "gce-web-", "project": "spotkeeper-demo",
         "location": "europe-west1-b", "size": "e2-standard-4",
         "tags": {"spotkeeper:auto-restart": "true", "env": "demo"}, "agents": true},
        {"count": 4, "namePrefix": "gce-batch-", "project": "spotkeeper-demo",
         "location": "us-central1-a", "size": "n2-standard-8",
         "tags": {"spotkeeper:auto-restart": "true"}, "agents": true},
        {"count": 4, "namePrefix": "ec2-web-", "account": "210987654321",
         "location": "eu-central-1", "zones": ["eu-central-1a", "eu-central-1b"],
         "size": "m6i.large", "interruptionBehavior": "stop",
         "tags": {"spotkeeper:auto-restart": "true", "env": "demo"}, "agents": true},
        {"count": 3, "namePrefix": "ec2-cache-", "account": "210987654321",
         "location": "eu-central-1", "zones": ["eu-central-1a"], "size": "r6i.large",
         "interruptionBehavior": "hibernate", "tags": {"spotkeeper:auto-restart": "true"},
         "agents": true},
        {"count": 3, "namePrefix": "ec2-job-", "account": "210987654321",
         "location": "eu-central-1", "zones": ["eu-central-1b", "eu-central-1c"], "size": "c6i.xlarge",
         "interruptionBehavior": "terminate", "requestType": "one-time",
         "launchTemplate": "lt-0d3e0a1b2c3d4e5f6",
         "tags": {"spotkeeper:auto-restart": "true", "spotkeeper:replace": "true"},
         "agents": true}
      ],
      "timeline": [
        {"at": "45s", "every": "3m", "action": "evict", "count": 3},
        {"at": "4m", "every": "15m", "action": "capacity", "region": "westeurope",
         "size": "Standard_F4s_v2", "seconds": 240, "code": "AllocationFailed"},
        {"at": "5m", "every": "15m", "action": "evict", "region": "westeurope", "count": 4},
        {"at": "10m", "every": "20m", "action": "agent-loss", "count": 1},
        {"at": "12m", "every": "30m", "action": "throttle-storm", "seconds": 20},
        {"at": "90s", "every": "4m", "action": "evict", "region": "europe-west1-b", "count": 2},
        {"at": "6m", "every": "15m", "action": "capacity", "region": "us-central1-a",
         "size": "n2-standard-8", "seconds": 180, "code": "ZonalAllocationFailed"},
        {"at": "390s", "every": "15m", "action": "evict", "region": "us-central1-a", "count": 2},
        {"at": "2m", "every": "5m", "action": "evict", "region": "eu-central-1", "count": 2}
      ]
    })";
    QString error;
    return *parse(json, &error);
}

ScenarioRunner::ScenarioRunner(SimServer &server, QList<TimelineAction> timeline, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_timeline(std::move(timeline))
{
    m_done = QList<int>(m_timeline.size(), 0);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &ScenarioRunner::tick);
}

void ScenarioRunner::start()
{
    m_startMs = m_server.model().nowMs();
    m_timer.start();
    tick();
}

void ScenarioRunner::tick()
{
    const qint64 elapsed = m_server.model().nowMs() - m_startMs;
    for (qsizetype i = 0; i < m_timeline.size(); ++i) {
        const TimelineAction &action = m_timeline.at(i);
        int &done = m_done[i];
        const bool repeating = action.everyMs > 0;
        if (!repeating && done > 0)
            continue;
        if (repeating && action.repeat > 0 && done >= action.repeat)
            continue;
        const qint64 due = action.atMs + (repeating ? qint64(done) * action.everyMs : 0);
        if (elapsed < due)
            continue;
        ++done;
        run(action);
    }
}

bool ScenarioRunner::run(const TimelineAction &action, QString *error)
{
    const QJsonObject &a = action.args;
    ++m_actionsRun;
    QStringList vms;
    const QJsonArray vmNames = a.value("vms"_L1).toArray();
    for (const QJsonValue v : vmNames)
        vms << v.toString();
    if (action.action == "evict"_L1 || action.action == "agent-loss"_L1) {
        m_server.evict(a.value("count"_L1).toInt(0), vms, a.value("region"_L1).toString(),
                       action.action == "evict"_L1 && a.value("notice"_L1).toBool(true));
    } else if (action.action == "capacity"_L1) {
        m_server.capacityShortage(a.value("region"_L1).toString(), a.value("size"_L1).toString(),
                                  parseScenarioDuration(a.value("seconds"_L1)) / 1000,
                                  a.value("code"_L1).toString(u"AllocationFailed"_s),
                                  a.value("mode"_L1).toString(u"async"_s) == "async"_L1);
    } else if (action.action == "throttle-storm"_L1) {
        m_server.throttleStorm(parseScenarioDuration(a.value("seconds"_L1)) / 1000);
    } else if (action.action == "faults"_L1) {
        m_server.setFaults(a.value("error5xxRate"_L1).toDouble(0),
                           a.value("dropRate"_L1).toDouble(0), a.value("delayMs"_L1).toInt(0),
                           a.value("tokenFailureRate"_L1).toDouble(0),
                           a.value("resetRate"_L1).toDouble(0));
    } else {
        if (error != nullptr)
            *error = u"unknown action "_s + action.action;
        return false;
    }
    return true;
}

} // namespace spotkeeper::sim
