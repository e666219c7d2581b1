// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// RemoteFleetSource: agent keys over the operator API's /api/v1/keys routes - enrolling an
// agent (a new key), listing, rotating and revoking. The server audits each of these itself;
// a poll then fetches the rows.
#include "base/clock.h"
#include "models/remotefleetsource.h"
#include "operatorapi/operatorapijson.h"
#include "protocol/webhooksignature.h"

#include <QJsonArray>
#include <QUrl>

namespace spotkeeper::gui {

using namespace Qt::StringLiterals;

namespace {

QDateTime time(const QJsonValue &value)
{
    return value.isString() ? QDateTime::fromString(value.toString(), Qt::ISODateWithMs)
                            : QDateTime();
}

QString keyPath(const QString &keyId, QLatin1StringView action)
{
    return u"/api/v1/keys/"_s + QString::fromLatin1(QUrl::toPercentEncoding(keyId)) + u'/' + action;
}

} // namespace

void RemoteFleetSource::listAgentKeys(AgentKeysDone done)
{
    call("GET", u"/api/v1/keys"_s, {}, [this, done = std::move(done)](const Reply &reply) {
        if (!reply.ok() || !reply.json.value(u"keys"_s).isArray()) {
            done({},
                 reply.ok() ? tr("%1 answered without a key list.").arg(m_status.description)
                            : reply.error);
            return;
        }
        const QDateTime now = m_clock.nowUtc();
        QList<AgentKeyInfo> out;
        const QJsonArray keys = reply.json.value(u"keys"_s).toArray();
        for (const auto &value : keys) {
            // The same record the store holds, without secret bytes: one rule for the state.
            if (const auto record = core::agentKeyFromJson(value.toObject()))
                out.append(agentKeyInfo(*record, now));
        }
        done(out, {});
    });
}

std::optional<QByteArray> RemoteFleetSource::issuedSecret(const Reply &reply, QString *error) const
{
    if (!reply.ok()) {
        *error = reply.error;
        return std::nullopt;
    }
    const auto secret =
        protocol::WebhookSecret::fromString(reply.json.value(u"secret"_s).toString());
    if (!secret) {
        *error = tr("%1 answered without a usable key secret.").arg(m_status.description);
        return std::nullopt;
    }
    return secret->bytes();
}

// The actor is not sent: the server audits the operator its token names.
void RemoteFleetSource::rotateAgentKey(const QString &keyId, const QString & /*actor*/,
                                       KeyActionDone done)
{
    // No overlapSeconds: the server's configured rotation overlap applies.
    call("POST", keyPath(keyId, "rotate"_L1), {},
         [this, keyId, done = std::move(done)](const Reply &reply) {
             KeyActionResult result;
             result.keyId = keyId;
             if (const auto secret = issuedSecret(reply, &result.error)) {
                 result.ok = true;
                 result.vmResourceKey = reply.json.value(u"vm"_s).toString();
                 result.secret = *secret;
                 result.overlapEndsAt = time(reply.json.value(u"previousSecretsExpireAt"_s));
                 pollNow(); // the server wrote an audit row
             }
             done(result);
         });
}

void RemoteFleetSource::revokeAgentKey(const QString &keyId, const QString & /*actor*/,
                                       KeyActionDone done)
{
    call("POST", keyPath(keyId, "revoke"_L1), {},
         [this, keyId, done = std::move(done)](const Reply &reply) {
             KeyActionResult result;
             result.keyId = keyId;
             result.ok = reply.ok();
             result.error = reply.error;
             if (result.ok)
                 pollNow();
             done(result);
         });
}

void RemoteFleetSource::enrollAgent(const core::VmRecord &vm, const QString &, EnrollDone done)
{
    call("POST", u"/api/v1/keys"_s, {{u"vm"_s, vm.resourceId}},
         [this, done = std::move(done)](const Reply &reply) {
             EnrollResult result;
             const auto secret = issuedSecret(reply, &result.error);
             if (secret) {
                 result.ok = true;
                 result.keyId = reply.json.value(u"keyId"_s).toString();
                 result.secret = *secret;
                 result.endpoint =
                     m_options.baseUrl.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
                 result.caCertificate = reply.json.value(u"caCertificate"_s).toString().toLatin1();
                 pollNow(); // the server wrote an audit row
             }
             done(result);
         });
}

} // namespace spotkeeper::gui
