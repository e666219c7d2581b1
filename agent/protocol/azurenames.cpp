// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/azurenames.h"

#include <QChar>

namespace spotkeeper::protocol {

namespace {

// Walks a UTF-16 view by code point; a lone surrogate comes back as 0xFFFFFFFF so
// every check can refuse it as "not a character".
constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

template<typename Fn>
void forEachCodePoint(QStringView value, Fn &&fn)
{
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        char32_t cp = c.unicode();
        if (c.isHighSurrogate() && i + 1 < value.size() && value.at(i + 1).isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(c, value.at(i + 1));
            ++i;
        } else if (c.isSurrogate()) {
            cp = kInvalidCodePoint;
        }
        fn(cp);
    }
}

qsizetype codePointCount(QStringView value)
{
    qsizetype count = 0;
    forEachCodePoint(value, [&count](char32_t) { ++count; });
    return count;
}

// Azure's resource group rule counts "letters or digits as defined by
// Char.IsLetterOrDigit" (.NET): the Unicode letter categories and decimal digits.
bool isAzureLetterOrDigit(char32_t cp)
{
    if (cp == kInvalidCodePoint)
        return false;
    switch (QChar::category(cp)) {
    case QChar::Letter_Uppercase:
    case QChar::Letter_Lowercase:
    case QChar::Letter_Titlecase:
    case QChar::Letter_Modifier:
    case QChar::Letter_Other:
    case QChar::Number_DecimalDigit:
        return true;
    default:
        return false;
    }
}

bool isHexDigit(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
}

} // namespace

QString checkGuid(QStringView value)
{
    // 8-4-4-4-12 hex digits, no braces: the form ARM and IMDS use.
    static const QString rule = QStringLiteral(
        "must be a GUID: 8-4-4-4-12 hexadecimal digits, e.g. 8d2f2e4c-0000-4000-8000-000000000000");
    if (value.size() != 36)
        return rule;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const bool dashPosition = i == 8 || i == 13 || i == 18 || i == 23;
        if (dashPosition ? value.at(i) != u'-' : !isHexDigit(value.at(i)))
            return rule;
    }
    return {};
}

QString checkSubscriptionId(QStringView value)
{
    return checkGuid(value);
}

QString checkResourceGroupName(QStringView value)
{
    const qsizetype length = codePointCount(value);
    if (length < 1 || length > 90)
        return QStringLiteral("must be 1-90 characters long");
    bool allowed = true;
    forEachCodePoint(value, [&allowed](char32_t cp) {
        if (cp == U'_' || cp == U'(' || cp == U')' || cp == U'-' || cp == U'.')
            return;
        if (!isAzureLetterOrDigit(cp))
            allowed = false;
    });
    if (!allowed)
        return QStringLiteral(
            "may contain only letters, digits, underscores, parentheses, hyphens and periods");
    if (value.endsWith(u'.'))
        return QStringLiteral("must not end with '.'");
    return {};
}

QString checkVmName(QStringView value)
{
    const qsizetype length = codePointCount(value);
    if (length < 1 || length > 64)
        return QStringLiteral("must be 1-64 characters long");
    static constexpr QStringView forbidden = u"\\/\"[]:|<>+=;,?*@&";
    bool hasForbidden = false;
    bool hasControlOrSpace = false;
    forEachCodePoint(value, [&](char32_t cp) {
        if (cp == kInvalidCodePoint) {
            hasControlOrSpace = true;
            return;
        }
        if (cp < 0x80 && forbidden.contains(QChar(static_cast<char16_t>(cp))))
            hasForbidden = true;
        // Not in the documented list, but ARM refuses them and they would end up in
        // URLs and log lines.
        const auto category = QChar::category(cp);
        if (category == QChar::Other_Control || category == QChar::Separator_Space
            || category == QChar::Separator_Line || category == QChar::Separator_Paragraph
            || category == QChar::Other_Format)
            hasControlOrSpace = true;
    });
    if (hasForbidden)
        return QStringLiteral("must not contain any of \\/\"[]:|<>+=;,?*@&");
    if (hasControlOrSpace)
        return QStringLiteral("must not contain whitespace, control or invalid characters");
    if (value.startsWith(u'_'))
        return QStringLiteral("must not start with '_'");
    if (value.endsWith(u'.') || value.endsWith(u'-'))
        return QStringLiteral("must not end with '.' or '-'");
    return {};
}

bool sameAzureName(QStringView a, QStringView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace spotkeeper::protocol
