// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/azureclicredential.h"

#include "azure/tokenparsers.h"
#include "base/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

namespace {
QString defaultProgram()
{
#ifdef Q_OS_WIN
    return u"az.cmd"_s;
#else
    return u"az"_s;
#endif
}

// First line of az's stderr, shortened: enough to tell "not logged in" from "bad tenant".
QString firstLine(const QByteArray &text)
{
    const QString line = QString::fromUtf8(text).trimmed().section(u'\n', 0, 0).trimmed();
    return line.left(300);
}
} // namespace

AzureCliCredential::AzureCliCredential(AzureCloud cloud, const base::Clock &clock, QObject *parent)
    : AccessTokenSource(parent)
    , m_cloud(std::move(cloud))
    , m_clock(clock)
    , m_program(defaultProgram())
{ }

AzureCliCredential::~AzureCliCredential() = default;

QString AzureCliCredential::sourceName() const
{
    return u"azure-cli"_s;
}

QString AzureCliCredential::principal() const
{
    return m_principal;
}

void AzureCliCredential::requestToken(std::function<void(TokenResult)> done)
{
    auto *process = new QProcess(this);
    QStringList args {u"account"_s,          u"get-access-token"_s, u"--resource"_s,
                      m_cloud.tokenAudience, u"--output"_s,         u"json"_s};
    if (!m_tenant.isEmpty())
        args << u"--tenant"_s << m_tenant;
    auto finished = std::make_shared<bool>(false);
    auto finish = [this, process, finished, done = std::move(done)](TokenResult result) {
        if (*finished)
            return;
        *finished = true;
        process->disconnect(this);
        if (process->state() != QProcess::NotRunning)
            process->kill();
        process->deleteLater();
        done(std::move(result));
    };
    connect(process, &QProcess::errorOccurred, this, [this, finish](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            finish(TokenResult::unavailable(
                u"Azure CLI not found: '%1' could not be started (install it or put it on PATH)"_s
                    .arg(m_program)));
        } else if (error == QProcess::Crashed) {
            finish(TokenResult::failure(u"Azure CLI crashed"_s, false));
        }
    });
    connect(process, &QProcess::finished, this,
            [this, process, finish](int exitCode, QProcess::ExitStatus) {
                const QByteArray out = process->readAllStandardOutput();
                const QByteArray err = process->readAllStandardError();
                if (exitCode != 0) {
                    const QString line = firstLine(err);
                    if (err.contains("az login") || err.contains("not logged in")
                        || err.contains("AADSTS70043") || err.contains("expired")) {
                        finish(TokenResult::unavailable(
                            u"Azure CLI is not logged in (run 'az login'): %1"_s.arg(line)));
                    } else {
                        finish(TokenResult::failure(
                            u"Azure CLI exited with code %1: %2"_s.arg(exitCode).arg(line), false));
                    }
                    return;
                }
                TokenResult result = tokenparsers::parseAzCliOutput(out, m_clock.nowUtc());
                if (result.ok()) {
                    const QJsonObject obj = QJsonDocument::fromJson(out).object();
                    const QString tenant = obj.value("tenant"_L1).toString();
                    const QString subscription = obj.value("subscription"_L1).toString();
                    m_principal = u"az login"_s;
                    if (!tenant.isEmpty())
                        m_principal += u" tenant %1"_s.arg(tenant);
                    if (!subscription.isEmpty())
                        m_principal += u" subscription %1"_s.arg(subscription);
                }
                finish(std::move(result));
            });
    QTimer::singleShot(m_timeoutMs, process, [finish, timeout = m_timeoutMs] {
        finish(
            TokenResult::failure(u"Azure CLI did not answer within %1 ms"_s.arg(timeout), false));
    });
    process->start(m_program, args, QIODevice::ReadOnly);
}

} // namespace spotkeeper::core
