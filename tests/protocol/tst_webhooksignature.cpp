// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/webhooksignature.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace spotkeeper::protocol;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(spotkeeper::protocol::VerifyError)

namespace {

const QByteArray kId = QByteArrayLiteral("msg_2f8a1c");
const QByteArray kKeyId = QByteArrayLiteral("agent-vm-spot");
const QByteArray kBody = QByteArrayLiteral(R"({"type":"spotkeeper.notice","version":1})");
constexpr qint64 kNow = 1'800'000'000;

QJsonObject loadVectors()
{
    QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA "/webhook-vectors/standard-webhooks.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open the Standard Webhooks vectors: %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

WebhookSecret secretFrom(const QString &text)
{
    const auto secret = WebhookSecret::fromString(text);
    if (!secret)
        qFatal("test secret does not parse");
    return *secret;
}

// QCOMPARE cannot print a VerifyError (our toString returns QString), so compare names.
QString reason(VerifyError error)
{
    return toString(error);
}

VerifyRequest requestFor(const SignedHeaders &headers, QByteArrayView body,
                         const QByteArray &keyId = kKeyId)
{
    return VerifyRequest {headers.id, headers.timestamp, headers.signature, keyId, body};
}

} // namespace

class TestWebhookSignature final : public QObject
{
    Q_OBJECT

private slots:
    void signKnownAnswer();
    void standardVectors_data();
    void standardVectors();
    void verifyCases_data();
    void verifyCases();
    void verificationOrder();
    void keyLookupGetsTheKeyId();
    void rotationWithTwoSecrets();
    void malformedSecretNeverVerifies();
    void constantTimeEquals_data();
    void constantTimeEquals();
    void secretRoundTrip();
    void secretRejections();
    void generatedSecrets();
    void credentialParse();
    void credentialErrors_data();
    void credentialErrors();
    void errorNames();

private:
    const WebhookSecret m_secret = WebhookSecret::generate();
};

void TestWebhookSignature::signKnownAnswer()
{
    const QJsonObject vector = loadVectors().value("sign"_L1).toObject();
    const WebhookSecret secret = secretFrom(vector.value("secret"_L1).toString());
    const QByteArray id = vector.value("msg_id"_L1).toString().toUtf8();
    const qint64 timestamp = vector.value("timestamp"_L1).toInteger();
    const QByteArray payload = vector.value("payload"_L1).toString().toUtf8();
    const QByteArray expected = vector.value("expected_signature"_L1).toString().toUtf8();
    QVERIFY(!expected.isEmpty());

    QCOMPARE(signatureFor(secret, id, timestamp, payload), expected);
    const SignedHeaders headers = sign({secret}, id, timestamp, payload);
    QCOMPARE(headers.id, id);
    QCOMPARE(headers.timestamp, QByteArray::number(timestamp));
    QCOMPARE(headers.signature, expected);
    const SignedHeaders two = sign({secret, m_secret}, id, timestamp, payload);
    QCOMPARE(two.signature.split(' ').size(), 2);
    QCOMPARE(two.signature.split(' ').first(), expected);
}

void TestWebhookSignature::standardVectors_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QByteArray>("timestampHeader");
    QTest::addColumn<QByteArray>("signatureHeader");
    QTest::addColumn<QByteArray>("idHeader");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<bool>("expectOk");
    QTest::addColumn<VerifyError>("expectedError");

    const QJsonObject vectors = loadVectors();
    const QJsonObject sign = vectors.value("sign"_L1).toObject();
    const QJsonArray cases = vectors.value("verify_cases"_L1).toArray();
    QVERIFY2(cases.size() >= 12, "the vector file lost its cases");
    QCOMPARE(vectors.value("tolerance_seconds"_L1).toInteger(), kTimestampToleranceSeconds);

