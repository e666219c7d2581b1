// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/azure/azuretestsupport.h"

#include "support/common/fixtures.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>

using namespace Qt::StringLiterals;

namespace spotkeeper::azuretest {

void CountingTokenSource::requestToken(std::function<void(core::TokenResult)> done)
{
    ++requests;
    if (fail) {
        done(core::TokenResult::failure(u"test credential failure"_s, fatal));
        return;
    }
    core::AccessToken token;
    token.token = "test-token-" + QByteArray::number(generation);
    token.obtainedAt = QDateTime::currentDateTimeUtc();
    token.expiresOn = token.obtainedAt.addSecs(3600);
    done(core::TokenResult::success(token));
}

QByteArray testData(const QString &name)
{
    QFile file(testsupport::testDataPath(u"azure/"_s + name));
    if (!file.open(QIODevice::ReadOnly))
        qWarning("missing test data %s", qPrintable(file.fileName()));
    return file.readAll();
}

QByteArray specBody(const QString &fixture)
{
    const QJsonObject spec = QJsonDocument::fromJson(testsupport::fixture(fixture)).object();
    return QJsonDocument(spec.value("responses"_L1)
                             .toObject()
                             .value("200"_L1)
                             .toObject()
                             .value("body"_L1)
                             .toObject())
        .toJson(QJsonDocument::Compact);
}

namespace {
QMutex g_mutex;
QStringList g_lines;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_mutex);
        g_lines << QString::fromLatin1(context.category ? context.category : "") + u' ' + message;
    }
    if (g_previous && type != QtDebugMsg)
        g_previous(type, context, message);
}
} // namespace

LogCapture::LogCapture()
{
    {
        QMutexLocker lock(&g_mutex);
        g_lines.clear();
    }
    QLoggingCategory::setFilterRules(u"*.debug=true"_s);
    g_previous = qInstallMessageHandler(capture);
}

LogCapture::~LogCapture()
{
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules(QString());
}

QStringList LogCapture::lines() const
{
    QMutexLocker lock(&g_mutex);
    return g_lines;
}

core::ArmClientOptions fastArmOptions(const QUrl &armUrl, const core::ArmBudgets &budgets)
{
    core::ArmClientOptions options;
    options.armUrl = armUrl;
    options.budgets = budgets;
    options.maxPollIntervalMs = 20;
    options.defaultPollIntervalMs = 10;
    options.requestTimeoutMs = 10'000;
    return options;
}

} // namespace spotkeeper::azuretest
