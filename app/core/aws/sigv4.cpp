// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "aws/sigv4.h"

#include <QTimeZone>

#include <algorithm>
#include <array>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

using namespace Qt::StringLiterals;

namespace spotkeeper::core::aws {

namespace {

constexpr QByteArrayView kAlgorithm = "AWS4-HMAC-SHA256";

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_' || c == '.' || c == '~';
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    const unsigned char *result =
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char *>(data.data()), static_cast<size_t>(data.size()),
             reinterpret_cast<unsigned char *>(out.data()), &length);
    if (result == nullptr)
        return {};
    out.resize(static_cast<qsizetype>(length));
    return out;
}

// Wipes key material once it is no longer needed (the derived keys are as good as the secret
// for a day).
void cleanse(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), static_cast<size_t>(bytes.size()));
    bytes.clear();
}

bool isScopeName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

bool hasLineBreak(QByteArrayView value)
{
    return value.contains('\r') || value.contains('\n');
}

// Trims a header value and collapses runs of spaces into one (SigV4's canonical header value).
QByteArray canonicalHeaderValue(QByteArrayView value)
{
    const QByteArray trimmed = value.trimmed().toByteArray();
    QByteArray out;
    out.reserve(trimmed.size());
    bool lastWasSpace = false;
    for (const char c : trimmed) {
        const bool space = c == ' ' || c == '\t';
        if (space && lastWasSpace)
            continue;
        out.append(space ? ' ' : c);
        lastWasSpace = space;
    }
    return out;
}

struct CanonicalHeaders
{
    QByteArray block; // "name:value\n" lines
    QByteArray signedNames; // "a;b;c"
    QByteArray host;
    QByteArray date;
    int dateCount = 0;
};

CanonicalHeaders canonicalHeaders(const BytePairList &headers)
{
    // Lowercase names, sorted; values of a repeated name joined with ',' in the order sent.
    QList<QPair<QByteArray, QByteArray>> merged;
    for (const auto &[name, value] : headers) {
        const QByteArray lower = name.trimmed().toLower();
        const QByteArray canonicalValue = canonicalHeaderValue(value);
        auto it = std::find_if(merged.begin(), merged.end(),
                               [&lower](const auto &entry) { return entry.first == lower; });
        if (it == merged.end())
            merged.append({lower, canonicalValue});
        else
            it->second += ',' + canonicalValue;
    }
    std::stable_sort(merged.begin(), merged.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });

    CanonicalHeaders result;
    for (const auto &[name, value] : merged) {
        result.block += name + ':' + value + '\n';
        if (!result.signedNames.isEmpty())
            result.signedNames += ';';
        result.signedNames += name;
        if (name == "host")
            result.host = value;
    }
    for (const auto &[name, value] : headers) {
        if (name.trimmed().compare("x-amz-date", Qt::CaseInsensitive) == 0) {
            ++result.dateCount;
            result.date = value.trimmed();
        }
    }
    return result;
}

QByteArray canonicalUri(const QByteArray &path)
{
    if (path.isEmpty())
        return "/";
    QByteArray encoded = uriEncode(path, false);
    if (!encoded.startsWith('/'))
        encoded.prepend('/');
    return encoded;
}

void removeHeader(BytePairList &headers, QByteArrayView name)
{
    headers.removeIf(
        [name](const auto &entry) { return entry.first.compare(name, Qt::CaseInsensitive) == 0; });
}

} // namespace

QByteArray uriEncode(QByteArrayView bytes, bool encodeSlash)
{
    static constexpr QByteArrayView kHex = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (const char c : bytes) {
        if (isUnreserved(c) || (c == '/' && !encodeSlash)) {
            out.append(c);
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out.append('%');
            out.append(kHex.at(byte >> 4));
            out.append(kHex.at(byte & 0x0F));
        }
    }
    return out;
}

QByteArray canonicalQueryString(const BytePairList &query)
{
    BytePairList encoded;
    encoded.reserve(query.size());
    for (const auto &[name, value] : query)
        encoded.append({uriEncode(name), uriEncode(value)});
    std::sort(encoded.begin(), encoded.end());
    QByteArray out;
    for (const auto &[name, value] : encoded) {
        if (!out.isEmpty())
            out += '&';
        out += name + '=' + value;
    }
    return out;
}

QByteArray amzDate(const QDateTime &utc)
{
    return utc.toUTC().toString(u"yyyyMMdd'T'HHmmss'Z'"_s).toLatin1();
}

