// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armerror.h"
#include "support/common/fixtures.h"

#include <QTest>

#include <time.h>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;
using spotkeeper::testsupport::fixture;
using spotkeeper::testsupport::testDataPath;

namespace {
QByteArray testData(const QString &name)
{
    QFile file(testDataPath(u"azure/"_s + name));
    if (!file.open(QIODevice::ReadOnly))
        qWarning("missing test data %s", qPrintable(file.fileName()));
    return file.readAll();
}
} // namespace

class TestArmError : public QObject
{
    Q_OBJECT
private slots:
    void classifyTable_data();
    void classifyTable();
    void nestedDetailsMostSpecificWins();
    void bareEnvelopeFromCrpThrottling();
    void garbageBodies();
    void networkErrors();
    void retryAfterSeconds();
    void retryAfterHttpDate();
    void retryAfterInvalid();
    void retryAfterIsCapped();
    void retryAfterDateIsUtcInAnyZone();
    void rateLimitHeaders();
    void correlationIdPrefersCorrelationHeader();
};

void TestArmError::classifyTable_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("file"); // tests/data/azure, or "fixture:" for shared fixtures
    QTest::addColumn<QString>("code");
    QTest::addColumn<FailureClass>("expected");

    QTest::newRow("AllocationFailed 409") << 409 << u"error-allocation-failed.json"_s
                                          << u"AllocationFailed"_s << FailureClass::Capacity;
    QTest::newRow("ZonalAllocationFailed") << 409 << u"error-zonal-allocation-failed.json"_s
                                           << u"ZonalAllocationFailed"_s << FailureClass::Capacity;
    QTest::newRow("OverconstrainedAllocationRequest")
        << 409 << u"error-overconstrained.json"_s << u"OverconstrainedAllocationRequest"_s
        << FailureClass::Capacity;
    QTest::newRow("OverconstrainedZonal nested in ResourceOperationFailure")
        << 409 << u"error-overconstrained-nested.json"_s
        << u"OverconstrainedZonalAllocationRequest"_s << FailureClass::Capacity;
    QTest::newRow("SkuNotAvailable") << 409 << u"error-sku-not-available.json"_s
                                     << u"SkuNotAvailable"_s << FailureClass::Capacity;
    QTest::newRow("quota LowPriorityCores") << 409 << u"error-quota-lowpriority.json"_s
                                            << u"OperationNotAllowed"_s << FailureClass::Quota;
    QTest::newRow("quota Total Regional Cores")
        << 409 << u"error-quota-regional.json"_s << u"OperationNotAllowed"_s << FailureClass::Quota;
    QTest::newRow("OperationNotAllowed 429 is throttling")
        << 429 << u"fixture:arm/error-429-compute-throttling-doc.json"_s << u"TooManyRequests"_s
        << FailureClass::Throttled;
    QTest::newRow("OperationNotAllowed simulateEviction regular")
        << 409 << u"error-simulate-eviction-regular.json"_s << u"OperationNotAllowed"_s
        << FailureClass::Fatal;
    QTest::newRow("SpotPriceGreaterThanProvidedMaxPrice")
        << 409 << u"error-spot-price.json"_s << u"SpotPriceGreaterThanProvidedMaxPrice"_s
        << FailureClass::Price;
    QTest::newRow("OperationPreempted") << 409 << u"error-operation-preempted.json"_s
                                        << u"OperationPreempted"_s << FailureClass::Transient;
    QTest::newRow("409 another operation in progress")
        << 409 << u"error-conflict-in-progress.json"_s << u"Conflict"_s << FailureClass::Transient;
    QTest::newRow("RetryableErrorDueToAnotherOperation 429")
        << 429 << u"error-retryable-another-operation.json"_s
        << u"RetryableErrorDueToAnotherOperation"_s << FailureClass::Throttled;
    QTest::newRow("RetryableErrorDueToAnotherOperation 409")
        << 409 << u"error-retryable-another-operation.json"_s
        << u"RetryableErrorDueToAnotherOperation"_s << FailureClass::Transient;
    QTest::newRow("AuthorizationFailed 403")
        << 403 << u"error-authorization-failed.json"_s << u"AuthorizationFailed"_s
        << FailureClass::Authorization;
    QTest::newRow("InvalidAuthenticationTokenTenant 401")
        << 401 << u"error-invalid-token-tenant.json"_s << u"InvalidAuthenticationTokenTenant"_s
        << FailureClass::Authorization;
    QTest::newRow("ExpiredAuthenticationToken 401 (after the one refresh)")
        << 401 << u"error-expired-token.json"_s << u"ExpiredAuthenticationToken"_s
        << FailureClass::Authorization;
    QTest::newRow("ResourceNotFound 404") << 404 << u"error-resource-not-found.json"_s
                                          << u"ResourceNotFound"_s << FailureClass::NotFound;
    QTest::newRow("NotFound 404 (CRP)")
        << 404 << u"error-notfound-crp.json"_s << u"NotFound"_s << FailureClass::NotFound;
    QTest::newRow("500 InternalServerError")
        << 500 << u"error-internal.json"_s << u"InternalServerError"_s << FailureClass::Transient;
    QTest::newRow("503 empty body") << 503 << QString() << QString() << FailureClass::Transient;
    QTest::newRow("404 empty body") << 404 << QString() << QString() << FailureClass::NotFound;
    QTest::newRow("429 empty body") << 429 << QString() << QString() << FailureClass::Throttled;
    QTest::newRow("409 unknown code") << 409 << QString() << QString() << FailureClass::Transient;
    QTest::newRow("400 unknown") << 400 << QString() << QString() << FailureClass::Fatal;
}

