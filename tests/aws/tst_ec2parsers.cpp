// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The EC2 Query API answer parsers on AWS's documented example answers and on our own
// 2016-11-15 pages (tests/data/aws/README.md says which is which), the error document and the
// classification table of docs/AWS-PROTOCOL.md §6.4.
#include "aws/ec2parsers.h"

#include <QFile>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using namespace spotkeeper::core::aws;

namespace {

QByteArray ec2Fixture(const QString &name)
{
    QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA "/aws/ec2/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qWarning("missing fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

QDateTime utc(int y, int mo, int d, int h, int mi, int s)
{
    return {QDate(y, mo, d), QTime(h, mi, s), QTimeZone::utc()};
}

} // namespace

class TestEc2Parsers : public QObject
{
    Q_OBJECT

private slots:
    void describeInstancesDocumentedSpot();
    void describeInstancesDocumentedTags();
    void describeInstancesInterruptedPage();
    void startInstancesDocumented();
    void spotRequestsDocumented();
    void spotRequestsPersistentPage();
    void wrongRootOrBrokenXml_data();
    void wrongRootOrBrokenXml();
    void oversizedAnswerRefused();
    void errorDocumented();
    void errorResponseForms();
    void classification_data();
    void classification();
    void callResult();
    void stateNames();
};

void TestEc2Parsers::describeInstancesDocumentedSpot()
{
    const DescribeInstancesPage page =
        parseDescribeInstances(ec2Fixture(u"describe-instances-spot.xml"_s));
    QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
    QCOMPARE(page.requestId, u"98e3c9a4-848c-4d6d-8e8a-b1bdEXAMPLE"_s);
    QCOMPARE(page.instances.size(), 2);
    QVERIFY(page.nextToken.isEmpty());
    const Ec2Instance &first = page.instances.at(0);
    QCOMPARE(first.instanceId, u"i-c5cd56af"_s);
    QCOMPARE(first.reservationId, u"r-b27e30d9"_s);
    QCOMPARE(first.ownerId, u"999988887777"_s);
    QCOMPARE(first.instanceType, u"m1.small"_s);
    QCOMPARE(first.availabilityZone, u"us-east-1b"_s);
    QCOMPARE(toString(first.state), toString(Ec2InstanceState::Running));
    QCOMPARE(first.stateCode, 16);
    QVERIFY(first.isSpot());
    QCOMPARE(first.spotInstanceRequestId, u"sir-7a688402"_s);
    QCOMPARE(first.launchTime, utc(2010, 8, 17, 1, 15, 18));
    QVERIFY(first.tags.isEmpty());
    QVERIFY(first.stateTransitionReason.isEmpty());
    const Ec2Instance &second = page.instances.at(1);
    QCOMPARE(second.instanceId, u"i-d9cd56b3"_s);
    QCOMPARE(second.reservationId, u"r-b67e30dd"_s);
    QCOMPARE(second.instanceType, u"m1.large"_s);
    QCOMPARE(second.spotInstanceRequestId, u"sir-55a3aa02"_s);
}

void TestEc2Parsers::describeInstancesDocumentedTags()
{
    const DescribeInstancesPage page =
        parseDescribeInstances(ec2Fixture(u"describe-instances-tags.xml"_s));
    QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
    QCOMPARE(page.instances.size(), 1);
    const Ec2Instance &instance = page.instances.first();
    QCOMPARE(instance.instanceId, u"i-c7cd56ad"_s);
    QVERIFY(!instance.isSpot());
    QVERIFY(instance.spotInstanceRequestId.isEmpty());
    QCOMPARE(instance.tags, (TagList {{u"webserver"_s, QString()}, {u"stack"_s, u"Production"_s}}));
    QCOMPARE(instance.tag(u"stack"_s), u"Production"_s);
    QVERIFY(instance.tag(u"absent"_s).isEmpty());
}

void TestEc2Parsers::describeInstancesInterruptedPage()
{
    const DescribeInstancesPage page =
        parseDescribeInstances(ec2Fixture(u"describe-instances-interrupted-page.xml"_s));
    QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
    QCOMPARE(page.nextToken, u"eyJ2IjoiMiIsImMiOiJleGFtcGxlIn0="_s);
    QCOMPARE(page.instances.size(), 2);

    const Ec2Instance &stopped = page.instances.at(0);
    // The network interface's own instanceId, ownerId, status and tagSet are not the instance's.
    QCOMPARE(stopped.instanceId, u"i-1234567890abcdef0"_s);
    QCOMPARE(stopped.ownerId, u"123456789012"_s);
    QCOMPARE(toString(stopped.state), toString(Ec2InstanceState::Stopped));
    QCOMPARE(stopped.stateCode, 80);
    QCOMPARE(stopped.stateReasonCode, u"Server.SpotInstanceShutdown"_s);
    QVERIFY(stopped.stateReasonMessage.startsWith("Server.SpotInstanceShutdown: "_L1));
    QCOMPARE(stopped.stateTransitionReason, u"Service initiated (2026-12-07 10:00:00 GMT)"_s);
    QCOMPARE(stopped.tags.size(), 3);
    QCOMPARE(stopped.tag(u"Name"_s), u"web & api"_s);
    QCOMPARE(stopped.tag(u"nested"_s), QString());
    QCOMPARE(stopped.launchTemplateId(), u"lt-0abcd290751193123"_s);
    QCOMPARE(stopped.launchTime, utc(2026, 12, 1, 8, 0, 0));

    const Ec2Instance &terminated = page.instances.at(1);
    QCOMPARE(toString(terminated.state), toString(Ec2InstanceState::Terminated));
    QCOMPARE(terminated.stateReasonCode, u"Server.SpotInstanceTermination"_s);
    QCOMPARE(terminated.availabilityZone, u"us-east-1a"_s);
    QVERIFY(terminated.launchTemplateId().isEmpty());
    QVERIFY(!terminated.launchTime.isValid());
}

void TestEc2Parsers::startInstancesDocumented()
{
    const StartInstancesAnswer answer = parseStartInstances(ec2Fixture(u"start-instances.xml"_s));
    QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
    QCOMPARE(answer.requestId, u"59dbff89-35bd-4eac-99ed-be587EXAMPLE"_s);
    QCOMPARE(answer.instances.size(), 1);
    QCOMPARE(answer.instances.first().instanceId, u"i-10a64379"_s);
    QCOMPARE(toString(answer.instances.first().current), toString(Ec2InstanceState::Pending));
    QCOMPARE(toString(answer.instances.first().previous), toString(Ec2InstanceState::Stopped));
}

void TestEc2Parsers::spotRequestsDocumented()
{
    const SpotInstanceRequestsPage page =
        parseDescribeSpotInstanceRequests(ec2Fixture(u"describe-spot-instance-requests.xml"_s));
    QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
    QCOMPARE(page.requestId, u"b1719f2a-5334-4479-b2f1-26926EXAMPLE"_s);
    QCOMPARE(page.requests.size(), 1);
    const SpotInstanceRequest &request = page.requests.first();
    QCOMPARE(request.spotInstanceRequestId, u"sir-1a2b3c4d"_s);
    QCOMPARE(request.type, u"one-time"_s);
    QCOMPARE(request.state, u"active"_s);
    QCOMPARE(request.statusCode, u"fulfilled"_s);
    QCOMPARE(request.statusMessage, u"Your Spot request is fulfilled."_s);
    QCOMPARE(request.statusUpdateTime, utc(2008, 5, 7, 12, 51, 50));
    QCOMPARE(request.instanceId, u"i-1a2b3c4d"_s);
    QCOMPARE(request.launchedAvailabilityZone, u"us-east-1a"_s);
    QVERIFY(request.instanceInterruptionBehavior.isEmpty()); // absent = terminate
    QVERIFY(!request.validUntil.isValid());
}

void TestEc2Parsers::spotRequestsPersistentPage()
{
    const SpotInstanceRequestsPage page = parseDescribeSpotInstanceRequests(
        ec2Fixture(u"describe-spot-instance-requests-persistent.xml"_s));
    QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
    QCOMPARE(page.nextToken, u"next-page-token"_s);
    const SpotInstanceRequest &request = page.requests.first();
    QCOMPARE(request.type, u"persistent"_s);
    QCOMPARE(request.state, u"disabled"_s);
    QCOMPARE(request.instanceInterruptionBehavior, u"stop"_s);
    QCOMPARE(request.statusCode, u"instance-stopped-no-capacity"_s);
    QCOMPARE(request.validUntil, utc(2027, 6, 1, 0, 0, 0));
    QCOMPARE(request.tags, (TagList {{u"team"_s, u"batch"_s}}));
}

void TestEc2Parsers::wrongRootOrBrokenXml_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not xml") << R"({"error": 1})"_ba;
    QTest::newRow("error document") << ec2Fixture(u"error-request-limit-exceeded.xml"_s);
    QTest::newRow("other action") << ec2Fixture(u"start-instances.xml"_s);
    QTest::newRow("truncated") << ec2Fixture(u"describe-instances-spot.xml"_s).left(900);
    QTest::newRow("garbage after root")
        << "<DescribeInstancesResponse><reservationSet/></DescribeInstancesResponse><x>"_ba;
    QTest::newRow("mismatched tags")
        << "<DescribeInstancesResponse><reservationSet><item></reservationSet>"
           "</DescribeInstancesResponse>"_ba;
}

