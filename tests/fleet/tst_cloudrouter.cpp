// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/cloudrouter.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace Qt::StringLiterals;

namespace {

// Answers every call at once with its own name in the error message, so a test sees which
// provider a call reached.
class NamedProvider final : public CloudProvider
{
public:
    explicit NamedProvider(QString name)
        : m_name(std::move(name))
    { }
    QStringList calls;

    QString name() const override { return m_name; }
    void powerState(const VmRecord &vm, std::function<void(PowerStateResult)> done) override
    {
        calls.append(u"power "_s + vm.resourceKey);
        done(PowerStateResult {mark(), PowerState::Running});
    }
    void start(const VmRecord &vm, std::function<void(const QString &)>,
               std::function<void(StartResult)> done) override
    {
        calls.append(u"start "_s + vm.resourceKey);
        done(StartResult {mark(), {}, true});
    }
    void resumeStart(const VmRecord &vm, const QString &url,
                     std::function<void(StartResult)> done) override
    {
        calls.append(u"resume "_s + vm.resourceKey + u' ' + url);
        done(StartResult {mark(), url, true});
    }
    void listVms(const QString &scope, bool, std::function<void(ListResult)> done) override
    {
        calls.append(u"list "_s + scope);
        ListResult result;
        result.call = mark();
        done(result);
    }
    void evictionEvidence(const VmRecord &vm, const QDateTime &,
                          std::function<void(EvidenceResult)> done) override
    {
        calls.append(u"evidence "_s + vm.resourceKey);
        EvidenceResult result;
        result.call = mark();
        done(result);
    }
    void deallocate(const VmRecord &vm, std::function<void(CallResult)> done) override
    {
        calls.append(u"deallocate "_s + vm.resourceKey);
        done(mark());
    }

private:
    CallResult mark() const
    {
        CallResult result;
        result.errorMessage = m_name;
        return result;
    }
    QString m_name;
};

VmRecord vmWithId(const QString &resourceId)
{
    VmRecord vm;
    vm.resourceId = resourceId;
    vm.resourceKey = resourceId.toLower();
    return vm;
}

const QString kAzureId = u"/subscriptions/8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11/resourceGroups/rg/"
                         "providers/Microsoft.Compute/virtualMachines/vm-a"_s;
const QString kGcpId = u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s;
const QString kAwsId = u"arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0"_s;
const QString kAwsScope = u"arn:aws:ec2:eu-west-1:123456789012"_s;

} // namespace

class TestCloudRouter : public QObject
{
    Q_OBJECT

private slots:
    void cloudOfIdsAndScopes();
    void callsReachTheVmsCloud();
    void aCloudWithoutProviderIsRefusedPlainly();
    void awsInstancesReachTheAwsProvider();
};

void TestCloudRouter::cloudOfIdsAndScopes()
{
    QVERIFY(cloudOfResourceId(kAzureId) == Cloud::Azure);
    QVERIFY(cloudOfResourceId(kGcpId) == Cloud::Gcp);
    QVERIFY(cloudOfResourceId(kGcpId.toUpper()) == Cloud::Gcp);
    QVERIFY(cloudOf(vmWithId(kGcpId)) == Cloud::Gcp);
    QVERIFY(cloudOf(vmWithId(kAzureId)) == Cloud::Azure);
    QVERIFY(cloudOfScope(u"8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11") == Cloud::Azure);
    QVERIFY(cloudOfScope(u"spot-fleet-1") == Cloud::Gcp);
    QVERIFY(cloudOfScope(u"example.com:spot-fleet-1") == Cloud::Gcp);
    QVERIFY(cloudOfScope(u"") == Cloud::Azure);
    QVERIFY(cloudOfResourceId(kAwsId) == Cloud::Aws);
    QVERIFY(cloudOf(vmWithId(kAwsId)) == Cloud::Aws);
    QVERIFY(cloudOfScope(kAwsScope) == Cloud::Aws);
    QCOMPARE(toString(Cloud::Aws), u"aws"_s);
    QVERIFY(protocol::cloudFromString(u"aws") == Cloud::Aws);
}

