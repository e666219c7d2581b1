// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/secretstore.h"
#include "notify/notifier.h"

#include <QList>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace spotkeeper::gui {

class FleetSource;

// Settings -> Notifications: the outbound notification channels (docs/NOTIFICATIONS.md) -
// webhook, Slack, Microsoft Teams, e-mail - with their routing (event kinds, subscriptions,
// tags) and message template, each channel's delivery status (refreshed while the page is
// open, from the FleetSource), and "Send test notification" (asynchronous; the answer shows
// on the page). Secrets (a webhook's signing secret, a Slack or Teams URL, an SMTP password)
// are typed here and written only to the SecretStore by apply(); the channels without them go
// to DashboardSettings. Without a source (or a remote one) the test is disabled with why.
class NotificationsPage final : public QWidget
{
    Q_OBJECT
public:
    NotificationsPage(const QList<core::NotifyChannel> &channels, core::SecretStore &secrets,
                      FleetSource *source, QWidget *parent = nullptr);
    ~NotificationsPage() override;
    Q_DISABLE_COPY_MOVE(NotificationsPage)

    // The channels as edited (no secrets).
    QList<core::NotifyChannel> channels();
    // Empty when every channel is complete, else what to fix (the channel is selected).
    QString validate();
    // Writes the typed secrets to the SecretStore and deletes those of removed or renamed
    // channels. True when anything changed since the page was opened.
    bool apply();

    void addChannel(); // a new webhook channel, selected, its name field focused
    void removeChannel(); // the selected one
    void sendTest(); // the selected channel as edited
    void refreshStatus();

Q_SIGNALS:
    void testFinished(const QString &channel, int status, const QString &error);

private:
    struct Entry
    {
        core::NotifyChannel channel;
        QString savedName; // empty for a channel added on this page
        core::ChannelType savedType = core::ChannelType::Webhook;
        QByteArray newSecret; // typed here; written by apply()
        bool secretStored = false; // in the SecretStore under savedName/savedType
        core::ChannelStatus status;
        QString testResult;
    };
    void buildEditor(QWidget *editor);
    void showEntry(int row);
    void storeEntry(); // the form into the current entry
    void updateKindFields();
    void updateRow(int row);
    void showStatus();
    void resetTemplate();
    QString validateEntry(const Entry &entry) const;
    static bool secretKnown(const Entry &entry); // typed here, or stored for this name and kind
    static QString hookProblem(const Entry &entry); // webhook, Slack, Teams
    static QString mailProblem(const Entry &entry);
    void showStatuses(const QList<core::ChannelStatus> &channels);
    void sendTestWith(const core::NotifyChannel &channel, const QByteArray &secret);
    void finishTest(const QString &channel, int status, const QString &error);
    int currentRow() const;

    core::SecretStore &m_secrets;
    FleetSource *m_source = nullptr;
    QList<Entry> m_entries;
    QList<Entry> m_removed; // saved channels removed on this page (secrets to delete)
    QList<core::NotifyChannel> m_initial;
    int m_shown = -1; // the entry the form shows
    bool m_loading = false;
    QTimer m_statusTimer;

    QTreeWidget *m_list = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QWidget *m_editor = nullptr;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_secret = nullptr;
    QLabel *m_secretHint = nullptr;
    QLineEdit *m_smtpServer = nullptr;
    QSpinBox *m_smtpPort = nullptr;
    QComboBox *m_smtpSecurity = nullptr;
    QLineEdit *m_from = nullptr;
    QLineEdit *m_to = nullptr;
    QLineEdit *m_user = nullptr;
    QListWidget *m_events = nullptr;
    QLineEdit *m_subscriptions = nullptr;
    QLineEdit *m_tags = nullptr;
    QLineEdit *m_subject = nullptr;
    QPlainTextEdit *m_template = nullptr;
    QPushButton *m_resetTemplate = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_lastDelivery = nullptr;
    QLabel *m_lastError = nullptr;
    QLabel *m_counts = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
};

} // namespace spotkeeper::gui
