// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QLatin1StringView>
#include <QSaveFile>
#include <QString>
#include <QStringList>

#include <memory>

namespace spotkeeper::core {

struct CsvOptions
{
    bool bom = false; // UTF-8 byte order mark, for spreadsheet programs that want one
};

// Writes one RFC 4180 CSV file: CRLF line ends, fields quoted when they hold a comma,
// quote, CR or LF, UTF-8 (optional BOM), times as ISO 8601 UTC. Text cells that a
// spreadsheet would run as a formula (leading = + - @ TAB CR) get a leading apostrophe;
// number cells are written as they are. Nothing reaches `path` unless commit() succeeds
// (QSaveFile), so a failed export never leaves a half-written file behind.
// Cells are encoded straight into one preallocated byte buffer (no per-row QString), so a
// million-row export is bound by the reading, not by the writing.
class CsvWriter
{
public:
    explicit CsvWriter(const QString &path, const CsvOptions &options = {});
    // In-memory encoding without a file (e.g. rows encoded on another thread): collect the
    // bytes with takeEncoded() and hand them to the file's writer with appendEncodedRows().
    CsvWriter();
    ~CsvWriter();
    Q_DISABLE_COPY_MOVE(CsvWriter)

    bool open(QString *error);
    void writeRow(const QStringList &textCells); // e.g. the header
    CsvWriter &text(QStringView value);
    CsvWriter &text(QLatin1StringView value); // e.g. enum names, without a QString
    CsvWriter &number(qint64 value);
    CsvWriter &number(double value);
    CsvWriter &time(const QDateTime &value); // empty cell when invalid
    CsvWriter &empty();
    // A cell already made by encodeText() (e.g. a VM name written on many rows).
    CsvWriter &encoded(QByteArrayView cell);
    void endRow();
    QByteArray takeEncoded(qint64 *rows); // whole rows encoded so far; starts afresh
    void appendEncodedRows(QByteArrayView rows, qint64 count); // from takeEncoded()
    bool commit(QString *error);
    qint64 rowsWritten() const { return m_rows; }

    // The cell as it is written (guarded and quoted as needed), without separators.
    static QString escapeText(QStringView value);
    static QByteArray encodeText(QStringView value); // the same, as the UTF-8 bytes written
    static QString formatTime(const QDateTime &value);

private:
    char *reserve(qsizetype bytes); // room for `bytes` more at the end; returns where
    void beginCell();
    void appendBytesCell(const char *data, qsizetype size, bool guard, bool quote);
    void appendAsciiCell(QStringView value, bool guard, bool quote);
    bool flush();

    QString m_path;
    CsvOptions m_options;
    std::unique_ptr<QSaveFile> m_file;
    QByteArray m_buffer; // allocated once; m_used bytes of it are pending
    qsizetype m_used = 0;
    bool m_rowStarted = false;
    bool m_writeFailed = false;
    qint64 m_rows = 0;
};

} // namespace spotkeeper::core
