// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The capacity fallback's decisions (engine/capacityfallback.h): opt-in, the next size, the
// price cap, the audit detail and the daily count.
#include "engine/capacityfallback.h"

#include <QTest>

using namespace spotkeeper::core;
using namespace Qt::StringLiterals;

namespace {

VmRecord vmWithTags(const QMap<QString, QString> &tags)
{
    VmRecord vm;
    vm.resourceKey = u"/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/"
                     "virtualmachines/vm1"_s;
    vm.size = u"Standard_D2s_v5"_s;
    vm.tags = tags;
    return vm;
}

FallbackConfig enabled()
{
    FallbackConfig config;
    config.enabled = true;
    return config;
}

} // namespace

class TestCapacityFallback : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sizeListsAreCheckedAndDeduplicated_data();
    void sizeListsAreCheckedAndDeduplicated();
    void priceCapsArePositiveOrPayAsYouGo_data();
    void priceCapsArePositiveOrPayAsYouGo();
    void rulesNameATagSizesAndAnOptionalCap_data();
    void rulesNameATagSizesAndAnOptionalCap();
    void theVmsOwnTagsWinOverARule();
    void nothingOptsInWhileTheFallbackIsOff();
    void aMalformedTagIsReportedNotUsed();
    void nextSizeFollowsTheApprovedOrderAndTheRegion_data();
    void nextSizeFollowsTheApprovedOrderAndTheRegion();
    void maxPriceRisesToTheCapNeverAbove_data();
    void maxPriceRisesToTheCapNeverAbove();
    void auditDetailRoundTrips();
    void dailyCountSkipsUndoesFailuresAndOtherVms();
    void preferredSizeIsTheFirstBeforeSinceTheVmWasBack();
};

void TestCapacityFallback::sizeListsAreCheckedAndDeduplicated_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("sizes"); // empty = an error
    QTest::newRow("two") << u"Standard_D4s_v5,Standard_D8s_v5"_s
                         << QStringList {u"Standard_D4s_v5"_s, u"Standard_D8s_v5"_s};
    QTest::newRow("blanks and repeats")
        << u" Standard_D4s_v5 , ,standard_d4s_v5, Standard_M416-208s_v2"_s
        << QStringList {u"Standard_D4s_v5"_s, u"Standard_M416-208s_v2"_s};
    QTest::newRow("empty") << u" , "_s << QStringList {};
    QTest::newRow("not a size") << u"Standard_D4s_v5; rm -rf"_s << QStringList {};
}

void TestCapacityFallback::sizeListsAreCheckedAndDeduplicated()
{
    QFETCH(QString, text);
    QFETCH(QStringList, sizes);
    QStringList parsed {u"untouched"_s};
    const QString problem = parseFallbackSizes(text, &parsed);
    if (sizes.isEmpty()) {
        QVERIFY(!problem.isEmpty());
        QCOMPARE(parsed, QStringList {u"untouched"_s});
    } else {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(parsed, sizes);
    }
}

void TestCapacityFallback::priceCapsArePositiveOrPayAsYouGo_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("cap");
    QTest::newRow("price") << u"0.25"_s << true << 0.25;
    QTest::newRow("pay-as-you-go") << u" -1 "_s << true << -1.0;
    QTest::newRow("zero") << u"0"_s << false << 0.0;
    QTest::newRow("negative") << u"-0.5"_s << false << 0.0;
    QTest::newRow("text") << u"cheap"_s << false << 0.0;
    QTest::newRow("infinite") << u"inf"_s << false << 0.0;
}

void TestCapacityFallback::priceCapsArePositiveOrPayAsYouGo()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(double, cap);
    double parsed = 42;
    const QString problem = parseMaxPriceCap(text, &parsed);
    QCOMPARE(problem.isEmpty(), ok);
    QCOMPARE(parsed, ok ? cap : 42.0);
}

void TestCapacityFallback::rulesNameATagSizesAndAnOptionalCap_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // a part of the message; empty = fine
    QTest::newRow("sizes") << u"env=batch: Standard_D4s_v5, Standard_D8s_v5"_s << QString();
    QTest::newRow("sizes and cap")
        << u"env=batch: Standard_D4s_v5 | max_price = 0.5"_s << QString();
    QTest::newRow("cap only") << u"env=batch: | max_price=-1"_s << QString();
    QTest::newRow("no colon") << u"env=batch Standard_D4s_v5"_s << u"expected"_s;
    QTest::newRow("no tag") << u"=batch: Standard_D4s_v5"_s << u"<tag>=<value>"_s;
    QTest::newRow("unknown option")
        << u"env=batch: Standard_D4s_v5 | zone=1"_s << u"only max_price"_s;
    QTest::newRow("bad cap") << u"env=batch: Standard_D4s_v5 | max_price=0"_s << u"max_price"_s;
    QTest::newRow("nothing") << u"env=batch:"_s << u"no sizes"_s;
}