void TestArmError::classifyTable()
{
    QFETCH(int, status);
    QFETCH(QString, file);
    QFETCH(QString, code);
    QFETCH(FailureClass, expected);
    QByteArray body;
    if (file.startsWith("fixture:"_L1))
        body = fixture(file.mid(8));
    else if (!file.isEmpty())
        body = testData(file);
    QVERIFY(file.isEmpty() || !body.isEmpty());
    const armerror::ArmError error = armerror::parseErrorBody(body);
    QCOMPARE(error.code, code);
    QCOMPARE(toString(armerror::classify(status, error)), toString(expected));
    if (!code.isEmpty())
        QVERIFY(!error.message.isEmpty());
}

void TestArmError::nestedDetailsMostSpecificWins()
{
    const auto error = armerror::parseErrorBody(testData(u"error-overconstrained-nested.json"_s));
    QCOMPARE(error.topCode, u"ResourceOperationFailure"_s);
    QCOMPARE(error.code, u"OverconstrainedZonalAllocationRequest"_s);
    QVERIFY(error.message.contains("Availability Zone"_L1));
    QCOMPARE(
        error.allCodes,
        QStringList({u"ResourceOperationFailure"_s, u"OverconstrainedZonalAllocationRequest"_s}));

    // An unknown deepest code still beats an unknown wrapper; a known code beats both.
    const QByteArray mixed = R"({"error":{"code":"Outer","message":"m0","details":[
        {"code":"AllocationFailed","message":"m1","details":[{"code":"Weird","message":"m2"}]}]}})";
    QCOMPARE(armerror::parseErrorBody(mixed).code, u"AllocationFailed"_s);
    const QByteArray unknown = R"({"error":{"code":"Outer","message":"m0","details":[
        {"code":"Inner","message":""}]}})";
    const auto inner = armerror::parseErrorBody(unknown);
    QCOMPARE(inner.code, u"Inner"_s);
    QCOMPARE(inner.message, u"m0"_s); // falls back to the top message
}