    const qint64 now = sign.value("timestamp"_L1).toInteger();
    const QByteArray id = sign.value("msg_id"_L1).toString().toUtf8();
    const QByteArray payload = sign.value("payload"_L1).toString().toUtf8();
    for (const QJsonValue &value : cases) {
        const QJsonObject c = value.toObject();
        const QString name = c.value("name"_L1).toString();
        const QString secretText =
            c.value("secret"_L1).toString(sign.value("secret"_L1).toString());
        const qint64 timestamp = now + c.value("timestamp_offset_seconds"_L1).toInteger(0);
        const QByteArray valid = signatureFor(secretFrom(secretText), id, timestamp, payload);
        QByteArray signatureHeader = c.value("signature_header"_L1).toString(u"{valid}"_s).toUtf8();
        signatureHeader.replace("{valid_first_8_chars}", valid.left(8));
        signatureHeader.replace("{valid}", valid);
        QByteArray timestampHeader = c.contains("timestamp_header"_L1)
            ? c.value("timestamp_header"_L1).toString().toUtf8()
            : QByteArray::number(timestamp);
        QByteArray idHeader = id;
        const QString drop = c.value("drop_header"_L1).toString();
        if (drop == QLatin1StringView(kHeaderId))
            idHeader.clear();
        else if (drop == QLatin1StringView(kHeaderTimestamp))
            timestampHeader.clear();
        else if (drop == QLatin1StringView(kHeaderSignature))
            signatureHeader.clear();
        else
            QVERIFY2(drop.isEmpty(), "unknown header in drop_header");

        // The vectors only say ok/error; which error is ours to pin down.
        VerifyError expected = VerifyError::None;
        if (!drop.isEmpty())
            expected = VerifyError::MissingHeader;
        else if (c.contains("timestamp_header"_L1))
            expected = VerifyError::BadTimestamp;
        else if (timestamp < now)
            expected = VerifyError::TimestampTooOld;
        else if (timestamp > now)
            expected = VerifyError::TimestampTooNew;
        else if (c.contains("signature_header"_L1) && !signatureHeader.contains(valid))
            expected = VerifyError::BadSignature;
        const bool expectOk = c.value("expect"_L1).toString() == u"ok";
        QCOMPARE(expectOk, expected == VerifyError::None);
        QTest::newRow(qPrintable(name)) << secretText << timestampHeader << signatureHeader
                                        << idHeader << now << expectOk << expected;
    }
}

void TestWebhookSignature::standardVectors()
{
    QFETCH(QString, secret);
    QFETCH(QByteArray, timestampHeader);
    QFETCH(QByteArray, signatureHeader);
    QFETCH(QByteArray, idHeader);
    QFETCH(qint64, now);
    QFETCH(bool, expectOk);
    QFETCH(VerifyError, expectedError);

    const QByteArray payload =
        loadVectors().value("sign"_L1).toObject().value("payload"_L1).toString().toUtf8();
    const VerifyRequest request {idHeader, timestampHeader, signatureHeader, {}, payload};
    const VerifyError error = verifyWithSecret(request, now, secretFrom(secret));
    QCOMPARE(error == VerifyError::None, expectOk);
    QCOMPARE(reason(error), reason(expectedError));
}

