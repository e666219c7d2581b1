// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/gcpnames.h"

namespace spotkeeper::protocol {

using namespace Qt::StringLiterals;

namespace {

bool isLowerAlnumOrHyphen(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
}

// [a-z]([-a-z0-9]*[a-z0-9])? of minSize..maxSize characters.
bool isLabel(QStringView value, qsizetype minSize, qsizetype maxSize)
{
    if (value.size() < minSize || value.size() > maxSize)
        return false;
    if (!(value.front() >= u'a' && value.front() <= u'z') || value.back() == u'-')
        return false;
    for (const QChar c : value) {
        if (!isLowerAlnumOrHyphen(c))
            return false;
    }
    return true;
}

} // namespace

QString checkGcpProjectId(QStringView value)
{
    const qsizetype colon = value.lastIndexOf(u':');
    QStringView project = value;
    if (colon >= 0) { // "example.com:my-project"
        const QStringView domain = value.first(colon);
        bool domainOk = !domain.isEmpty() && domain.size() <= 253;
        for (const QChar c : domain)
            domainOk = domainOk && (isLowerAlnumOrHyphen(c) || c == u'.');
        if (!domainOk)
            return u"must be a project id like my-project-123 (a domain prefix "
                   "\"example.com:\" is allowed)"_s;
        project = value.sliced(colon + 1);
    }
    if (!isLabel(project, 6, 30))
        return u"must be 6-30 lower-case letters, digits and hyphens, starting with a letter "
               "and not ending with a hyphen"_s;
    return {};
}

QString checkGcpZone(QStringView value)
{
    if (!isLabel(value, 1, 63))
        return u"must be a zone like us-central1-a (1-63 lower-case letters, digits and "
               "hyphens, starting with a letter)"_s;
    return {};
}

QString checkGcpInstanceName(QStringView value)
{
    if (!isLabel(value, 1, 63))
        return u"must be 1-63 lower-case letters, digits and hyphens, starting with a letter "
               "and not ending with a hyphen"_s;
    return {};
}

QString checkGcpInstanceId(QStringView value)
{
    bool ok = !value.isEmpty() && value.size() <= 20;
    for (const QChar c : value)
        ok = ok && c >= u'0' && c <= u'9';
    if (ok)
        static_cast<void>(value.toULongLong(&ok));
    if (!ok)
        return u"must be the numeric instance id (1-20 digits, an unsigned 64-bit number)"_s;
    return {};
}

} // namespace spotkeeper::protocol
