// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The operator API's one JSON codec, round trip: what the server encodes (toJson, as the
// listener's operator routes send it, through the bytes on the wire) the remote client
// decodes (*FromJson) to the same record, every field the API carries.
#include "fleet/cloud.h"
#include "operatorapi/operatorapijson.h"

#include <QJsonDocument>
#include <QTest>

using namespace spotkeeper::core;
using namespace Qt::StringLiterals;

namespace {
// Through the wire: the server's compact bytes, parsed as the client parses them.
QJsonObject overTheWire(const QJsonObject &object)
{
    return QJsonDocument::fromJson(QJsonDocument(object).toJson(QJsonDocument::Compact)).object();
}
QDateTime at(qint64 offsetMs)
{
    return QDateTime::fromMSecsSinceEpoch(1'796'000'000'123 + offsetMs, Qt::UTC);
}

VmRecord fullVm()
{
    VmRecord vm;
    vm.id = 4'294'967'297; // beyond 32 bits: ids travel as JSON numbers
    vm.resourceId = u"/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/Rg-1/"
                    "providers/Microsoft.Compute/virtualMachines/Vm-1"_s;
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = u"00000000-0000-4000-8000-000000000001"_s;
    vm.resourceGroup = u"Rg-1"_s;
    vm.name = u"Vm-1"_s;
    vm.vmId = u"6f1b2c3d-aaaa-bbbb-cccc-000000000001"_s;
    vm.location = u"westeurope"_s;
    vm.zone = u"2"_s;
    vm.size = u"Standard_D2s_v5"_s;
    vm.priority = u"Spot"_s;
    vm.evictionPolicy = u"Deallocate"_s;
    vm.tags = {{u"spotkeeper:auto-restart"_s, u"true"_s}, {u"team"_s, u"ml ü"_s}};
    vm.powerState = PowerState::Deallocated;
    vm.powerStateAt = at(1);
    vm.desiredState = DesiredState::Stopped;
    vm.stoppedBy = u"alice@example.com"_s;
    vm.stoppedOperation = u"Microsoft.Compute/virtualMachines/deallocate/action"_s;
    vm.stoppedAt = at(2);
    vm.autoRestart = false;
    vm.managedBy = ManagedBy::Tag;
    vm.agentLastSeen = at(3);
    vm.agentVersion = u"0.1.0"_s;
    vm.agentLastPollError = u"IMDS timeout"_s;
    vm.agentSilentSince = at(5);
    vm.createdAt = at(-1000);
    vm.updatedAt = at(4);
    return vm;
}

JobRecord fullJob(qint64 vmId)
{
    JobRecord job;
    job.id = 77;
    job.vmId = vmId;
    job.state = JobState::BackingOff;
    job.trigger = u"notice"_s;
    job.attempt = 3;
    job.nextAttemptAt = at(10);
    job.notBefore = at(11);
    job.evictedAt = at(12);
    job.createdAt = at(13);
    job.updatedAt = at(14);
    job.finishedAt = at(15);
    job.reason = u"capacity"_s;
    job.lastErrorCode = u"ZonalAllocationFailed"_s;
    job.lastErrorMessage = u"Allocation failed"_s;
    // The engine's own bookkeeping, not part of the API:
    job.asyncOperationUrl = u"https://management.azure.com/op/1"_s;
    job.leaseOwner = u"engine:host:1"_s;
    job.leaseExpiresAt = at(16);
    job.version = 9;
    return job;
}

void compareVm(const VmRecord &a, const VmRecord &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.resourceId, b.resourceId);
    QCOMPARE(a.resourceKey, b.resourceKey);
    QCOMPARE(a.subscriptionId, b.subscriptionId);
    QCOMPARE(a.resourceGroup, b.resourceGroup);
    QCOMPARE(a.name, b.name);
    QCOMPARE(a.vmId, b.vmId);
    QCOMPARE(a.location, b.location);
    QCOMPARE(a.zone, b.zone);
    QCOMPARE(a.size, b.size);
    QCOMPARE(a.priority, b.priority);
    QCOMPARE(a.evictionPolicy, b.evictionPolicy);
    QCOMPARE(a.tags, b.tags);
    QVERIFY(a.powerState == b.powerState);
    QCOMPARE(a.powerStateAt, b.powerStateAt);
    QVERIFY(a.desiredState == b.desiredState);
    QCOMPARE(a.stoppedBy, b.stoppedBy);
    QCOMPARE(a.stoppedOperation, b.stoppedOperation);
    QCOMPARE(a.stoppedAt, b.stoppedAt);
    QCOMPARE(a.autoRestart, b.autoRestart);
    QVERIFY(a.managedBy == b.managedBy);
    QCOMPARE(a.agentLastSeen, b.agentLastSeen);
    QCOMPARE(a.agentVersion, b.agentVersion);
    QCOMPARE(a.agentLastPollError, b.agentLastPollError);
    QCOMPARE(a.agentSilentSince, b.agentSilentSince);
    QCOMPARE(a.createdAt, b.createdAt);
    QCOMPARE(a.updatedAt, b.updatedAt);
}