void TestCapacityFallback::rulesNameATagSizesAndAnOptionalCap()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    FallbackRule rule;
    const QString problem = parseFallbackRule(text, &rule);
    if (error.isEmpty()) {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(rule.tagKey, u"env"_s);
        QCOMPARE(rule.tagValue, u"batch"_s);
    } else {
        QVERIFY2(problem.contains(error), qPrintable(problem));
    }
}

void TestCapacityFallback::theVmsOwnTagsWinOverARule()
{
    FallbackConfig config = enabled();
    FallbackRule rule;
    QVERIFY(parseFallbackRule(u"env=batch: Standard_E4s_v5 | max_price=0.3"_s, &rule).isEmpty());
    config.rules.append(rule);

    const auto byRule = fallbackPolicyFor(config, vmWithTags({{u"Env"_s, u"BATCH"_s}}));
    QVERIFY(byRule);
    QCOMPARE(byRule->sizes, QStringList {u"Standard_E4s_v5"_s});
    QCOMPARE(*byRule->maxPriceCap, 0.3);
    QCOMPARE(byRule->source, u"rule env=batch"_s);

    const auto byTag =
        fallbackPolicyFor(config,
                          vmWithTags({{u"env"_s, u"batch"_s},
                                      {u"spotkeeper-fallback-sizes"_s, u"Standard_D4s_v5"_s}}));
    QVERIFY(byTag);
    QCOMPARE(byTag->sizes, QStringList {u"Standard_D4s_v5"_s});
    QVERIFY(!byTag->maxPriceCap); // the tag decides alone: no cap from the rule
    QCOMPARE(byTag->source, u"tag"_s);

    QVERIFY(!fallbackPolicyFor(config, vmWithTags({{u"env"_s, u"prod"_s}})));
}

void TestCapacityFallback::nothingOptsInWhileTheFallbackIsOff()
{
    FallbackConfig config; // enabled = false
    QVERIFY(!fallbackPolicyFor(
        config, vmWithTags({{u"spotkeeper-fallback-sizes"_s, u"Standard_D4s_v5"_s}})));
}

void TestCapacityFallback::aMalformedTagIsReportedNotUsed()
{
    QString problem;
    const auto policy =
        fallbackPolicyFor(enabled(),
                          vmWithTags({{u"spotkeeper-fallback-sizes"_s, u"Standard_D4s_v5"_s},
                                      {u"spotkeeper-fallback-max-price"_s, u"lots"_s}}),
                          &problem);
    QVERIFY(policy); // the sizes are fine
    QVERIFY(!policy->maxPriceCap);
    QVERIFY2(problem.contains(u"spotkeeper-fallback-max-price"_s), qPrintable(problem));
}

void TestCapacityFallback::nextSizeFollowsTheApprovedOrderAndTheRegion_data()
{
    QTest::addColumn<QString>("current");
    QTest::addColumn<QStringList>("available");
    QTest::addColumn<QString>("next"); // empty = none
    const QStringList all {u"standard_d2s_v5"_s, u"Standard_D4s_v5"_s, u"Standard_D8s_v5"_s};
    QTest::newRow("preferred size: the first")
        << u"Standard_D2s_v5"_s << all << u"Standard_D4s_v5"_s;
    QTest::newRow("after the first: the second")
        << u"STANDARD_D4S_V5"_s << all << u"Standard_D8s_v5"_s;
    QTest::newRow("the last: none") << u"Standard_D8s_v5"_s << all << QString();
    QTest::newRow("not offered: skipped")
        << u"Standard_D2s_v5"_s << QStringList {u"Standard_D8s_v5"_s} << u"Standard_D8s_v5"_s;
    QTest::newRow("none offered") << u"Standard_D2s_v5"_s << QStringList {} << QString();
}

void TestCapacityFallback::nextSizeFollowsTheApprovedOrderAndTheRegion()
{
    QFETCH(QString, current);
    QFETCH(QStringList, available);
    QFETCH(QString, next);
    const QStringList approved {u"Standard_D4s_v5"_s, u"Standard_D8s_v5"_s};
    QString why;
    QCOMPARE(nextFallbackSize(approved, current, available, &why), next);
    QCOMPARE(why.isEmpty(), !next.isEmpty());
}

