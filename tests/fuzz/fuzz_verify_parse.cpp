// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: everything the dashboard does with an untrusted request before it
// trusts it. The first input byte picks a mode:
//   0  decodeNotice(rest), and a decoded notice must survive encode -> decode unchanged
//   1  decodeHeartbeat(rest), with the same round-trip property
//   2  verify() over headers and body cut from the input at '\n' (id, timestamp,
//      signature, key id, body), then both decoders if it verifies
//   3  rest is a body: signed with the fuzz key it must verify, any changed byte must not,
//      and then it goes through both decoders
//   4  AgentCredential::parse(rest) and WebhookSecret::fromString(rest); a parsed
//      credential must survive serialize -> parse unchanged
// A broken property aborts, so libFuzzer reports it like a crash.
#include "protocol/messagecodec.h"
#include "protocol/webhooksignature.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace spotkeeper::protocol;

namespace {

constexpr qint64 kNow = 1'800'000'000;
const QByteArray kKeyId = QByteArrayLiteral("agent-fuzz");

const WebhookSecret &fuzzSecret()
{
    // base64("spotkeeper-fuzz-secret-012345678"), 32 bytes; the seed corpus is signed with it.
    static const WebhookSecret secret = *WebhookSecret::fromString(
        QStringLiteral("whsec_c3BvdGtlZXBlci1mdXp6LXNlY3JldC0wMTIzNDU2Nzg="));
    return secret;
}

[[noreturn]] void broken(const char *property)
{
    std::fprintf(stderr, "fuzz_verify_parse: property broken: %s\n", property);
    std::abort();
}

void checkNotice(QByteArrayView json)
{
    const Decoded<Notice> decoded = decodeNotice(json);
    if (decoded.ok() != decoded.errors.isEmpty())
        broken("notice: ok() iff no errors");
    if (!decoded.ok())
        return;
    const QByteArray encoded = encodeNotice(*decoded.value);
    const Decoded<Notice> again = decodeNotice(encoded);
    if (!again.ok() || !(*again.value == *decoded.value))
        broken("notice: decode(encode(x)) == x");
    if (encodeNotice(*again.value) != encoded)
        broken("notice: encoding is stable");
    if (decodeHeartbeat(encoded).ok())
        broken("notice: never decodes as a heartbeat");
}

void checkHeartbeat(QByteArrayView json)
{
    const Decoded<Heartbeat> decoded = decodeHeartbeat(json);
    if (decoded.ok() != decoded.errors.isEmpty())
        broken("heartbeat: ok() iff no errors");
    if (!decoded.ok())
        return;
    const QByteArray encoded = encodeHeartbeat(*decoded.value);
    const Decoded<Heartbeat> again = decodeHeartbeat(encoded);
    if (!again.ok() || !(*again.value == *decoded.value))
        broken("heartbeat: decode(encode(x)) == x");
    if (encodeHeartbeat(*again.value) != encoded)
        broken("heartbeat: encoding is stable");
    if (decodeNotice(encoded).ok())
        broken("heartbeat: never decodes as a notice");
}

QList<WebhookSecret> lookup(QByteArrayView keyId)
{
    if (keyId == kKeyId || keyId.isEmpty())
        return {fuzzSecret()};
    return {};
}

// Cuts the next '\n'-terminated field off the front of `rest`.
QByteArray takeField(QByteArrayView &rest)
{
    const qsizetype end = rest.indexOf('\n');
    if (end < 0) {
        const QByteArray field = rest.toByteArray();
        rest = {};
        return field;
    }
    const QByteArray field = rest.first(end).toByteArray();
    rest = rest.sliced(end + 1);
    return field;
}

void rawVerify(QByteArrayView rest)
{
    VerifyRequest request;
    request.id = takeField(rest);
    request.timestamp = takeField(rest);
    request.signature = takeField(rest);
    request.keyId = takeField(rest);
    request.body = rest;
    const VerifyError strict = verify(request, kNow, lookup, true);
    const VerifyError lenient = verify(request, kNow, lookup, false);
    (void)toString(strict);
    if (strict == VerifyError::None && lenient != VerifyError::None)
        broken("verify: requiring a key id never makes a request pass");
    if (strict == VerifyError::None) {
        checkNotice(request.body);
        checkHeartbeat(request.body);
    }
}

void signThenVerify(QByteArrayView body)
{
    const QByteArray id = QByteArrayLiteral("msg_fuzz");
    const SignedHeaders headers = sign({fuzzSecret()}, id, kNow, body);
    VerifyRequest request {headers.id, headers.timestamp, headers.signature, kKeyId, body};
    const VerifyError error = verify(request, kNow, lookup);
    if (body.size() > kMaxBodyBytes) {
        if (error != VerifyError::BodyTooLarge)
            broken("verify: an oversized body is refused first");
        return;
    }
    if (error != VerifyError::None)
        broken("verify: what sign() produced verifies");
    if (!body.isEmpty()) {
        QByteArray tampered = body.toByteArray();
        tampered[tampered.size() / 2] = static_cast<char>(tampered.at(tampered.size() / 2) ^ 0x01);
        request.body = tampered;
        if (verify(request, kNow, lookup) != VerifyError::BadSignature)
            broken("verify: a changed byte is a bad signature");
    }
    checkNotice(body);
    checkHeartbeat(body);
}

void credentials(QByteArrayView rest)
{
    QString error;
    if (const auto credential = AgentCredential::parse(rest, &error)) {
        const auto again = AgentCredential::parse(credential->serialize(), nullptr);
        if (!again || again->keyId != credential->keyId || again->secrets != credential->secrets)
            broken("credential: parse(serialize(x)) == x");
    } else if (error.isEmpty()) {
        broken("credential: a refusal says why");
    }
    const QString text = QString::fromUtf8(rest);
    if (const auto secret = WebhookSecret::fromString(text)) {
        if (WebhookSecret::fromString(secret->toString()) != secret)
            broken("secret: fromString(toString(x)) == x");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QByteArrayView rest(data + 1, static_cast<qsizetype>(size - 1));
    switch (data[0] % 5) {
    case 0:
        checkNotice(rest);
        break;
    case 1:
        checkHeartbeat(rest);
        break;
    case 2:
        rawVerify(rest);
        break;
    case 3:
        signThenVerify(rest);
        break;
    default:
        credentials(rest);
        break;
    }
    return 0;
}
