// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/secretstore.h"
#include "ui/dashboardsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;

namespace spotkeeper::gui {

class FleetSource;
class NotificationsPage;
using core::SecretStore;

// Listener, TLS, keys, credentials, subscriptions, budgets, theme, language and the remote
// spotkeeperd to attach to. The client secret and the operator token are written to the
// SecretStore only (never QSettings); if the store cannot persist, the dialog says that the
// secret lasts for this run only.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
public:
    // source: where the Notifications page reads the channels' delivery status and sends
    // test messages (null: neither).
    SettingsDialog(const DashboardSettings &settings, SecretStore &secrets,
                   QWidget *parent = nullptr, FleetSource *source = nullptr);
    ~SettingsDialog() override;
    Q_DISABLE_COPY_MOVE(SettingsDialog)

    DashboardSettings settings() const;
    void accept() override;
    void showRemoteTab(); // the first run's "Attach to spotkeeperd…"
    void showNotificationsTab();
    NotificationsPage *notificationsPage() const { return m_notify; }
    // After accept(): the notification channels or their secrets changed (the engine's
    // notifier is to be rebuilt).
    bool notifyChanged() const { return m_notifyChanged; }

private:
    QWidget *buildRemoteTab(const DashboardSettings &s, QWidget *parent);
    void addApplicationHealthRows(QFormLayout *form, QWidget *parent, const DashboardSettings &s);

    SecretStore &m_secrets;
    DashboardSettings m_initial;
    QLineEdit *m_address = nullptr;
    QSpinBox *m_port = nullptr;
    QCheckBox *m_tls = nullptr;
    QLineEdit *m_cert = nullptr;
    QLineEdit *m_key = nullptr;
    QLineEdit *m_agentCa = nullptr;
    QComboBox *m_source = nullptr;
    QLineEdit *m_tenant = nullptr;
    QLineEdit *m_client = nullptr;
    QLineEdit *m_secret = nullptr;
    QLabel *m_secretNote = nullptr;
    QPlainTextEdit *m_subscriptions = nullptr;
    QSpinBox *m_writesPerSecond = nullptr;
    QSpinBox *m_writeBurst = nullptr;
    QSpinBox *m_readsPerSecond = nullptr;
    QSpinBox *m_readBurst = nullptr;
    QSpinBox *m_startsPerMinute = nullptr;
    QSpinBox *m_startBurst = nullptr;
    QSpinBox *m_evidenceWait = nullptr;
    QComboBox *m_unproven = nullptr;
    QSpinBox *m_heartbeatInterval = nullptr;
    QSpinBox *m_agentSilentIntervals = nullptr;
    QSpinBox *m_appTimeout = nullptr;
    QSpinBox *m_appUnhealthy = nullptr;
    QComboBox *m_appRestart = nullptr;
    QSpinBox *m_appRestartsPerHour = nullptr;
    QComboBox *m_theme = nullptr;
    QComboBox *m_language = nullptr;
    QCheckBox *m_bom = nullptr;
    QTabWidget *m_tabs = nullptr;
    QWidget *m_remoteTab = nullptr;
    QLineEdit *m_remoteUrl = nullptr;
    QLineEdit *m_remoteToken = nullptr;
    QLineEdit *m_remoteCa = nullptr;
    QCheckBox *m_attach = nullptr;
    NotificationsPage *m_notify = nullptr;
    bool m_notifyChanged = false;
};

} // namespace spotkeeper::gui
