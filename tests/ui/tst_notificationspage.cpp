// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 17, the dashboard's side of outbound notifications: Settings -> Notifications adds,
// edits and removes channels with clear validation errors, keeps their secrets in the
// SecretStore (never in the settings file), sends a test message to a fake receiver on
// 127.0.0.1 and shows each channel's delivery status; the dashboard's own engine runs the
// saved channels (DashboardSession::applyNotify) without a restart.
#include "fleet/enginehost.h"
#include "models/localfleetsource.h"
#include "notify/notification.h"
#include "notify/notifier.h"
#include "store/store.h"
#include "support/base/manualclock.h"
#include "support/http/fakehttpserver.h"
#include "support/listener/listenertestkit.h"
#include "support/notify/notifyfixtures.h"
#include "ui/dashboardsession.h"
#include "ui/dashboardsettings.h"
#include "ui/notificationspage.h"
#include "ui/secretstores.h"
#include "ui/settingsdialog.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace spotkeeper;
using namespace spotkeeper::gui;
using spotkeeper::testsupport::FakeHttpServer;
using spotkeeper::testsupport::RecordedRequest;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kSigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const QByteArray kSlackUrl = "https://hooks.slack.com/services/T0001/B0002/SECRETxyz123";

template<typename T>
T *child(QWidget &page, const char *name)
{
    auto *widget = page.findChild<T *>(QLatin1StringView(name));
    if (!widget)
        qWarning("no %s", name);
    return widget;
}

QString secretOf(core::SecretStore &store, const QString &key)
{
    QString value = u"<none>"_s;
    store.readSecret(key, [&value](bool ok, const QByteArray &secret, const QString &) {
        if (ok)
            value = QString::fromUtf8(secret);
    });
    return value; // MemorySecretStore answers at once
}

// A new channel filled in through the form.
void addWebhook(NotificationsPage &page, const QString &name, const QString &url,
                const QByteArray &secret)
{
    page.addChannel();
    child<QLineEdit>(page, "name")->setText(name);
    auto *kind = child<QComboBox>(page, "kind");
    kind->setCurrentIndex(kind->findData(int(core::ChannelType::Webhook)));
    child<QLineEdit>(page, "url")->setText(url);
    child<QLineEdit>(page, "secret")->setText(QString::fromUtf8(secret));
}

} // namespace