void TestCloudRouter::callsReachTheVmsCloud()
{
    NamedProvider azure(u"azure"_s);
    NamedProvider gcp(u"gcp"_s);
    CloudRouter router;
    router.setProvider(Cloud::Azure, &azure);
    router.setProvider(Cloud::Gcp, &gcp);
    QCOMPARE(router.name(), u"azure+gcp"_s);
    QStringList answeredBy;
    const auto note = [&](const CallResult &call) {
        answeredBy.append(call.errorMessage);
    };
    for (const QString &id : {kAzureId, kGcpId}) {
        const VmRecord vm = vmWithId(id);
        router.powerState(vm, [&](const PowerStateResult &r) { note(r.call); });
        router.start(vm, {}, [&](const StartResult &r) { note(r.call); });
        router.startWithoutFollowing(vm, [&](const StartResult &r) { note(r.call); });
        router.resumeStart(vm, u"op-1"_s, [&](const StartResult &r) { note(r.call); });
        router.evictionEvidence(vm, {}, [&](const EvidenceResult &r) { note(r.call); });
        router.deallocate(vm, note);
    }
    router.listVms(u"8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11"_s, true,
                   [&](const ListResult &r) { note(r.call); });
    router.listVms(u"spot-fleet-1"_s, true, [&](const ListResult &r) { note(r.call); });
    QCOMPARE(answeredBy,
             QStringList({u"azure"_s, u"azure"_s, u"azure"_s, u"azure"_s, u"azure"_s, u"azure"_s,
                          u"gcp"_s, u"gcp"_s, u"gcp"_s, u"gcp"_s, u"gcp"_s, u"gcp"_s, u"azure"_s,
                          u"gcp"_s}));
    QCOMPARE(gcp.calls.constLast(), u"list spot-fleet-1"_s);
    QVERIFY(!azure.calls.join(u'\n').contains(u"spot-fleet-1"_s));
}

void TestCloudRouter::aCloudWithoutProviderIsRefusedPlainly()
{
    NamedProvider azure(u"azure"_s);
    CloudRouter router;
    router.setProvider(Cloud::Azure, &azure);
    const VmRecord vm = vmWithId(kGcpId);
    QList<CallResult> results;
    router.powerState(vm, [&](const PowerStateResult &r) { results.append(r.call); });
    router.start(vm, {}, [&](const StartResult &r) {
        QVERIFY(r.finished);
        results.append(r.call);
    });
    router.listVms(u"spot-fleet-1"_s, false, [&](const ListResult &r) { results.append(r.call); });
    router.evictionEvidenceForVms(u"spot-fleet-1"_s, {vm}, {},
                                  [&](const FleetEvidenceResult &r) { results.append(r.call); });
    router.deallocate(vm, [&](const CallResult &r) { results.append(r); });
    QCOMPARE(results.size(), 5);
    for (const CallResult &r : std::as_const(results)) {
        QVERIFY(r.failure == FailureClass::Fatal);
        QCOMPARE(r.errorCode, u"NoCloudProvider"_s);
        QVERIFY(r.errorMessage.contains(u"[gcp]"_s));
    }
    QVERIFY(azure.calls.isEmpty()); // never handed to another cloud's API
}

void TestCloudRouter::awsInstancesReachTheAwsProvider()
{
    NamedProvider azure(u"azure"_s);
    NamedProvider gcp(u"gcp"_s);
    CloudRouter router;
    router.setProvider(Cloud::Azure, &azure);
    router.setProvider(Cloud::Gcp, &gcp);
    QList<CallResult> results;
    router.powerState(vmWithId(kAwsId), [&](const PowerStateResult &r) { results.append(r.call); });
    router.listVms(kAwsScope, true, [&](const ListResult &r) { results.append(r.call); });
    QCOMPARE(results.size(), 2);
    for (const CallResult &r : std::as_const(results)) {
        QCOMPARE(r.errorCode, u"NoCloudProvider"_s);
        QVERIFY(r.errorMessage.contains(u"[aws]"_s));
    }
    QVERIFY(azure.calls.isEmpty() && gcp.calls.isEmpty());
    NamedProvider aws(u"aws"_s);
    router.setProvider(Cloud::Aws, &aws);
    QStringList answeredBy;
    router.start(vmWithId(kAwsId), {},
                 [&](const StartResult &r) { answeredBy.append(r.call.errorMessage); });
    router.listVms(kAwsScope, true,
                   [&](const ListResult &r) { answeredBy.append(r.call.errorMessage); });
    QCOMPARE(answeredBy, QStringList({u"aws"_s, u"aws"_s}));
    QCOMPARE(aws.calls.constLast(), u"list "_s + kAwsScope);
}

QTEST_GUILESS_MAIN(TestCloudRouter)
#include "tst_cloudrouter.moc"