void TestWebhookSignature::verifyCases_data()
{
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<QByteArray>("timestamp");
    QTest::addColumn<QByteArray>("signature");
    QTest::addColumn<QByteArray>("keyId");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("requireKeyId");
    QTest::addColumn<VerifyError>("expected");

    const auto signedAt = [this](qint64 ts, const QByteArray &body = kBody) {
        return sign({m_secret}, kId, ts, body);
    };
    const SignedHeaders now = signedAt(kNow);
    const QByteArray ts = now.timestamp;
    const QByteArray sig = now.signature;
    auto row = [](const char *name, const QByteArray &id, const QByteArray &timestamp,
                  const QByteArray &signature, const QByteArray &keyId, const QByteArray &body,
                  bool requireKeyId, VerifyError expected) {
        QTest::newRow(name) << id << timestamp << signature << keyId << body << requireKeyId
                            << expected;
    };
    row("valid", kId, ts, sig, kKeyId, kBody, true, VerifyError::None);
    QByteArray tampered = kBody;
    tampered[10] = 'X';
    row("tampered body", kId, ts, sig, kKeyId, tampered, true, VerifyError::BadSignature);
    row("body with trailing newline", kId, ts, sig, kKeyId, kBody + '\n', true,
        VerifyError::BadSignature);
    row("other id", "msg_other", ts, sig, kKeyId, kBody, true, VerifyError::BadSignature);
    row("timestamp changed", kId, QByteArray::number(kNow + 1), sig, kKeyId, kBody, true,
        VerifyError::BadSignature);
    row("wrong secret", kId, ts, sign({WebhookSecret::generate()}, kId, kNow, kBody).signature,
        kKeyId, kBody, true, VerifyError::BadSignature);

    const SignedHeaders edgeOld = signedAt(kNow - kTimestampToleranceSeconds);
    const SignedHeaders stale = signedAt(kNow - kTimestampToleranceSeconds - 1);
    const SignedHeaders edgeNew = signedAt(kNow + kTimestampToleranceSeconds);
    const SignedHeaders future = signedAt(kNow + kTimestampToleranceSeconds + 1);
    row("300 s old", kId, edgeOld.timestamp, edgeOld.signature, kKeyId, kBody, true,
        VerifyError::None);
    row("301 s old", kId, stale.timestamp, stale.signature, kKeyId, kBody, true,
        VerifyError::TimestampTooOld);
    row("300 s ahead", kId, edgeNew.timestamp, edgeNew.signature, kKeyId, kBody, true,
        VerifyError::None);
    row("301 s ahead", kId, future.timestamp, future.signature, kKeyId, kBody, true,
        VerifyError::TimestampTooNew);
    row("epoch 0", kId, "0", sig, kKeyId, kBody, true, VerifyError::TimestampTooOld);

    row("missing webhook-id", {}, ts, sig, kKeyId, kBody, true, VerifyError::MissingHeader);
    row("missing webhook-timestamp", kId, {}, sig, kKeyId, kBody, true, VerifyError::MissingHeader);
    row("missing webhook-signature", kId, ts, {}, kKeyId, kBody, true, VerifyError::MissingHeader);
    row("missing spotkeeper-key-id", kId, ts, sig, {}, kBody, true, VerifyError::MissingHeader);
    row("key id optional when not required", kId, ts, sig, {}, kBody, false, VerifyError::None);

    for (const char *bad : {" 1800000000", "1800000000 ", "+1800000000", "-1800000000",
                            "1800000000.0", "1.8e9", "0x6B49D200", "١٨٠٠٠٠٠٠٠٠"}) {
        const QByteArray name = "timestamp '" + QByteArray(bad) + '\'';
        row(name.constData(), kId, bad, sig, kKeyId, kBody, true, VerifyError::BadTimestamp);
    }
    row("timestamp too many digits", kId, "0000000001800000000", sig, kKeyId, kBody, true,
        VerifyError::BadTimestamp);

    row("unknown key id", kId, ts, sig, "agent-unknown", kBody, true, VerifyError::UnknownKey);

    const QByteArray bigBody(kMaxBodyBytes, 'a');
    const QByteArray tooBig(kMaxBodyBytes + 1, 'a');
    const SignedHeaders big = signedAt(kNow, bigBody);
    row("body exactly at the limit", kId, ts, big.signature, kKeyId, bigBody, true,
        VerifyError::None);
    row("body one byte too large", kId, ts, signedAt(kNow, tooBig).signature, kKeyId, tooBig, true,
        VerifyError::BodyTooLarge);

    const QByteArray base64 = sig.mid(3);
    row("v2 scheme refused", kId, ts, "v2," + base64, kKeyId, kBody, true,
        VerifyError::BadSignature);
    row("no scheme", kId, ts, base64, kKeyId, kBody, true, VerifyError::BadSignature);
    row("upper-case scheme", kId, ts, "V1," + base64, kKeyId, kBody, true,
        VerifyError::BadSignature);
    row("extra spaces between entries", kId, ts, "v1,AAAA  " + sig + ' ', kKeyId, kBody, true,
        VerifyError::None);
    row("signature with trailing byte", kId, ts, sig + 'A', kKeyId, kBody, true,
        VerifyError::BadSignature);
    QByteArray flipped = sig;
    flipped[flipped.size() - 2] = flipped.at(flipped.size() - 2) == 'A' ? 'B' : 'A';
    row("last base64 char changed", kId, ts, flipped, kKeyId, kBody, true,
        VerifyError::BadSignature);
    row("only spaces", kId, ts, "   ", kKeyId, kBody, true, VerifyError::BadSignature);
}

void TestWebhookSignature::verifyCases()
{
    QFETCH(QByteArray, id);
    QFETCH(QByteArray, timestamp);
    QFETCH(QByteArray, signature);
    QFETCH(QByteArray, keyId);
    QFETCH(QByteArray, body);
    QFETCH(bool, requireKeyId);
    QFETCH(VerifyError, expected);

    const WebhookSecret secret = m_secret;
    const KeyLookup lookup = [secret](QByteArrayView key) {
        // Without a required key id the lookup sees an empty one and may offer any key.
        if (key == kKeyId || key.isEmpty())
            return QList<WebhookSecret> {secret};
        return QList<WebhookSecret> {};
    };
    const VerifyRequest request {id, timestamp, signature, keyId, body};
    QCOMPARE(toString(verify(request, kNow, lookup, requireKeyId)), toString(expected));
}

