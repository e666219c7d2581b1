// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "listener/vmresourceid.h"

#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace Qt::StringLiterals;

// Every cloud's VM ids: what enrolment (keys generate --vm), the operator API's
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
    QTest::addColumn<QString>("cloud");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("resourceId");
    const QString sub = u"8d3c6a4e-2f4b-4c1e-9a53-3f1b2f0c7d11"_s;
    const QString azure =
        u"/subscriptions/"_s + sub + u"/resourceGroups/rg-spot/providers/Microsoft.Compute/"_s;
    QTest::newRow("azure") << azure + u"virtualMachines/vm-a"_s << u"azure"_s << sub << u"vm-a"_s
                           << azure + u"virtualMachines/vm-a"_s;
    QTest::newRow("azure scale set")
        << azure + u"virtualMachineScaleSets/ss/virtualMachines/3"_s << u"azure"_s << sub << u"3"_s
        << azure + u"virtualMachineScaleSets/ss/virtualMachines/3"_s;
    const QString gcp = u"projects/spot-fleet-1/zones/europe-west1-b/instances/worker-7"_s;
    QTest::newRow("gcp") << gcp << u"gcp"_s << u"spot-fleet-1"_s << u"worker-7"_s << gcp;
    QTest::newRow("gcp, upper-case keywords")
        << u"Projects/spot-fleet-1/Zones/europe-west1-b/Instances/worker-7"_s << u"gcp"_s
        << u"spot-fleet-1"_s << u"worker-7"_s << gcp;
    QTest::newRow("gcp, domain-scoped project")
        << u"projects/example.com:spot-fleet-1/zones/us-central1-a/instances/a"_s << u"gcp"_s
        << u"example.com:spot-fleet-1"_s << u"a"_s
        << u"projects/example.com:spot-fleet-1/zones/us-central1-a/instances/a"_s;
    const QString arn = u"arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234def567890"_s;
    const QString scope = u"arn:aws:ec2:us-east-1:123456789012"_s;
    QTest::newRow("aws") << arn << u"aws"_s << scope << u"i-0abc1234def567890"_s << arn;
    QTest::newRow("aws, upper case")
        << u"ARN:AWS:EC2:US-EAST-1:123456789012:INSTANCE/I-0ABC1234DEF567890"_s << u"aws"_s << scope
        << u"i-0abc1234def567890"_s << arn;
    QTest::newRow("aws, short instance id")
        << u"arn:aws:ec2:eu-west-1:123456789012:instance/i-1a2b3c4d"_s << u"aws"_s
        << u"arn:aws:ec2:eu-west-1:123456789012"_s << u"i-1a2b3c4d"_s
        << u"arn:aws:ec2:eu-west-1:123456789012:instance/i-1a2b3c4d"_s;
    QTest::newRow("aws china")
        << u"arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc1234def567890"_s << u"aws"_s
        << u"arn:aws-cn:ec2:cn-north-1:123456789012"_s << u"i-0abc1234def567890"_s
        << u"arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-0abc1234def567890"_s;
    QTest::newRow("aws govcloud")
        << u"arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-0abc1234def567890"_s
        << u"aws"_s << u"arn:aws-us-gov:ec2:us-gov-west-1:123456789012"_s
        << u"i-0abc1234def567890"_s
        << u"arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-0abc1234def567890"_s;
}

void TestVmResourceId::parsesBothClouds()
{
    QFETCH(QString, text);
    QString error;
    const auto id = VmResourceId::parse(text, &error);
    QVERIFY2(id, qPrintable(error));
    QTEST(toString(id->cloud), "cloud");
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
    const QString arn = u"arn:aws:ec2:us-east-1:123456789012:"_s;
    QTest::newRow("aws, not ec2")
        << u"arn:aws:s3:us-east-1:123456789012:instance/i-0abc1234def567890"_s
        << u"not an EC2 instance ARN"_s;
    QTest::newRow("aws, a volume")
        << arn + u"volume/vol-0abc1234def567890"_s << u"not an EC2 instance ARN"_s;
    QTest::newRow("aws, no region")
        << u"arn:aws:ec2::123456789012:instance/i-0abc1234def567890"_s << u"region:"_s;
    QTest::newRow("aws, short account")
        << u"arn:aws:ec2:us-east-1:1234567890:instance/i-0abc1234def567890"_s << u"account id:"_s;
    QTest::newRow("aws, bad instance id")
        << arn + u"instance/i-0abc1234def56789"_s << u"instance id:"_s;
    QTest::newRow("aws, not hex") << arn + u"instance/i-0abc1234xyz567890"_s << u"instance id:"_s;
    QTest::newRow("aws, wrong partition")
        << u"arn:aws:ec2:cn-north-1:123456789012:instance/i-0abc1234def567890"_s << u"partition:"_s;
    QTest::newRow("aws, trailing part")
        << arn + u"instance/i-0abc1234def567890:x"_s << u"not an EC2 instance ARN"_s;
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
    const auto aws = VmResourceId::fromParts(u"123456789012"_s, u"us-east-1"_s,
                                             u"i-0abc1234def567890"_s, &error);
    QVERIFY2(aws, qPrintable(error));
    QVERIFY(aws->cloud == Cloud::Aws);
    QCOMPARE(aws->resourceId(),
             u"arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234def567890"_s);
    VmRecord record;
    aws->fillRecord(&record);
    QCOMPARE(record.location, u"us-east-1"_s);
    QCOMPARE(record.subscriptionId, u"arn:aws:ec2:us-east-1:123456789012"_s);
    // The scope as the record holds it, as the operator API's paths carry it.
    const auto byScope =
        VmResourceId::fromParts(record.subscriptionId, {}, u"i-0abc1234def567890"_s, &error);
    QVERIFY2(byScope, qPrintable(error));
    QCOMPARE(byScope->resourceId(), aws->resourceId());
    QVERIFY(!VmResourceId::fromParts(record.subscriptionId, u"eu-west-1"_s,
                                     u"i-0abc1234def567890"_s, &error));
    QVERIFY(!VmResourceId::fromParts(u"123456789012"_s, u"us-east-1"_s, u"worker-7"_s, &error));
    QVERIFY2(error.startsWith(u"instance id:"_s), qPrintable(error));
    // Neither a subscription GUID nor a project id: Azure's rule is named.
    QVERIFY(!VmResourceId::fromParts(u"NOT A SUB"_s, u"rg"_s, u"vm"_s, &error));
    QVERIFY2(error.startsWith(u"subscription id:"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestVmResourceId)
#include "tst_vmresourceid.moc"