void TestCapacityFallback::maxPriceRisesToTheCapNeverAbove_data()
{
    QTest::addColumn<double>("current");
    QTest::addColumn<double>("cap");
    QTest::addColumn<double>("raised"); // 0 = no change
    QTest::newRow("below the cap: to the cap") << 0.02 << 0.05 << 0.05;
    QTest::newRow("at the cap") << 0.05 << 0.05 << 0.0;
    QTest::newRow("above the cap: never lowered") << 0.08 << 0.05 << 0.0;
    QTest::newRow("cap pay-as-you-go") << 0.02 << -1.0 << -1.0;
    QTest::newRow("already pay-as-you-go") << -1.0 << 0.05 << 0.0;
    QTest::newRow("already pay-as-you-go, cap too") << -1.0 << -1.0 << 0.0;
}

void TestCapacityFallback::maxPriceRisesToTheCapNeverAbove()
{
    QFETCH(double, current);
    QFETCH(double, cap);
    QFETCH(double, raised);
    QString why;
    const std::optional<double> result = raisedMaxPrice(current, cap, &why);
    if (raised == 0.0) {
        QVERIFY(!result);
        QVERIFY(!why.isEmpty());
    } else {
        QVERIFY(result);
        QCOMPARE(*result, raised);
    }
}

void TestCapacityFallback::auditDetailRoundTrips()
{
    FallbackChange change {u"size"_s, u"Standard_D2s_v5"_s, u"Standard_D4s_v5"_s, true,
                           u"capacity errors for 15 min"_s};
    change.undoes = 7;
    const std::optional<FallbackChange> back = decodeFallbackChange(encodeFallbackChange(change));
    QVERIFY(back);
    QCOMPARE(back->before, change.before);
    QCOMPARE(back->after, change.after);
    QCOMPARE(back->dryRun, true);
    QCOMPARE(back->undoes, 7);
    QVERIFY(!decodeFallbackChange(u"ok: paused"_s));
    QVERIFY(!decodeFallbackChange(u"{\"field\":\"zone\"}"_s));
}

void TestCapacityFallback::dailyCountSkipsUndoesFailuresAndOtherVms()
{
    const QDateTime t0 = QDateTime::fromString(u"2026-12-07T10:00:00Z"_s, Qt::ISODate);
    const QString vm = u"/subscriptions/s/vm1"_s;
    const auto row = [&](qint64 minutes, const char *action, const QString &target,
                         bool failed = false) {
        AuditRecord r;
        r.at = t0.addSecs(minutes * 60);
        r.action = QLatin1StringView(action);
        r.target = target;
        FallbackChange change {u"size"_s, u"a"_s, u"b"_s};
        if (failed)
            change.error = u"Fatal"_s;
        r.detail = encodeFallbackChange(change);
        return r;
    };
    const QList<AuditRecord> rows {
        row(0, kAuditFallbackResize, vm), // before `since`
        row(90, kAuditFallbackResize, vm),
        row(100, kAuditFallbackMaxPrice, vm),
        row(110, kAuditFallbackUndo, vm),
        row(120, kAuditFallbackResize, vm, true),
        row(130, kAuditFallbackResize, u"/subscriptions/s/vm2"_s),
        row(140, "pause", vm),
    };
    QCOMPARE(fallbackChangesSince(rows, vm, t0.addSecs(60 * 60)), 2);
}

void TestCapacityFallback::preferredSizeIsTheFirstBeforeSinceTheVmWasBack()
{
    const QString vm = u"/subscriptions/s/vm1"_s;
    const auto row = [&](const char *action, const QString &before, const QString &after,
                         bool dryRun = false) {
        AuditRecord r;
        r.action = QLatin1StringView(action);
        r.target = vm;
        r.detail = encodeFallbackChange({u"size"_s, before, after, dryRun});
        return r;
    };
    const QString d2 = u"Standard_D2s_v5"_s;
    const QString d4 = u"Standard_D4s_v5"_s;
    const QString d8 = u"Standard_D8s_v5"_s;
    QList<AuditRecord> rows {row(kAuditFallbackResize, d2, d4, true)}; // a dry run
    QCOMPARE(preferredSizeOf(rows, vm, d2), QString());
    rows.append(row(kAuditFallbackResize, d2, d4));
    rows.append(row(kAuditFallbackResize, d4, d8));
    QCOMPARE(preferredSizeOf(rows, vm, d8), d2);
    QCOMPARE(preferredSizeOf(rows, u"/subscriptions/s/vm2"_s, d8), QString());
    rows.append(row(kAuditFallbackReturn, d8, d2));
    QCOMPARE(preferredSizeOf(rows, vm, d2), QString());
    rows.append(row(kAuditFallbackResize, d2, d8));
    QCOMPARE(preferredSizeOf(rows, vm, d8), d2);
}

QTEST_GUILESS_MAIN(TestCapacityFallback)
#include "tst_capacityfallback.moc"