void TestWebhookSignature::verificationOrder()
{
    int lookups = 0;
    const WebhookSecret secret = m_secret;
    const KeyLookup lookup = [&lookups, secret](QByteArrayView key) {
        ++lookups;
        return key == kKeyId ? QList<WebhookSecret> {secret} : QList<WebhookSecret> {};
    };
    const QByteArray tooBig(kMaxBodyBytes + 1, '{');
    const SignedHeaders stale = sign({secret}, kId, kNow - 1000, kBody);

    // Size before headers, headers before timestamp, timestamp before key lookup,
    // key lookup before HMAC: each pair below breaks two rules and must report the first.
    QCOMPARE(reason(verify({{}, {}, {}, {}, tooBig}, kNow, lookup)),
             reason(VerifyError::BodyTooLarge));
    QCOMPARE(reason(verify({kId, "soon", {}, kKeyId, kBody}, kNow, lookup)),
             reason(VerifyError::MissingHeader));
    QCOMPARE(reason(verify({kId, "soon", "v1,x", "nobody", kBody}, kNow, lookup)),
             reason(VerifyError::BadTimestamp));
    QCOMPARE(reason(verify({kId, stale.timestamp, "v1,x", "nobody", kBody}, kNow, lookup)),
             reason(VerifyError::TimestampTooOld));
    QCOMPARE(lookups, 0);
    QCOMPARE(reason(verify({kId, QByteArray::number(kNow), "v1,x", "nobody", kBody}, kNow, lookup)),
             reason(VerifyError::UnknownKey));
    QCOMPARE(lookups, 1);
    QCOMPARE(reason(verify({kId, QByteArray::number(kNow), "v1,x", kKeyId, kBody}, kNow, lookup)),
             reason(VerifyError::BadSignature));
    QCOMPARE(lookups, 2);
    // An empty lookup function knows no key.
    QCOMPARE(
        reason(verify({kId, QByteArray::number(kNow), "v1,x", kKeyId, kBody}, kNow, KeyLookup())),
        reason(VerifyError::UnknownKey));
}

void TestWebhookSignature::keyLookupGetsTheKeyId()
{
    QByteArray seen = "not called";
    const WebhookSecret secret = m_secret;
    const KeyLookup lookup = [&seen, secret](QByteArrayView key) {
        seen = key.toByteArray();
        return QList<WebhookSecret> {secret};
    };
    const SignedHeaders headers = sign({secret}, kId, kNow, kBody);
    QCOMPARE(reason(verify(requestFor(headers, kBody, "agent-42"), kNow, lookup)),
             reason(VerifyError::None));
    QCOMPARE(seen, QByteArray("agent-42"));
    QCOMPARE(reason(verify(requestFor(headers, kBody, {}), kNow, lookup, false)),
             reason(VerifyError::None));
    QCOMPARE(seen, QByteArray());
}

void TestWebhookSignature::rotationWithTwoSecrets()
{
    const WebhookSecret oldSecret = WebhookSecret::generate();
    const WebhookSecret newSecret = WebhookSecret::generate();
    const WebhookSecret unrelated = WebhookSecret::generate();
    const auto knows = [](QList<WebhookSecret> secrets) -> KeyLookup {
        return [secrets](QByteArrayView) {
            return secrets;
        };
    };

    // During the overlap the agent signs with both; a dashboard that knows either accepts.
    const SignedHeaders both = sign({oldSecret, newSecret}, kId, kNow, kBody);
    QCOMPARE(both.signature.count(' '), 1);
    QCOMPARE(reason(verify(requestFor(both, kBody), kNow, knows({oldSecret}))),
             reason(VerifyError::None));
    QCOMPARE(reason(verify(requestFor(both, kBody), kNow, knows({newSecret}))),
             reason(VerifyError::None));
    QCOMPARE(reason(verify(requestFor(both, kBody), kNow, knows({unrelated}))),
             reason(VerifyError::BadSignature));
    // A dashboard that holds both accepts an agent that already switched, or not yet.
    const SignedHeaders onlyNew = sign({newSecret}, kId, kNow, kBody);
    const SignedHeaders onlyOld = sign({oldSecret}, kId, kNow, kBody);
    QCOMPARE(reason(verify(requestFor(onlyNew, kBody), kNow, knows({oldSecret, newSecret}))),
             reason(VerifyError::None));
    QCOMPARE(reason(verify(requestFor(onlyOld, kBody), kNow, knows({unrelated, oldSecret}))),
             reason(VerifyError::None));
    // After the old secret is retired, an agent still on it is refused.
    QCOMPARE(reason(verify(requestFor(onlyOld, kBody), kNow, knows({newSecret}))),
             reason(VerifyError::BadSignature));
}