void TestEc2Parsers::wrongRootOrBrokenXml()
{
    QFETCH(QByteArray, xml);
    const DescribeInstancesPage page = parseDescribeInstances(xml);
    QVERIFY(!page.error.isEmpty());
    QVERIFY(page.instances.isEmpty());
    QVERIFY(page.nextToken.isEmpty());
    QVERIFY(page.requestId.isEmpty());
}

void TestEc2Parsers::oversizedAnswerRefused()
{
    QByteArray huge = "<DescribeInstancesResponse>";
    huge += QByteArray(kMaxEc2ResponseBytes, ' ');
    huge += "</DescribeInstancesResponse>";
    const DescribeInstancesPage page = parseDescribeInstances(huge);
    QVERIFY(page.error.contains("larger"_L1));
}

void TestEc2Parsers::errorDocumented()
{
    const Ec2ErrorResponse response =
        parseErrorResponse(ec2Fixture(u"error-unsupported-operation.xml"_s));
    QCOMPARE(response.errors.size(), 1);
    QCOMPARE(response.errors.first().code, u"UnsupportedOperation"_s);
    QVERIFY(
        response.errors.first().message.startsWith("AMIs with an instance-store root device"_L1));
    QCOMPARE(response.requestId, u"0503f4e9-bbd6-483c-b54f-c4ae9f3b30f4"_s);
}

