// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/messagecodec.h"

#include "protocol/awsnames.h"
#include "protocol/azurenames.h"
#include "protocol/gcpnames.h"
#include "protocol/timeformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <limits>

namespace spotkeeper::protocol {

using namespace Qt::StringLiterals;

QString ValidationError::message() const
{
    return field + u": "_s + rule;
}

namespace {

// --- encoding ---------------------------------------------------------------

// withCloud: the message is version 2 or later, which names the cloud (always, for Azure too).
QJsonObject encodeVm(const VmIdentity &vm, bool withCloud)
{
    if (vm.cloud == Cloud::Gcp) // version 2
        return QJsonObject {
            {u"cloud"_s, toString(vm.cloud)},
            {u"projectId"_s, vm.projectId},
            {u"zone"_s, vm.zone},
            {u"vmName"_s, vm.vmName},
            {u"vmId"_s, vm.vmId},
            {u"priority"_s, vm.priority},
            {u"evictionPolicy"_s, vm.evictionPolicy},
        };
    if (vm.cloud == Cloud::Aws) // version 2
        return QJsonObject {
            {u"cloud"_s, toString(vm.cloud)}, {u"accountId"_s, vm.accountId},
            {u"region"_s, vm.location},       {u"zone"_s, vm.zone},
            {u"instanceId"_s, vm.vmId},       {u"instanceType"_s, vm.instanceType},
            {u"priority"_s, vm.priority},     {u"evictionPolicy"_s, vm.evictionPolicy},
        };
    QJsonObject object {
        {u"subscriptionId"_s, vm.subscriptionId},
        {u"resourceGroup"_s, vm.resourceGroup},
        {u"vmName"_s, vm.vmName},
        {u"vmId"_s, vm.vmId},
        {u"location"_s, vm.location},
        {u"vmScaleSetName"_s, vm.vmScaleSetName},
        {u"priority"_s, vm.priority},
        {u"evictionPolicy"_s, vm.evictionPolicy},
    };
    if (!vm.armResourceId.isEmpty()) // optional: a reader that predates it ignores it
        object.insert(u"resourceId"_s, vm.armResourceId);
    if (withCloud)
        object.insert(u"cloud"_s, toString(vm.cloud));
    return object;
}

QJsonObject encodeAppHealth(const AppHealth &app)
{
    return QJsonObject {
        {u"probe"_s, toString(app.probe)},   {u"state"_s, toString(app.state)},
        {u"at"_s, formatIso8601Utc(app.at)}, {u"latencyMs"_s, app.latencyMs},
        {u"detail"_s, app.detail},
    };
}

QJsonObject encodeEvent(const ScheduledEvent &event)
{
    // The verbatim text wins so an unknown future type survives the trip.
    const QString typeText =
        event.eventTypeText.isEmpty() ? toString(event.eventType) : event.eventTypeText;
    return QJsonObject {
        {u"EventId"_s, event.eventId},
        {u"EventType"_s, typeText},
        {u"EventStatus"_s, toString(event.eventStatus)},
        {u"NotBefore"_s, formatRfc1123(event.notBefore)},
        {u"Description"_s, event.description},
        {u"EventSource"_s, event.eventSource},
        {u"DurationInSeconds"_s, event.durationInSeconds},
        {u"ResourceType"_s, event.resourceType},
        {u"Resources"_s, QJsonArray::fromStringList(event.resources)},
    };
}

// --- decoding ---------------------------------------------------------------

// Reads typed fields out of JSON objects, recording one ValidationError per broken
// field so a rejected message lists everything that is wrong with it at once.
class Reader
{
public:
    explicit Reader(QList<ValidationError> *errors)
        : m_errors(errors)
    { }

    void fail(const QString &field, const QString &rule) { m_errors->append({field, rule}); }

    static QString path(QStringView parent, QLatin1StringView key)
    {
        return parent.isEmpty() ? QString(key) : parent + u'.' + key;
    }

