// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/csvwriter.h"

#include <QDir>
#include <QFileInfo>

#include <charconv>
#include <cstring>
#include <utility>

namespace spotkeeper::core {

namespace {
constexpr qsizetype kBufferBytes = 1 << 20; // written to the file whenever it is full

bool isFormulaStart(char16_t c)
{
    return c == u'=' || c == u'+' || c == u'-' || c == u'@' || c == u'\t' || c == u'\r';
}

bool startsFormula(QStringView value)
{
    return !value.isEmpty() && isFormulaStart(value.front().unicode());
}

bool isQuoteTrigger(char16_t c)
{
    return c == u',' || c == u'"' || c == u'\r' || c == u'\n';
}

bool needsQuotes(QStringView value)
{
    for (QChar c : value) {
        if (isQuoteTrigger(c.unicode()))
            return true;
    }
    return false;
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - (a % b < 0 ? 1 : 0);
}

void putDigits(char *out, int value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
}

// "yyyy-MM-ddTHH:mm:ssZ", exactly what QDateTime::toString(Qt::ISODate) gives for UTC
// (seconds truncated), without building a QDateTime/QString per cell. Years outside
// 1..9999 return 0 and the caller falls back to Qt. Dates: Howard Hinnant's civil_from_days.
qsizetype formatUtcMillis(qint64 msecs, char *out)
{
    const qint64 secs = floorDiv(msecs, 1000);
    const qint64 days = floorDiv(secs, 86400);
    const int secOfDay = int(secs - days * 86400);
    const qint64 z = days + 719468;
    const qint64 era = floorDiv(z, 146097);
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 1 || year > 9999)
        return 0;
    putDigits(out, int(year), 4);
    out[4] = '-';
    putDigits(out + 5, month, 2);
    out[7] = '-';
    putDigits(out + 8, day, 2);
    out[10] = 'T';
    putDigits(out + 11, secOfDay / 3600, 2);
    out[13] = ':';
    putDigits(out + 14, secOfDay / 60 % 60, 2);
    out[16] = ':';
    putDigits(out + 17, secOfDay % 60, 2);
    out[19] = 'Z';
    return 20;
}
} // namespace

CsvWriter::CsvWriter(const QString &path, const CsvOptions &options)
    : m_path(path)
    , m_options(options)
{ }

CsvWriter::CsvWriter() = default;

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
    if (m_options.bom) {
        std::memcpy(reserve(3), "\xEF\xBB\xBF", 3);
        m_used += 3;
    }
    return true;
}

char *CsvWriter::reserve(qsizetype bytes)
{
    if (m_used + bytes > m_buffer.size()) {
        if (m_file && m_used > 0)
            flush();
        if (m_used + bytes > m_buffer.size())
            m_buffer.resize(qMax(kBufferBytes, m_used + bytes)); // a huge cell, or no file yet
    }
    return m_buffer.data() + m_used;
}

