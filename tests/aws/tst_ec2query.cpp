// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The EC2 Query API's form bodies: numbered parameters, AWS's URI encoding, argument checks,
// and a whole request signed as EC2 would receive it.
#include "aws/ec2query.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core::aws;

class TestEc2Query : public QObject
{
    Q_OBJECT

private slots:
    void startInstancesBody();
    void startInstancesChecksIds_data();
    void startInstancesChecksIds();
    void describeAutoRestartFilterAndPaging();
    void describeChecksPageSize();
    void describeSpotInstanceRequestsBody();
    void runInstanceFromTemplate();
    void runInstanceFromTemplateChecks();
    void formBodyRoundTrip();
    void parseFormBodyRejectsBadEscapes_data();
    void parseFormBodyRejectsBadEscapes();
    void signedEc2Request();
};

void TestEc2Query::startInstancesBody()
{
    QString error;
    const Ec2Query query =
        startInstances({"i-1234567890abcdef0"_ba, "i-0598c7d356eba48d7"_ba}, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(query.action(), "StartInstances"_ba);
    QCOMPARE(query.formBody(),
             "Action=StartInstances&Version=2016-11-15&InstanceId.1=i-1234567890abcdef0"
             "&InstanceId.2=i-0598c7d356eba48d7"_ba);
}

void TestEc2Query::startInstancesChecksIds_data()
{
    QTest::addColumn<QByteArrayList>("ids");
    QTest::newRow("none") << QByteArrayList {};
    QTest::newRow("not an instance") << QByteArrayList {"sir-1a2b3c4d"};
    QTest::newRow("injection") << QByteArrayList {"i-123&Action=TerminateInstances"};
    QTest::newRow("uppercase") << QByteArrayList {"i-ABC"};
    QTest::newRow("prefix only") << QByteArrayList {"i-"};
    QByteArrayList many;
    for (int i = 0; i < 1001; ++i)
        many.append("i-" + QByteArray::number(i, 16));
    QTest::newRow("1001") << many;
}

void TestEc2Query::startInstancesChecksIds()
{
    QFETCH(QByteArrayList, ids);
    QString error;
    startInstances(ids, &error);
    QVERIFY(!error.isEmpty());
}

void TestEc2Query::describeAutoRestartFilterAndPaging()
{
    QString error;
    const Ec2Query first = describeAutoRestartInstances({}, 0, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(first.formBody(),
             "Action=DescribeInstances&Version=2016-11-15"
             "&Filter.1.Name=tag%3Aspotkeeper%3Aauto-restart&Filter.1.Value.1=true"_ba);

    // NextToken is opaque and may carry '+', '/' and '='.
    const Ec2Query next = describeAutoRestartInstances("eyJ2IjoiMiJ9+a/b=="_ba, 500, &error);
    QVERIFY(error.isEmpty());
    QVERIFY(next.formBody().endsWith("&MaxResults=500&NextToken=eyJ2IjoiMiJ9%2Ba%2Fb%3D%3D"));
    bool ok = false;
    const BytePairList decoded = parseFormBody(next.formBody(), &ok);
    QVERIFY(ok);
    QCOMPARE(decoded, next.parameters());
}

void TestEc2Query::describeChecksPageSize()
{
    QString error;
    describeAutoRestartInstances({}, 4, &error);
    QVERIFY(!error.isEmpty());
    describeAutoRestartInstances({}, 1001, &error);
    QVERIFY(!error.isEmpty());
    describeAutoRestartInstances({}, 5, &error);
    QVERIFY(error.isEmpty());
}

void TestEc2Query::describeSpotInstanceRequestsBody()
{
    QString error;
    const Ec2Query query = describeSpotInstanceRequests({"sir-1a2b3c4d"_ba}, {}, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(query.formBody(),
             "Action=DescribeSpotInstanceRequests&Version=2016-11-15"
             "&SpotInstanceRequestId.1=sir-1a2b3c4d"_ba);
    describeSpotInstanceRequests({"i-1a2b3c4d"_ba}, {}, &error);
    QVERIFY(!error.isEmpty());
}

void TestEc2Query::runInstanceFromTemplate()
{
    LaunchFromTemplate launch;
    launch.launchTemplateId = "lt-0abcd290751193123";
    launch.version = "$Default";
    launch.instanceType = "m5.large";
    launch.availabilityZone = "us-east-1b";
    launch.tags = {{"aws:ec2launchtemplate:id"_ba, "lt-0abcd290751193123"_ba},
                   {"Name"_ba, "web 1"_ba},
                   {"spotkeeper:auto-restart"_ba, "true"_ba}};
    launch.clientToken = "spotkeeper-i-1234567890abcdef0-1";
    QString error;
    const Ec2Query query = spotkeeper::core::aws::runInstanceFromTemplate(launch, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(query.formBody(),
             "Action=RunInstances&Version=2016-11-15"
             "&LaunchTemplate.LaunchTemplateId=lt-0abcd290751193123"
             "&LaunchTemplate.Version=%24Default&MinCount=1&MaxCount=1&InstanceType=m5.large"
             "&Placement.AvailabilityZone=us-east-1b&TagSpecification.1.ResourceType=instance"
             "&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web%201"
             "&TagSpecification.1.Tag.2.Key=spotkeeper%3Aauto-restart"
             "&TagSpecification.1.Tag.2.Value=true"
             "&ClientToken=spotkeeper-i-1234567890abcdef0-1"_ba);
}

void TestEc2Query::runInstanceFromTemplateChecks()
{
    LaunchFromTemplate launch;
    launch.launchTemplateId = "lt-0abcd290751193123";
    QString error;
    spotkeeper::core::aws::runInstanceFromTemplate(launch, &error); // no client token
    QVERIFY(!error.isEmpty());
    launch.clientToken = QByteArray(65, 'a');
    spotkeeper::core::aws::runInstanceFromTemplate(launch, &error);
    QVERIFY(!error.isEmpty());
    launch.clientToken = "token";
    launch.launchTemplateId = "ami-12345678";
    spotkeeper::core::aws::runInstanceFromTemplate(launch, &error);
    QVERIFY(!error.isEmpty());
    launch.launchTemplateId = "lt-0abcd290751193123";
    const Ec2Query minimal = spotkeeper::core::aws::runInstanceFromTemplate(launch, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(minimal.formBody(),
             "Action=RunInstances&Version=2016-11-15"
             "&LaunchTemplate.LaunchTemplateId=lt-0abcd290751193123&MinCount=1&MaxCount=1"
             "&ClientToken=token"_ba);
}

void TestEc2Query::formBodyRoundTrip()
{
    Ec2Query query("DescribeInstances"_ba);
    query.add("Odd Name"_ba, "\xE1\x88\xB4 +&=%"_ba);
    query.addFilter("instance-state-name"_ba, {"stopped"_ba, "running"_ba});
    QCOMPARE(query.formBody(),
             "Action=DescribeInstances&Version=2016-11-15&Odd%20Name=%E1%88%B4%20%2B%26%3D%25"
             "&Filter.1.Name=instance-state-name&Filter.1.Value.1=stopped"
             "&Filter.1.Value.2=running"_ba);
    bool ok = false;
    QCOMPARE(parseFormBody(query.formBody(), &ok), query.parameters());
    QVERIFY(ok);
    QCOMPARE(parseFormBody("a=b+c&d&=e", &ok),
             (BytePairList {{"a"_ba, "b c"_ba}, {"d"_ba, ""_ba}, {""_ba, "e"_ba}}));
    QVERIFY(ok);
}

void TestEc2Query::parseFormBodyRejectsBadEscapes_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("truncated") << "a=%4"_ba;
    QTest::newRow("at end") << "a=b%"_ba;
    QTest::newRow("not hex") << "a=%zz"_ba;
    QTest::newRow("in name") << "%G0=1"_ba;
}

void TestEc2Query::parseFormBodyRejectsBadEscapes()
{
    QFETCH(QByteArray, body);
    bool ok = true;
    QVERIFY(parseFormBody(body, &ok).isEmpty());
    QVERIFY(!ok);
}

void TestEc2Query::signedEc2Request()
{
    QString error;
    SigV4Request request = startInstances({"i-1234567890abcdef0"_ba}, &error)
                               .toRequest("ec2.us-east-1.amazonaws.com"_ba);
    const QDateTime now(QDate(2026, 12, 7), QTime(12, 0, 0), QTimeZone::utc());
    const SigV4Result result =
        signRequest(request, {u"AKIDEXAMPLE"_s, u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s, {}},
                    u"us-east-1"_s, u"ec2"_s, now);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.signedHeaders, "content-type;host;x-amz-date"_ba);
    QVERIFY(result.authorization.startsWith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/ec2/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date, Signature="));
    QVERIFY(result.canonicalRequest.startsWith(
        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\n"
        "host:ec2.us-east-1.amazonaws.com\nx-amz-date:20261207T120000Z\n\n"));
    QVERIFY(result.canonicalRequest.endsWith(sha256Hex(request.body)));
    QCOMPARE(result.signature.size(), 64);
}

QTEST_GUILESS_MAIN(TestEc2Query)
#include "tst_ec2query.moc"
