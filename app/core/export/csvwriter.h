// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
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
class CsvWriter
{
public:
    explicit CsvWriter(const QString &path, const CsvOptions &options = {});
    ~CsvWriter();
    Q_DISABLE_COPY_MOVE(CsvWriter)

    bool open(QString *error);
    void writeRow(const QStringList &textCells); // e.g. the header
    CsvWriter &text(QStringView value);
    CsvWriter &number(qint64 value);
    CsvWriter &number(double value);
    CsvWriter &time(const QDateTime &value); // empty cell when invalid
    CsvWriter &empty();
    void endRow();
    bool commit(QString *error);
    qint64 rowsWritten() const { return m_rows; }

    // The cell as it is written (guarded and quoted as needed), without separators.
    static QString escapeText(QStringView value);
    static QString formatTime(const QDateTime &value);

private:
    void beginCell();
    void flushIfLarge();

    QString m_path;
    CsvOptions m_options;
    std::unique_ptr<QSaveFile> m_file;
    QString m_line;
    QByteArray m_buffer;
    bool m_rowStarted = false;
    bool m_writeFailed = false;
    qint64 m_rows = 0;
};

} // namespace spotkeeper::core
