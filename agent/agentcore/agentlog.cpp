// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/agentlog.h"

#include <QDateTime>
#include <QFile>
#include <QMutex>

#include <cstdio>

Q_LOGGING_CATEGORY(lcAgent, "spotkeeper.agent", QtInfoMsg)

namespace spotkeeper::agent {

namespace {
bool g_journalPrefixes = false;
QString g_logFile;
QMutex g_logMutex;
constexpr qint64 kRotateBytes = 1024 * 1024;
constexpr int kKeptFiles = 3;

void appendToLogFile(const QByteArray &line)
{
    QMutexLocker lock(&g_logMutex);
    QFile file(g_logFile);
    if (file.size() + line.size() > kRotateBytes) {
        QFile::remove(g_logFile + u'.' + QString::number(kKeptFiles));
        for (int i = kKeptFiles - 1; i >= 1; --i)
            QFile::rename(g_logFile + u'.' + QString::number(i),
                          g_logFile + u'.' + QString::number(i + 1));
        QFile::rename(g_logFile, g_logFile + QStringLiteral(".1"));
    }
    if (file.open(QIODevice::Append))
        file.write(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' '
                   + line);
}

void handler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    // sd-daemon(3) priority prefixes: the journal strips them and records the level.
    const char *prefix = "";
    switch (type) {
    case QtDebugMsg:
        prefix = g_journalPrefixes ? "<7>" : "debug: ";
        break;
    case QtInfoMsg:
        prefix = g_journalPrefixes ? "<6>" : "";
        break;
    case QtWarningMsg:
        prefix = g_journalPrefixes ? "<4>" : "warning: ";
        break;
    case QtCriticalMsg:
    case QtFatalMsg:
        prefix = g_journalPrefixes ? "<3>" : "error: ";
        break;
    }
    QByteArray line = message.toUtf8();
    line.replace('\n', ' '); // one decision, one line
    if (!g_logFile.isEmpty()) {
        appendToLogFile(QByteArray(prefix) + line + '\n');
        return;
    }
    std::fprintf(stderr, "%s%s\n", prefix, line.constData());
    std::fflush(stderr);
}
} // namespace

void installAgentMessageHandler(bool journalPrefixes)
{
    g_journalPrefixes = journalPrefixes;
    qInstallMessageHandler(handler);
}

void setAgentLogFile(const QString &path)
{
    g_journalPrefixes = false;
    g_logFile = path;
}

} // namespace spotkeeper::agent
