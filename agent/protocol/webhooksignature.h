// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

// Standard Webhooks (standardwebhooks.com) signing and verification, so any of its
// libraries can verify a SpotKeeper agent:
//   webhook-id, webhook-timestamp (unix seconds), webhook-signature:
//   "v1,<base64(HMAC-SHA256(secret, id + "." + timestamp + "." + body))>", several
//   space-separated signatures allowed (key rotation).
// SpotKeeper adds one header, "spotkeeper-key-id", naming the agent key so the
// dashboard looks up one key instead of trying every key it knows.
namespace spotkeeper::protocol {

inline constexpr qint64 kTimestampToleranceSeconds = 300;
inline constexpr qsizetype kMaxBodyBytes = 64 * 1024;
inline constexpr auto kHeaderId = "webhook-id";
inline constexpr auto kHeaderTimestamp = "webhook-timestamp";
inline constexpr auto kHeaderSignature = "webhook-signature";
inline constexpr auto kHeaderKeyId = "spotkeeper-key-id";

// A signing secret, written "whsec_<base64>" (the prefix is optional on input).
class WebhookSecret
{
public:
    // On failure *error (if given) says why, without ever quoting the secret.
    static std::optional<WebhookSecret> fromString(QStringView text, QString *error = nullptr);
    static WebhookSecret generate(); // 32 random bytes from QRandomGenerator::system()
    QString toString() const; // "whsec_<base64>"
    const QByteArray &bytes() const { return m_bytes; }
    friend bool operator==(const WebhookSecret &, const WebhookSecret &) = default;

private:
    QByteArray m_bytes;
};

// What an agent holds: its key id and one or more secrets (two during a rotation
// overlap; the agent signs with all of them). File format, one entry per line:
//   <keyId> whsec_<base64>
// Blank lines and lines starting with '#' are ignored.
struct AgentCredential
{
    QString keyId;
    QList<WebhookSecret> secrets;
    static std::optional<AgentCredential> parse(QByteArrayView fileContents, QString *error);
    QByteArray serialize() const;
};

struct SignedHeaders
{
    QByteArray id;
    QByteArray timestamp;
    QByteArray signature; // space-separated "v1,..." entries, one per secret
};

QByteArray signatureFor(const WebhookSecret &secret, QByteArrayView id, qint64 timestamp,
                        QByteArrayView body); // "v1,<base64>"
SignedHeaders sign(const QList<WebhookSecret> &secrets, QByteArrayView id, qint64 timestamp,
                   QByteArrayView body);

enum class VerifyError {
    None,
    BodyTooLarge,
    MissingHeader,
    BadTimestamp, // not an integer
    TimestampTooOld,
    TimestampTooNew,
    UnknownKey,
    BadSignature,
};
QString toString(VerifyError error); // stable snake_case reason, e.g. "timestamp_too_old"

struct VerifyRequest
{
    QByteArray id; // empty = header absent
    QByteArray timestamp; // empty = header absent
    QByteArray signature; // empty = header absent
    QByteArray keyId; // empty = header absent
    QByteArrayView body; // the raw body bytes, before any parsing
};

// Returns the secrets valid for a key id (several during rotation), or none.
using KeyLookup = std::function<QList<WebhookSecret>(QByteArrayView keyId)>;

// Compares two byte strings in time that depends only on their lengths, never on
// where they differ (no early exit), so a signature check leaks nothing useful.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// Verification in the fixed order: size -> headers present -> timestamp within the
// tolerance -> key lookup -> HMAC over the raw body -> constant-time compare.
// Only after None may the caller parse the body. The timestamp header must be plain
// decimal digits. lookup is called with the key id header, which is empty when the
// header is absent and requireKeyId is false. A secret shorter than 24 bytes (an empty
// one above all) is ignored: it never verifies anything.
VerifyError verify(const VerifyRequest &request, qint64 nowSeconds, const KeyLookup &lookup,
                   bool requireKeyId = true);

// Verification with a known secret, exactly as Standard Webhooks libraries do it.
VerifyError verifyWithSecret(const VerifyRequest &request, qint64 nowSeconds,
                             const WebhookSecret &secret);

} // namespace spotkeeper::protocol
