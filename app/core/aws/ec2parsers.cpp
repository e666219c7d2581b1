// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/ec2parsers.h"

#include <QXmlStreamReader>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::aws {

namespace {

// Reads the current element's text; child elements are skipped, not an error.
QString text(QXmlStreamReader &reader)
{
    return reader.readElementText(QXmlStreamReader::SkipChildElements).trimmed();
}

QDateTime isoTime(const QString &value)
{
    QDateTime time = QDateTime::fromString(value, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(value, Qt::ISODate);
    return time.isValid() ? time.toUTC() : QDateTime();
}

// Calls onChild(name) for every child element of the current one; onChild must consume the
// child (read its text, walk it, or skip it). Returns false once the reader has an error.
template<typename OnChild>
bool forEachChild(QXmlStreamReader &reader, OnChild &&onChild)
{
    while (reader.readNextStartElement())
        onChild(reader.name());
    return !reader.hasError();
}

// <x><item>...</item><item>...</item></x>: onItem() for each item, anything else skipped.
template<typename OnItem>
void forEachItem(QXmlStreamReader &reader, OnItem &&onItem)
{
    forEachChild(reader, [&](QStringView name) {
        if (name == u"item")
            onItem();
        else
            reader.skipCurrentElement();
    });
}

TagList readTagSet(QXmlStreamReader &reader)
{
    TagList tags;
    forEachItem(reader, [&] {
        QString key;
        QString value;
        forEachChild(reader, [&](QStringView name) {
            if (name == u"key")
                key = text(reader);
            else if (name == u"value")
                value = text(reader);
            else
                reader.skipCurrentElement();
        });
        if (!key.isEmpty())
            tags.append({key, value});
    });
    return tags;
}

void readState(QXmlStreamReader &reader, Ec2InstanceState &state, int *code)
{
    forEachChild(reader, [&](QStringView name) {
        if (name == u"name") {
            state = instanceStateFromName(text(reader));
        } else if (name == u"code") {
            bool ok = false;
            const int value = text(reader).toInt(&ok);
            if (code != nullptr && ok)
                *code = value;
        } else {
            reader.skipCurrentElement();
        }
    });
}

Ec2Instance readInstance(QXmlStreamReader &reader)
{
    Ec2Instance instance;
    forEachChild(reader, [&](QStringView name) {
        if (name == u"instanceId") {
            instance.instanceId = text(reader);
        } else if (name == u"instanceType") {
            instance.instanceType = text(reader);
        } else if (name == u"instanceState") {
            readState(reader, instance.state, &instance.stateCode);
        } else if (name == u"placement") {
            forEachChild(reader, [&](QStringView child) {
                if (child == u"availabilityZone")
                    instance.availabilityZone = text(reader);
                else
                    reader.skipCurrentElement();
            });
        } else if (name == u"stateReason") {
            forEachChild(reader, [&](QStringView child) {
                if (child == u"code")
                    instance.stateReasonCode = text(reader);
                else if (child == u"message")
                    instance.stateReasonMessage = text(reader);
                else
                    reader.skipCurrentElement();
            });
        } else if (name == u"reason") {
            instance.stateTransitionReason = text(reader);
        } else if (name == u"instanceLifecycle") {
            instance.instanceLifecycle = text(reader);
        } else if (name == u"spotInstanceRequestId") {
            instance.spotInstanceRequestId = text(reader);
        } else if (name == u"launchTime") {
            instance.launchTime = isoTime(text(reader));
        } else if (name == u"tagSet") {
            instance.tags = readTagSet(reader);
        } else {
            reader.skipCurrentElement();
        }
    });
    return instance;
}

// Opens the document and checks the root element's local name. On success the reader is at
// the root's start element.
bool openRoot(QXmlStreamReader &reader, QByteArrayView xml, QStringView rootName, QString &error)
{
    if (xml.size() > kMaxEc2ResponseBytes) {
        error = u"the EC2 answer is larger than %1 bytes"_s.arg(kMaxEc2ResponseBytes);
        return false;
    }
    reader.addData(xml.toByteArray());
    if (!reader.readNextStartElement()) {
        error = reader.hasError()
            ? u"the EC2 answer is not well-formed XML: %1"_s.arg(reader.errorString())
            : u"the EC2 answer is empty"_s;
        return false;
    }
    if (reader.name() != rootName) {
        error = u"the EC2 answer is <%1>, not <%2>"_s.arg(reader.name().left(64), rootName);
        return false;
    }
    return true;
}

// After the root was walked: the rest of the document must be well-formed too.
bool finish(QXmlStreamReader &reader, QString &error)
{
    while (!reader.atEnd() && !reader.hasError())
        reader.readNext();
    if (reader.hasError()) {
        error = u"the EC2 answer is not well-formed XML: %1"_s.arg(reader.errorString());
        return false;
    }
    return true;
}

// The shape every list answer shares: <Root><requestId/><list><item/>...</list><nextToken/></Root>.
// onItem(reader, answer) reads one item of `list`; on any XML error the answer carries only
// the error.
template<typename Answer, typename OnItem>
Answer parseList(QByteArrayView xml, QStringView root, QStringView list, OnItem &&onItem)
{
    Answer answer;
    QXmlStreamReader reader;
    if (!openRoot(reader, xml, root, answer.error))
        return answer;
    forEachChild(reader, [&](QStringView name) {
        if (name == u"requestId") {
            answer.requestId = text(reader);
        } else if (name == list) {
            forEachItem(reader, [&] { onItem(reader, answer); });
        } else if constexpr (requires { answer.nextToken; }) {
            if (name == u"nextToken")
                answer.nextToken = text(reader);
            else
                reader.skipCurrentElement();
        } else {
            reader.skipCurrentElement();
        }
    });
    QString error;
    if (!finish(reader, error)) {
        answer = Answer {};
        answer.error = error;
    }
    return answer;
}

const std::array<std::pair<QStringView, Ec2InstanceState>, 6> &stateNames()
{
    static const std::array<std::pair<QStringView, Ec2InstanceState>, 6> names {{
        {u"pending", Ec2InstanceState::Pending},
        {u"running", Ec2InstanceState::Running},
        {u"shutting-down", Ec2InstanceState::ShuttingDown},
        {u"terminated", Ec2InstanceState::Terminated},
        {u"stopping", Ec2InstanceState::Stopping},
        {u"stopped", Ec2InstanceState::Stopped},
    }};
    return names;
}

bool codeIn(QStringView code, std::initializer_list<QStringView> codes)
{
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

} // namespace

Ec2InstanceState instanceStateFromName(QStringView name)
{
    for (const auto &[text, state] : stateNames()) {
        if (name == text)
            return state;
    }
    return Ec2InstanceState::Unknown;
}

QString toString(Ec2InstanceState state)
{
    for (const auto &[text, value] : stateNames()) {
        if (value == state)
            return text.toString();
    }
    return u"unknown"_s;
}

QString Ec2Instance::tag(const QString &key) const
{
    for (const auto &[name, value] : tags) {
        if (name == key)
            return value;
    }
    return {};
}

RunInstancesAnswer parseRunInstances(QByteArrayView xml)
{
    return parseList<RunInstancesAnswer>(xml, u"RunInstancesResponse", u"instancesSet",
                                         [](QXmlStreamReader &reader, RunInstancesAnswer &answer) {
                                             answer.instances.append(readInstance(reader));
                                         });
}

DescribeInstancesPage parseDescribeInstances(QByteArrayView xml)
{
    return parseList<DescribeInstancesPage>(
        xml, u"DescribeInstancesResponse", u"reservationSet",
        [](QXmlStreamReader &reader, DescribeInstancesPage &page) {
            QString reservationId;
            QString ownerId;
            QList<Ec2Instance> instances;
            forEachChild(reader, [&](QStringView child) {
                if (child == u"reservationId")
                    reservationId = text(reader);
                else if (child == u"ownerId")
                    ownerId = text(reader);
                else if (child == u"instancesSet")
                    forEachItem(reader, [&] { instances.append(readInstance(reader)); });
                else
                    reader.skipCurrentElement();
            });
            for (Ec2Instance &instance : instances) {
                instance.reservationId = reservationId;
                instance.ownerId = ownerId;
                page.instances.append(instance);
            }
        });
}

StartInstancesAnswer parseStartInstances(QByteArrayView xml)
{
    return parseList<StartInstancesAnswer>(
        xml, u"StartInstancesResponse", u"instancesSet",
        [](QXmlStreamReader &reader, StartInstancesAnswer &answer) {
            InstanceStateChange change;
            forEachChild(reader, [&](QStringView child) {
                if (child == u"instanceId")
                    change.instanceId = text(reader);
                else if (child == u"currentState")
                    readState(reader, change.current, nullptr);
                else if (child == u"previousState")
                    readState(reader, change.previous, nullptr);
                else
                    reader.skipCurrentElement();
            });
            answer.instances.append(change);
        });
}

SpotInstanceRequestsPage parseDescribeSpotInstanceRequests(QByteArrayView xml)
{
    return parseList<SpotInstanceRequestsPage>(
        xml, u"DescribeSpotInstanceRequestsResponse", u"spotInstanceRequestSet",
        [](QXmlStreamReader &reader, SpotInstanceRequestsPage &page) {
            SpotInstanceRequest request;
            forEachChild(reader, [&](QStringView child) {
                if (child == u"spotInstanceRequestId") {
                    request.spotInstanceRequestId = text(reader);
                } else if (child == u"type") {
                    request.type = text(reader);
                } else if (child == u"state") {
                    request.state = text(reader);
                } else if (child == u"status") {
                    forEachChild(reader, [&](QStringView field) {
                        if (field == u"code")
                            request.statusCode = text(reader);
                        else if (field == u"message")
                            request.statusMessage = text(reader);
                        else if (field == u"updateTime")
                            request.statusUpdateTime = isoTime(text(reader));
                        else
                            reader.skipCurrentElement();
                    });
                } else if (child == u"instanceInterruptionBehavior") {
                    request.instanceInterruptionBehavior = text(reader);
                } else if (child == u"instanceId") {
                    request.instanceId = text(reader);
                } else if (child == u"launchedAvailabilityZone") {
                    request.launchedAvailabilityZone = text(reader);
                } else if (child == u"validUntil") {
                    request.validUntil = isoTime(text(reader));
                } else if (child == u"tagSet") {
                    request.tags = readTagSet(reader);
                } else {
                    reader.skipCurrentElement();
                }
            });
            page.requests.append(request);
        });
}

Ec2ErrorResponse parseErrorResponse(QByteArrayView xml)
{
    Ec2ErrorResponse response;
    QXmlStreamReader reader;
    QString error;
    if (!openRoot(reader, xml, u"Response", error))
        return response;
    forEachChild(reader, [&](QStringView name) {
        if (name == u"Errors") {
            forEachChild(reader, [&](QStringView child) {
                if (child != u"Error") {
                    reader.skipCurrentElement();
                    return;
                }
                Ec2Error entry;
                forEachChild(reader, [&](QStringView field) {
                    if (field == u"Code")
                        entry.code = text(reader);
                    else if (field == u"Message")
                        entry.message = text(reader);
                    else
                        reader.skipCurrentElement();
                });
                if (!entry.code.isEmpty() || !entry.message.isEmpty())
                    response.errors.append(entry);
            });
        } else if (name == u"RequestID" || name == u"RequestId") {
            response.requestId = text(reader);
        } else {
            reader.skipCurrentElement();
        }
    });
    if (!finish(reader, error))
        return {};
    return response;
}

FailureClass classifyEc2Error(int httpStatus, QStringView code)
{
    if (code.startsWith(u"Client.") || code.startsWith(u"Server."))
        code = code.sliced(7);
    if (code == u"DryRunOperation") // "would have succeeded" (a permission check)
        return FailureClass::None;
    if (code == u"RequestLimitExceeded" || code == u"Throttling")
        return FailureClass::Throttled;
    if (codeIn(code,
               {u"InsufficientInstanceCapacity", u"InsufficientHostCapacity",
                u"InsufficientReservedInstanceCapacity", u"InsufficientCapacity",
                u"InsufficientCapacityOnHost"}))
        return FailureClass::Capacity;
    if (codeIn(code,
               {u"InstanceLimitExceeded", u"VcpuLimitExceeded", u"MaxSpotInstanceCountExceeded",
                u"ResourceLimitExceeded"}))
        return FailureClass::Quota;
    if (code == u"SpotMaxPriceTooLow")
        return FailureClass::Price;
    if (codeIn(code,
               {u"UnauthorizedOperation", u"AuthFailure", u"Blocked", u"OptInRequired",
                u"PendingVerification", u"SignatureDoesNotMatch", u"InvalidClientTokenId",
                u"ExpiredToken", u"RequestExpired", u"MissingAuthenticationToken"}))
        return FailureClass::Authorization;
    // The instance is stopping, pending or otherwise mid-transition: wait and retry.
    if (codeIn(code, {u"IncorrectInstanceState", u"IncorrectState"}))
        return FailureClass::Transient;
    if (code == u"InvalidInstanceID.NotFound" || code == u"InvalidSpotInstanceRequestID.NotFound")
        return FailureClass::NotFound;
    if (codeIn(code, {u"InternalError", u"InternalFailure", u"ServiceUnavailable", u"Unavailable"}))
        return FailureClass::Transient;
    if (httpStatus == 0 || httpStatus >= 500)
        return FailureClass::Transient;
    if (httpStatus == 429)
        return FailureClass::Throttled;
    if (httpStatus >= 200 && httpStatus < 300 && code.isEmpty())
        return FailureClass::None;
    return FailureClass::Fatal;
}

CallResult ec2CallResult(int httpStatus, QByteArrayView body)
{
    CallResult result;
    result.httpStatus = httpStatus;
    if (httpStatus >= 200 && httpStatus < 300)
        return result;
    const Ec2ErrorResponse response = parseErrorResponse(body);
    result.correlationId = response.requestId;
    if (!response.isEmpty()) {
        result.errorCode = response.errors.first().code;
        result.errorMessage = response.errors.first().message.left(1024);
    } else if (httpStatus != 0) {
        result.errorMessage = u"HTTP %1 without an EC2 error document"_s.arg(httpStatus);
    }
    result.failure = classifyEc2Error(httpStatus, result.errorCode);
    if (result.failure == FailureClass::None && httpStatus != 0 && result.errorCode.isEmpty())
        result.failure = FailureClass::Fatal;
    return result;
}

} // namespace spotkeeper::core::aws