void TestArmError::bareEnvelopeFromCrpThrottling()
{
    const auto error =
        armerror::parseErrorBody(fixture(u"arm/error-429-compute-throttling-doc.json"_s));
    QCOMPARE(error.topCode, u"OperationNotAllowed"_s);
    QCOMPARE(error.code, u"TooManyRequests"_s);
    // Without 429 the same code is not throttling: OperationNotAllowed is also quota.
    QVERIFY(armerror::classify(
                409, armerror::parseErrorBody(testData(u"error-quota-lowpriority.json"_s)))
            != FailureClass::Throttled);
}

void TestArmError::garbageBodies()
{
    QVERIFY(armerror::parseErrorBody("not json").isEmpty());
    QVERIFY(armerror::parseErrorBody("[1,2]").isEmpty());
    QVERIFY(armerror::parseErrorBody("").isEmpty());
    QVERIFY(armerror::parseErrorBody(R"({"error":"string"})").isEmpty());
    // Deep nesting is cut off instead of recursing without bound.
    QByteArray deep = R"({"code":"C0","message":"m")";
    for (int i = 0; i < 200; ++i)
        deep += R"(,"details":[{"code":"X","message":"m")";
    for (int i = 0; i < 200; ++i)
        deep += "}]";
    deep += "}";
    QCOMPARE(armerror::parseErrorBody(deep).code.isEmpty(), false);
}

void TestArmError::networkErrors()
{
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::TimeoutError)),
             toString(FailureClass::Transient));
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::OperationCanceledError)),
             toString(FailureClass::Transient));
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::RemoteHostClosedError)),
             toString(FailureClass::Transient));
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::ConnectionRefusedError)),
             toString(FailureClass::Transient));
    // Unknown or unlisted network errors never park a VM for a person (issue 12).
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::SslHandshakeFailedError)),
             toString(FailureClass::Transient));
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::UnknownServerError)),
             toString(FailureClass::Transient));
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::ProtocolFailure)),
             toString(FailureClass::Transient));
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::NetworkError(9999))),
             toString(FailureClass::Transient));
    QCOMPARE(toString(armerror::classifyNetworkError(QNetworkReply::NoError)),
             toString(FailureClass::None));
}

void TestArmError::retryAfterSeconds()
{
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
    QCOMPARE(armerror::parseRetryAfter("10", now), now.addSecs(10));
    QCOMPARE(armerror::parseRetryAfter(" 300 ", now), now.addSecs(300));
    QCOMPARE(armerror::parseRetryAfter("0", now), now);
}

void TestArmError::retryAfterHttpDate()
{
    const QDateTime now = QDateTime(QDate(2026, 10, 21), QTime(7, 27, 0), Qt::UTC);
    const QDateTime parsed = armerror::parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT", now);
    QCOMPARE(parsed, QDateTime(QDate(2026, 10, 21), QTime(7, 28, 0), Qt::UTC));
    QCOMPARE(parsed.timeSpec(), Qt::UTC);
    // Numeric zone form accepted too.
    QCOMPARE(armerror::parseRetryAfter("Wed, 21 Oct 2026 09:28:00 +0200", now),
             QDateTime(QDate(2026, 10, 21), QTime(7, 28, 0), Qt::UTC));
}

void TestArmError::retryAfterInvalid()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(!armerror::parseRetryAfter("", now).isValid());
    QVERIFY(!armerror::parseRetryAfter("soon", now).isValid());
    QVERIFY(!armerror::parseRetryAfter("-5", now).isValid());
}