bool CsvWriter::flush()
{
    if (m_used > 0 && m_file->write(m_buffer.constData(), m_used) != m_used)
        m_writeFailed = true;
    m_used = 0;
    return !m_writeFailed;
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

QByteArray CsvWriter::encodeText(QStringView value)
{
    return escapeText(value).toUtf8();
}

QString CsvWriter::formatTime(const QDateTime &value)
{
    if (!value.isValid())
        return {};
    return value.toUTC().toString(Qt::ISODate);
}

void CsvWriter::beginCell()
{
    if (m_rowStarted) {
        *reserve(1) = ',';
        ++m_used;
    }
    m_rowStarted = true;
}

void CsvWriter::appendBytesCell(const char *data, qsizetype size, bool guard, bool quote)
{
    char *const start = reserve(2 * size + 3); // worst case: every byte a doubled quote
    char *out = start;
    if (quote)
        *out++ = '"';
    if (guard)
        *out++ = '\'';
    if (quote) {
        for (qsizetype i = 0; i < size; ++i) {
            *out++ = data[i];
            if (data[i] == '"')
                *out++ = '"';
        }
        *out++ = '"';
    } else if (size > 0) {
        std::memcpy(out, data, size_t(size));
        out += size;
    }
    m_used += out - start;
}

void CsvWriter::appendAsciiCell(QStringView value, bool guard, bool quote)
{
    char *const start = reserve(2 * value.size() + 3);
    char *out = start;
    if (quote)
        *out++ = '"';
    if (guard)
        *out++ = '\'';
    const char16_t *in = value.utf16();
    const qsizetype size = value.size();
    if (quote) {
        for (qsizetype i = 0; i < size; ++i) {
            *out++ = char(in[i]);
            if (in[i] == u'"')
                *out++ = '"';
        }
        *out++ = '"';
    } else {
        for (qsizetype i = 0; i < size; ++i)
            out[i] = char(in[i]);
        out += size;
    }
    m_used += out - start;
}

CsvWriter &CsvWriter::text(QStringView value)
{
    beginCell();
    bool ascii = true;
    bool quote = false;
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        ascii = ascii && u < 0x80;
        quote = quote || isQuoteTrigger(u);
    }
    const bool guard = startsFormula(value);
    if (ascii) {
        appendAsciiCell(value, guard, quote);
    } else {
        const QByteArray utf8 = value.toUtf8(); // rare: keeps Qt's handling of bad surrogates
        appendBytesCell(utf8.constData(), utf8.size(), guard, quote);
    }
    return *this;
}

CsvWriter &CsvWriter::text(QLatin1StringView value)
{
    bool quote = false;
    for (const char c : value) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return text(QString(value)); // Latin-1 beyond ASCII: UTF-8 needs two bytes
        quote = quote || isQuoteTrigger(char16_t(c));
    }
    beginCell();
    const bool guard = !value.isEmpty() && isFormulaStart(char16_t(value.front().unicode()));
    appendBytesCell(value.data(), value.size(), guard, quote);
    return *this;
}

CsvWriter &CsvWriter::encoded(QByteArrayView cell)
{
    beginCell();
    if (!cell.isEmpty()) {
        std::memcpy(reserve(cell.size()), cell.data(), size_t(cell.size()));
        m_used += cell.size();
    }
    return *this;
}

CsvWriter &CsvWriter::number(qint64 value)
{
    beginCell();
    char *out = reserve(24);
    m_used += std::to_chars(out, out + 24, value).ptr - out;
    return *this;
}

CsvWriter &CsvWriter::number(double value)
{
    beginCell();
    const QByteArray digits = QString::number(value, 'g', 15).toLatin1();
    std::memcpy(reserve(digits.size()), digits.constData(), size_t(digits.size()));
    m_used += digits.size();
    return *this;
}

CsvWriter &CsvWriter::time(const QDateTime &value)
{
    beginCell();
    if (!value.isValid())
        return *this;
    const qsizetype written = formatUtcMillis(value.toMSecsSinceEpoch(), reserve(20));
    if (written > 0) {
        m_used += written;
    } else {
        const QByteArray text = formatTime(value).toLatin1();
        std::memcpy(reserve(text.size()), text.constData(), size_t(text.size()));
        m_used += text.size();
    }
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
    std::memcpy(reserve(2), "\r\n", 2);
    m_used += 2;
    m_rowStarted = false;
    ++m_rows;
}

QByteArray CsvWriter::takeEncoded(qint64 *rows)
{
    if (rows)
        *rows = m_rows;
    m_buffer.resize(m_used);
    m_used = 0;
    m_rows = 0;
    m_rowStarted = false;
    return std::exchange(m_buffer, QByteArray());
}

void CsvWriter::appendEncodedRows(QByteArrayView rows, qint64 count)
{
    if (m_rowStarted)
        endRow();
    if (m_file && m_used + rows.size() > m_buffer.size()) {
        flush(); // a large block goes straight to the file, not through the buffer
        if (!m_writeFailed && m_file->write(rows.data(), rows.size()) != rows.size())
            m_writeFailed = true;
    } else if (!rows.isEmpty()) {
        std::memcpy(reserve(rows.size()), rows.data(), size_t(rows.size()));
        m_used += rows.size();
    }
    m_rows += count;
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
    flush();
    m_buffer = QByteArray();
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
