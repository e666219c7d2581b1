// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settingsdialog.h"

#include "models/remotefleetsource.h"
#include "ui/notificationspage.h"
#include "ui/secretstores.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace spotkeeper::gui {

namespace {
QComboBox *combo(QWidget *parent, const QList<QPair<QString, QString>> &items,
                 const QString &current)
{
    auto *box = new QComboBox(parent);
    for (const auto &[label, value] : items)
        box->addItem(label, value);
    box->setCurrentIndex(qMax(0, box->findData(current)));
    return box;
}

QSpinBox *spinBox(QWidget *parent, int min, int max, int value, const QString &toolTip = {})
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setValue(value);
    box->setToolTip(toolTip);
    return box;
}
} // namespace

SettingsDialog::SettingsDialog(const DashboardSettings &s, SecretStore &secrets, QWidget *parent,
                               FleetSource *source)
    : QDialog(parent)
    , m_secrets(secrets)
    , m_initial(s)
{
    setWindowTitle(tr("SpotKeeper settings"));
    auto *tabs = new QTabWidget(this);

    auto *listener = new QWidget(tabs);
    auto *lf = new QFormLayout(listener);
    m_address = new QLineEdit(s.listenAddress, listener);
    m_port = spinBox(listener, 1, 65535, s.listenPort);
    m_tls = new QCheckBox(tr("Serve HTTPS (recommended beyond localhost)"), listener);
    m_tls->setChecked(s.tls);
    m_cert = new QLineEdit(s.tlsCertificate, listener);
    m_key = new QLineEdit(s.tlsKey, listener);
    m_cert->setPlaceholderText(tr("PEM certificate chain"));
    m_key->setPlaceholderText(tr("PEM private key (file mode 0600)"));
    m_agentCa = new QLineEdit(s.tlsAgentCa, listener);
    m_agentCa->setPlaceholderText(tr("PEM CA of a private certificate (optional)"));
    m_agentCa->setToolTip(tr("Enrolment snippets install this CA as the agent's ca-file, so "
                             "agents trust a certificate from a private CA (spotkeeperd tls "
                             "init writes it as ca.pem)."));
    lf->addRow(tr("Listen &address:"), m_address);
    lf->addRow(tr("&Port:"), m_port);
    lf->addRow(QString(), m_tls);
    lf->addRow(tr("TLS &certificate:"), m_cert);
    lf->addRow(tr("TLS &key:"), m_key);
    lf->addRow(tr("CA for a&gents:"), m_agentCa);
    auto *keysNote = new QLabel(tr("Agent keys are generated per VM with Actions → Enroll agent, "
                                   "and listed, rotated and revoked with Actions → Agent keys; "
                                   "their secrets are shown once and stored only as agent key "
                                   "records in the store."),
                                listener);
    keysNote->setWordWrap(true);
    lf->addRow(tr("Agent keys:"), keysNote);
    tabs->addTab(listener, tr("&Listener"));

    auto *creds = new QWidget(tabs);
    auto *cf = new QFormLayout(creds);
    m_source =
        combo(creds,
              {{tr("Automatic (environment, Azure CLI, managed identity)"), QStringLiteral("auto")},
               {tr("Azure CLI (az login)"), QStringLiteral("cli")},
               {tr("Service principal"), QStringLiteral("service_principal")},
               {tr("Managed identity"), QStringLiteral("managed_identity")},
               {tr("None (observe only)"), QStringLiteral("none")}},
              s.credentialSource);
    m_tenant = new QLineEdit(s.tenantId, creds);
    m_client = new QLineEdit(s.clientId, creds);
    m_secret = new QLineEdit(creds);
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("unchanged"));
    m_secretNote = new QLabel(secrets.persistenceNote(), creds);
    m_secretNote->setWordWrap(true);
    cf->addRow(tr("Credential &source:"), m_source);
    cf->addRow(tr("&Tenant ID:"), m_tenant);
    cf->addRow(tr("&Client ID:"), m_client);
    cf->addRow(tr("Client s&ecret:"), m_secret);
    cf->addRow(QString(), m_secretNote);
    m_subscriptions = new QPlainTextEdit(s.subscriptions.join(QLatin1Char('\n')), creds);
    m_subscriptions->setPlaceholderText(tr("One subscription ID per line"));
    cf->addRow(tr("S&ubscriptions:"), m_subscriptions);
    tabs->addTab(creds, tr("&Azure"));

    auto *budgets = new QWidget(tabs);
    auto *bf = new QFormLayout(budgets);
    // The range is wider than the validation on purpose: a hand-edited value shows as it is
    // and accept() says what is wrong with it.
    const auto spin = [budgets](int value) {
        return spinBox(budgets, 0, 100'000, value);
    };
    m_writesPerSecond = spin(s.subscriptionWritesPerSecond);
    m_writeBurst = spin(s.subscriptionWriteBurst);
    m_readsPerSecond = spin(s.subscriptionReadsPerSecond);
    m_readBurst = spin(s.subscriptionReadBurst);
    m_startsPerMinute = spin(s.vmStartsPerMinute);
    m_startBurst = spin(s.vmStartBurst);
    auto *budgetNote = new QLabel(tr("The restart engine paces its Azure calls with these token "
                                     "buckets so that Azure does not throttle it (defaults: "
                                     "Azure's own limits). They apply at the next start."),
                                  budgets);
    budgetNote->setWordWrap(true);
    bf->addRow(budgetNote);
    bf->addRow(tr("ARM &writes per second per subscription:"), m_writesPerSecond);
    bf->addRow(tr("ARM write b&urst per subscription:"), m_writeBurst);
    bf->addRow(tr("ARM &reads per second per subscription:"), m_readsPerSecond);
    bf->addRow(tr("ARM read bu&rst per subscription:"), m_readBurst);
    bf->addRow(tr("&Start calls per minute per VM:"), m_startsPerMinute);
    bf->addRow(tr("Start call burst per &VM:"), m_startBurst);
    // Eviction or someone's decision (docs/ENGINE.md): the Activity Log decides.
    m_evidenceWait = spinBox(
        budgets, 0, 3600, s.evidenceWaitSeconds,
        tr("A managed VM went down without a notice: how long the Activity Log is read for an "
           "eviction (restart) or a person's deallocation (leave it stopped)."));
    m_evidenceWait->setSuffix(tr(" s"));
    m_unproven = new QComboBox(budgets);
    m_unproven->addItem(tr("Restart it"), true);
    m_unproven->addItem(tr("Leave it deallocated"), false);
    m_unproven->setCurrentIndex(s.restartUnprovenDeallocation ? 0 : 1);
    bf->addRow(tr("Activity &Log wait for an unexplained deallocation:"), m_evidenceWait);
    bf->addRow(tr("&No evidence by then:"), m_unproven);
    // Silent agents: a running VM whose agent stopped sending heartbeats.
    m_heartbeatInterval = spinBox(budgets, 1, 86'400, s.heartbeatIntervalSeconds,
                                  tr("The agents' heartbeat-interval (60 s unless changed)."));
    m_heartbeatInterval->setSuffix(tr(" s"));
    m_agentSilentIntervals =
        spinBox(budgets, 0, 1000, s.agentSilentIntervals,
                tr("Alert when the agent of a running VM has missed this many heartbeats (a "
                   "deallocated VM is never alerted)."));
    m_agentSilentIntervals->setSpecialValueText(tr("Never alert"));
    bf->addRow(tr("Agent &heartbeat interval:"), m_heartbeatInterval);
    bf->addRow(tr("Silent a&gent after missed heartbeats:"), m_agentSilentIntervals);
    addApplicationHealthRows(bf, budgets, s);
    tabs->addTab(budgets, tr("&Budgets"));

    auto *look = new QWidget(tabs);
    auto *af = new QFormLayout(look);
    m_theme = combo(look,
                    {{tr("Follow the system"), QStringLiteral("system")},
                     {tr("Light"), QStringLiteral("light")},
                     {tr("Dark"), QStringLiteral("dark")}},
                    s.theme);
    m_language = combo(look,
                       {{tr("Follow the system"), QStringLiteral("system")},
                        {QStringLiteral("English"), QStringLiteral("en")},
                        {QStringLiteral("Deutsch"), QStringLiteral("de")}},
                       s.language);
    m_bom = new QCheckBox(tr("Write a UTF-8 byte order mark in CSV exports"), look);
    m_bom->setChecked(s.csvBom);
    af->addRow(tr("T&heme:"), m_theme);
    af->addRow(tr("&Language:"), m_language);
    af->addRow(tr("CSV:"), m_bom);
    tabs->addTab(look, tr("A&ppearance"));

    m_remoteTab = buildRemoteTab(s, tabs);
    tabs->addTab(m_remoteTab, tr("&Remote server"));
    m_notify = new NotificationsPage(s.notifyChannels, secrets, source, tabs);
    tabs->addTab(m_notify, tr("&Notifications"));
    m_tabs = tabs;

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(buttons);
}