QDateTime parseAmzDate(QByteArrayView value)
{
    // Exactly 16 characters: 8 digits, 'T', 6 digits, 'Z'.
    if (value.size() != 16 || value[8] != 'T' || value[15] != 'Z')
        return {};
    for (qsizetype i = 0; i < 15; ++i) {
        if (i != 8 && (value[i] < '0' || value[i] > '9'))
            return {};
    }
    QDateTime parsed =
        QDateTime::fromString(QString::fromLatin1(value.first(15)), u"yyyyMMdd'T'HHmmss"_s);
    if (!parsed.isValid())
        return {};
    parsed.setTimeZone(QTimeZone::utc());
    return parsed;
}

QByteArray sha256Hex(QByteArrayView data)
{
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest {};
    SHA256(reinterpret_cast<const unsigned char *>(data.data()), static_cast<size_t>(data.size()),
           digest.data());
    return QByteArray(reinterpret_cast<const char *>(digest.data()), SHA256_DIGEST_LENGTH).toHex();
}

SigV4Result signV4(const SigV4Request &request, const AwsCredentials &credentials,
                   const QString &region, const QString &service)
{
    SigV4Result result;
    if (!credentials.isComplete()) {
        result.error = u"AWS credentials are incomplete: an access key id and a secret access key "
                       u"are both needed"_s;
        return result;
    }
    const QByteArray keyId = credentials.accessKeyId.toUtf8();
    if (std::any_of(keyId.cbegin(), keyId.cend(), [](char c) {
            return c == '/' || c == ',' || c == '=' || static_cast<unsigned char>(c) <= ' ';
        })) {
        result.error = u"the AWS access key id contains a character that cannot be part of a "
                       u"credential scope"_s;
        return result;
    }
    if (!isScopeName(region) || !isScopeName(service)) {
        result.error = u"the AWS region and service must be lowercase names (got \"%1\" and "
                       u"\"%2\")"_s.arg(region.left(64), service.left(64));
        return result;
    }
    const QByteArray method = request.method.trimmed().toUpper();
    if (method.isEmpty() || hasLineBreak(method)) {
        result.error = u"the request has no HTTP method"_s;
        return result;
    }
    for (const auto &[name, value] : request.headers) {
        if (name.trimmed().isEmpty() || hasLineBreak(name) || hasLineBreak(value)) {
            result.error = u"a request header has an empty name or a line break"_s;
            return result;
        }
    }

    const CanonicalHeaders headers = canonicalHeaders(request.headers);
    if (headers.host.isEmpty()) {
        result.error = u"the request has no Host header"_s;
        return result;
    }
    if (headers.dateCount != 1) {
        result.error = headers.dateCount == 0
            ? u"the request has no X-Amz-Date header"_s
            : u"the request has more than one X-Amz-Date header"_s;
        return result;
    }
    if (!parseAmzDate(headers.date).isValid()) {
        result.error = u"the X-Amz-Date header is not a UTC time of the form 20150830T123600Z"_s;
        return result;
    }
    const QByteArray day = headers.date.first(8);

    result.canonicalRequest = method + '\n' + canonicalUri(request.path) + '\n'
        + canonicalQueryString(request.query) + '\n' + headers.block + '\n' + headers.signedNames
        + '\n' + sha256Hex(request.body);
    result.signedHeaders = headers.signedNames;

    const QByteArray scope =
        day + '/' + region.toLatin1() + '/' + service.toLatin1() + "/aws4_request";
    result.stringToSign = kAlgorithm.toByteArray() + '\n' + headers.date + '\n' + scope + '\n'
        + sha256Hex(result.canonicalRequest);

    QByteArray secret = "AWS4" + credentials.secretAccessKey.toUtf8();
    QByteArray key = hmacSha256(secret, day);
    cleanse(secret);
    for (const QByteArray &part : {region.toLatin1(), service.toLatin1(), "aws4_request"_ba}) {
        QByteArray next = hmacSha256(key, part);
        cleanse(key);
        key = next;
    }
    const QByteArray mac = hmacSha256(key, result.stringToSign);
    cleanse(key);
    if (mac.size() != SHA256_DIGEST_LENGTH) {
        result = {};
        result.error = u"HMAC-SHA256 failed in OpenSSL"_s;
        return result;
    }
    result.signature = mac.toHex();
    result.authorization = kAlgorithm.toByteArray() + " Credential=" + keyId + '/' + scope
        + ", SignedHeaders=" + headers.signedNames + ", Signature=" + result.signature;
    return result;
}

