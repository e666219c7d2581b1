// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/awsnames.h"

#include <QList>

#include <algorithm>

namespace spotkeeper::protocol {

using namespace Qt::StringLiterals;

namespace {

bool isLower(QChar c)
{
    return c >= u'a' && c <= u'z';
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isHex(QChar c)
{
    return isDigit(c) || (c >= u'a' && c <= u'f');
}

} // namespace

QString checkAwsAccountId(QStringView value)
{
    bool ok = value.size() == 12;
    for (const QChar c : value)
        ok = ok && isDigit(c);
    return ok ? QString() : u"must be an AWS account id (12 digits)"_s;
}

QString checkAwsRegion(QStringView value)
{
    const QList<QStringView> words = value.split(u'-');
    bool ok = value.size() <= 32 && words.size() >= 3 && words.front().size() == 2;
    for (qsizetype i = 0; ok && i < words.size(); ++i) {
        const bool last = i == words.size() - 1;
        ok = !words[i].isEmpty() && words[i].size() <= 16;
        for (const QChar c : words[i])
            ok = ok && (last ? isDigit(c) : isLower(c));
    }
    return ok ? QString() : u"must be a Region like us-east-1 (lower-case words and a number)"_s;
}

QString checkAwsAvailabilityZone(QStringView value)
{
    bool ok =
        !value.isEmpty() && value.size() <= 64 && isLower(value.front()) && value.back() != u'-';
    for (const QChar c : value)
        ok = ok && (isLower(c) || isDigit(c) || c == u'-');
    return ok ? QString()
              : u"must be an Availability Zone like us-east-1a (lower-case letters, digits "
                "and hyphens)"_s;
}

QString checkAwsInstanceId(QStringView value)
{
    bool ok = (value.size() == 10 || value.size() == 19) && value.startsWith(u"i-");
    for (const QChar c : value.sliced(std::min<qsizetype>(2, value.size())))
        ok = ok && isHex(c);
    return ok ? QString()
              : u"must be an EC2 instance id: i- and 8 or 17 lower-case hexadecimal digits"_s;
}

QString checkAwsInstanceType(QStringView value)
{
    bool ok = !value.isEmpty() && value.size() <= 64;
    for (const QChar c : value)
        ok = ok && (isLower(c) || isDigit(c) || c == u'.' || c == u'-');
    return ok ? QString()
              : u"must be an instance type like m5.large (lower-case letters, digits, '.' "
                "and '-')"_s;
}

QString checkAwsLifecycle(QStringView value)
{
    bool ok = !value.isEmpty() && value.size() <= 32;
    for (const QChar c : value)
        ok = ok && (isLower(c) || c == u'-');
    return ok ? QString() : u"must be a lifecycle like spot or on-demand"_s;
}

QString awsFleetPriority(QStringView lifecycle)
{
    if (lifecycle == u"spot")
        return u"Spot"_s;
    if (lifecycle == u"on-demand")
        return u"OnDemand"_s;
    return lifecycle.toString();
}

QString awsPartitionOfRegion(QStringView region)
{
    if (region.startsWith(u"cn-"))
        return u"aws-cn"_s;
    if (region.startsWith(u"us-gov-"))
        return u"aws-us-gov"_s;
    if (region.startsWith(u"us-isob-"))
        return u"aws-iso-b"_s;
    if (region.startsWith(u"us-iso-"))
        return u"aws-iso"_s;
    return u"aws"_s;
}

QString awsInstanceArn(const QString &region, const QString &accountId, const QString &instanceId)
{
    return u"arn:"_s + awsPartitionOfRegion(region) + u":ec2:"_s + region + u':' + accountId
        + u":instance/"_s + instanceId;
}

} // namespace spotkeeper::protocol