    std::optional<QJsonValue> required(const QJsonObject &object, QStringView parent,
                                       QLatin1StringView key)
    {
        const auto it = object.constFind(key);
        if (it == object.constEnd()) {
            fail(path(parent, key), u"is required"_s);
            return std::nullopt;
        }
        return it.value();
    }

    std::optional<QJsonObject> object(const QJsonObject &object, QStringView parent,
                                      QLatin1StringView key)
    {
        const auto value = required(object, parent, key);
        if (!value)
            return std::nullopt;
        if (!value->isObject()) {
            fail(path(parent, key), u"must be an object"_s);
            return std::nullopt;
        }
        return value->toObject();
    }

    std::optional<QString> string(const QJsonObject &object, QStringView parent,
                                  QLatin1StringView key)
    {
        const auto value = required(object, parent, key);
        if (!value)
            return std::nullopt;
        if (!value->isString()) {
            fail(path(parent, key), u"must be a string"_s);
            return std::nullopt;
        }
        QString text = value->toString();
        // JSON escapes can smuggle in lone surrogates, which would not survive
        // re-encoding to UTF-8.
        if (!text.isValidUtf16()) {
            fail(path(parent, key), u"must be valid Unicode text"_s);
            return std::nullopt;
        }
        return text;
    }

    // A string that must satisfy one of the azurenames.h checks.
    QString checked(const QJsonObject &object, QStringView parent, QLatin1StringView key,
                    QString (*check)(QStringView), bool allowEmpty = false)
    {
        const auto text = string(object, parent, key);
        if (!text || (allowEmpty && text->isEmpty()))
            return text.value_or(QString());
        if (const QString rule = check(*text); !rule.isEmpty())
            fail(path(parent, key), rule);
        return *text;
    }

    std::optional<qint64> integer(const QJsonObject &object, QStringView parent,
                                  QLatin1StringView key, qint64 min, qint64 max)
    {
        const auto value = required(object, parent, key);
        if (!value)
            return std::nullopt;
        // toInteger() falls back to its default for non-integral numbers; two
        // different defaults tell a real integer from a fallback.
        const qint64 a = value->toInteger(0);
        const qint64 b = value->toInteger(1);
        if (!value->isDouble() || a != b) {
            fail(path(parent, key), u"must be an integer"_s);
            return std::nullopt;
        }
        if (a < min || a > max) {
            const QString upper = max == std::numeric_limits<qint64>::max()
                ? QString()
                : u" and at most "_s + QString::number(max);
            fail(path(parent, key), u"must be at least "_s + QString::number(min) + upper);
            return std::nullopt;
        }
        return a;
    }

    std::optional<bool> boolean(const QJsonObject &object, QStringView parent,
                                QLatin1StringView key)
    {
        const auto value = required(object, parent, key);
        if (!value)
            return std::nullopt;
        if (!value->isBool()) {
            fail(path(parent, key), u"must be true or false"_s);
            return std::nullopt;
        }
        return value->toBool();
    }