void compareJob(const JobRecord &a, const JobRecord &b)
{
    QCOMPARE(a.id, b.id);
    QCOMPARE(a.vmId, b.vmId);
    QVERIFY(a.state == b.state);
    QCOMPARE(a.trigger, b.trigger);
    QCOMPARE(a.attempt, b.attempt);
    QCOMPARE(a.nextAttemptAt, b.nextAttemptAt);
    QCOMPARE(a.notBefore, b.notBefore);
    QCOMPARE(a.evictedAt, b.evictedAt);
    QCOMPARE(a.createdAt, b.createdAt);
    QCOMPARE(a.updatedAt, b.updatedAt);
    QCOMPARE(a.finishedAt, b.finishedAt);
    QCOMPARE(a.reason, b.reason);
    QCOMPARE(a.lastErrorCode, b.lastErrorCode);
    QCOMPARE(a.lastErrorMessage, b.lastErrorMessage);
}
} // namespace

class TestOperatorApiJson final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void vmWithItsJob()
    {
        const VmRecord vm = fullVm();
        const JobRecord job = fullJob(vm.id);
        const QJsonObject wire = overTheWire(toJson(vm, job));
        const std::optional<VmRecord> back = vmFromJson(wire);
        QVERIFY(back);
        compareVm(*back, vm);
        QCOMPARE(wire.value(u"stoppedOnPurpose"_s).toString(),
                 u"Stopped on purpose by alice@example.com"_s);
        const std::optional<JobRecord> backJob = jobFromJson(wire.value(u"job"_s).toObject(), 0);
        QVERIFY(backJob);
        compareJob(*backJob, job);
        // The engine's bookkeeping stays on the server.
        const QJsonObject jobJson = wire.value(u"job"_s).toObject();
        for (const char *key : {"asyncOperationUrl", "leaseOwner", "leaseExpiresAt", "version"})
            QVERIFY2(!jobJson.contains(QLatin1StringView(key)), key);
    }

    void sparseVmKeepsDefaults()
    {
        VmRecord vm;
        vm.id = 5;
        vm.resourceId = u"/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/"
                        "virtualMachines/v"_s;
        vm.resourceKey = vm.resourceId.toLower();
        const QJsonObject wire = overTheWire(toJson(vm, std::nullopt));
        const std::optional<VmRecord> back = vmFromJson(wire);
        QVERIFY(back);
        compareVm(*back, vm);
        QVERIFY(wire.value(u"job"_s).isNull());
        QVERIFY(!jobFromJson(wire.value(u"job"_s).toObject(), vm.id));
        QVERIFY(!vmFromJson(QJsonObject {{u"name"_s, u"no id"_s}}));
    }

    // Issue 15: each VM says its cloud, from its id; a Google Cloud VM comes back as one.
    void cloudOfEachVm()
    {
        const QJsonObject azure = overTheWire(toJson(fullVm(), std::nullopt));
        QCOMPARE(azure.value(u"cloud"_s).toString(), u"azure"_s);
        VmRecord gcp;
        gcp.id = 6;
        gcp.resourceId = u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s;
        gcp.resourceKey = gcp.resourceId;
        gcp.subscriptionId = u"spot-fleet-1"_s;
        gcp.location = u"europe-west1-b"_s;
        const QJsonObject wire = overTheWire(toJson(gcp, std::nullopt));
        QCOMPARE(wire.value(u"cloud"_s).toString(), u"gcp"_s);
        const std::optional<VmRecord> back = vmFromJson(wire);
        QVERIFY(back);
        QVERIFY(cloudOf(*back) == spotkeeper::core::Cloud::Gcp);
        compareVm(*back, gcp);
    }

    void jobOfAVm()
    {
        JobRecord job = fullJob(12);
        job.state = JobState::NeedsOperator;
        const std::optional<JobRecord> back = jobFromJson(overTheWire(toJson(job)), 0);
        QVERIFY(back);
        compareJob(*back, job);
    }

    void event()
    {
        EventRecord e;
        e.id = 8'000'000'001;
        e.vmId = 4;
        e.kind = EventKind::RestartAttempt;
        e.at = at(20);
        e.source = u"engine"_s;
        e.eventType = u"Preempt"_s;
        e.eventId = u"A123"_s;
        e.eventStatus = u"Scheduled"_s;
        e.webhookId = u"msg_1"_s;
        e.httpStatus = 409;
        e.armErrorCode = u"OperationNotAllowed"_s;
        e.correlationId = u"5c7e9a1b-2d3f-4e5a-8b6c-000000000001"_s;
        e.message = u"start failed"_s;
        e.evidence = u"evictSpotVM by Azure"_s;
        e.payload = "{\"raw\":true}"; // the raw notice stays on the server
        const QJsonObject wire = overTheWire(toJson(e));
        const std::optional<EventRecord> back = eventFromJson(wire);
        QVERIFY(back);
        QCOMPARE(back->id, e.id);
        QCOMPARE(back->vmId, e.vmId);
        QVERIFY(back->kind == e.kind);
        QCOMPARE(back->at, e.at);
        QCOMPARE(back->source, e.source);
        QCOMPARE(back->eventType, e.eventType);
        QCOMPARE(back->eventId, e.eventId);
        QCOMPARE(back->eventStatus, e.eventStatus);
        QCOMPARE(back->webhookId, e.webhookId);
        QCOMPARE(back->httpStatus, e.httpStatus);
        QCOMPARE(back->armErrorCode, e.armErrorCode);
        QCOMPARE(back->correlationId, e.correlationId);
        QCOMPARE(back->message, e.message);
        QCOMPARE(back->evidence, e.evidence);
        QVERIFY(back->payload.isEmpty());
        QVERIFY(!eventFromJson(QJsonObject {{u"id"_s, 1}})); // no time: refused
    }

    void auditRow()
    {
        const AuditRecord row {31,
                               at(30),
                               u"api:tok_1"_s,
                               u"stop_on_purpose"_s,
                               u"/subscriptions/s/resourcegroups/g/providers/microsoft.compute/"
                               "virtualmachines/v"_s,
                               u"ok: desired state stopped"_s};
        const std::optional<AuditRecord> back = auditFromJson(overTheWire(toJson(row)));
        QVERIFY(back);
        QCOMPARE(back->id, row.id);
        QCOMPARE(back->at, row.at);
        QCOMPARE(back->actor, row.actor);
        QCOMPARE(back->action, row.action);
        QCOMPARE(back->target, row.target);
        QCOMPARE(back->detail, row.detail);
    }

    void agentKeyWithoutItsSecrets()
    {
        AgentKeyRecord key;
        key.keyId = u"ak-0123456789abcdef"_s;
        key.vmResourceKey = u"/subscriptions/s/resourcegroups/g/providers/microsoft.compute/"
                            "virtualmachines/v"_s;
        key.createdAt = at(40);
        key.revokedAt = at(41);
        key.secrets = {{QByteArray(32, 'a'), at(40), at(42)}, {QByteArray(32, 'b'), at(43), {}}};
        const QJsonObject wire = overTheWire(toJson(key, at(50)));
        QVERIFY(!QJsonDocument(wire).toJson().contains(QByteArray(32, 'a').toBase64()));
        QVERIFY(!QJsonDocument(wire).toJson().contains("aaaaaaaa"));
        QCOMPARE(wire.value(u"status"_s).toString(), u"revoked"_s);
        const std::optional<AgentKeyRecord> back = agentKeyFromJson(wire);
        QVERIFY(back);
        QCOMPARE(back->keyId, key.keyId);
        QCOMPARE(back->vmResourceKey, key.vmResourceKey);
        QCOMPARE(back->createdAt, key.createdAt);
        QCOMPARE(back->revokedAt, key.revokedAt);
        QCOMPARE(back->secrets.size(), key.secrets.size());
        for (qsizetype i = 0; i < key.secrets.size(); ++i) {
            QVERIFY(back->secrets.at(i).secret.isEmpty());
            QCOMPARE(back->secrets.at(i).createdAt, key.secrets.at(i).createdAt);
            QCOMPARE(back->secrets.at(i).expiresAt, key.secrets.at(i).expiresAt);
        }
    }
};

QTEST_GUILESS_MAIN(TestOperatorApiJson)
#include "tst_operatorapijson.moc"