void TestEc2Parsers::errorResponseForms()
{
    const Ec2ErrorResponse two = parseErrorResponse(
        "<Response><Errors><Error><Code>A</Code><Message>a</Message></Error>"
        "<Error><Code>B</Code></Error></Errors><RequestId>r-1</RequestId></Response>");
    QCOMPARE(two.errors.size(), 2);
    QCOMPARE(two.errors.at(1).code, u"B"_s);
    QCOMPARE(two.requestId, u"r-1"_s);
    QVERIFY(parseErrorResponse("<Response><Errors/></Response>").isEmpty());
    QVERIFY(parseErrorResponse(ec2Fixture(u"start-instances.xml"_s)).isEmpty());
    QVERIFY(parseErrorResponse("<Response><Errors><Error><Code>A").isEmpty());
}

void TestEc2Parsers::classification_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<FailureClass>("expected");
    QTest::newRow("throttled") << 503 << u"RequestLimitExceeded"_s << FailureClass::Throttled;
    QTest::newRow("throttled 400") << 400 << u"RequestLimitExceeded"_s << FailureClass::Throttled;
    QTest::newRow("429 without code") << 429 << QString() << FailureClass::Throttled;
    QTest::newRow("capacity") << 500 << u"InsufficientInstanceCapacity"_s << FailureClass::Capacity;
    QTest::newRow("capacity prefixed")
        << 400 << u"Server.InsufficientInstanceCapacity"_s << FailureClass::Capacity;
    QTest::newRow("unauthorized") << 403 << u"UnauthorizedOperation"_s
                                  << FailureClass::Authorization;
    QTest::newRow("unauthorized prefixed")
        << 403 << u"Client.UnauthorizedOperation"_s << FailureClass::Authorization;
    QTest::newRow("auth failure") << 401 << u"AuthFailure"_s << FailureClass::Authorization;
    QTest::newRow("clock skew") << 400 << u"RequestExpired"_s << FailureClass::Authorization;
    QTest::newRow("vcpu quota") << 400 << u"VcpuLimitExceeded"_s << FailureClass::Quota;
    QTest::newRow("instance quota") << 400 << u"InstanceLimitExceeded"_s << FailureClass::Quota;
    QTest::newRow("spot count") << 400 << u"MaxSpotInstanceCountExceeded"_s << FailureClass::Quota;
    QTest::newRow("price") << 400 << u"SpotMaxPriceTooLow"_s << FailureClass::Price;
    QTest::newRow("wait") << 400 << u"IncorrectInstanceState"_s << FailureClass::Transient;
    QTest::newRow("not found") << 400 << u"InvalidInstanceID.NotFound"_s << FailureClass::NotFound;
    QTest::newRow("internal") << 500 << u"InternalError"_s << FailureClass::Transient;
    QTest::newRow("unavailable") << 503 << u"Unavailable"_s << FailureClass::Transient;
    QTest::newRow("5xx no code") << 502 << QString() << FailureClass::Transient;
    QTest::newRow("no answer") << 0 << QString() << FailureClass::Transient;
    QTest::newRow("dry run") << 412 << u"DryRunOperation"_s << FailureClass::None;
    QTest::newRow("unsupported") << 400 << u"UnsupportedOperation"_s << FailureClass::Fatal;
    QTest::newRow("malformed id") << 400 << u"InvalidInstanceID.Malformed"_s << FailureClass::Fatal;
    QTest::newRow("4xx no code") << 400 << QString() << FailureClass::Fatal;
}