void TestArmError::retryAfterIsCapped()
{
    const QDateTime now = QDateTime(QDate(2026, 10, 21), QTime(7, 27, 0), Qt::UTC);
    const QDateTime cap = now.addMSecs(armerror::kMaxRetryAfterMs);
    QCOMPARE(armerror::parseRetryAfter("86400", now), cap); // not a day
    QCOMPARE(armerror::parseRetryAfter("99999999999999999", now), cap);
    QCOMPARE(armerror::parseRetryAfter("Thu, 22 Oct 2026 07:27:00 GMT", now), cap);
    QCOMPARE(armerror::parseRetryAfter("30", now, 10'000), now.addSecs(10));
    QCOMPARE(armerror::parseRetryAfter("Wed, 21 Oct 2026 07:00:00 GMT", now), now); // past: now
}

void TestArmError::retryAfterDateIsUtcInAnyZone()
{
    // 02:30 GMT on 29 March 2026 does not exist in Berlin local time (clocks jump 02:00 ->
    // 03:00 that night... in local time; 01:00 UTC). A parser that goes through local time
    // loses or shifts it.
    const QByteArray oldTz = qgetenv("TZ");
    qputenv("TZ", "Europe/Berlin");
    tzset();
    const QDateTime now = QDateTime(QDate(2026, 3, 29), QTime(2, 29, 0), Qt::UTC);
    const QDateTime parsed = armerror::parseRetryAfter("Sun, 29 Mar 2026 02:30:00 GMT", now);
    const QDateTime other = armerror::parseRetryAfter(
        "Sun, 25 Oct 2026 02:30:00 GMT", QDateTime(QDate(2026, 10, 25), QTime(2, 29, 0), Qt::UTC));
    if (oldTz.isNull())
        qunsetenv("TZ");
    else
        qputenv("TZ", oldTz);
    tzset();
    QCOMPARE(parsed, QDateTime(QDate(2026, 3, 29), QTime(2, 30, 0), Qt::UTC));
    QCOMPARE(parsed.timeSpec(), Qt::UTC);
    QCOMPARE(other, QDateTime(QDate(2026, 10, 25), QTime(2, 30, 0), Qt::UTC));
}

void TestArmError::rateLimitHeaders()
{
    const armerror::Headers headers {
        {"x-ms-ratelimit-remaining-subscription-writes", "199"},
        {"X-MS-RateLimit-Remaining-Subscription-Global-Writes", "2999"},
        {"x-ms-ratelimit-remaining-subscription-global-reads", "3749"},
        {"x-ms-ratelimit-remaining-tenant-reads", "11999"},
        {"x-ms-ratelimit-remaining-resource",
         "Microsoft.Compute/DeleteVMSubscriptionMaximum;1499,Microsoft.Compute/"
         "DeleteVMResource;11"},
        {"x-ms-ratelimit-remaining-resource",
         "Microsoft.Compute/UpdateVM3Min;239,Microsoft.Compute/UpdateVM30Min;1196"},
        {"x-ms-request-charge", "1"},
        {"x-ms-ratelimit-remaining-subscription-reads", "garbage"},
    };
    const auto limits = armerror::parseRateLimits(headers);
    QCOMPARE(limits.value(u"subscription-writes"_s), 199);
    QCOMPARE(limits.value(u"subscription-global-writes"_s), 2999);
    QCOMPARE(limits.value(u"subscription-global-reads"_s), 3749);
    QCOMPARE(limits.value(u"tenant-reads"_s), 11999);
    QCOMPARE(limits.value(u"subscription-reads"_s), -1); // unparsable ignored
    QCOMPARE(limits.resource.value(u"Microsoft.Compute/DeleteVMResource"_s), 11);
    QCOMPARE(limits.resource.value(u"Microsoft.Compute/DeleteVMSubscriptionMaximum"_s), 1499);
    QCOMPARE(limits.resource.value(u"Microsoft.Compute/UpdateVM3Min"_s), 239);
    QCOMPARE(limits.resource.value(u"Microsoft.Compute/UpdateVM30Min"_s), 1196);
    QCOMPARE(limits.resource.size(), 4);
}

void TestArmError::correlationIdPrefersCorrelationHeader()
{
    QCOMPARE(
        armerror::correlationId({{"x-ms-request-id", "r"}, {"x-ms-correlation-request-id", "c"}}),
        u"c"_s);
    QCOMPARE(armerror::correlationId({{"X-MS-REQUEST-ID", "r"}}), u"r"_s);
    QVERIFY(armerror::correlationId({}).isEmpty());
}

QTEST_GUILESS_MAIN(TestArmError)
#include "tst_armerror.moc"
