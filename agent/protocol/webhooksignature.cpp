// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/webhooksignature.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <algorithm>
#include <array>

namespace spotkeeper::protocol {

using namespace Qt::StringLiterals;

namespace {

constexpr QLatin1StringView kSecretPrefix("whsec_");
constexpr qsizetype kMinSecretBytes = 24;
constexpr qsizetype kMaxKeyIdChars = 128;

QByteArray hmacBase64(const WebhookSecret &secret, QByteArrayView id, QByteArrayView timestamp,
                      QByteArrayView body)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret.bytes());
    mac.addData(id.data(), id.size());
    mac.addData(".", 1);
    mac.addData(timestamp.data(), timestamp.size());
    mac.addData(".", 1);
    mac.addData(body.data(), body.size());
    return mac.result().toBase64();
}

// Plain decimal digits only: no sign, no spaces, no more than fits comfortably.
std::optional<qint64> parseTimestamp(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

bool isValidKeyId(QStringView keyId)
{
    if (keyId.isEmpty() || keyId.size() > kMaxKeyIdChars)
        return false;
    for (const QChar c : keyId) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return false;
    }
    return true;
}

} // namespace

std::optional<WebhookSecret> WebhookSecret::fromString(QStringView text, QString *error)
{
    const auto failed = [error](const QString &why) -> std::optional<WebhookSecret> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QStringView encoded = text;
    if (encoded.startsWith(kSecretPrefix))
        encoded = encoded.sliced(kSecretPrefix.size());
    for (const QChar c : encoded) {
        if (c.unicode() >= 0x80)
            return failed(u"secret is not valid base64"_s);
    }
    const auto decoded = QByteArray::fromBase64Encoding(
        encoded.toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return failed(u"secret is not valid base64"_s);
    if (decoded.decoded.size() < kMinSecretBytes)
        return failed(u"secret has "_s + QString::number(decoded.decoded.size())
                      + u" bytes; at least "_s + QString::number(kMinSecretBytes)
                      + u" random bytes are required"_s);
    WebhookSecret secret;
    secret.m_bytes = decoded.decoded;
    return secret;
}

WebhookSecret WebhookSecret::generate()
{
    std::array<quint32, 8> words {}; // 32 bytes
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    WebhookSecret secret;
    secret.m_bytes = QByteArray(reinterpret_cast<const char *>(words.data()),
                                static_cast<qsizetype>(sizeof(words)));
    words.fill(0);
    return secret;
}

QString WebhookSecret::toString() const
{
    return kSecretPrefix + QLatin1StringView(m_bytes.toBase64());
}

std::optional<AgentCredential> AgentCredential::parse(QByteArrayView fileContents, QString *error)
{
    const auto failed = [error](const QString &why) -> std::optional<AgentCredential> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    AgentCredential credential;
    qsizetype keyIdLine = 0;
    qsizetype lineNumber = 0;
    qsizetype start = 0;
    while (start <= fileContents.size()) {
        qsizetype end = fileContents.indexOf('\n', start);
        if (end < 0)
            end = fileContents.size();
        ++lineNumber;
        const QString line =
            QString::fromUtf8(fileContents.sliced(start, end - start)).simplified();
        start = end + 1;
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QString where = u"line "_s + QString::number(lineNumber) + u": "_s;
        const QList<QStringView> fields = QStringView(line).split(u' ', Qt::SkipEmptyParts);
        if (fields.size() != 2)
            return failed(where + u"expected \"<keyId> whsec_<base64>\" (2 fields), found "_s
                          + QString::number(fields.size()));
        if (!isValidKeyId(fields[0]))
            return failed(where + u"key id must be 1-"_s + QString::number(kMaxKeyIdChars)
                          + u" visible ASCII characters"_s);
        if (credential.keyId.isEmpty()) {
            credential.keyId = fields[0].toString();
            keyIdLine = lineNumber;
        } else if (fields[0] != credential.keyId) {
            return failed(where + u"key id differs from the one on line "_s
                          + QString::number(keyIdLine) + u"; a file holds one agent's key"_s);
        }
        QString why;
        const auto secret = WebhookSecret::fromString(fields[1], &why);
        if (!secret)
            return failed(where + why);
        credential.secrets.append(*secret);
    }
    if (credential.secrets.isEmpty())
        return failed(u"no credential found: expected a line \"<keyId> whsec_<base64>\""_s);
    return credential;
}

QByteArray AgentCredential::serialize() const
{
    QByteArray out;
    for (const WebhookSecret &secret : secrets)
        out += keyId.toUtf8() + ' ' + secret.toString().toLatin1() + '\n';
    return out;
}

QByteArray signatureFor(const WebhookSecret &secret, QByteArrayView id, qint64 timestamp,
                        QByteArrayView body)
{
    return "v1," + hmacBase64(secret, id, QByteArray::number(timestamp), body);
}

SignedHeaders sign(const QList<WebhookSecret> &secrets, QByteArrayView id, qint64 timestamp,
                   QByteArrayView body)
{
    SignedHeaders headers;
    headers.id = id.toByteArray();
    headers.timestamp = QByteArray::number(timestamp);
    for (const WebhookSecret &secret : secrets) {
        if (!headers.signature.isEmpty())
            headers.signature += ' ';
        headers.signature += "v1," + hmacBase64(secret, id, headers.timestamp, body);
    }
    return headers;
}

QString toString(VerifyError error)
{
    switch (error) {
    case VerifyError::None:
        return u"none"_s;
    case VerifyError::BodyTooLarge:
        return u"body_too_large"_s;
    case VerifyError::MissingHeader:
        return u"missing_header"_s;
    case VerifyError::BadTimestamp:
        return u"bad_timestamp"_s;
    case VerifyError::TimestampTooOld:
        return u"timestamp_too_old"_s;
    case VerifyError::TimestampTooNew:
        return u"timestamp_too_new"_s;
    case VerifyError::UnknownKey:
        return u"unknown_key"_s;
    case VerifyError::BadSignature:
        return u"bad_signature"_s;
    }
    return u"unknown"_s;
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    // Lengths are public (a signature's length is fixed); the content is not. Walk the
    // longer input fully and fold every difference into one accumulator.
    const qsizetype length = std::max(a.size(), b.size());
    unsigned difference = a.size() == b.size() ? 0U : 1U;
    for (qsizetype i = 0; i < length; ++i) {
        const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
        const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
        difference |= static_cast<unsigned>(x ^ y);
    }
    return difference == 0U;
}

VerifyError verify(const VerifyRequest &request, qint64 nowSeconds, const KeyLookup &lookup,
                   bool requireKeyId)
{
    if (request.body.size() > kMaxBodyBytes)
        return VerifyError::BodyTooLarge;
    if (request.id.isEmpty() || request.timestamp.isEmpty() || request.signature.isEmpty()
        || (requireKeyId && request.keyId.isEmpty()))
        return VerifyError::MissingHeader;
    const auto timestamp = parseTimestamp(request.timestamp);
    if (!timestamp)
        return VerifyError::BadTimestamp;
    if (nowSeconds - *timestamp > kTimestampToleranceSeconds)
        return VerifyError::TimestampTooOld;
    if (*timestamp - nowSeconds > kTimestampToleranceSeconds)
        return VerifyError::TimestampTooNew;
    QList<WebhookSecret> secrets = lookup ? lookup(request.keyId) : QList<WebhookSecret>();
    // Fail closed: a default-constructed or truncated secret (a stored one that did not
    // parse) would make an HMAC anyone can compute. It is never a key.
    secrets.removeIf(
        [](const WebhookSecret &secret) { return secret.bytes().size() < kMinSecretBytes; });
    if (secrets.isEmpty())
        return VerifyError::UnknownKey;

    QList<QByteArray> expected;
    expected.reserve(secrets.size());
    for (const WebhookSecret &secret : secrets)
        expected.append("v1," + hmacBase64(secret, request.id, request.timestamp, request.body));

    // Every entry is compared against every secret, without stopping at a match, so
    // the time taken does not tell which entry or secret matched.
    bool matched = false;
    const QByteArrayView header(request.signature);
    for (qsizetype start = 0; start < header.size();) {
        qsizetype end = header.indexOf(' ', start);
        if (end < 0)
            end = header.size();
        const QByteArrayView entry = header.sliced(start, end - start);
        start = end + 1;
        for (const QByteArray &candidate : expected)
            matched = constantTimeEquals(entry, candidate) || matched;
    }
    return matched ? VerifyError::None : VerifyError::BadSignature;
}

VerifyError verifyWithSecret(const VerifyRequest &request, qint64 nowSeconds,
                             const WebhookSecret &secret)
{
    const KeyLookup lookup = [&secret](QByteArrayView) {
        return QList<WebhookSecret> {secret};
    };
    return verify(request, nowSeconds, lookup, false);
}

} // namespace spotkeeper::protocol
