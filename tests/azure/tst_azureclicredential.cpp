// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/azureclicredential.h"
#include "azure/chainedcredential.h"
#include "base/clock.h"
#include "support/common/fixtures.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using namespace spotkeeper;
using namespace spotkeeper::core;

namespace {
struct TokenWaiter
{
    std::optional<TokenResult> value;
    std::function<void(TokenResult)> callback()
    {
        return [this](TokenResult r) {
            value = std::move(r);
        };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return value.has_value(); }, 20'000);
    }
};

// A fake `az` that records its arguments and replays stdout/stderr/exit code from files.
const char kScript[] = R"sh(#!/bin/sh
dir=$(dirname "$0")
printf '%s\n' "$@" > "$dir/args.txt"
if [ -f "$dir/sleep.txt" ]; then sleep "$(cat "$dir/sleep.txt")"; fi
if [ -f "$dir/stderr.txt" ]; then cat "$dir/stderr.txt" >&2; fi
if [ -f "$dir/stdout.txt" ]; then cat "$dir/stdout.txt"; fi
exit "$(cat "$dir/exitcode.txt" 2>/dev/null || echo 0)"
)sh";
} // namespace

// AzureCliCredential running a fake `az` script put first on PATH.
class TestAzureCliCredential : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void expiresOnFromCurrentCli();
    void olderCliExpiresOnOnly();
    void notLoggedInIsUnavailable();
    void otherFailureIsFailed();
    void missingAzIsUnavailable();
    void hangingAzTimesOut();
    void chainUsesCliWithoutEnvironment();

private:
    void write(const QString &name, const QByteArray &content);
    QStringList args() const;

    QTemporaryDir m_dir;
    QByteArray m_oldPath;
};

void TestAzureCliCredential::initTestCase()
{
    QVERIFY(m_dir.isValid());
    write(u"az"_s, kScript);
    QFile script(m_dir.filePath(u"az"_s));
    QVERIFY(script.setPermissions(script.permissions() | QFileDevice::ExeOwner));
    m_oldPath = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(m_dir.path()) + ':' + m_oldPath);
}

void TestAzureCliCredential::cleanupTestCase()
{
    qputenv("PATH", m_oldPath);
}

void TestAzureCliCredential::init()
{
    for (const char *name : {"stdout.txt", "stderr.txt", "exitcode.txt", "sleep.txt", "args.txt"})
        QFile::remove(m_dir.filePath(QString::fromLatin1(name)));
}

