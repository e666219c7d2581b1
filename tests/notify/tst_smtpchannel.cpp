// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 17: e-mail notifications over SMTP (libcurl) against a fake SMTP server on 127.0.0.1
// that speaks the real protocol: STARTTLS with the test certificate, AUTH PLAIN and LOGIN,
// the message's headers, a wrong password (refused, retried, never logged), a server that is
// down (retried until it is back), a server without STARTTLS (nothing sent), the [notify]
// settings of an smtp channel. The fake runs on this thread: a transfer that blocked the
// caller's thread could never be answered, so every delivery here also shows that the
// transfer runs on a worker.
#include "notify/notifier.h"
#include "notify/smtpmail.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/http/testtls.h"
#include "support/notify/fakesmtpserver.h"
#include "support/notify/notifyfixtures.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::core;
using namespace spotkeeper::testsupport;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kUser = "alerts@example.com";
const QByteArray kPassword = "s3cret-Pa55word-never-logged";

QStringList g_log; // every message logged while a test runs

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log << message;
}

// The header's value, or empty.
QByteArray header(const QByteArray &message, const QByteArray &name)
{
    for (const QByteArray &line : message.split('\n')) {
        if (line.trimmed().isEmpty())
            break; // end of the headers
        if (line.startsWith(QByteArray(name + ": ")))
            return line.mid(name.size() + 2).trimmed();
    }
    return {};
}

QString body(const QByteArray &message)
{
    const qsizetype start = message.indexOf("\r\n\r\n");
    return QString::fromUtf8(QByteArray::fromBase64(message.mid(start + 4)));
}

} // namespace