SettingsDialog::~SettingsDialog() = default;

QWidget *SettingsDialog::buildRemoteTab(const DashboardSettings &s, QWidget *parent)
{
    auto *tab = new QWidget(parent);
    auto *rf = new QFormLayout(tab);
    m_remoteUrl = new QLineEdit(s.remoteUrl, tab);
    m_remoteUrl->setPlaceholderText(QStringLiteral("https://spotkeeperd.example.com:8443"));
    m_remoteToken = new QLineEdit(tab);
    m_remoteToken->setEchoMode(QLineEdit::Password);
    m_remoteToken->setPlaceholderText(tr("unchanged"));
    m_remoteCa = new QLineEdit(s.remoteCaFile, tab);
    m_remoteCa->setPlaceholderText(tr("PEM file, only for a private certificate"));
    m_attach = new QCheckBox(tr("Attach to this server instead of running the engine here"), tab);
    m_attach->setChecked(s.attachAtStart);
    auto *remoteNote = new QLabel(tr("Create an operator token on the server with "
                                     "<code>spotkeeperd token create</code>. It is kept in the "
                                     "system keychain. %1")
                                      .arg(m_secrets.persistenceNote()),
                                  tab);
    remoteNote->setWordWrap(true);
    rf->addRow(tr("Server &URL:"), m_remoteUrl);
    rf->addRow(tr("Operator &token:"), m_remoteToken);
    rf->addRow(tr("C&A certificate:"), m_remoteCa);
    rf->addRow(QString(), m_attach);
    rf->addRow(QString(), remoteNote);
    return tab;
}

