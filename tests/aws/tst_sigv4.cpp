// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Signature Version 4 against AWS's published test suite (tests/data/aws/sigv4, see the README
// there): for every vector the canonical request, the string to sign and the Authorization
// header must equal the suite's files byte for byte. Then the failure paths.
#include "aws/sigv4.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core::aws;

namespace {

// The suite's credentials and scope (documented with the suite; example values, not secrets).
AwsCredentials suiteCredentials()
{
    return {u"AKIDEXAMPLE"_s, u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s, {}};
}
const QString kRegion = u"us-east-1"_s;
const QString kService = u"service"_s;

QString vectorDir()
{
    return QStringLiteral(SPOTKEEPER_TEST_DATA "/aws/sigv4");
}

QByteArray readVector(const QString &name, const QString &extension)
{
    QFile file(vectorDir() + u'/' + name + u'/' + name + u'.' + extension);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// A .req file: "METHOD target HTTP/1.1", header lines "Name:value" (a line starting with
// whitespace continues the previous header: the suite's multi-line value, read as one more
// value of that header), an empty line, the body.
bool parseReq(const QByteArray &raw, SigV4Request &request)
{
    const qsizetype bodyStart = raw.indexOf("\n\n");
    const QByteArray head = bodyStart < 0 ? raw : raw.first(bodyStart);
    request.body = bodyStart < 0 ? QByteArray() : raw.sliced(bodyStart + 2);
    const QList<QByteArray> lines = head.split('\n');
    const QByteArray requestLine = lines.value(0);
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace < 0 || lastSpace <= firstSpace)
        return false;
    request.method = requestLine.first(firstSpace);
    const QByteArray target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const qsizetype question = target.indexOf('?');
    request.path = QByteArray::fromPercentEncoding(question < 0 ? target : target.first(question));
    request.query.clear();
    if (question >= 0) {
        for (const QByteArray &pair : target.sliced(question + 1).split('&')) {
            const qsizetype equals = pair.indexOf('=');
            const QByteArray name = equals < 0 ? pair : pair.first(equals);
            const QByteArray value = equals < 0 ? QByteArray() : pair.sliced(equals + 1);
            request.query.append(
                {QByteArray::fromPercentEncoding(name), QByteArray::fromPercentEncoding(value)});
        }
    }
    request.headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (!line.isEmpty() && (line.front() == ' ' || line.front() == '\t')) {
            if (request.headers.isEmpty())
                return false;
            request.headers.append({request.headers.constLast().first, line.trimmed()});
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        request.headers.append({line.first(colon), line.sliced(colon + 1)});
    }
    return true;
}

SigV4Request vanillaRequest()
{
    SigV4Request request;
    request.method = "GET";
    request.headers = {{"Host"_ba, "example.amazonaws.com"_ba},
                       {"X-Amz-Date"_ba, "20150830T123600Z"_ba}};
    return request;
}

QDateTime suiteTime()
{
    return {QDate(2015, 8, 30), QTime(12, 36, 0), QTimeZone::utc()};
}

} // namespace

class TestSigV4 : public QObject
{
    Q_OBJECT

private slots:
    void suiteVector_data();
    void suiteVector();
    void signRequestAddsDateAndSessionToken();
    void signRequestWithoutTokenMatchesVanilla();
    void rejectsIncompleteCredentials_data();
    void rejectsIncompleteCredentials();
    void rejectsBadDate_data();
    void rejectsBadDate();
    void rejectsBadScopeAndHeaders();
    void signRequestWithoutValidTimeSignsNothing();
    void uriEncoding_data();
    void uriEncoding();
    void canonicalQuerySortsEncodedPairs();
    void amzDateRoundTrip();
};

void TestSigV4::suiteVector_data()
{
    QTest::addColumn<QString>("name");
    const QStringList names = QDir(vectorDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QVERIFY2(names.size() >= 20, "the SigV4 test vectors are missing from tests/data/aws/sigv4");
    for (const QString &name : names)
        QTest::newRow(qPrintable(name)) << name;
}

void TestSigV4::suiteVector()
{
    QFETCH(QString, name);
    SigV4Request request;
    QVERIFY(parseReq(readVector(name, u"req"_s), request));
    const SigV4Result result = signV4(request, suiteCredentials(), kRegion, kService);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.canonicalRequest, readVector(name, u"creq"_s));
    QCOMPARE(result.stringToSign, readVector(name, u"sts"_s));
    QCOMPARE(result.authorization, readVector(name, u"authz"_s));
}

