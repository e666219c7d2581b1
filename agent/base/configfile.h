// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

// The one reader of `key = value` settings files (agent.conf, spotkeeperd.conf). It knows
// the syntax, not the settings: each caller checks keys and values and reports a problem
// with errorAt(), so every message names the file and the line.
//
//   - a line is `key = value`; blanks around key and value do not count; the key is
//     matched in lower case;
//   - an empty line, or one whose first non-blank is '#' or ';', is a comment;
//   - blanks followed by '#' or ';' start a comment at the end of a line, unless inside
//     double quotes: `drain-hook = sh -c "a ; b"   # comment`;
//   - a value wholly in double quotes loses the quotes (`"  x "` keeps its blanks);
//   - with Sections::Required, `[name]` starts a section (matched in lower case) and every
//     setting must be in one; with Sections::None a `[name]` line is an error;
//   - UTF-8, with or without a byte order mark; "\r\n" line ends are fine.
namespace spotkeeper::base {

struct ConfigEntry
{
    QString section; // lower case; empty with Sections::None
    QString key; // lower case
    QString value;
    int line = 0; // from 1
};

class ConfigFile
{
public:
    enum class Sections { None, Required };

    // From a file: errors read "PATH:LINE: message", or "cannot read the configuration
    // file PATH: reason".
    static std::optional<ConfigFile> read(const QString &path, Sections sections, QString *error);
    // From memory (tests, an embedded default): errors read "line LINE: message".
    static std::optional<ConfigFile> parse(const QByteArray &text, Sections sections,
                                           QString *error, const QString &path = {});

    const QList<ConfigEntry> &entries() const { return m_entries; }
    const QString &path() const { return m_path; } // empty when parsed from memory
    // A caller's complaint about a line, in the reader's format.
    QString errorAt(int line, const QString &message) const;

private:
    QString m_path;
    QList<ConfigEntry> m_entries;
};

// The one spelling of a yes/no setting: yes, true, on, 1 or no, false, off, 0, in any
// case, blanks around ignored. std::nullopt for anything else.
std::optional<bool> parseBool(QStringView text);

} // namespace spotkeeper::base