void SettingsDialog::showRemoteTab()
{
    m_tabs->setCurrentWidget(m_remoteTab);
    m_attach->setChecked(true);
    m_remoteUrl->setFocus();
}

void SettingsDialog::showNotificationsTab()
{
    m_tabs->setCurrentWidget(m_notify);
}

DashboardSettings SettingsDialog::settings() const
{
    DashboardSettings s = m_initial;
    s.listenAddress = m_address->text().trimmed();
    s.listenPort = m_port->value();
    s.tls = m_tls->isChecked();
    s.tlsCertificate = m_cert->text().trimmed();
    s.tlsKey = m_key->text().trimmed();
    s.tlsAgentCa = m_agentCa->text().trimmed();
    s.credentialSource = m_source->currentData().toString();
    s.tenantId = m_tenant->text().trimmed();
    s.clientId = m_client->text().trimmed();
    s.subscriptions = m_subscriptions->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (QString &sub : s.subscriptions)
        sub = sub.trimmed();
    s.subscriptionWritesPerSecond = m_writesPerSecond->value();
    s.subscriptionWriteBurst = m_writeBurst->value();
    s.subscriptionReadsPerSecond = m_readsPerSecond->value();
    s.subscriptionReadBurst = m_readBurst->value();
    s.vmStartsPerMinute = m_startsPerMinute->value();
    s.vmStartBurst = m_startBurst->value();
    s.evidenceWaitSeconds = m_evidenceWait->value();
    s.restartUnprovenDeallocation = m_unproven->currentData().toBool();
    s.heartbeatIntervalSeconds = m_heartbeatInterval->value();
    s.agentSilentIntervals = m_agentSilentIntervals->value();
    s.appHealthTimeoutMinutes = m_appTimeout->value();
    s.appUnhealthyMinutes = m_appUnhealthy->value();
    s.appRestart = m_appRestart->currentData().toString();
    s.appRestartsPerHour = m_appRestartsPerHour->value();
    s.theme = m_theme->currentData().toString();
    s.language = m_language->currentData().toString();
    s.csvBom = m_bom->isChecked();
    s.remoteUrl = m_remoteUrl->text().trimmed();
    s.remoteCaFile = m_remoteCa->text().trimmed();
    s.attachAtStart = m_attach->isChecked() && !s.remoteUrl.isEmpty();
    s.notifyChannels = m_notify->channels();
    return s;
}