void TestSigV4::signRequestAddsDateAndSessionToken()
{
    // post-sts-header-before: the session token is a signed header.
    SigV4Request expected;
    QVERIFY(parseReq(readVector(u"post-sts-header-before"_s, u"req"_s), expected));
    const QByteArray token = expected.headers.last().second;
    QCOMPARE(expected.headers.last().first, "X-Amz-Security-Token"_ba);

    SigV4Request request;
    request.method = "POST";
    request.headers = {{"Host"_ba, "example.amazonaws.com"_ba},
                       {"X-Amz-Date"_ba, "19990101T000000Z"_ba}}; // replaced
    AwsCredentials credentials = suiteCredentials();
    credentials.sessionToken = QString::fromLatin1(token);
    const SigV4Result result = signRequest(request, credentials, kRegion, kService, suiteTime());
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.authorization, readVector(u"post-sts-header-before"_s, u"authz"_s));
    QCOMPARE(request.headers.size(), 4);
    QCOMPARE(request.headers.at(1), qMakePair("X-Amz-Date"_ba, "20150830T123600Z"_ba));
    QCOMPARE(request.headers.at(2), qMakePair("X-Amz-Security-Token"_ba, token));
    QCOMPARE(request.headers.at(3), qMakePair("Authorization"_ba, result.authorization));
}

void TestSigV4::signRequestWithoutTokenMatchesVanilla()
{
    SigV4Request request = vanillaRequest();
    request.headers.removeLast();
    request.headers.append({"Authorization"_ba, "stale"_ba}); // replaced, never signed
    const SigV4Result result =
        signRequest(request, suiteCredentials(), kRegion, kService, suiteTime());
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.authorization, readVector(u"get-vanilla"_s, u"authz"_s));
    QCOMPARE(request.headers.count(qMakePair("Authorization"_ba, result.authorization)), 1);
    QCOMPARE(request.headers.size(), 3);
}

void TestSigV4::rejectsIncompleteCredentials_data()
{
    QTest::addColumn<QString>("keyId");
    QTest::addColumn<QString>("secret");
    QTest::newRow("no key id") << QString() << u"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"_s;
    QTest::newRow("no secret") << u"AKIDEXAMPLE"_s << QString();
    QTest::newRow("neither") << QString() << QString();
    QTest::newRow("slash in key id") << u"AKID/EXAMPLE"_s << u"wJalrXUtnFEMI/K7MDENG+bPx"_s;
    QTest::newRow("space in key id") << u"AKID EXAMPLE"_s << u"wJalrXUtnFEMI/K7MDENG+bPx"_s;
}

void TestSigV4::rejectsIncompleteCredentials()
{
    QFETCH(QString, keyId);
    QFETCH(QString, secret);
    const SigV4Result result = signV4(vanillaRequest(), {keyId, secret, {}}, kRegion, kService);
    QVERIFY(!result.ok());
    QVERIFY(result.authorization.isEmpty());
    QVERIFY(result.signature.isEmpty());
    if (!secret.isEmpty())
        QVERIFY(!result.error.contains(secret));
}

void TestSigV4::rejectsBadDate_data()
{
    QTest::addColumn<QByteArrayList>("dates");
    QTest::newRow("missing") << QByteArrayList {};
    QTest::newRow("no Z") << QByteArrayList {"20150830T123600"};
    QTest::newRow("extended ISO") << QByteArrayList {"2015-08-30T12:36:00Z"};
    QTest::newRow("month 13") << QByteArrayList {"20151330T123600Z"};
    QTest::newRow("hour 25") << QByteArrayList {"20150830T253600Z"};
    QTest::newRow("letters") << QByteArrayList {"2015O830T123600Z"};
    QTest::newRow("empty") << QByteArrayList {""};
    QTest::newRow("twice") << QByteArrayList {"20150830T123600Z", "20150830T123600Z"};
}

void TestSigV4::rejectsBadDate()
{
    QFETCH(QByteArrayList, dates);
    SigV4Request request = vanillaRequest();
    request.headers.removeLast();
    for (const QByteArray &date : dates)
        request.headers.append({"X-Amz-Date"_ba, date});
    const SigV4Result result = signV4(request, suiteCredentials(), kRegion, kService);
    QVERIFY(!result.ok());
    QVERIFY(result.error.contains("X-Amz-Date"_L1));
    QVERIFY(result.authorization.isEmpty());
}