SigV4Result signRequest(SigV4Request &request, const AwsCredentials &credentials,
                        const QString &region, const QString &service, const QDateTime &now)
{
    removeHeader(request.headers, "Authorization");
    if (!now.isValid()) {
        SigV4Result result;
        result.error = u"no valid time to sign the request with"_s;
        return result;
    }
    removeHeader(request.headers, "X-Amz-Date");
    request.headers.append({"X-Amz-Date"_ba, amzDate(now)});
    removeHeader(request.headers, "X-Amz-Security-Token");
    if (!credentials.sessionToken.isEmpty())
        request.headers.append({"X-Amz-Security-Token"_ba, credentials.sessionToken.toUtf8()});
    SigV4Result result = signV4(request, credentials, region, service);
    if (result.ok())
        request.headers.append({"Authorization"_ba, result.authorization});
    return result;
}

SigV4Check
verifySignature(const SigV4Request &received,
                const std::function<std::optional<AwsCredentials>(const QString &)> &secretFor)
{
    SigV4Check check;
    QByteArray authorization;
    for (const auto &[name, value] : received.headers) {
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
            authorization = value.trimmed();
    }
    if (!authorization.startsWith(QByteArray(kAlgorithm.toByteArray() + ' '))) {
        check.error = u"no AWS4-HMAC-SHA256 Authorization header"_s;
        return check;
    }
    QByteArray credential;
    QByteArray signedNames;
    QByteArray signature;
    for (QByteArray part : authorization.mid(kAlgorithm.size() + 1).split(',')) {
        part = part.trimmed();
        if (part.startsWith("Credential="))
            credential = part.mid(11);
        else if (part.startsWith("SignedHeaders="))
            signedNames = part.mid(14);
        else if (part.startsWith("Signature="))
            signature = part.mid(10);
    }
    const QList<QByteArray> scope = credential.split('/');
    if (scope.size() != 5 || scope[4] != "aws4_request" || signedNames.isEmpty()
        || signature.isEmpty()) {
        check.error = u"the Authorization header is not Credential=.../aws4_request, "
                      "SignedHeaders=..., Signature=..."_s;
        return check;
    }
    check.accessKeyId = QString::fromUtf8(scope[0]);
    check.region = QString::fromUtf8(scope[2]);
    check.service = QString::fromUtf8(scope[3]);
    const std::optional<AwsCredentials> credentials = secretFor(check.accessKeyId);
    if (!credentials) {
        check.error = u"unknown access key id"_s;
        return check;
    }
    SigV4Request resigned = received;
    resigned.headers.clear();
    const QList<QByteArray> names = signedNames.split(';');
    for (const auto &[name, value] : received.headers) {
        if (names.contains(name.toLower()))
            resigned.headers.append({name, value});
    }
    if (!names.contains("host") || !names.contains("x-amz-date")) {
        check.error = u"Host and X-Amz-Date must be signed"_s;
        return check;
    }
    SigV4Result result = signV4(resigned, *credentials, check.region, check.service);
    if (!result.ok()) {
        check.error = result.error;
        return check;
    }
    for (const auto &[name, value] : resigned.headers) {
        if (name.compare("X-Amz-Date", Qt::CaseInsensitive) == 0)
            check.signedAt = parseAmzDate(value.trimmed());
    }
    if (!check.signedAt.isValid() || amzDate(check.signedAt).first(8) != scope[1]) {
        check.error = u"the credential scope's date is not the X-Amz-Date's day"_s;
        return check;
    }
    if (CRYPTO_memcmp(result.signature.constData(), signature.constData(),
                      size_t(std::min(result.signature.size(), signature.size())))
            != 0
        || result.signature.size() != signature.size()) {
        check.error = u"the signature does not match"_s;
        return check;
    }
    if (!credentials->sessionToken.isEmpty()) {
        bool tokenSent = false;
        for (const auto &[name, value] : received.headers) {
            if (name.compare("X-Amz-Security-Token", Qt::CaseInsensitive) == 0)
                tokenSent = value == credentials->sessionToken.toUtf8();
        }
        if (!tokenSent) {
            check.error = u"temporary keys need their session token"_s;
            return check;
        }
    }
    return check;
}

} // namespace spotkeeper::core::aws
