// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/azurenames.h"

#include <QTest>

using namespace spotkeeper::protocol;
using namespace Qt::StringLiterals;

// The rule texts are part of the contract: the dashboard shows them to operators.
namespace rule {
const QString guid =
    u"must be a GUID: 8-4-4-4-12 hexadecimal digits, e.g. 8d2f2e4c-0000-4000-8000-000000000000"_s;
const QString rgLength = u"must be 1-90 characters long"_s;
const QString rgChars =
    u"may contain only letters, digits, underscores, parentheses, hyphens and periods"_s;
const QString rgEnd = u"must not end with '.'"_s;
const QString vmLength = u"must be 1-64 characters long"_s;
const QString vmForbidden = u"must not contain any of \\/\"[]:|<>+=;,?*@&"_s;
const QString vmInvisible = u"must not contain whitespace, control or invalid characters"_s;
const QString vmStart = u"must not start with '_'"_s;
const QString vmEnd = u"must not end with '.' or '-'"_s;
} // namespace rule

class TestAzureNames final : public QObject
{
    Q_OBJECT

private slots:
    void names_data();
    void names();
    void sameName_data();
    void sameName();
};

void TestAzureNames::names_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expectedRule"); // empty = valid

    const QString ok;
    auto row = [](const char *name, const QString &kind, const QString &value,
                  const QString &expected) {
        QTest::newRow(name) << kind << value << expected;
    };

    // Subscription ids (GUIDs).
    row("sub: real", u"sub"_s, u"0e073ec1-c22f-4488-adde-da35ed609ccd"_s, ok);
    row("sub: upper case", u"sub"_s, u"0E073EC1-C22F-4488-ADDE-DA35ED609CCD"_s, ok);
    row("sub: empty", u"sub"_s, QString(), rule::guid);
    row("sub: braces", u"sub"_s, u"{0e073ec1-c22f-4488-adde-da35ed609ccd}"_s, rule::guid);
    row("sub: no dashes", u"sub"_s, u"0e073ec1c22f4488addeda35ed609ccd"_s, rule::guid);
    row("sub: non-hex", u"sub"_s, u"0e073ec1-c22f-4488-adde-da35ed609ccg"_s, rule::guid);
    row("sub: dash misplaced", u"sub"_s, u"0e073ec1c-22f-4488-adde-da35ed609ccd"_s, rule::guid);
    row("sub: one short", u"sub"_s, u"0e073ec1-c22f-4488-adde-da35ed609cc"_s, rule::guid);
    row("sub: one long", u"sub"_s, u"0e073ec1-c22f-4488-adde-da35ed609ccdd"_s, rule::guid);
    row("sub: space", u"sub"_s, u" 0e073ec1-c22f-4488-adde-da35ed609cc"_s, rule::guid);
    row("sub: fullwidth digit", u"sub"_s, u"\uFF10e073ec1-c22f-4488-adde-da35ed609ccd"_s,
        rule::guid);

    // Resource groups.
    row("rg: AKS managed", u"rg"_s, u"MC_myname_group_myname_eastus"_s, ok);
    row("rg: single char", u"rg"_s, u"a"_s, ok);
    row("rg: digit only", u"rg"_s, u"1"_s, ok);
    row("rg: all allowed punctuation", u"rg"_s, u"rg-(prod)_1.x"_s, ok);
    row("rg: starts with period", u"rg"_s, u".rg"_s, ok);
    row("rg: 90 chars", u"rg"_s, QString(90, u'r'), ok);
    row("rg: 91 chars", u"rg"_s, QString(91, u'r'), rule::rgLength);
    row("rg: empty", u"rg"_s, QString(), rule::rgLength);
    row("rg: unicode letters", u"rg"_s, u"gruppe-\u00e4\u00f6\u00fc-\u65e5\u672c"_s, ok);
    row("rg: supplementary letter counted once", u"rg"_s,
        QString(89, u'r') + QString::fromUcs4(U"\U00020000"), ok);
    row("rg: ends with period", u"rg"_s, u"rg."_s, rule::rgEnd);
    row("rg: space", u"rg"_s, u"my rg"_s, rule::rgChars);
    row("rg: slash", u"rg"_s, u"my/rg"_s, rule::rgChars);
    row("rg: at sign", u"rg"_s, u"rg@x"_s, rule::rgChars);
    row("rg: brackets", u"rg"_s, u"rg[1]"_s, rule::rgChars);
    row("rg: emoji", u"rg"_s, QString::fromUcs4(U"rg\U0001F600"), rule::rgChars);
    row("rg: lone surrogate", u"rg"_s, u"rg"_s + QChar(0xD800), rule::rgChars);
    row("rg: tab", u"rg"_s, u"rg\t1"_s, rule::rgChars);

    // VM names.
    row("vm: simple", u"vm"_s, u"vm-spot"_s, ok);
    row("vm: vmss instance", u"vm"_s, u"aks-agentpool-12628255-vmss_2"_s, ok);
    row("vm: single char", u"vm"_s, u"v"_s, ok);
    row("vm: 64 chars", u"vm"_s, QString(64, u'v'), ok);
    row("vm: 65 chars", u"vm"_s, QString(65, u'v'), rule::vmLength);
    row("vm: empty", u"vm"_s, QString(), rule::vmLength);
    row("vm: period inside", u"vm"_s, u"web.01"_s, ok);
    row("vm: parentheses", u"vm"_s, u"vm(1)"_s, ok);
    row("vm: starts with underscore", u"vm"_s, u"_vm"_s, rule::vmStart);
    row("vm: ends with period", u"vm"_s, u"vm."_s, rule::vmEnd);
    row("vm: ends with hyphen", u"vm"_s, u"vm-"_s, rule::vmEnd);
    row("vm: backslash", u"vm"_s, u"vm\\1"_s, rule::vmForbidden);
    row("vm: slash", u"vm"_s, u"vm/1"_s, rule::vmForbidden);
    row("vm: quote", u"vm"_s, u"vm\"1"_s, rule::vmForbidden);
    row("vm: brackets", u"vm"_s, u"vm[1]"_s, rule::vmForbidden);
    row("vm: colon", u"vm"_s, u"vm:1"_s, rule::vmForbidden);
    row("vm: pipe", u"vm"_s, u"vm|1"_s, rule::vmForbidden);
    row("vm: angle", u"vm"_s, u"vm<1>"_s, rule::vmForbidden);
    row("vm: plus", u"vm"_s, u"vm+1"_s, rule::vmForbidden);
    row("vm: equals", u"vm"_s, u"vm=1"_s, rule::vmForbidden);
    row("vm: semicolon", u"vm"_s, u"vm;1"_s, rule::vmForbidden);
    row("vm: comma", u"vm"_s, u"vm,1"_s, rule::vmForbidden);
    row("vm: question", u"vm"_s, u"vm?1"_s, rule::vmForbidden);
    row("vm: star", u"vm"_s, u"vm*1"_s, rule::vmForbidden);
    row("vm: at", u"vm"_s, u"vm@1"_s, rule::vmForbidden);
    row("vm: ampersand", u"vm"_s, u"vm&1"_s, rule::vmForbidden);
    row("vm: forbidden wins over underscore start", u"vm"_s, u"_vm&"_s, rule::vmForbidden);
    row("vm: space", u"vm"_s, u"my vm"_s, rule::vmInvisible);
    row("vm: newline", u"vm"_s, u"vm\n1"_s, rule::vmInvisible);
    row("vm: nul", u"vm"_s, u"vm"_s + QChar(0) + u"1"_s, rule::vmInvisible);
    row("vm: no-break space", u"vm"_s, u"vm\u00a01"_s, rule::vmInvisible);
    row("vm: zero-width joiner", u"vm"_s, u"vm\u200d1"_s, rule::vmInvisible);
    row("vm: lone surrogate", u"vm"_s, u"vm"_s + QChar(0xDC00), rule::vmInvisible);
    row("vm: unicode letters", u"vm"_s, u"\u00e4pfel-vm"_s, ok);
}