void TestWebhookSignature::malformedSecretNeverVerifies()
{
    // A secret that did not parse must not turn into an empty (or short) HMAC key: a
    // signature over the empty key is one anyone can compute.
    const WebhookSecret empty;
    const auto truncated = WebhookSecret::fromString(u"whsec_AAAA"_s);
    QVERIFY(!truncated); // what a parser says; a caller must not fall back to `empty`
    const WebhookSecret good = WebhookSecret::generate();
    const SignedHeaders forged = sign({empty}, kId, kNow, kBody);
    const KeyLookup onlyEmpty = [empty](QByteArrayView) {
        return QList<WebhookSecret> {empty};
    };
    QCOMPARE(reason(verify(requestFor(forged, kBody), kNow, onlyEmpty)),
             reason(VerifyError::UnknownKey));
    QCOMPARE(reason(verifyWithSecret(requestFor(forged, kBody), kNow, empty)),
             reason(VerifyError::UnknownKey));
    // Next to a good secret the empty one is ignored: the forgery fails, the agent works.
    const KeyLookup both = [empty, good](QByteArrayView) {
        return QList<WebhookSecret> {empty, good};
    };
    QCOMPARE(reason(verify(requestFor(forged, kBody), kNow, both)),
             reason(VerifyError::BadSignature));
    const SignedHeaders real = sign({good}, kId, kNow, kBody);
    QCOMPARE(reason(verify(requestFor(real, kBody), kNow, both)), reason(VerifyError::None));
}

void TestWebhookSignature::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("equal") << QByteArray("v1,abc=") << QByteArray("v1,abc=") << true;
    QTest::newRow("first byte") << QByteArray("x1,abc=") << QByteArray("v1,abc=") << false;
    QTest::newRow("last byte") << QByteArray("v1,abc=") << QByteArray("v1,abcd") << false;
    QTest::newRow("prefix") << QByteArray("v1,ab") << QByteArray("v1,abc=") << false;
    QTest::newRow("empty vs one") << QByteArray() << QByteArray("a") << false;
    QTest::newRow("trailing nul") << QByteArray("abc") << QByteArray("abc\0", 4) << false;
    QTest::newRow("high bit") << QByteArray("\x80") << QByteArray("\x00", 1) << false;
    QTest::newRow("single bit") << QByteArray("\x01") << QByteArray("\x03") << false;
}

void TestWebhookSignature::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(spotkeeper::protocol::constantTimeEquals(a, b), equal);
    QCOMPARE(spotkeeper::protocol::constantTimeEquals(b, a), equal);
}

void TestWebhookSignature::secretRoundTrip()
{
    const QString vector = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s;
    const WebhookSecret withPrefix = secretFrom(vector);
    const WebhookSecret without = secretFrom(vector.mid(6));
    QCOMPARE(withPrefix, without);
    QCOMPARE(withPrefix.bytes().size(), 24);
    QCOMPARE(withPrefix.toString(), vector);
    QCOMPARE(secretFrom(m_secret.toString()), m_secret);
}