    // ISO 8601 UTC time; an empty string gives an invalid QDateTime when allowed.
    QDateTime isoTime(const QJsonObject &object, QStringView parent, QLatin1StringView key,
                      bool allowEmpty)
    {
        const auto text = string(object, parent, key);
        if (!text || (allowEmpty && text->isEmpty()))
            return {};
        const QDateTime time = parseIso8601Utc(*text);
        if (!time.isValid())
            fail(path(parent, key), u"must be an ISO 8601 UTC time like 2026-01-31T12:00:00Z"_s);
        return time;
    }

private:
    QList<ValidationError> *m_errors;
};

QString checkLocation(QStringView value)
{
    bool ok = !value.isEmpty() && value.size() <= 64;
    for (const QChar c : value)
        ok = ok && c.unicode() < 0x80 && c.isLetterOrNumber();
    return ok ? QString() : u"must be 1-64 ASCII letters and digits, e.g. westeurope"_s;
}

QString checkWord(QStringView value)
{
    bool ok = value.size() <= 32;
    for (const QChar c : value)
        ok = ok && c.unicode() < 0x80 && c.isLetter();
    return ok ? QString() : u"must be at most 32 ASCII letters"_s;
}

QString checkEventType(QStringView value)
{
    bool ok = !value.isEmpty() && value.size() <= 64;
    for (const QChar c : value)
        ok = ok && c.unicode() < 0x80 && c.isLetterOrNumber();
    return ok ? QString() : u"must be 1-64 ASCII letters and digits"_s;
}

QString checkAgentVersion(QStringView value)
{
    bool ok = !value.isEmpty() && value.size() <= 64;
    for (const QChar c : value)
        ok = ok && c.unicode() > 0x20 && c.unicode() < 0x7f;
    return ok ? QString() : u"must be 1-64 printable ASCII characters without spaces"_s;
}

// With identityKnown false the agent could not read IMDS yet: every field may be
// empty, but whatever it does send must still be valid.
// Version 2's Google Cloud identity (docs/PROTOCOL.md): no Azure fields.
void readGcpVm(Reader &r, const QJsonObject &object, bool optional, VmIdentity *vm)
{
    const QString p = u"vm"_s;
    vm->projectId = r.checked(object, p, "projectId"_L1, checkGcpProjectId, optional);
    vm->zone = r.checked(object, p, "zone"_L1, checkGcpZone, optional);
    vm->location = vm->zone;
    vm->vmName = r.checked(object, p, "vmName"_L1, checkGcpInstanceName, optional);
    vm->vmId = r.checked(object, p, "vmId"_L1, checkGcpInstanceId, optional);
    vm->priority = r.checked(object, p, "priority"_L1, checkWord);
    vm->evictionPolicy = r.checked(object, p, "evictionPolicy"_L1, checkWord);
}

// Version 2's AWS identity (docs/PROTOCOL.md): the instance identity document's fields; the
// instance id is both vmId and vmName.
void readAwsVm(Reader &r, const QJsonObject &object, bool optional, VmIdentity *vm)
{
    const QString p = u"vm"_s;
    vm->accountId = r.checked(object, p, "accountId"_L1, checkAwsAccountId, optional);
    vm->location = r.checked(object, p, "region"_L1, checkAwsRegion, optional);
    vm->zone = r.checked(object, p, "zone"_L1, checkAwsAvailabilityZone, optional);
    vm->vmId = r.checked(object, p, "instanceId"_L1, checkAwsInstanceId, optional);
    vm->vmName = vm->vmId;
    vm->instanceType = r.checked(object, p, "instanceType"_L1, checkAwsInstanceType, true);
    vm->priority = r.checked(object, p, "priority"_L1, checkAwsLifecycle, true);
    vm->evictionPolicy = r.checked(object, p, "evictionPolicy"_L1, checkWord);
}

// Version 1 has no cloud field and is Azure; version 2 must name the cloud.
VmIdentity readVm(Reader &r, const QJsonObject &root, bool identityRequired, qint64 version)
{
    VmIdentity vm;
    const auto object = r.object(root, {}, "vm"_L1);
    if (!object)
        return vm;
    const QString p = u"vm"_s;
    const bool optional = !identityRequired;
    if (version >= kCloudVersion) {
        const auto text = r.string(*object, p, "cloud"_L1);
        if (!text)
            return vm;
        const auto cloud = cloudFromString(*text);
        if (!cloud) {
            r.fail(u"vm.cloud"_s, u"must be \"azure\", \"gcp\" or \"aws\""_s);
            return vm;
        }
        vm.cloud = *cloud;
        if (vm.cloud == Cloud::Gcp) {
            readGcpVm(r, *object, optional, &vm);
            return vm;
        }
        if (vm.cloud == Cloud::Aws) {
            readAwsVm(r, *object, optional, &vm);
            return vm;
        }
    }
    vm.subscriptionId = r.checked(*object, p, "subscriptionId"_L1, checkSubscriptionId, optional);
    vm.resourceGroup = r.checked(*object, p, "resourceGroup"_L1, checkResourceGroupName, optional);
    vm.vmName = r.checked(*object, p, "vmName"_L1, checkVmName, optional);
    vm.vmId = r.checked(*object, p, "vmId"_L1, checkGuid, optional);
    vm.location = r.checked(*object, p, "location"_L1, checkLocation, optional);
    vm.vmScaleSetName = r.checked(*object, p, "vmScaleSetName"_L1, checkVmName, true);
    vm.priority = r.checked(*object, p, "priority"_L1, checkWord);
    vm.evictionPolicy = r.checked(*object, p, "evictionPolicy"_L1, checkWord);
    if (object->contains("resourceId"_L1)) { // optional, added after version 1 shipped
        vm.armResourceId = r.string(*object, p, "resourceId"_L1).value_or(QString());
        if (const QString rule = checkArmResourceId(vm); !rule.isEmpty())
            r.fail(u"vm.resourceId"_s, rule);
    }
    return vm;
}

ScheduledEvent readEvent(Reader &r, const QJsonObject &root, Cloud cloud)
{
    const auto checkName = cloud == Cloud::Gcp ? checkGcpInstanceName
        : cloud == Cloud::Aws                  ? checkAwsInstanceId
                                               : checkVmName;
    ScheduledEvent event;
    const auto object = r.object(root, {}, "event"_L1);
    if (!object)
        return event;
    const QString p = u"event"_s;
    event.eventId = r.checked(*object, p, "EventId"_L1, checkGuid);
    event.eventTypeText = r.checked(*object, p, "EventType"_L1, checkEventType);
    event.eventType = eventTypeFromString(event.eventTypeText);
    if (const auto status = r.string(*object, p, "EventStatus"_L1)) {
        event.eventStatus = eventStatusFromString(*status);
        if (event.eventStatus == EventStatus::Unknown)
            r.fail(u"event.EventStatus"_s, u"must be \"Scheduled\" or \"Started\""_s);
    }
    if (const auto notBefore = r.string(*object, p, "NotBefore"_L1);
        notBefore && !notBefore->isEmpty()) {
        event.notBefore = parseRfc1123(*notBefore);
        if (!event.notBefore.isValid())
            r.fail(u"event.NotBefore"_s,
                   u"must be \"\" or an RFC 1123 time like \"Tue, 09 Aug 2022 17:07:32 GMT\""_s);
    }
    event.description = r.string(*object, p, "Description"_L1).value_or(QString());
    event.eventSource = r.string(*object, p, "EventSource"_L1).value_or(QString());
    event.durationInSeconds = static_cast<int>(
        r.integer(*object, p, "DurationInSeconds"_L1, -1, std::numeric_limits<int>::max())
            .value_or(-1));
    event.resourceType = r.string(*object, p, "ResourceType"_L1).value_or(QString());
    if (const auto resources = r.required(*object, p, "Resources"_L1)) {
        if (!resources->isArray()) {
            r.fail(u"event.Resources"_s, u"must be an array of VM names"_s);
        } else {
            const QJsonArray array = resources->toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                const QString field = u"event.Resources["_s + QString::number(i) + u']';
                const QJsonValue item = array.at(i);
                if (!item.isString()) {
                    r.fail(field, u"must be a string"_s);
                    continue;
                }
                const QString name = item.toString();
                if (const QString rule = checkName(name); !rule.isEmpty())
                    r.fail(field, rule);
                event.resources.append(name);
            }
        }
    }
    return event;
}

// Version 3's "app": a pending result has no time and latency -1; a finished one both.
std::optional<AppHealth> readAppHealth(Reader &r, const QJsonObject &root)
{
    const auto object = r.object(root, {}, "app"_L1);
    if (!object)
        return std::nullopt;
    const QString p = u"app"_s;
    AppHealth app;
    if (const auto text = r.string(*object, p, "probe"_L1)) {
        if (const auto kind = probeKindFromString(*text))
            app.probe = *kind;
        else
            r.fail(u"app.probe"_s, u"must be \"http\", \"tcp\" or \"command\""_s);
    }
    if (const auto text = r.string(*object, p, "state"_L1)) {
        if (const auto state = appHealthStateFromString(*text))
            app.state = *state;
        else
            r.fail(u"app.state"_s, u"must be \"pending\", \"healthy\" or \"unhealthy\""_s);
    }
    const bool pending = app.state == AppHealthState::Pending;
    app.at = r.isoTime(*object, p, "at"_L1, true);
    if (!pending && !app.at.isValid() && object->value("at"_L1).toString().isEmpty())
        r.fail(u"app.at"_s, u"must be set once a probe finished"_s);
    app.latencyMs =
        r.integer(*object, p, "latencyMs"_L1, pending ? -1 : 0, 86'400'000).value_or(-1);
    app.detail = r.string(*object, p, "detail"_L1).value_or(QString());
    if (app.detail.size() > 200)
        r.fail(u"app.detail"_s, u"must be at most 200 characters"_s);
    return app;
}

// Parses the envelope shared by both messages: a JSON object of the expected type
// and a version this build reads. Returns nullopt (errors recorded) otherwise.
// *version is set to the version read (1 up to highestVersion).
std::optional<QJsonObject> readEnvelope(Reader &r, QByteArrayView json,
                                        QLatin1StringView expectedType, QLatin1StringView otherType,
                                        QStringView otherName, int highestVersion,
                                        qint64 *versionRead)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt reports the offset just past the byte it choked on; name that byte.
        const qsizetype offset = std::clamp<qsizetype>(parseError.offset - 1, 0, json.size());
        r.fail(u"$"_s,
               u"malformed JSON at byte offset "_s + QString::number(offset) + u": "_s
                   + parseError.errorString());
        return std::nullopt;
    }
    if (!document.isObject()) {
        r.fail(u"$"_s, u"must be a JSON object"_s);
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    const auto type = r.string(root, {}, "type"_L1);
    if (!type)
        return std::nullopt;
    if (*type != expectedType) {
        QString rule = u"must be \""_s + expectedType + u'"';
        if (*type == otherType)
            rule += u", not \""_s + otherType + u"\" ("_s + otherName + u')';
        r.fail(u"type"_s, rule);
        return std::nullopt;
    }
    const auto version = r.integer(root, {}, "version"_L1, std::numeric_limits<qint64>::min(),
                                   std::numeric_limits<qint64>::max());
    if (!version)
        return std::nullopt;
    if (*version < 1 || *version > highestVersion) {
        r.fail(u"version"_s,
               u"unsupported major version "_s + QString::number(*version)
                   + u"; this build reads versions 1 "_s
                   + (highestVersion == 2 ? u"and"_s : u"to"_s) + u' '
                   + QString::number(highestVersion));
        return std::nullopt;
    }
    *versionRead = *version;
    return root;
}

