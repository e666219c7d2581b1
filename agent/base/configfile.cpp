// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/configfile.h"

#include <QFile>

namespace spotkeeper::base {

using namespace Qt::StringLiterals;

namespace {

// The value without a trailing comment: blanks then '#' or ';' outside double quotes.
QString withoutComment(const QString &value)
{
    bool quoted = false;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c == u'"')
            quoted = !quoted;
        else if (!quoted && (c == u'#' || c == u';') && i > 0 && value.at(i - 1).isSpace())
            return value.left(i).trimmed();
    }
    return value;
}

} // namespace

std::optional<bool> parseBool(QStringView text)
{
    const QStringView word = text.trimmed();
    for (const auto yes : {"yes"_L1, "true"_L1, "on"_L1, "1"_L1}) {
        if (word.compare(yes, Qt::CaseInsensitive) == 0)
            return true;
    }
    for (const auto no : {"no"_L1, "false"_L1, "off"_L1, "0"_L1}) {
        if (word.compare(no, Qt::CaseInsensitive) == 0)
            return false;
    }
    return std::nullopt;
}

QString ConfigFile::errorAt(int line, const QString &message) const
{
    if (m_path.isEmpty())
        return u"line "_s + QString::number(line) + u": "_s + message;
    return m_path + u':' + QString::number(line) + u": "_s + message;
}

std::optional<ConfigFile> ConfigFile::parse(const QByteArray &text, Sections sections,
                                            QString *error, const QString &path)
{
    ConfigFile file;
    file.m_path = path;
    QByteArray data = text;
    if (data.startsWith("\xEF\xBB\xBF"))
        data.remove(0, 3);
    QString section;
    const QList<QByteArray> lines = data.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int number = int(i + 1);
        const QString line = QString::fromUtf8(lines.at(i)).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[') && sections == Sections::Required) {
            const QString header = withoutComment(line);
            if (!header.endsWith(u']')) {
                *error = file.errorAt(number, u"a section header must end with ']'"_s);
                return std::nullopt;
            }
            section = header.mid(1, header.size() - 2).trimmed().toLower();
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals <= 0) {
            *error = file.errorAt(number, u"expected 'key = value'"_s);
            return std::nullopt;
        }
        ConfigEntry entry;
        entry.line = number;
        entry.section = section;
        entry.key = line.left(equals).trimmed().toLower();
        entry.value = withoutComment(line.mid(equals + 1).trimmed());
        if (entry.value.size() >= 2 && entry.value.startsWith(u'"') && entry.value.endsWith(u'"'))
            entry.value = entry.value.mid(1, entry.value.size() - 2);
        if (sections == Sections::Required && section.isEmpty()) {
            *error = file.errorAt(number, u"'"_s + entry.key + u"' is outside a [section]"_s);
            return std::nullopt;
        }
        file.m_entries.append(entry);
    }
    return file;
}

std::optional<ConfigFile> ConfigFile::read(const QString &path, Sections sections, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the configuration file "_s + path + u": "_s + file.errorString();
        return std::nullopt;
    }
    return parse(file.readAll(), sections, error, path);
}

} // namespace spotkeeper::base
