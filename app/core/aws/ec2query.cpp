// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/ec2query.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::aws {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool decodeComponent(QByteArrayView in, QByteArray &out)
{
    out.clear();
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out.append(' ');
        } else if (c == '%') {
            if (i + 2 >= in.size())
                return false;
            const int high = hexValue(in[i + 1]);
            const int low = hexValue(in[i + 2]);
            if (high < 0 || low < 0)
                return false;
            out.append(static_cast<char>((high << 4) | low));
            i += 2;
        } else {
            out.append(c);
        }
    }
    return true;
}

// Instance ids (i-...), request ids (sir-...), template ids (lt-...): a prefix, then
// lowercase hex. Anything else never reaches AWS.
bool isResourceId(QByteArrayView id, QByteArrayView prefix)
{
    if (!id.startsWith(prefix) || id.size() <= prefix.size() || id.size() > prefix.size() + 32)
        return false;
    return std::all_of(id.begin() + prefix.size(), id.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); });
}

bool isPrintableAscii(QByteArrayView value)
{
    return std::all_of(value.begin(), value.end(), [](char c) { return c > ' ' && c < 127; });
}

void setError(QString *error, const QString &message)
{
    if (error != nullptr)
        *error = message;
}

} // namespace

Ec2Query::Ec2Query(const QByteArray &action, const QByteArray &version)
    : m_action(action)
{
    m_parameters.append({"Action"_ba, action});
    m_parameters.append({"Version"_ba, version});
}

void Ec2Query::add(const QByteArray &name, const QByteArray &value)
{
    m_parameters.append({name, value});
}

void Ec2Query::addList(const QByteArray &prefix, const QList<QByteArray> &values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        add(prefix + '.' + QByteArray::number(i + 1), values.at(i));
}

int Ec2Query::addFilter(const QByteArray &name, const QList<QByteArray> &values)
{
    const QByteArray prefix = "Filter." + QByteArray::number(++m_filters);
    add(prefix + ".Name", name);
    addList(prefix + ".Value", values);
    return m_filters;
}

QByteArray Ec2Query::formBody() const
{
    QByteArray body;
    for (const auto &[name, value] : m_parameters) {
        if (!body.isEmpty())
            body += '&';
        body += uriEncode(name) + '=' + uriEncode(value);
    }
    return body;
}

SigV4Request Ec2Query::toRequest(const QByteArray &host) const
{
    SigV4Request request;
    request.method = "POST";
    request.path = "/";
    request.headers = {{"Host"_ba, host},
                       {"Content-Type"_ba, "application/x-www-form-urlencoded; charset=utf-8"_ba}};
    request.body = formBody();
    return request;
}

BytePairList parseFormBody(QByteArrayView body, bool *ok)
{
    if (ok != nullptr)
        *ok = true;
    BytePairList pairs;
    if (body.isEmpty())
        return pairs;
    const QList<QByteArray> parts = body.toByteArray().split('&');
    for (const QByteArray &part : parts) {
        if (part.isEmpty())
            continue;
        const qsizetype equals = part.indexOf('=');
        const QByteArrayView rawName =
            equals < 0 ? QByteArrayView(part) : QByteArrayView(part).first(equals);
        const QByteArrayView rawValue =
            equals < 0 ? QByteArrayView() : QByteArrayView(part).sliced(equals + 1);
        QByteArray name;
        QByteArray value;
        if (!decodeComponent(rawName, name) || !decodeComponent(rawValue, value)) {
            if (ok != nullptr)
                *ok = false;
            return {};
        }
        pairs.append({name, value});
    }
    return pairs;
}

Ec2Query describeAutoRestartInstances(const QByteArray &nextToken, int maxResults, QString *error)
{
    setError(error, {});
    Ec2Query query("DescribeInstances"_ba);
    query.addFilter("tag:" + kAutoRestartTagKey.toByteArray(), {"true"_ba});
    if (maxResults != 0) {
        if (maxResults < 5 || maxResults > 1000)
            setError(error,
                     u"DescribeInstances takes 5 to 1000 results a page, not %1"_s.arg(maxResults));
        query.add("MaxResults"_ba, QByteArray::number(maxResults));
    }
    if (!nextToken.isEmpty())
        query.add("NextToken"_ba, nextToken);
    return query;
}

Ec2Query startInstances(const QList<QByteArray> &instanceIds, QString *error)
{
    setError(error, {});
    Ec2Query query("StartInstances"_ba);
    if (instanceIds.isEmpty() || instanceIds.size() > 1000)
        setError(error,
                 u"StartInstances takes 1 to 1000 instance ids, not %1"_s.arg(instanceIds.size()));
    for (const QByteArray &id : instanceIds) {
        if (!isResourceId(id, "i-")) {
            setError(error,
                     u"not an EC2 instance id: \"%1\""_s.arg(QString::fromUtf8(id.left(40))));
            break;
        }
    }
    query.addList("InstanceId"_ba, instanceIds);
    return query;
}

Ec2Query describeSpotInstanceRequests(const QList<QByteArray> &requestIds,
                                      const QByteArray &nextToken, QString *error)
{
    setError(error, {});
    Ec2Query query("DescribeSpotInstanceRequests"_ba);
    for (const QByteArray &id : requestIds) {
        if (!isResourceId(id, "sir-")) {
            setError(
                error,
                u"not a Spot Instance request id: \"%1\""_s.arg(QString::fromUtf8(id.left(40))));
            break;
        }
    }
    query.addList("SpotInstanceRequestId"_ba, requestIds);
    if (!nextToken.isEmpty())
        query.add("NextToken"_ba, nextToken);
    return query;
}

Ec2Query runInstanceFromTemplate(const LaunchFromTemplate &launch, QString *error)
{
    setError(error, {});
    Ec2Query query("RunInstances"_ba);
    if (!isResourceId(launch.launchTemplateId, "lt-"))
        setError(error,
                 u"not a launch template id: \"%1\""_s.arg(
                     QString::fromUtf8(launch.launchTemplateId.left(40))));
    else if (launch.clientToken.isEmpty() || launch.clientToken.size() > 64
             || !isPrintableAscii(launch.clientToken))
        setError(error,
                 u"a replacement needs a client token of 1 to 64 printable ASCII characters"_s);
    query.add("LaunchTemplate.LaunchTemplateId"_ba, launch.launchTemplateId);
    if (!launch.version.isEmpty())
        query.add("LaunchTemplate.Version"_ba, launch.version);
    query.add("MinCount"_ba, "1"_ba);
    query.add("MaxCount"_ba, "1"_ba);
    if (!launch.instanceType.isEmpty())
        query.add("InstanceType"_ba, launch.instanceType);
    if (!launch.availabilityZone.isEmpty())
        query.add("Placement.AvailabilityZone"_ba, launch.availabilityZone);
    // Keys starting with "aws:" are reserved for AWS (aws:ec2launchtemplate:id, ...): EC2
    // refuses them in a request, and sets its own on the new instance.
    int tagNumber = 0;
    for (const auto &[key, value] : launch.tags) {
        if (key.startsWith("aws:"))
            continue;
        if (tagNumber == 0)
            query.add("TagSpecification.1.ResourceType"_ba, "instance"_ba);
        const QByteArray prefix = "TagSpecification.1.Tag." + QByteArray::number(++tagNumber);
        query.add(prefix + ".Key", key);
        query.add(prefix + ".Value", value);
    }
    query.add("ClientToken"_ba, launch.clientToken);
    return query;
}

} // namespace spotkeeper::core::aws