void TestSigV4::rejectsBadScopeAndHeaders()
{
    QVERIFY(!signV4(vanillaRequest(), suiteCredentials(), u"US-EAST-1"_s, kService).ok());
    QVERIFY(!signV4(vanillaRequest(), suiteCredentials(), QString(), kService).ok());
    QVERIFY(!signV4(vanillaRequest(), suiteCredentials(), kRegion, u"ec2/x"_s).ok());

    SigV4Request noHost = vanillaRequest();
    noHost.headers.removeFirst();
    const SigV4Result hostless = signV4(noHost, suiteCredentials(), kRegion, kService);
    QVERIFY(!hostless.ok());
    QVERIFY(hostless.error.contains("Host"_L1));

    SigV4Request injected = vanillaRequest();
    injected.headers.append({"X-Note"_ba, "a\r\nX-Evil: 1"_ba});
    QVERIFY(!signV4(injected, suiteCredentials(), kRegion, kService).ok());

    SigV4Request noMethod = vanillaRequest();
    noMethod.method.clear();
    QVERIFY(!signV4(noMethod, suiteCredentials(), kRegion, kService).ok());
}

void TestSigV4::signRequestWithoutValidTimeSignsNothing()
{
    SigV4Request request = vanillaRequest();
    const SigV4Result result =
        signRequest(request, suiteCredentials(), kRegion, kService, QDateTime());
    QVERIFY(!result.ok());
    for (const auto &header : std::as_const(request.headers))
        QVERIFY(header.first != "Authorization");

    SigV4Request other = vanillaRequest();
    const SigV4Result incomplete =
        signRequest(other, {u"AKIDEXAMPLE"_s, {}, u"token"_s}, kRegion, kService, suiteTime());
    QVERIFY(!incomplete.ok());
    for (const auto &header : std::as_const(other.headers))
        QVERIFY(header.first != "Authorization");
}

void TestSigV4::uriEncoding_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("encodeSlash");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray unreserved =
        "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QTest::newRow("unreserved") << unreserved << true << unreserved;
    QTest::newRow("space") << "a b"_ba << true << "a%20b"_ba;
    QTest::newRow("plus") << "a+b"_ba << true << "a%2Bb"_ba;
    QTest::newRow("star") << "a*b"_ba << true << "a%2Ab"_ba;
    QTest::newRow("percent") << "100%"_ba << true << "100%25"_ba;
    QTest::newRow("colon") << "tag:spotkeeper:auto-restart"_ba << true
                           << "tag%3Aspotkeeper%3Aauto-restart"_ba;
    QTest::newRow("slash encoded") << "a/b"_ba << true << "a%2Fb"_ba;
    QTest::newRow("slash kept") << "/a/b c"_ba << false << "/a/b%20c"_ba;
    QTest::newRow("utf-8") << "\xE1\x88\xB4"_ba << true << "%E1%88%B4"_ba;
    QTest::newRow("equals ampersand") << "a=b&c"_ba << true << "a%3Db%26c"_ba;
    QTest::newRow("nul and high byte") << QByteArray("\0\xff", 2) << true << "%00%FF"_ba;
}

void TestSigV4::uriEncoding()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, encodeSlash);
    QFETCH(QByteArray, expected);
    QCOMPARE(uriEncode(input, encodeSlash), expected);
}

void TestSigV4::canonicalQuerySortsEncodedPairs()
{
    // Sorted by byte value of the encoded name ('%' < digits < uppercase < lowercase), then value.
    const BytePairList query {{"b"_ba, "2"_ba}, {"B"_ba, "1"_ba},    {"a"_ba, "z"_ba},
                              {"a"_ba, "y"_ba}, {" x"_ba, "v w"_ba}, {"1"_ba, ""_ba}};
    QCOMPARE(canonicalQueryString(query), "%20x=v%20w&1=&B=1&a=y&a=z&b=2"_ba);
    QCOMPARE(canonicalQueryString({}), QByteArray());
}

void TestSigV4::amzDateRoundTrip()
{
    QCOMPARE(amzDate(suiteTime()), "20150830T123600Z"_ba);
    QCOMPARE(parseAmzDate("20150830T123600Z"), suiteTime());
    const QDateTime berlin(QDate(2015, 8, 30), QTime(14, 36, 0), QTimeZone("Europe/Berlin"));
    QCOMPARE(amzDate(berlin), "20150830T123600Z"_ba);
    QVERIFY(!parseAmzDate("20150830T123600z").isValid());
    QCOMPARE(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_ba);
}

QTEST_GUILESS_MAIN(TestSigV4)
#include "tst_sigv4.moc"
