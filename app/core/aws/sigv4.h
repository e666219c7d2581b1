// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <optional>

// AWS Signature Version 4 (docs/AWS-PROTOCOL.md §7), written once for every AWS call SpotKeeper
// makes. Pure: no network, no clock (the caller passes the time), no logging. Checked byte for
// byte against AWS's published SigV4 test suite (tests/data/aws/sigv4/).
namespace spotkeeper::core::aws {

using BytePairList = QList<QPair<QByteArray, QByteArray>>;

struct AwsCredentials
{
    QString accessKeyId;
    QString secretAccessKey; // never logged, never part of an error message
    QString sessionToken; // temporary credentials (STS, instance role); empty for long-term keys
    bool isComplete() const { return !accessKeyId.isEmpty() && !secretAccessKey.isEmpty(); }
};

// One HTTP request as it will be sent. Every header in `headers` is signed.
struct SigV4Request
{
    QByteArray method = "POST";
    QByteArray path = "/"; // not percent-encoded; encoded once for the canonical URI
    BytePairList query; // not percent-encoded name/value pairs, in any order
    BytePairList headers; // as sent; must contain Host and X-Amz-Date
    QByteArray body;
};

struct SigV4Result
{
    QString error; // empty on success; never contains the secret key or the session token
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signedHeaders; // "host;x-amz-date"
    QByteArray signature; // lowercase hex
    QByteArray authorization; // the Authorization header's value
    bool ok() const { return error.isEmpty(); }
};

// AWS's URI encoding: A-Z a-z 0-9 - _ . ~ stay, every other byte becomes %XY (uppercase hex);
// '/' stays only when encodeSlash is false (the canonical URI's path).
QByteArray uriEncode(QByteArrayView bytes, bool encodeSlash = true);
// Pairs encoded with uriEncode, sorted by encoded name then encoded value, joined with '&'.
QByteArray canonicalQueryString(const BytePairList &query);

// "20150830T123600Z" (ISO 8601 basic, UTC) and back; an unparsable value gives an invalid time.
QByteArray amzDate(const QDateTime &utc);
QDateTime parseAmzDate(QByteArrayView value);

// Lowercase hex SHA-256 of data (the payload hash).
QByteArray sha256Hex(QByteArrayView data);

// Signs `request` as it is. The date of the signature is the request's X-Amz-Date header, which
// must be present and valid; region and service must be non-empty lowercase names. Fails,
// with a message and nothing signed, on incomplete credentials, a missing or bad date, a
// missing Host header, or a bad scope.
SigV4Result signV4(const SigV4Request &request, const AwsCredentials &credentials,
                   const QString &region, const QString &service);

// Sets X-Amz-Date from `now` (replacing one already there) and, for temporary credentials,
// X-Amz-Security-Token (signed, as EC2 accepts), then signs and appends the Authorization
// header. On failure the request is left without an Authorization header.
SigV4Result signRequest(SigV4Request &request, const AwsCredentials &credentials,
                        const QString &region, const QString &service, const QDateTime &now);

// The receiving side (the simulator's AWS APIs, test fakes): what a request's Authorization
// header claims, and whether it is right. verifySignature() keeps the signed headers of the
// request as received, signs them again with the secret `secretFor` gives for the claimed access
// key id (nullopt = unknown key), and compares. error says what is wrong; never the secret.
struct SigV4Check
{
    QString error; // empty = the signature is right
    QString accessKeyId;
    QString region;
    QString service;
    QDateTime signedAt;
    bool ok() const { return error.isEmpty(); }
};
SigV4Check
verifySignature(const SigV4Request &received,
                const std::function<std::optional<AwsCredentials>(const QString &)> &secretFor);

} // namespace spotkeeper::core::aws