template<typename T>
Decoded<T> finish(T value, QList<ValidationError> errors)
{
    Decoded<T> result;
    if (errors.isEmpty())
        result.value = std::move(value);
    result.errors = std::move(errors);
    return result;
}

} // namespace

QByteArray encodeNotice(const Notice &notice)
{
    const QJsonObject root {
        {u"type"_s, QLatin1StringView(kNoticeType)},
        {u"version"_s, notice.vm.cloud == Cloud::Azure ? kNoticeVersion : kCloudVersion},
        {u"vm"_s, encodeVm(notice.vm, false)},
        {u"event"_s, encodeEvent(notice.event)},
        {u"documentIncarnation"_s, notice.documentIncarnation},
        {u"agentVersion"_s, notice.agentVersion},
        {u"sentAt"_s, formatIso8601Utc(notice.sentAt)},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QByteArray encodeHeartbeat(const Heartbeat &heartbeat)
{
    const QJsonObject lastPoll {
        {u"at"_s, formatIso8601Utc(heartbeat.lastPoll.at)},
        {u"ok"_s, heartbeat.lastPoll.ok},
        {u"error"_s, heartbeat.lastPoll.error},
    };
    // The oldest version that carries what the heartbeat has: an agent without a probe stays
    // readable by dashboards that predate version 3.
    const int version = heartbeat.app        ? kAppHealthVersion
        : heartbeat.vm.cloud == Cloud::Azure ? kHeartbeatVersion
                                             : kCloudVersion;
    QJsonObject root {
        {u"type"_s, QLatin1StringView(kHeartbeatType)},
        {u"version"_s, version},
        {u"vm"_s, encodeVm(heartbeat.vm, version >= kCloudVersion)},
        {u"agentVersion"_s, heartbeat.agentVersion},
        {u"uptimeSeconds"_s, heartbeat.uptimeSeconds},
        {u"identityKnown"_s, heartbeat.identityKnown},
        {u"lastPoll"_s, lastPoll},
        {u"sentAt"_s, formatIso8601Utc(heartbeat.sentAt)},
    };
    if (heartbeat.app)
        root.insert(u"app"_s, encodeAppHealth(*heartbeat.app));
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

Decoded<Notice> decodeNotice(QByteArrayView json)
{
    QList<ValidationError> errors;
    Reader r(&errors);
    qint64 version = 0;
    const auto root =
        readEnvelope(r, json, QLatin1StringView(kNoticeType), QLatin1StringView(kHeartbeatType),
                     u"a heartbeat is not a notice", kCloudVersion, &version);
    if (!root)
        return finish(Notice {}, errors);
    Notice notice;
    notice.vm = readVm(r, *root, true, version);
    notice.event = readEvent(r, *root, notice.vm.cloud);
    notice.documentIncarnation =
        r.integer(*root, {}, "documentIncarnation"_L1, 0, std::numeric_limits<qint64>::max())
            .value_or(0);
    notice.agentVersion = r.checked(*root, {}, "agentVersion"_L1, checkAgentVersion);
    notice.sentAt = r.isoTime(*root, {}, "sentAt"_L1, false);
    return finish(std::move(notice), errors);
}

Decoded<Heartbeat> decodeHeartbeat(QByteArrayView json)
{
    QList<ValidationError> errors;
    Reader r(&errors);
    qint64 version = 0;
    const auto root =
        readEnvelope(r, json, QLatin1StringView(kHeartbeatType), QLatin1StringView(kNoticeType),
                     u"a notice is not a heartbeat", kAppHealthVersion, &version);
    if (!root)
        return finish(Heartbeat {}, errors);
    Heartbeat heartbeat;
    // identityKnown first: it decides how strictly "vm" is read.
    heartbeat.identityKnown = r.boolean(*root, {}, "identityKnown"_L1).value_or(true);
    heartbeat.vm = readVm(r, *root, heartbeat.identityKnown, version);
    heartbeat.agentVersion = r.checked(*root, {}, "agentVersion"_L1, checkAgentVersion);
    heartbeat.uptimeSeconds =
        r.integer(*root, {}, "uptimeSeconds"_L1, 0, std::numeric_limits<qint64>::max()).value_or(0);
    if (const auto lastPoll = r.object(*root, {}, "lastPoll"_L1)) {
        const QString p = u"lastPoll"_s;
        heartbeat.lastPoll.at = r.isoTime(*lastPoll, p, "at"_L1, true);
        heartbeat.lastPoll.ok = r.boolean(*lastPoll, p, "ok"_L1).value_or(false);
        heartbeat.lastPoll.error = r.string(*lastPoll, p, "error"_L1).value_or(QString());
        if (heartbeat.lastPoll.ok && lastPoll->value("at"_L1).toString().isEmpty())
            r.fail(u"lastPoll.at"_s, u"must be set when lastPoll.ok is true"_s);
        if (heartbeat.lastPoll.ok && !heartbeat.lastPoll.error.isEmpty())
            r.fail(u"lastPoll.error"_s, u"must be empty when lastPoll.ok is true"_s);
    }
    heartbeat.sentAt = r.isoTime(*root, {}, "sentAt"_L1, false);
    if (version >= kAppHealthVersion && root->contains("app"_L1))
        heartbeat.app = readAppHealth(r, *root);
    return finish(std::move(heartbeat), errors);
}

} // namespace spotkeeper::protocol