void SettingsDialog::accept()
{
    const DashboardSettings s = settings();
    if (s.tls && (s.tlsCertificate.isEmpty() || s.tlsKey.isEmpty())) {
        QMessageBox::warning(this, windowTitle(),
                             tr("HTTPS needs both a certificate and a private key file."));
        return;
    }
    if (const QString problem = s.budgetProblem(); !problem.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), problem);
        return;
    }
    if (m_attach->isChecked() && s.remoteUrl.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Enter the URL of the spotkeeperd server."));
        return;
    }
    if (!s.remoteUrl.isEmpty()) {
        const QString problem = RemoteFleetSource::checkUrl(QUrl(s.remoteUrl));
        if (!problem.isEmpty()) {
            QMessageBox::warning(this, windowTitle(), problem);
            return;
        }
    }
    if (const QString problem = m_notify->validate(); !problem.isEmpty()) {
        m_tabs->setCurrentWidget(m_notify);
        QMessageBox::warning(this, windowTitle(), problem);
        return;
    }
    m_notifyChanged = m_notify->apply();
    if (!m_remoteToken->text().isEmpty()) {
        m_secrets.writeSecret(DashboardSettings::kOperatorTokenKey,
                              m_remoteToken->text().trimmed().toUtf8(),
                              [](bool, const QString &) {});
        m_remoteToken->clear();
    }
    if (!m_secret->text().isEmpty()) {
        m_secrets.writeSecret(DashboardSettings::kClientSecretKey, m_secret->text().toUtf8(),
                              [](bool, const QString &) {});
        m_secret->clear();
    }
    s.save();
    QDialog::accept();
}

void SettingsDialog::addApplicationHealthRows(QFormLayout *form, QWidget *parent,
                                              const DashboardSettings &s)
{
    // Application health: what the agents' health probes report (docs/ENGINE.md).
    const auto minutes = [parent](int value, const QString &zero) {
        auto *box = new QSpinBox(parent);
        box->setRange(0, 1440);
        box->setSuffix(tr(" min"));
        box->setSpecialValueText(zero);
        box->setValue(value);
        return box;
    };
    m_appTimeout = minutes(s.appHealthTimeoutMinutes, tr("Do not wait"));
    m_appTimeout->setToolTip(tr("A restarted VM whose agent has a health probe counts as recovered "
                                "once its application reports healthy; after this long it ends "
                                "as running with the application not healthy, and an alert."));
    m_appUnhealthy = minutes(s.appUnhealthyMinutes, tr("Never alert"));
    m_appUnhealthy->setToolTip(
        tr("Alert when the application on a running VM has been unhealthy this long."));
    m_appRestart = new QComboBox(parent);
    m_appRestart->addItem(tr("Never (alert only)"), QStringLiteral("off"));
    m_appRestart->addItem(tr("VMs tagged spotkeeper-app-restart=true"), QStringLiteral("tagged"));
    m_appRestart->addItem(tr("Every VM"), QStringLiteral("all"));
    m_appRestart->setCurrentIndex(std::max(0, m_appRestart->findData(s.appRestart)));
    m_appRestartsPerHour = new QSpinBox(parent);
    m_appRestartsPerHour->setRange(0, 60);
    m_appRestartsPerHour->setValue(s.appRestartsPerHour);
    form->addRow(tr("Wait for the a&pplication after a restart:"), m_appTimeout);
    form->addRow(tr("Unhealthy appl&ication alert after:"), m_appUnhealthy);
    form->addRow(tr("Restart VMs with an unhealthy application:"), m_appRestart);
    form->addRow(tr("At most, restarts per hour per VM:"), m_appRestartsPerHour);
}

} // namespace spotkeeper::gui