void TestAzureCliCredential::write(const QString &name, const QByteArray &content)
{
    QFile file(m_dir.filePath(name));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

QStringList TestAzureCliCredential::args() const
{
    QFile file(m_dir.filePath(u"args.txt"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

void TestAzureCliCredential::expiresOnFromCurrentCli()
{
    write(u"stdout.txt"_s, testsupport::fixture(u"azcli/get-access-token-output-doc.json"_s));
    AzureCliCredential cli(AzureCloud::publicCloud(), base::systemClock());
    TokenWaiter w;
    cli.requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->ok(), qPrintable(w.value->error));
    QCOMPARE(w.value->token.expiresOn, QDateTime::fromSecsSinceEpoch(1'698'760'750, Qt::UTC));
    QCOMPARE(args(),
             QStringList({u"account"_s, u"get-access-token"_s, u"--resource"_s,
                          u"https://management.core.windows.net/"_s, u"--output"_s, u"json"_s}));
    QCOMPARE(cli.sourceName(), u"azure-cli"_s);
    QVERIFY(cli.principal().startsWith("az login"_L1));
}

void TestAzureCliCredential::olderCliExpiresOnOnly()
{
    const QByteArray oldTz = qgetenv("TZ");
    qputenv("TZ", "Asia/Kolkata");
    const auto restoreTz = qScopeGuard([&] {
        if (oldTz.isEmpty())
            qunsetenv("TZ");
        else
            qputenv("TZ", oldTz);
    });
    write(u"stdout.txt"_s,
          R"({"accessToken":"older-token","expiresOn":"2023-10-31 21:59:10.000000",)"
          R"("subscription":"sub","tenant":"ten","tokenType":"Bearer"})");
    AzureCliCredential cli(AzureCloud::china(), base::systemClock());
    TokenWaiter w;
    cli.requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->ok(), qPrintable(w.value->error));
    QCOMPARE(w.value->token.token, QByteArray("older-token"));
    // TZ is Asia/Kolkata (UTC+05:30, no DST) for this test: local 21:59:10 is 16:29:10 UTC.
    QCOMPARE(w.value->token.expiresOn, QDateTime(QDate(2023, 10, 31), QTime(16, 29, 10), Qt::UTC));
    QVERIFY(args().contains(u"https://management.core.chinacloudapi.cn/"_s));
    QCOMPARE(cli.principal(), u"az login tenant ten subscription sub"_s);
}

void TestAzureCliCredential::notLoggedInIsUnavailable()
{
    write(u"stderr.txt"_s, "ERROR: Please run 'az login' to setup account.\n");
    write(u"exitcode.txt"_s, "1");
    AzureCliCredential cli(AzureCloud::publicCloud(), base::systemClock());
    TokenWaiter w;
    cli.requestToken(w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.value->status, TokenResult::Status::Unavailable);
    QVERIFY2(w.value->error.contains("not logged in"_L1), qPrintable(w.value->error));
}

void TestAzureCliCredential::otherFailureIsFailed()
{
    write(u"stderr.txt"_s, "ERROR: Tenant 'x' not found.\nmore\n");
    write(u"exitcode.txt"_s, "2");
    AzureCliCredential cli(AzureCloud::publicCloud(), base::systemClock());
    TokenWaiter w;
    cli.requestToken(w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.value->status, TokenResult::Status::Failed);
    QVERIFY2(w.value->error.contains("exited with code 2: ERROR: Tenant 'x' not found."_L1),
             qPrintable(w.value->error));
}

void TestAzureCliCredential::missingAzIsUnavailable()
{
    AzureCliCredential cli(AzureCloud::publicCloud(), base::systemClock());
    cli.setProgram(u"az-not-installed-anywhere"_s);
    TokenWaiter w;
    cli.requestToken(w.callback());
    QVERIFY(w.wait());
    QCOMPARE(w.value->status, TokenResult::Status::Unavailable);
    QVERIFY2(w.value->error.contains("Azure CLI not found"_L1), qPrintable(w.value->error));
    QVERIFY(w.value->error.contains("az-not-installed-anywhere"_L1));
}

void TestAzureCliCredential::hangingAzTimesOut()
{
    write(u"sleep.txt"_s, "5");
    write(u"stdout.txt"_s, testsupport::fixture(u"azcli/get-access-token-output-doc.json"_s));
    AzureCliCredential cli(AzureCloud::publicCloud(), base::systemClock());
    cli.setTimeoutMs(200);
    TokenWaiter w;
    cli.requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY(!w.value->ok());
    QVERIFY2(w.value->error.contains("did not answer"_L1), qPrintable(w.value->error));
}

void TestAzureCliCredential::chainUsesCliWithoutEnvironment()
{
    write(u"stdout.txt"_s, testsupport::fixture(u"azcli/get-access-token-output-doc.json"_s));
    QNetworkAccessManager network;
    CredentialOptions options;
    options.excludeManagedIdentity = true;
    std::unique_ptr<ChainedCredential> chain(ChainedCredential::createDefault(
        AzureCloud::publicCloud(), QProcessEnvironment(), &network, base::systemClock(), options));
    TokenWaiter w;
    chain->requestToken(w.callback());
    QVERIFY(w.wait());
    QVERIFY2(w.value->ok(), qPrintable(w.value->error));
    QCOMPARE(chain->sourceName(), u"azure-cli"_s);
}

QTEST_GUILESS_MAIN(TestAzureCliCredential)
#include "tst_azureclicredential.moc"