void TestAzureNames::names()
{
    QFETCH(QString, kind);
    QFETCH(QString, value);
    QFETCH(QString, expectedRule);
    QString actual;
    if (kind == u"sub")
        actual = checkSubscriptionId(value);
    else if (kind == u"rg")
        actual = checkResourceGroupName(value);
    else
        actual = checkVmName(value);
    QCOMPARE(actual, expectedRule);
    if (kind == u"sub")
        QCOMPARE(checkGuid(value), expectedRule);
}

void TestAzureNames::sameName_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");
    QTest::newRow("identical") << u"vm-spot"_s << u"vm-spot"_s << true;
    QTest::newRow("case") << u"MC_MyName_Group"_s << u"mc_myname_group"_s << true;
    QTest::newRow("guid case") << u"0E073EC1-C22F-4488-ADDE-DA35ED609CCD"_s
                               << u"0e073ec1-c22f-4488-adde-da35ed609ccd"_s << true;
    QTest::newRow("unicode case") << u"\u00c4PFEL"_s << u"\u00e4pfel"_s << true;
    QTest::newRow("different") << u"vm-1"_s << u"vm-2"_s << false;
    QTest::newRow("prefix") << u"vm"_s << u"vm1"_s << false;
    QTest::newRow("empty vs name") << QString() << u"vm"_s << false;
}

void TestAzureNames::sameName()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(sameAzureName(a, b), same);
    QCOMPARE(sameAzureName(b, a), same);
}

QTEST_GUILESS_MAIN(TestAzureNames)
#include "tst_azurenames.moc"