void TestWebhookSignature::secretRejections()
{
    const QString sixteenBytes = QString::fromLatin1(QByteArray(16, 'k').toBase64());
    const QList<std::pair<QString, QString>> cases = {
        {u"whsec_not*base64!"_s, u"secret is not valid base64"_s},
        {u"whsec_MfKQ9r8G KYqrTwjUPD8ILPZIo2LaLaSw"_s, u"secret is not valid base64"_s},
        {u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\u00e9"_s, u"secret is not valid base64"_s},
        {u"whsec_"_s, u"secret has 0 bytes; at least 24 random bytes are required"_s},
        {u"whsec_"_s + sixteenBytes,
         u"secret has 16 bytes; at least 24 random bytes are required"_s},
    };
    for (const auto &[text, why] : cases) {
        QString error;
        QVERIFY2(!WebhookSecret::fromString(text, &error), qPrintable(why));
        QCOMPARE(error, why);
        QVERIFY(!WebhookSecret::fromString(text)); // a null error pointer is fine
    }
}

void TestWebhookSignature::generatedSecrets()
{
    const WebhookSecret a = WebhookSecret::generate();
    const WebhookSecret b = WebhookSecret::generate();
    QCOMPARE(a.bytes().size(), 32);
    QVERIFY(a != b);
    QVERIFY(a.toString().startsWith(u"whsec_"));
    QCOMPARE(a.toString().size(), 6 + 44);
}

void TestWebhookSignature::credentialParse()
{
    const WebhookSecret first = WebhookSecret::generate();
    const WebhookSecret second = WebhookSecret::generate();
    const QByteArray file = "# SpotKeeper agent key, rotated 2026-11-26\r\n"
                            "\r\n"
                            "   agent-vm-spot   "
        + first.toString().toLatin1()
        + "  \r\n"
          "  # the new secret\n"
          "agent-vm-spot\t"
        + second.toString().mid(6).toLatin1() + "\n\n";
    QString error;
    const auto credential = AgentCredential::parse(file, &error);
    QVERIFY2(credential, qPrintable(error));
    QCOMPARE(credential->keyId, u"agent-vm-spot"_s);
    QCOMPARE(credential->secrets, (QList<WebhookSecret> {first, second}));

    const QByteArray serialized = credential->serialize();
    QCOMPARE(serialized,
             "agent-vm-spot " + first.toString().toLatin1() + "\nagent-vm-spot "
                 + second.toString().toLatin1() + '\n');
    const auto again = AgentCredential::parse(serialized, nullptr);
    QVERIFY(again);
    QCOMPARE(again->keyId, credential->keyId);
    QCOMPARE(again->secrets, credential->secrets);
}

void TestWebhookSignature::credentialErrors_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("expected");
    const QByteArray secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    QTest::newRow("empty") << QByteArray()
                           << u"no credential found: expected a line \"<keyId> whsec_<base64>\""_s;
    QTest::newRow("only comments")
        << QByteArray("# nothing\n\n  # here\n")
        << u"no credential found: expected a line \"<keyId> whsec_<base64>\""_s;
    QTest::newRow("secret alone") << "# key\n\n" + secret + '\n'
                                  << u"line 3: expected \"<keyId> whsec_<base64>\" (2 fields), "
                                     "found 1"_s;
    QTest::newRow("three fields") << "agent " + secret + " extra\n"
                                  << u"line 1: expected \"<keyId> whsec_<base64>\" (2 fields), "
                                     "found 3"_s;
    QTest::newRow("inline comment") << "agent " + secret + " # main\n"
                                    << u"line 1: expected \"<keyId> whsec_<base64>\" (2 fields), "
                                       "found 4"_s;
    QTest::newRow("key id not ascii")
        << "ag\xc3\xa9nt " + secret << u"line 1: key id must be 1-128 visible ASCII characters"_s;
    QTest::newRow("key id too long") << QByteArray(129, 'k') + ' ' + secret
                                     << u"line 1: key id must be 1-128 visible ASCII characters"_s;
    QTest::newRow("two key ids") << "a " + secret + "\n#\nb " + secret + '\n'
                                 << u"line 3: key id differs from the one on line 1; a file holds "
                                    "one agent's key"_s;
    QTest::newRow("bad base64") << "agent whsec_" + secret.mid(6, 10) + "*" + secret.mid(17)
                                << u"line 1: secret is not valid base64"_s;
    QTest::newRow("short secret") << "\nagent whsec_" + QByteArray(12, 'x').toBase64()
                                  << u"line 2: secret has 12 bytes; at least 24 random bytes are "
                                     "required"_s;
}

void TestWebhookSignature::credentialErrors()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!AgentCredential::parse(file, &error));
    QCOMPARE(error, expected);
    QVERIFY(!AgentCredential::parse(file, nullptr));
    // No part of a secret may leak into the message.
    QVERIFY(!error.contains(u"MfKQ9r8G"_s));
    QVERIFY(!error.contains(u"whsec_M"_s));
}

void TestWebhookSignature::errorNames()
{
    const QList<std::pair<VerifyError, QString>> names = {
        {VerifyError::None, u"none"_s},
        {VerifyError::BodyTooLarge, u"body_too_large"_s},
        {VerifyError::MissingHeader, u"missing_header"_s},
        {VerifyError::BadTimestamp, u"bad_timestamp"_s},
        {VerifyError::TimestampTooOld, u"timestamp_too_old"_s},
        {VerifyError::TimestampTooNew, u"timestamp_too_new"_s},
        {VerifyError::UnknownKey, u"unknown_key"_s},
        {VerifyError::BadSignature, u"bad_signature"_s},
    };
    for (const auto &[error, name] : names)
        QCOMPARE(toString(error), name);
}

QTEST_GUILESS_MAIN(TestWebhookSignature)
#include "tst_webhooksignature.moc"
