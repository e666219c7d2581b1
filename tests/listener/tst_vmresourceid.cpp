// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/vmresourceid.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace Qt::StringLiterals;

// Both clouds' VM ids: what enrolment (keys generate --vm), the operator API's
// /api/v1/vms/{scope}/{group}/{vm} paths and the listener accept, and the rule each bad id breaks.
class TestVmResourceId : public QObject
{
    Q_OBJECT

private slots:
    void parsesBothClouds_data();
    void parsesBothClouds();
    void refusesWithTheRuleBroken_data();
    void refusesWithTheRuleBroken();
    void fromPartsTellsTheCloudByTheScope();
};

void TestVmResourceId::parsesBothClouds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("gcp");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("resourceId");
    const QString sub = u"8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11"_s;
    const QString azure =
        u"/subscriptions/"_s + sub + u"/resourceGroups/rg-spot/providers/Microsoft.Compute/"_s;
    QTest::newRow("azure") << azure + u"virtualMachines/vm-a"_s << false << sub << u"vm-a"_s
                           << azure + u"virtualMachines/vm-a"_s;
    QTest::newRow("azure scale set")
        << azure + u"virtualMachineScaleSets/ss/virtualMachines/3"_s << false << sub << u"3"_s
        << azure + u"virtualMachineScaleSets/ss/virtualMachines/3"_s;
    const QString gcp = u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s;
    QTest::newRow("gcp") << gcp << true << u"spot-fleet-1"_s << u"worker-7"_s << gcp;
    QTest::newRow("gcp, upper-case keywords")
        << u"Projects/spot-fleet-1/Zones/europe-west1-b/Instances/worker-7"_s << true
        << u"spot-fleet-1"_s << u"worker-7"_s << gcp;
    QTest::newRow("gcp, domain-scoped project")
        << u"projects/example.com:spot-fleet-1/zones/us-central1-a/instances/a"_s << true
        << u"example.com:spot-fleet-1"_s << u"a"_s
        << u"projects/example.com:spot-fleet-1/zones/us-central1-a/instances/a"_s;
}

void TestVmResourceId::parsesBothClouds()
{
    QFETCH(QString, text);
    QString error;
    const auto id = VmResourceId::parse(text, &error);
    QVERIFY2(id, qPrintable(error));
    QTEST(id->cloud == Cloud::Gcp, "gcp");
    QTEST(id->scope(), "scope");
    QTEST(id->name, "name");
    QTEST(id->resourceId(), "resourceId");
    QCOMPARE(id->resourceKey(), id->resourceId().toLower());
    QVERIFY(cloudOfResourceId(id->resourceKey()) == id->cloud);
    VmRecord vm;
    id->fillRecord(&vm);
    QVERIFY(cloudOf(vm) == id->cloud);
    QCOMPARE(vm.subscriptionId, id->scope());
    QVERIFY(cloudOfScope(vm.subscriptionId) == id->cloud);
}

void TestVmResourceId::refusesWithTheRuleBroken_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("bare name") << u"myvm"_s << u"not a VM resource id"_s;
    QTest::newRow("gcp, no zone") << u"projects/spot-fleet-1/instances/worker-7"_s
                                  << u"not a Google Cloud instance id"_s;
    QTest::newRow("gcp, bad project")
        << u"projects/Spot_Fleet/zones/europe-west1-b/instances/worker-7"_s << u"project id:"_s;
    QTest::newRow("gcp, short project")
        << u"projects/abc/zones/europe-west1-b/instances/worker-7"_s << u"project id:"_s;
    QTest::newRow("gcp, bad zone")
        << u"projects/spot-fleet-1/zones/Europe West/instances/worker-7"_s << u"zone:"_s;
    QTest::newRow("gcp, bad name")
        << u"projects/spot-fleet-1/zones/europe-west1-b/instances/Worker_7"_s
        << u"instance name:"_s;
    QTest::newRow("gcp, trailing part")
        << u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7/start"_s
        << u"not a Google Cloud instance id"_s;
}

void TestVmResourceId::refusesWithTheRuleBroken()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    QString message;
    QVERIFY(!VmResourceId::parse(text, &message));
    QVERIFY2(message.startsWith(error), qPrintable(message));
}

void TestVmResourceId::fromPartsTellsTheCloudByTheScope()
{
    QString error;
    const auto azure = VmResourceId::fromParts(u"8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11"_s,
                                               u"rg-spot"_s, u"vm-a"_s, &error);
    QVERIFY2(azure, qPrintable(error));
    QVERIFY(azure->cloud == Cloud::Azure);
    const auto gcp =
        VmResourceId::fromParts(u"spot-fleet-1"_s, u"europe-west1-b"_s, u"worker-7"_s, &error);
    QVERIFY2(gcp, qPrintable(error));
    QVERIFY(gcp->cloud == Cloud::Gcp);
    QCOMPARE(gcp->resourceId(), u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s);
    // Neither a subscription GUID nor a project id: Azure's rule is named.
    QVERIFY(!VmResourceId::fromParts(u"NOT A SUB"_s, u"rg"_s, u"vm"_s, &error));
    QVERIFY2(error.startsWith(u"subscription id:"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestVmResourceId)
#include "tst_vmresourceid.moc"