class TestSmtpChannel : public QObject
{
    Q_OBJECT

private:
    NotifyChannel mailChannel(quint16 port, const QByteArray &password = kPassword)
    {
        NotifyChannel c;
        c.name = u"mail"_s;
        c.type = ChannelType::Smtp;
        c.url = u"smtp://127.0.0.1:"_s + QString::number(port);
        c.from = u"spotkeeper@example.com"_s;
        c.to = {u"ops@example.com"_s, u"oncall@example.com"_s};
        c.username = QString::fromLatin1(kUser);
        c.passwordFile = writeTestFile(m_dir->path(), u"smtp.password"_s, password + '\n');
        c.caFile = tlsFile(u"ca.pem"_s);
        return c;
    }
    std::unique_ptr<Notifier> notifier(const NotifyChannel &channel)
    {
        NotifyConfig c;
        c.channels = {channel};
        c.groupWindowSeconds = 0;
        c.timeoutMs = 5'000;
        c.retryBaseSeconds = 10;
        QString error;
        auto n = Notifier::create(c, *m_store, m_clock, &error);
        if (!n)
            qWarning() << "create failed:" << error;
        return n;
    }
    qint64 evict()
    {
        return appendEviction(*m_store, addTestVm(*m_store, u"web-1"_s), m_clock.nowUtc());
    }
    // A notifier for channel with one eviction to send, sent; the spy sees how it ended.
    std::unique_ptr<Notifier> sendOneEviction(const NotifyChannel &channel,
                                              std::unique_ptr<QSignalSpy> *failed)
    {
        auto n = notifier(channel);
        if (!n)
            return n;
        n->pump(); // the cursor starts after the history
        evict();
        *failed = std::make_unique<QSignalSpy>(n.get(), &Notifier::deliveryFailed);
        n->pump();
        return n;
    }
    // Nothing logged, stored or exported anywhere holds the password.
    void verifyPasswordNowhere(Notifier &n)
    {
        for (const QString &line : std::as_const(g_log))
            QVERIFY2(!line.contains(QString::fromLatin1(kPassword)), qPrintable(line));
        QVERIFY(!n.renderMetrics().contains(kPassword));
        for (const OutboxEntry &entry : m_store->dueNotifications(m_clock.nowUtc().addYears(1), 0))
            QVERIFY(!entry.lastError.contains(QString::fromLatin1(kPassword)));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
    ManualClock m_clock;
    QtMessageHandler m_previousHandler = nullptr;

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_clock.set(QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC));
        StoreOptions options(m_dir->filePath(u"store.db"_s));
        options.clock = &m_clock;
        StoreError error;
        m_store = Store::open(options, &error);
        QVERIFY2(m_store, qPrintable(error.message));
        g_log.clear();
        m_previousHandler = qInstallMessageHandler(captureLog);
    }
    void cleanup()
    {
        qInstallMessageHandler(m_previousHandler);
        m_store.reset();
    }

    void deliversOverStartTlsWithAuth_data()
    {
        QTest::addColumn<QByteArray>("mechanism");
        QTest::newRow("AUTH PLAIN") << QByteArray("PLAIN");
        QTest::newRow("AUTH LOGIN") << QByteArray("LOGIN");
    }

    void deliversOverStartTlsWithAuth()
    {
        QFETCH(QByteArray, mechanism);
        FakeSmtpServer server;
        server.setCredentials(kUser, kPassword);
        server.setAuthMechanisms({mechanism});
        QVERIFY(server.start());
        auto n = notifier(mailChannel(server.port()));
        QVERIFY(n);
        n->pump(); // the cursor starts after the history
        const qint64 eventId = evict();
        QSignalSpy done(n.get(), &Notifier::delivered);
        QSignalSpy failed(n.get(), &Notifier::deliveryFailed);
        n->pump();
        QCOMPARE(n->inFlight(), 1); // the transfer runs on, pump() returned
        QTRY_COMPARE_WITH_TIMEOUT(done.size() + failed.size(), 1, 20'000);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.at(0).at(2).toString()));
        QCOMPARE(done.at(0).at(2).toInt(), 250);

        QCOMPARE(server.mails().size(), 1);
        const FakeSmtpServer::Mail mail = server.mails().constFirst();
        QVERIFY(mail.overTls);
        QCOMPARE(mail.user, kUser);
        QCOMPARE(mail.from, QByteArray("spotkeeper@example.com"));
        QCOMPARE(mail.to, (QList<QByteArray> {"ops@example.com", "oncall@example.com"}));
        const QList<QByteArray> commands = server.commands();
        QVERIFY(commands.indexOf("STARTTLS") >= 0);
        QVERIFY(commands.indexOf("STARTTLS") < commands.indexOf("AUTH"));
        QVERIFY(commands.indexOf("AUTH") < commands.indexOf("MAIL"));

        const QByteArray id = "evt_" + QByteArray::number(eventId);
        QCOMPARE(header(mail.data, "Subject"), QByteArray("[SpotKeeper] Spot VM web-1 evicted"));
        QCOMPARE(header(mail.data, "Message-ID"), "<spotkeeper." + id + ".mail@example.com>");
        QCOMPARE(header(mail.data, "Date"), QByteArray("Thu, 01 Jan 2026 00:00:00 +0000"));
        QCOMPARE(header(mail.data, "From"), QByteArray("SpotKeeper <spotkeeper@example.com>"));
        QCOMPARE(header(mail.data, "To"), QByteArray("ops@example.com, oncall@example.com"));
        QCOMPARE(header(mail.data, "Auto-Submitted"), QByteArray("auto-generated"));
        const QString text = body(mail.data);
        QVERIFY2(text.startsWith(u"Spot VM web-1 evicted\r\n\r\nPreempt notice"_s),
                 qPrintable(text));
        QVERIFY(text.contains(QString::fromLatin1(id)));
        verifyPasswordNowhere(*n);
    }

    // "Send test notification": one mail now, outside the outbox (nothing stored or retried).
    void testNotificationIsMailedNow()
    {
        FakeSmtpServer server;
        server.setCredentials(kUser, kPassword);
        QVERIFY(server.start());
        auto n = notifier(mailChannel(server.port()));
        QVERIFY(n);
        int status = -1;
        QString error = u"not answered"_s;
        QVERIFY(n->sendTest(u"mail"_s, [&](int code, const QString &problem) {
            status = code;
            error = problem;
        }));
        QVERIFY(!n->sendTest(u"nope"_s, [](int, const QString &) {}));
        QTRY_COMPARE_WITH_TIMEOUT(status, 250, 20'000);
        QVERIFY(error.isEmpty());
        QCOMPARE(server.mails().size(), 1);
        QCOMPARE(header(server.mails().constFirst().data, "Subject"),
                 QByteArray("[SpotKeeper] SpotKeeper test notification"));
        QVERIFY(m_store->notificationCounts().isEmpty());
        const QList<ChannelStatus> statuses = n->channelStatuses();
        QCOMPARE(statuses.size(), 1);
        QCOMPARE(statuses.constFirst().name, u"mail"_s);
        QVERIFY(statuses.constFirst().type == ChannelType::Smtp);
        QVERIFY(statuses.constFirst().lastError.isEmpty());
    }

    void wrongPasswordIsRefusedRetriedAndNeverLogged()
    {
        FakeSmtpServer server;
        server.setCredentials(kUser, "the-right-one");
        QVERIFY(server.start());
        std::unique_ptr<QSignalSpy> failed;
        auto n = sendOneEviction(mailChannel(server.port()), &failed);
        QVERIFY(n);
        QTRY_COMPARE_WITH_TIMEOUT(failed->size(), 1, 20'000);
        const QString error = failed->at(0).at(2).toString();
        QVERIFY2(error.startsWith(u"SMTP: "_s), qPrintable(error));
        QVERIFY2(error.contains(u"535"_s), qPrintable(error));
        QVERIFY(server.authFailures() >= 1);
        QVERIFY(server.mails().isEmpty());
        // Pending, with a backoff: the next attempt after retry_base_seconds.
        QCOMPARE(m_store->dueNotifications(m_clock.nowUtc(), 0).size(), 0);
        m_clock.advanceMSecs(10'000);
        const QList<OutboxEntry> due = m_store->dueNotifications(m_clock.nowUtc(), 0);
        QCOMPARE(due.size(), 1);
        QCOMPARE(due.constFirst().attempts, 1);
        QCOMPARE(due.constFirst().lastError, error);
        const ChannelStatus status = n->channelStatuses().constFirst();
        QCOMPARE(status.pending, qint64(1));
        QCOMPARE(status.lastError, error);
        verifyPasswordNowhere(*n);
    }

    void serverDownIsRetriedUntilItIsBack()
    {
        quint16 port = 0;
        {
            FakeSmtpServer probe; // a free port, then nobody listening on it
            QVERIFY(probe.start());
            port = probe.port();
        }
        std::unique_ptr<QSignalSpy> failed;
        auto n = sendOneEviction(mailChannel(port), &failed);
        QVERIFY(n);
        QSignalSpy done(n.get(), &Notifier::delivered);
        QTRY_COMPARE_WITH_TIMEOUT(failed->size(), 1, 20'000);
        QVERIFY2(failed->at(0).at(2).toString().contains(u"connect"_s, Qt::CaseInsensitive),
                 qPrintable(failed->at(0).at(2).toString()));

        FakeSmtpServer server;
        server.setCredentials(kUser, kPassword);
        QVERIFY(server.start(port));
        n->pump(); // not due yet: backing off
        QCOMPARE(n->inFlight(), 0);
        m_clock.advanceMSecs(10'000);
        n->pump();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20'000);
        QCOMPARE(server.mails().size(), 1);
        m_clock.advanceMSecs(3'600'000);
        n->pump(); // delivered: never again
        QCOMPARE(n->inFlight(), 0);
        QCOMPARE(server.mails().size(), 1);
    }

    void noStartTlsNoMail()
    {
        FakeSmtpServer server;
        server.setStartTls(false); // a server (or a man in the middle) that strips STARTTLS
        QVERIFY(server.start());
        NotifyChannel channel = mailChannel(server.port());
        channel.username.clear();
        channel.passwordFile.clear();
        std::unique_ptr<QSignalSpy> failed;
        auto n = sendOneEviction(channel, &failed);
        QVERIFY(n);
        QTRY_COMPARE_WITH_TIMEOUT(failed->size(), 1, 20'000);
        QVERIFY(server.mails().isEmpty());
        QVERIFY(!server.commands().contains("MAIL"));
    }

    void messageHeadersAreSafeAndEncoded()
    {
        SmtpMail mail;
        mail.from = u"spotkeeper@example.com"_s;
        mail.to = {u"ops@example.com"_s};
        mail.subject = u"VM Größe\r\nBcc: victim@example.com"_s; // no header injection
        mail.body = u"line one\nline two"_s;
        mail.eventKey = u"grp_10_17"_s;
        mail.channel = u"mail"_s;
        mail.date = QDateTime::fromSecsSinceEpoch(1'767'225'600, Qt::UTC);
        const QByteArray message = smtpMessage(mail);
        QVERIFY(!message.contains("\r\nBcc:"));
        const QByteArray subject = header(message, "Subject");
        QVERIFY2(subject.startsWith("=?UTF-8?B?"), subject.constData());
        QCOMPARE(QString::fromUtf8(QByteArray::fromBase64(subject.mid(10, subject.size() - 12))),
                 u"VM Größe Bcc: victim@example.com"_s);
        QCOMPARE(header(message, "Message-ID"),
                 QByteArray("<spotkeeper.grp_10_17.mail@example.com>"));
        QCOMPARE(body(message), u"line one\r\nline two"_s);
        for (const QByteArray &line : message.split('\n'))
            QVERIFY(line.size() <= 78);
    }

    void smtpSettings_data()
    {
        QTest::addColumn<QStringList>("lines"); // key=value of [notify.mail]
        QTest::addColumn<QString>("error"); // part of the error; empty = fine
        const QStringList good {u"type=smtp"_s, u"url=smtp://mail.example.com:587"_s,
                                u"from=spotkeeper@example.com"_s,
                                u"to=a@example.com, b@example.com"_s};
        QTest::newRow("complete") << good << QString();
        QTest::newRow("smtps") << QStringList {u"type=smtp"_s,
                                               u"url=smtps://mail.example.com:465"_s,
                                               u"from=s@example.com"_s, u"to=a@example.com"_s}
                               << QString();
        QTest::newRow("no recipients") << good.mid(0, 3) << u"needs from and to"_s;
        QTest::newRow("not an address")
            << QStringList {u"type=smtp"_s, u"to=ops"_s} << u"not an e-mail address"_s;
        QTest::newRow("header injection in from")
            << QStringList {u"type=smtp"_s, u"from=a@example.com\r\nBcc: x@example.com"_s}
            << u"expected an e-mail address"_s;
        QTest::newRow("password in the URL")
            << QStringList {u"type=smtp"_s, u"url=smtp://user:pw@mail.example.com:587"_s}
            << u"no credentials in the URL"_s;
        QTest::newRow("plain SMTP to a remote server")
            << (good + QStringList {u"starttls=off"_s}) << u"only to a loopback address"_s;
        QTest::newRow("user without password file")
            << (good + QStringList {u"username=alerts"_s}) << u"go together"_s;
        QTest::newRow("smtp URL on a webhook")
            << QStringList {u"type=webhook"_s, u"url=smtp://mail.example.com"_s}
            << u"needs type = smtp"_s;
    }

    void smtpSettings()
    {
        QFETCH(QStringList, lines);
        QFETCH(QString, error);
        NotifyConfig config;
        QString problem;
        for (const QString &line : std::as_const(lines)) {
            const qsizetype eq = line.indexOf(u'=');
            problem = config.set(u"notify.mail"_s, line.left(eq), line.mid(eq + 1));
            if (!problem.isEmpty())
                break;
        }
        if (problem.isEmpty())
            problem = config.validate();
        if (error.isEmpty())
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        else
            QVERIFY2(problem.contains(error), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TestSmtpChannel)
#include "tst_smtpchannel.moc"
