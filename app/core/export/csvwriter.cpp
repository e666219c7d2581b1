// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "csvwriter.h"

#include <QDir>
#include <QFileInfo>

namespace spotkeeper::core {

namespace {
constexpr qsizetype kFlushBytes = 1 << 20;

bool startsFormula(QStringView value)
{
    if (value.isEmpty())
        return false;
    switch (value.front().unicode()) {
    case u'=':
    case u'+':
    case u'-':
    case u'@':
    case u'\t':
    case u'\r':
        return true;
    default:
        return false;
    }
}

bool needsQuotes(QStringView value)
{
    for (QChar c : value) {
        const char16_t u = c.unicode();
        if (u == u',' || u == u'"' || u == u'\r' || u == u'\n')
            return true;
    }
    return false;
}
} // namespace

CsvWriter::CsvWriter(const QString &path, const CsvOptions &options)
    : m_path(path)
    , m_options(options)
{
    m_line.reserve(512);
}

CsvWriter::~CsvWriter() = default;

bool CsvWriter::open(QString *error)
{
    const QFileInfo info(m_path);
    if (m_path.isEmpty() || !info.absoluteDir().exists()) {
        if (error)
            *error = QStringLiteral("Cannot write %1: the folder does not exist").arg(m_path);
        return false;
    }
    m_file = std::make_unique<QSaveFile>(m_path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("Cannot write %1: %2").arg(m_path, m_file->errorString());
        m_file.reset();
        return false;
    }
    if (m_options.bom)
        m_buffer.append("\xEF\xBB\xBF");
    return true;
}

QString CsvWriter::escapeText(QStringView value)
{
    QString cell;
    if (startsFormula(value)) {
        cell.reserve(value.size() + 1);
        cell.append(QLatin1Char('\''));
        cell.append(value);
    } else {
        cell = value.toString();
    }
    if (!needsQuotes(cell))
        return cell;
    cell.replace(QLatin1Char('"'), QLatin1StringView("\"\""));
    return QLatin1Char('"') + cell + QLatin1Char('"');
}

QString CsvWriter::formatTime(const QDateTime &value)
{
    if (!value.isValid())
        return {};
    return value.toUTC().toString(Qt::ISODate);
}

void CsvWriter::beginCell()
{
    if (m_rowStarted)
        m_line.append(QLatin1Char(','));
    m_rowStarted = true;
}

CsvWriter &CsvWriter::text(QStringView value)
{
    beginCell();
    if (!startsFormula(value) && !needsQuotes(value))
        m_line.append(value); // the common case, without a temporary
    else
        m_line.append(escapeText(value));
    return *this;
}

CsvWriter &CsvWriter::number(qint64 value)
{
    beginCell();
    m_line.append(QString::number(value));
    return *this;
}

CsvWriter &CsvWriter::number(double value)
{
    beginCell();
    m_line.append(QString::number(value, 'g', 15));
    return *this;
}

CsvWriter &CsvWriter::time(const QDateTime &value)
{
    beginCell();
    m_line.append(formatTime(value));
    return *this;
}

CsvWriter &CsvWriter::empty()
{
    beginCell();
    return *this;
}

void CsvWriter::writeRow(const QStringList &textCells)
{
    for (const QString &cell : textCells)
        text(cell);
    endRow();
}

void CsvWriter::endRow()
{
    m_line.append(QLatin1StringView("\r\n"));
    m_buffer.append(m_line.toUtf8());
    m_line.clear();
    m_rowStarted = false;
    ++m_rows;
    flushIfLarge();
}

void CsvWriter::flushIfLarge()
{
    if (m_buffer.size() < kFlushBytes || !m_file)
        return;
    if (m_file->write(m_buffer) != m_buffer.size())
        m_writeFailed = true;
    m_buffer.clear();
}

bool CsvWriter::commit(QString *error)
{
    if (!m_file) {
        if (error)
            *error = QStringLiteral("Cannot write %1: the file is not open").arg(m_path);
        return false;
    }
    if (m_rowStarted)
        endRow();
    if (!m_buffer.isEmpty() && m_file->write(m_buffer) != m_buffer.size())
        m_writeFailed = true;
    m_buffer.clear();
    if (m_writeFailed) {
        m_file->cancelWriting();
        m_file->commit();
        if (error)
            *error = QStringLiteral("Cannot write %1: %2").arg(m_path, m_file->errorString());
        m_file.reset();
        return false;
    }
    const bool ok = m_file->commit();
    if (!ok && error)
        *error = QStringLiteral("Cannot save %1: %2").arg(m_path, m_file->errorString());
    m_file.reset();
    return ok;
}

} // namespace spotkeeper::core