class TestNotificationsPage final : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    testsupport::ManualClock m_clock;

    std::unique_ptr<core::Store> openStore(const QString &name)
    {
        core::StoreOptions options;
        options.path = m_dir->filePath(name);
        options.clock = &m_clock;
        core::StoreError error;
        auto store = core::Store::open(options, &error);
        if (!store)
            qWarning("store: %s", qPrintable(error.message));
        return store;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Nothing here may reach Azure (as in tst_dashboardsession).
        qputenv("SPOTKEEPER_ARM_URL", "http://127.0.0.1:9");
        qputenv("SPOTKEEPER_AZ_PROGRAM", "/nonexistent/az");
        for (const char *name : {"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET",
                                 "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLOUD"})
            qunsetenv(name);
    }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QSettings().clear();
    }

    void addEditAndRemoveChannels()
    {
        MemorySecretStore secrets;
        NotificationsPage page({}, secrets, nullptr);
        auto *list = child<QTreeWidget>(page, "list");
        QCOMPARE(list->topLevelItemCount(), 0);
        QVERIFY(!child<QPushButton>(page, "remove")->isEnabled());

        addWebhook(page, u"ops"_s, u"https://hooks.example.com/spotkeeper"_s, kSigningSecret);
        QCOMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(list->topLevelItem(0)->text(0), u"ops"_s);
        QVERIFY2(page.validate().isEmpty(), qPrintable(page.validate()));
        // Routing: two kinds and a tag.
        auto *events = child<QListWidget>(page, "events");
        for (int i = 0; i < events->count(); ++i) {
            const QString kind = events->item(i)->data(Qt::UserRole).toString();
            if (kind == u"eviction"_s || kind == u"needs_operator"_s)
                events->item(i)->setCheckState(Qt::Checked);
        }
        child<QLineEdit>(page, "tags")->setText(u"team=web, critical"_s);

        // A second one, Slack: its URL is the secret.
        page.addChannel();
        child<QLineEdit>(page, "name")->setText(u"chat"_s);
        auto *kind = child<QComboBox>(page, "kind");
        kind->setCurrentIndex(kind->findData(int(core::ChannelType::Slack)));
        QVERIFY(!child<QLineEdit>(page, "url")->isVisibleTo(&page));
        child<QLineEdit>(page, "secret")->setText(QString::fromUtf8(kSlackUrl));
        QVERIFY2(page.validate().isEmpty(), qPrintable(page.validate()));

        QList<core::NotifyChannel> channels = page.channels();
        QCOMPARE(channels.size(), 2);
        QCOMPARE(channels[0].name, u"ops"_s);
        QVERIFY(channels[0].type == core::ChannelType::Webhook);
        QCOMPARE(channels[0].url, u"https://hooks.example.com/spotkeeper"_s);
        QCOMPARE(channels[0].events, QStringList({u"eviction"_s, u"needs_operator"_s}));
        QCOMPARE(channels[0].tags, QStringList({u"team=web"_s, u"critical"_s}));
        QVERIFY(channels[1].type == core::ChannelType::Slack);
        QVERIFY(channels[1].url.isEmpty()); // the URL stays out of the channel

        // Edit: back to the first, change its template, reset it to the default.
        list->setCurrentItem(list->topLevelItem(0));
        QCOMPARE(child<QLineEdit>(page, "name")->text(), u"ops"_s);
        auto *text = child<QPlainTextEdit>(page, "template");
        text->setPlainText(u"{title} in {region}"_s);
        QCOMPARE(page.channels()[0].templateText, u"{title} in {region}"_s);
        child<QPushButton>(page, "resetTemplate")->click();
        QCOMPARE(text->toPlainText(), core::defaultTemplate(core::ChannelType::Webhook));
        QVERIFY(page.channels()[0].templateText.isEmpty()); // the default, not a copy

        QVERIFY(page.apply());
        QCOMPARE(secretOf(secrets, u"notify/ops/signing-secret"_s),
                 QString::fromUtf8(kSigningSecret));
        QCOMPARE(secretOf(secrets, u"notify/chat/url"_s), QString::fromUtf8(kSlackUrl));
        QVERIFY(!page.apply()); // nothing changed since

        // Remove the Slack channel: gone from the list, its secret from the store.
        list->setCurrentItem(list->topLevelItem(1));
        child<QPushButton>(page, "remove")->click();
        QCOMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(page.channels().size(), 1);
        QVERIFY(page.apply());
        QCOMPARE(secretOf(secrets, u"notify/chat/url"_s), u"<none>"_s);
        QCOMPARE(secretOf(secrets, u"notify/ops/signing-secret"_s),
                 QString::fromUtf8(kSigningSecret));
    }

    void validationSaysWhatIsWrong_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("expected");
        const int webhook = int(core::ChannelType::Webhook);
        const int slack = int(core::ChannelType::Slack);
        const int mail = int(core::ChannelType::Smtp);
        const QString secret = QString::fromUtf8(kSigningSecret);
        QTest::newRow("no name") << webhook << u""_s << u"https://a.example.com"_s << secret
                                 << u""_s << u""_s << u"Enter a name"_s;
        QTest::newRow("bad name") << webhook << u"Ops Team"_s << u"https://a.example.com"_s
                                  << secret << u""_s << u""_s << u"lower-case"_s;
        QTest::newRow("plain http") << webhook << u"ops"_s << u"http://hooks.example.com/x"_s
                                    << secret << u""_s << u""_s << u"https://"_s;
        QTest::newRow("no secret") << webhook << u"ops"_s << u"https://a.example.com"_s << u""_s
                                   << u""_s << u""_s << u"signing secret"_s;
        QTest::newRow("bad secret") << webhook << u"ops"_s << u"https://a.example.com"_s
                                    << u"hunter2"_s << u""_s << u""_s << u"whsec_"_s;
        QTest::newRow("slack http")
            << slack << u"chat"_s << u""_s << u"http://hooks.slack.com/services/x"_s << u""_s
            << u""_s << u"https://"_s;
        QTest::newRow("bad sender") << mail << u"mail"_s << u""_s << u""_s << u"spotkeeper"_s
                                    << u"ops@example.com"_s << u"not an e-mail address"_s;
        QTest::newRow("bad recipient") << mail << u"mail"_s << u""_s << u""_s << u"sk@example.com"_s
                                       << u"ops@example.com, bob"_s << u"The recipient bob"_s;
    }
    void validationSaysWhatIsWrong()
    {
        QFETCH(int, type);
        QFETCH(QString, name);
        QFETCH(QString, url);
        QFETCH(QString, secret);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, expected);
        MemorySecretStore secrets;
        NotificationsPage page({}, secrets, nullptr);
        page.addChannel();
        child<QLineEdit>(page, "name")->setText(name);
        auto *kind = child<QComboBox>(page, "kind");
        kind->setCurrentIndex(kind->findData(type));
        child<QLineEdit>(page, "url")->setText(url);
        child<QLineEdit>(page, "secret")->setText(secret);
        child<QLineEdit>(page, "smtpServer")->setText(u"smtp.example.com"_s);
        child<QLineEdit>(page, "from")->setText(from);
        child<QLineEdit>(page, "to")->setText(to);
        const QString problem = page.validate();
        QVERIFY2(problem.contains(expected), qPrintable(problem));
        // The same message stands on the page, and a Slack URL is never quoted.
        QVERIFY(child<QLabel>(page, "error")->text().contains(expected));
        if (type == int(core::ChannelType::Slack))
            QVERIFY(!problem.contains(u"hooks.slack.com"_s));
    }

    void secretsGoToTheKeychainNotTheSettingsFile()
    {
        MemorySecretStore secrets;
        DashboardSettings initial;
        SettingsDialog dialog(initial, secrets);
        NotificationsPage &page = *dialog.notificationsPage();
        addWebhook(page, u"ops"_s, u"https://hooks.example.com/spotkeeper"_s, kSigningSecret);
        page.addChannel();
        child<QLineEdit>(page, "name")->setText(u"chat"_s);
        auto *kind = child<QComboBox>(page, "kind");
        kind->setCurrentIndex(kind->findData(int(core::ChannelType::Teams)));
        child<QLineEdit>(page, "secret")->setText(QString::fromUtf8(kSlackUrl));
        page.addChannel();
        child<QLineEdit>(page, "name")->setText(u"mail"_s);
        kind->setCurrentIndex(kind->findData(int(core::ChannelType::Smtp)));
        child<QLineEdit>(page, "smtpServer")->setText(u"smtp.example.com"_s);
        child<QLineEdit>(page, "from")->setText(u"spotkeeper@example.com"_s);
        child<QLineEdit>(page, "to")->setText(u"ops@example.com"_s);
        child<QLineEdit>(page, "user")->setText(u"spotkeeper"_s);
        child<QLineEdit>(page, "secret")->setText(u"pa55-SMTP-word"_s);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.notifyChanged());

        QCOMPARE(secretOf(secrets, u"notify/ops/signing-secret"_s),
                 QString::fromUtf8(kSigningSecret));
        QCOMPARE(secretOf(secrets, u"notify/chat/url"_s), QString::fromUtf8(kSlackUrl));
        QCOMPARE(secretOf(secrets, u"notify/mail/password"_s), u"pa55-SMTP-word"_s);

        const DashboardSettings saved = DashboardSettings::load();
        QCOMPARE(saved.notifyChannels.size(), 3);
        QCOMPARE(saved.notifyChannels[0].url, u"https://hooks.example.com/spotkeeper"_s);
        QVERIFY(saved.notifyChannels[1].type == core::ChannelType::Teams);
        QVERIFY(saved.notifyChannels[1].url.isEmpty());
        QCOMPARE(saved.notifyChannels[2].url, u"smtp://smtp.example.com:587"_s);
        QCOMPARE(saved.notifyChannels[2].username, u"spotkeeper"_s);

        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
        const QByteArray content = file.readAll();
        QVERIFY(content.contains("hooks.example.com")); // the file is the one written
        QVERIFY(!content.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        QVERIFY(!content.contains("SECRETxyz123"));
        QVERIFY(!content.contains("hooks.slack.com"));
        QVERIFY(!content.contains("pa55-SMTP-word"));

        // Opened again: the secrets show as "unchanged", the channels are complete.
        SettingsDialog again(saved, secrets);
        QVERIFY2(again.notificationsPage()->validate().isEmpty(),
                 qPrintable(again.notificationsPage()->validate()));
        QVERIFY(child<QLineEdit>(*again.notificationsPage(), "secret")->text().isEmpty());
    }

    void testButtonReachesTheReceiver()
    {
        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        receiver.route("POST", "/hook").respond(200, "{}");
        receiver.route("POST", "/broken").respond(503, "{}");
        auto store = openStore(u"test.db"_s);
        QVERIFY(store);
        LocalFleetSource source(*store, nullptr, m_clock);
        MemorySecretStore secrets;
        NotificationsPage page({}, secrets, &source);
        QSignalSpy finished(&page, &NotificationsPage::testFinished);

        addWebhook(page, u"ops"_s, receiver.url(u"/hook"_s).toString(), kSigningSecret);
        auto *test = child<QPushButton>(page, "test");
        QVERIFY(test->isEnabled());
        test->click();
        QVERIFY(finished.wait(20'000));
        QCOMPARE(finished.constLast().at(1).toInt(), 200);
        QVERIFY(finished.constLast().at(2).toString().isEmpty());
        QCOMPARE(receiver.count(), 1);
        const RecordedRequest request = receiver.last();
        QVERIFY(request.header("webhook-id").startsWith("test_"));
        QVERIFY(request.header("webhook-signature").startsWith("v1,"));
        QVERIFY(request.body.contains("spotkeeper.test"));
        QCOMPARE(child<QLabel>(page, "testResult")->text(),
                 NotificationsPage::tr("Delivered (status %1).").arg(200));
        QVERIFY(test->isEnabled());

        // A receiver that fails: the page says how.
        child<QLineEdit>(page, "url")->setText(receiver.url(u"/broken"_s).toString());
        test->click();
        QVERIFY(finished.wait(20'000));
        QCOMPARE(finished.constLast().at(1).toInt(), 503);
        QVERIFY(child<QLabel>(page, "testResult")->text().contains(u"HTTP 503"_s));

        // A saved channel is tested with the secret from the store.
        QVERIFY(page.apply());
        child<QLineEdit>(page, "url")->setText(receiver.url(u"/hook"_s).toString());
        QVERIFY(child<QLineEdit>(page, "secret")->text().isEmpty());
        test->click();
        QVERIFY(finished.wait(20'000));
        QCOMPARE(finished.constLast().at(1).toInt(), 200);
        QCOMPARE(receiver.count(), 3);
        QVERIFY(!receiver.last().header("webhook-signature").isEmpty());
    }

    void dashboardEngineRunsTheChannelsAndShowsTheirStatus()
    {
        FakeHttpServer receiver;
        QVERIFY(receiver.start());
        // The first delivery fails, the retry succeeds.
        receiver.route("POST", "/hook").respond(200, "{}").enqueue(503, "{}");
        MemorySecretStore secrets;
        DashboardSettings s;
        s.storePath = m_dir->filePath(u"session.db"_s);
        s.listenPort = 0;
        s.subscriptions = {listenertest::kSubscription};
        DashboardSession session(m_clock);
        QString error;
        QVERIFY2(session.open(s, &error), qPrintable(error));
        QVERIFY(!session.host()->notifier());

        // Saved channels: the engine runs them once their secrets are read (no restart).
        core::NotifyChannel ops;
        ops.name = u"ops"_s;
        ops.type = core::ChannelType::Webhook;
        ops.url = receiver.url(u"/hook"_s).toString();
        secrets.writeSecret(DashboardSettings::notifySecretKey(u"ops"_s, ops.type), kSigningSecret,
                            [](bool, const QString &) {});
        core::NotifyChannel missing = ops;
        missing.name = u"nosecret"_s;
        QSignalSpy applied(&session, &DashboardSession::notifyApplied);
        session.applyNotify({ops, missing}, secrets);
        QTRY_COMPARE(applied.size(), 1);
        QVERIFY(session.notifyProblem().contains(u"nosecret"_s));
        QVERIFY(!session.notifyProblem().contains(QString::fromUtf8(kSigningSecret)));
        core::Notifier *notifier = session.host()->notifier();
        QVERIFY(notifier);
        QCOMPARE(notifier->channelStatuses().size(), 1);

        // An eviction goes out through the engine's outbox; the receiver fails it: the page
        // shows the pending row and the error.
        const qint64 vm = testsupport::addTestVm(*session.store(), u"web-1"_s);
        testsupport::appendEviction(*session.store(), vm, m_clock.nowUtc());
        QSignalSpy failed(notifier, &core::Notifier::deliveryFailed);
        m_clock.advanceMSecs(31'000); // past the storm window ([notify] group_window_seconds)
        notifier->pump();
        QVERIFY(failed.wait(20'000));

        SettingsDialog dialog(s, secrets, nullptr, &session.source());
        dialog.showNotificationsTab();
        NotificationsPage &page = *dialog.notificationsPage();
        // The page shows the settings' channels; these are the ones applied above.
        QCOMPARE(child<QTreeWidget>(page, "list")->topLevelItemCount(), 1); // the server-only row
        NotificationsPage shown({ops}, secrets, &session.source());
        auto *list = child<QTreeWidget>(shown, "list");
        QCOMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(list->topLevelItem(0)->text(3), u"1"_s); // pending, to be retried
        QCOMPARE(child<QLabel>(shown, "lastError")->text(), u"HTTP 503"_s);
        QVERIFY(child<QLabel>(shown, "counts")->text().contains(u"1"_s));

        // Live: a success is shown at the next refresh without reopening the page.
        m_clock.advanceMSecs(3600'000);
        QSignalSpy delivered(notifier, &core::Notifier::delivered);
        notifier->pump();
        QVERIFY(delivered.wait(20'000));
        shown.refreshStatus();
        QCOMPARE(list->topLevelItem(0)->text(3), u"0"_s);
        QCOMPARE(child<QLabel>(shown, "lastError")->text(), NotificationsPage::tr("none"));
        QVERIFY(list->topLevelItem(0)->text(2) != NotificationsPage::tr("never"));

        // For a look at the page (docs/NOTIFICATIONS.md): SPOTKEEPER_GRAB_SETTINGS=<png>.
        if (const QString path = qEnvironmentVariable("SPOTKEEPER_GRAB_SETTINGS");
            !path.isEmpty()) {
            DashboardSettings withOps = s;
            withOps.notifyChannels = {ops};
            SettingsDialog look(withOps, secrets, nullptr, &session.source());
            look.showNotificationsTab();
            look.resize(1100, 760);
            look.show();
            QVERIFY(look.grab().save(path));
        }

        // Removing every channel stops the notifier.
        QSignalSpy appliedAgain(&session, &DashboardSession::notifyApplied);
        session.applyNotify({}, secrets);
        QTRY_COMPARE(appliedAgain.size(), 1);
        QVERIFY(!session.host()->notifier());
        session.shutdown();
    }
};

QTEST_MAIN(TestNotificationsPage)
#include "tst_notificationspage.moc"