void TestEc2Parsers::classification()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(FailureClass, expected);
    QCOMPARE(toString(classifyEc2Error(status, code)), toString(expected));
}

void TestEc2Parsers::callResult()
{
    const CallResult ok = ec2CallResult(200, ec2Fixture(u"start-instances.xml"_s));
    QVERIFY(ok.ok());
    QCOMPARE(ok.httpStatus, 200);

    const CallResult throttled =
        ec2CallResult(503, ec2Fixture(u"error-request-limit-exceeded.xml"_s));
    QCOMPARE(toString(throttled.failure), toString(FailureClass::Throttled));
    QCOMPARE(throttled.errorCode, u"RequestLimitExceeded"_s);
    QCOMPARE(throttled.errorMessage, u"Request limit exceeded."_s);
    QCOMPARE(throttled.correlationId, u"ea966190-f9aa-478e-9ede-example"_s);

    const CallResult capacity =
        ec2CallResult(500, ec2Fixture(u"error-insufficient-instance-capacity.xml"_s));
    QCOMPARE(toString(capacity.failure), toString(FailureClass::Capacity));

    const CallResult html = ec2CallResult(400, "<html><body>Bad Request</body></html>");
    QCOMPARE(toString(html.failure), toString(FailureClass::Fatal));
    QVERIFY(html.errorCode.isEmpty());
    QVERIFY(html.errorMessage.contains("400"_L1));

    const CallResult gateway = ec2CallResult(504, QByteArray());
    QCOMPARE(toString(gateway.failure), toString(FailureClass::Transient));
}

void TestEc2Parsers::stateNames()
{
    for (const Ec2InstanceState state :
         {Ec2InstanceState::Pending, Ec2InstanceState::Running, Ec2InstanceState::ShuttingDown,
          Ec2InstanceState::Terminated, Ec2InstanceState::Stopping, Ec2InstanceState::Stopped})
        QCOMPARE(static_cast<int>(instanceStateFromName(toString(state))), static_cast<int>(state));
    QCOMPARE(toString(Ec2InstanceState::ShuttingDown), u"shutting-down"_s);
    QCOMPARE(toString(instanceStateFromName(u"hibernated")), toString(Ec2InstanceState::Unknown));
    QCOMPARE(toString(Ec2InstanceState::Unknown), u"unknown"_s);
}

QTEST_GUILESS_MAIN(TestEc2Parsers)
#include "tst_ec2parsers.moc"
