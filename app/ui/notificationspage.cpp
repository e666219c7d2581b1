// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/notificationspage.h"

#include "models/fleetsource.h"
#include "notify/notification.h"
#include "ui/dashboardsettings.h"

#include <QBrush>
#include <QColor>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <tuple>

namespace spotkeeper::gui {

using core::ChannelType;

namespace {

constexpr int kStatusRefreshMs = 2000;
enum Column { ColName, ColKind, ColLastDelivery, ColPending, ColFailed };

QString kindLabel(ChannelType type)
{
    switch (type) {
    case ChannelType::Slack:
        return NotificationsPage::tr("Slack");
    case ChannelType::Teams:
        return NotificationsPage::tr("Microsoft Teams");
    case ChannelType::Smtp:
        return NotificationsPage::tr("E-mail (SMTP)");
    case ChannelType::Webhook:
        break;
    }
    return NotificationsPage::tr("Webhook");
}

QString eventLabel(const QString &kind)
{
    struct Label
    {
        QLatin1StringView kind;
        const char *text = nullptr;
    };
    static const std::array labels {
        Label {QLatin1StringView("eviction"),
               QT_TRANSLATE_NOOP("spotkeeper::gui::NotificationsPage", "Eviction")},
        Label {QLatin1StringView("restarted"),
               QT_TRANSLATE_NOOP("spotkeeper::gui::NotificationsPage", "Restarted")},
        Label {QLatin1StringView("needs_operator"),
               QT_TRANSLATE_NOOP("spotkeeper::gui::NotificationsPage", "Needs an operator")},
        Label {QLatin1StringView("stopped"),
               QT_TRANSLATE_NOOP("spotkeeper::gui::NotificationsPage", "Stopped on purpose")},
        Label {QLatin1StringView("still_down"),
               QT_TRANSLATE_NOOP("spotkeeper::gui::NotificationsPage", "Still down")},
        Label {QLatin1StringView("agent_silent"),
               QT_TRANSLATE_NOOP("spotkeeper::gui::NotificationsPage", "Agent silent")},
        Label {QLatin1StringView("capacity"),
               QT_TRANSLATE_NOOP("spotkeeper::gui::NotificationsPage", "Capacity errors")},
    };
    for (const Label &label : labels)
        if (kind == label.kind)
            return NotificationsPage::tr(label.text);
    return kind;
}

bool sameChannel(const core::NotifyChannel &a, const core::NotifyChannel &b)
{
    const auto fields = [](const core::NotifyChannel &c) {
        return std::tie(c.name, c.type, c.url, c.events, c.subscriptions, c.tags, c.templateText,
                        c.subjectTemplate, c.from, c.to, c.username, c.requireStartTls);
    };
    return fields(a) == fields(b);
}

QStringList commaList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString item = part.trimmed(); !item.isEmpty())
            out << item;
    return out;
}

bool isLoopback(const QString &host)
{
    const QHostAddress address(host);
    return host == QLatin1StringView("localhost") || (!address.isNull() && address.isLoopback());
}

// https anywhere, plain http only to a loopback address (as spotkeeperd's [notify]).
QString urlProblem(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (text.isEmpty())
        return NotificationsPage::tr("Enter the receiver's URL.");
    if (!url.isValid() || url.host().isEmpty())
        return NotificationsPage::tr("The URL is not valid.");
    if (url.scheme() == QLatin1StringView("https"))
        return {};
    if (url.scheme() == QLatin1StringView("http") && isLoopback(url.host()))
        return {};
    return NotificationsPage::tr("The URL must start with https:// (plain http only to this "
                                 "computer, 127.0.0.1).");
}

} // namespace

NotificationsPage::NotificationsPage(const QList<core::NotifyChannel> &channels,
                                     core::SecretStore &secrets, FleetSource *source,
                                     QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
    , m_source(source)
    , m_initial(channels)
    , m_list(new QTreeWidget(this))
    , m_add(new QPushButton(tr("&Add channel"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_editor(new QWidget(this))
{
    for (const core::NotifyChannel &channel : channels)
        m_entries.append({channel, channel.name, channel.type, {}, true, {}, {}});

    m_list->setAccessibleName(tr("Notification channels"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels(
        {tr("Channel"), tr("Kind"), tr("Last delivery"), tr("Pending"), tr("Failed")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_add);
    listButtons->addWidget(m_remove);
    listButtons->addStretch();
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *intro = new QLabel(tr("Messages to operators about evictions, restarts and VMs that "
                                "need a person. Secrets are kept in the system keychain."),
                             left);
    intro->setWordWrap(true);
    leftLayout->addWidget(intro);
    leftLayout->addWidget(m_list);
    leftLayout->addLayout(listButtons);

    buildEditor(m_editor);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the form wraps instead
    scroll->setFrameShape(QFrame::NoFrame);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_add, &QPushButton::clicked, this, &NotificationsPage::addChannel);
    connect(m_remove, &QPushButton::clicked, this, &NotificationsPage::removeChannel);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] { showEntry(currentRow()); });
    for (int i = 0; i < m_entries.size(); ++i) {
        m_list->addTopLevelItem(new QTreeWidgetItem());
        updateRow(i);
    }
    if (!m_entries.isEmpty())
        m_list->setCurrentItem(m_list->topLevelItem(0));
    showEntry(currentRow());

    m_statusTimer.setInterval(kStatusRefreshMs);
    connect(&m_statusTimer, &QTimer::timeout, this, &NotificationsPage::refreshStatus);
    if (m_source != nullptr) {
        m_statusTimer.start();
        refreshStatus();
    }
}

NotificationsPage::~NotificationsPage() = default;

void NotificationsPage::buildEditor(QWidget *editor)
{
    m_form = new QFormLayout(editor);
    m_name = new QLineEdit(editor);
    m_name->setPlaceholderText(tr("e.g. ops-slack"));
    m_name->setToolTip(tr("Lower-case letters, digits, '-' and '_'; it names the channel in "
                          "/metrics and in the delivery status."));
    m_kind = new QComboBox(editor);
    for (const ChannelType type :
         {ChannelType::Webhook, ChannelType::Slack, ChannelType::Teams, ChannelType::Smtp})
        m_kind->addItem(kindLabel(type), int(type));
    m_url = new QLineEdit(editor);
    m_url->setPlaceholderText(QStringLiteral("https://hooks.example.com/spotkeeper"));
    m_secret = new QLineEdit(editor);
    m_secret->setEchoMode(QLineEdit::Password);
    m_secretHint = new QLabel(editor);
    m_secretHint->setWordWrap(true);
    m_smtpServer = new QLineEdit(editor);
    m_smtpServer->setPlaceholderText(QStringLiteral("smtp.example.com"));
    m_smtpPort = new QSpinBox(editor);
    m_smtpPort->setRange(1, 65535);
    m_smtpPort->setValue(587);
    m_smtpSecurity = new QComboBox(editor);
    m_smtpSecurity->addItem(tr("STARTTLS (port 587)"), QStringLiteral("smtp"));
    m_smtpSecurity->addItem(tr("TLS (port 465)"), QStringLiteral("smtps"));
    m_from = new QLineEdit(editor);
    m_from->setPlaceholderText(QStringLiteral("spotkeeper@example.com"));
    m_to = new QLineEdit(editor);
    m_to->setPlaceholderText(tr("ops@example.com, oncall@example.com"));
    m_user = new QLineEdit(editor);
    m_user->setPlaceholderText(tr("empty: no login"));
    m_events = new QListWidget(editor);
    m_events->setAccessibleName(tr("Event kinds"));
    for (const QString &kind : core::notificationKinds()) {
        auto *item = new QListWidgetItem(eventLabel(kind), m_events);
        item->setData(Qt::UserRole, kind);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    m_events->setMaximumHeight(m_events->sizeHintForRow(0) * 8);
    m_subscriptions = new QLineEdit(editor);
    m_subscriptions->setPlaceholderText(tr("all subscriptions"));
    m_tags = new QLineEdit(editor);
    m_tags->setPlaceholderText(tr("all VMs (e.g. team=web, critical)"));
    m_subject = new QLineEdit(editor);
    m_subject->setPlaceholderText(core::defaultSubject());
    m_template = new QPlainTextEdit(editor);
    m_template->setMaximumHeight(m_template->fontMetrics().lineSpacing() * 6);
    m_resetTemplate = new QPushButton(tr("Reset to &default"), editor);
    auto *placeholders =
        new QLabel(tr("Placeholders: {title} {text} {kind} {id} {at} {vm} {resource_id} "
                      "{subscription} {resource_group} {region} {size} {tags} {count} "
                      "{downtime} {reason} {error}"),
                   editor);
    placeholders->setWordWrap(true);
    placeholders->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(editor);
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Channel problem"));
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_lastDelivery = new QLabel(editor);
    m_lastError = new QLabel(editor);
    m_lastError->setWordWrap(true);
    m_counts = new QLabel(editor);
    m_test = new QPushButton(tr("Send &test notification"), editor);
    m_testResult = new QLabel(editor);
    m_testResult->setWordWrap(true);
    m_testResult->setAccessibleName(tr("Test result"));

    // Object names: for tests and accessibility tools.
    m_list->setObjectName(QStringLiteral("list"));
    m_add->setObjectName(QStringLiteral("add"));
    m_remove->setObjectName(QStringLiteral("remove"));
    m_name->setObjectName(QStringLiteral("name"));
    m_kind->setObjectName(QStringLiteral("kind"));
    m_url->setObjectName(QStringLiteral("url"));
    m_secret->setObjectName(QStringLiteral("secret"));
    m_smtpServer->setObjectName(QStringLiteral("smtpServer"));
    m_smtpPort->setObjectName(QStringLiteral("smtpPort"));
    m_smtpSecurity->setObjectName(QStringLiteral("smtpSecurity"));
    m_from->setObjectName(QStringLiteral("from"));
    m_to->setObjectName(QStringLiteral("to"));
    m_user->setObjectName(QStringLiteral("user"));
    m_events->setObjectName(QStringLiteral("events"));
    m_subscriptions->setObjectName(QStringLiteral("subscriptions"));
    m_tags->setObjectName(QStringLiteral("tags"));
    m_subject->setObjectName(QStringLiteral("subject"));
    m_template->setObjectName(QStringLiteral("template"));
    m_resetTemplate->setObjectName(QStringLiteral("resetTemplate"));
    m_error->setObjectName(QStringLiteral("error"));
    m_lastDelivery->setObjectName(QStringLiteral("lastDelivery"));
    m_lastError->setObjectName(QStringLiteral("lastError"));
    m_counts->setObjectName(QStringLiteral("counts"));
    m_test->setObjectName(QStringLiteral("test"));
    m_testResult->setObjectName(QStringLiteral("testResult"));

    m_form->addRow(tr("&Name:"), m_name);
    m_form->addRow(tr("&Kind:"), m_kind);
    m_form->addRow(tr("&URL:"), m_url);
    m_form->addRow(tr("SMTP &server:"), m_smtpServer);
    m_form->addRow(tr("P&ort:"), m_smtpPort);
    m_form->addRow(tr("Se&curity:"), m_smtpSecurity);
    m_form->addRow(tr("&From:"), m_from);
    m_form->addRow(tr("T&o:"), m_to);
    m_form->addRow(tr("&User name:"), m_user);
    m_form->addRow(tr("Secret:"), m_secret);
    m_form->addRow(QString(), m_secretHint);
    m_form->addRow(tr("&Events:"), m_events);
    m_form->addRow(QString(), new QLabel(tr("None checked: every kind."), editor));
    m_form->addRow(tr("Su&bscriptions:"), m_subscriptions);
    m_form->addRow(tr("T&ags:"), m_tags);
    m_form->addRow(tr("Su&bject:"), m_subject);
    auto *templateBox = new QWidget(editor);
    auto *templateLayout = new QVBoxLayout(templateBox);
    templateLayout->setContentsMargins(0, 0, 0, 0);
    templateLayout->addWidget(m_template);
    auto *templateButtons = new QHBoxLayout;
    templateButtons->addWidget(placeholders, 1);
    templateButtons->addWidget(m_resetTemplate, 0, Qt::AlignTop);
    templateLayout->addLayout(templateButtons);
    m_form->addRow(tr("&Message:"), templateBox);
    m_form->addRow(QString(), m_error);
    m_form->addRow(tr("Last delivery:"), m_lastDelivery);
    m_form->addRow(tr("Last error:"), m_lastError);
    m_form->addRow(tr("Outbox:"), m_counts);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);
    m_form->addRow(testRow);

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        // A template still at the old kind's default follows the kind.
        if (m_shown >= 0
            && m_template->toPlainText() == core::defaultTemplate(m_entries[m_shown].channel.type))
            m_template->clear();
        storeEntry();
        updateKindFields();
    });
    connect(m_smtpSecurity, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (!m_loading)
            m_smtpPort->setValue(index == 1 ? 465 : 587);
    });
    connect(m_resetTemplate, &QPushButton::clicked, this, &NotificationsPage::resetTemplate);
    connect(m_test, &QPushButton::clicked, this, &NotificationsPage::sendTest);
    const auto edited = [this] {
        if (!m_loading)
            storeEntry();
    };
    for (QLineEdit *edit : {m_name, m_url, m_secret, m_smtpServer, m_from, m_to, m_user,
                            m_subscriptions, m_tags, m_subject})
        connect(edit, &QLineEdit::textChanged, this, edited);
    connect(m_template, &QPlainTextEdit::textChanged, this, edited);
    connect(m_events, &QListWidget::itemChanged, this, edited);
    connect(m_smtpPort, &QSpinBox::valueChanged, this, edited);
    connect(m_smtpSecurity, &QComboBox::currentIndexChanged, this, edited);
}

int NotificationsPage::currentRow() const
{
    const int row =
        m_list->currentItem() != nullptr ? m_list->indexOfTopLevelItem(m_list->currentItem()) : -1;
    return row < m_entries.size() ? row : -1;
}

void NotificationsPage::showEntry(int row)
{
    m_shown = row;
    m_editor->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0);
    m_loading = true;
    const Entry entry = row >= 0 ? m_entries.at(row) : Entry {};
    const core::NotifyChannel &c = entry.channel;
    m_name->setText(c.name);
    // A saved channel keeps its name: its secret and its outbox rows are filed under it.
    m_name->setReadOnly(!entry.savedName.isEmpty());
    m_kind->setCurrentIndex(qMax(0, m_kind->findData(int(c.type))));
    m_secret->setText(QString::fromUtf8(entry.newSecret));
    const QUrl url(c.url);
    const bool mail = c.type == ChannelType::Smtp;
    m_url->setText(mail ? QString() : c.url);
    m_smtpServer->setText(mail ? url.host() : QString());
    m_smtpSecurity->setCurrentIndex(mail && url.scheme() == QLatin1StringView("smtps") ? 1 : 0);
    m_smtpPort->setValue(mail ? url.port(m_smtpSecurity->currentIndex() == 1 ? 465 : 587) : 587);
    m_from->setText(c.from);
    m_to->setText(c.to.join(QStringLiteral(", ")));
    m_user->setText(c.username);
    for (int i = 0; i < m_events->count(); ++i) {
        QListWidgetItem *item = m_events->item(i);
        item->setCheckState(c.events.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked
                                                                                   : Qt::Unchecked);
    }
    m_subscriptions->setText(c.subscriptions.join(QStringLiteral(", ")));
    m_tags->setText(c.tags.join(QStringLiteral(", ")));
    m_subject->setText(c.subjectTemplate);
    m_template->setPlainText(c.templateText);
    m_testResult->setText(entry.testResult);
    m_loading = false;
    updateKindFields();
    showStatus();
    m_error->setText(row >= 0 && !entry.channel.name.isEmpty() ? validateEntry(entry) : QString());
}

void NotificationsPage::updateKindFields()
{
    const auto type = ChannelType(m_kind->currentData().toInt());
    const bool mail = type == ChannelType::Smtp;
    const bool webhook = type == ChannelType::Webhook;
    m_form->setRowVisible(m_url, webhook);
    for (QWidget *field : std::initializer_list<QWidget *> {
             m_smtpServer, m_smtpPort, m_smtpSecurity, m_from, m_to, m_user, m_subject})
        m_form->setRowVisible(field, mail);
    const Entry *entry = m_shown >= 0 ? &m_entries[m_shown] : nullptr;
    const bool stored = entry != nullptr && entry->secretStored && entry->savedType == type;
    auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_secret));
    switch (type) {
    case ChannelType::Slack:
    case ChannelType::Teams:
        label->setText(tr("&Webhook URL:"));
        m_secret->setPlaceholderText(stored ? tr("unchanged") : tr("https://hooks…"));
        m_secretHint->setText(tr("The incoming-webhook URL is the credential: it is kept in the "
                                 "keychain, never in the settings file."));
        break;
    case ChannelType::Smtp:
        label->setText(tr("&Password:"));
        m_secret->setPlaceholderText(stored ? tr("unchanged") : tr("with a user name"));
        m_secretHint->setText(tr("Kept in the keychain."));
        break;
    case ChannelType::Webhook:
        label->setText(tr("Si&gning secret:"));
        m_secret->setPlaceholderText(stored ? tr("unchanged") : QStringLiteral("whsec_…"));
        m_secretHint->setText(tr("Standard Webhooks signing secret (whsec_ and base64), kept in "
                                 "the keychain. Create one with: printf 'whsec_%s\\n' "
                                 "\"$(head -c 32 /dev/urandom | base64)\""));
        break;
    }
    m_template->setPlaceholderText(core::defaultTemplate(type));
}

void NotificationsPage::storeEntry()
{
    if (m_shown < 0 || m_shown >= m_entries.size())
        return;
    Entry &entry = m_entries[m_shown];
    core::NotifyChannel &c = entry.channel;
    c.name = m_name->text().trimmed();
    c.type = ChannelType(m_kind->currentData().toInt());
    entry.newSecret = m_secret->text().toUtf8();
    if (c.type == ChannelType::Smtp) {
        QUrl url;
        url.setScheme(m_smtpSecurity->currentData().toString());
        url.setHost(m_smtpServer->text().trimmed());
        url.setPort(m_smtpPort->value());
        c.url = m_smtpServer->text().trimmed().isEmpty() ? QString() : url.toString();
        c.requireStartTls = true;
    } else {
        c.url = c.type == ChannelType::Webhook ? m_url->text().trimmed() : QString();
    }
    c.from = m_from->text().trimmed();
    c.to = commaList(m_to->text());
    c.username = m_user->text().trimmed();
    c.events.clear();
    for (int i = 0; i < m_events->count(); ++i)
        if (m_events->item(i)->checkState() == Qt::Checked)
            c.events << m_events->item(i)->data(Qt::UserRole).toString();
    c.subscriptions = commaList(m_subscriptions->text());
    c.tags = commaList(m_tags->text());
    c.subjectTemplate = c.type == ChannelType::Smtp ? m_subject->text().trimmed() : QString();
    c.templateText = m_template->toPlainText();
    if (c.templateText == core::defaultTemplate(c.type))
        c.templateText.clear(); // the default follows later changes of the default
    updateRow(m_shown);
    m_error->setText(validateEntry(entry));
}

void NotificationsPage::updateRow(int row)
{
    QTreeWidgetItem *item = m_list->topLevelItem(row);
    if (item == nullptr)
        return;
    const Entry &entry = m_entries.at(row);
    item->setText(ColName, entry.channel.name.isEmpty() ? tr("(new channel)") : entry.channel.name);
    item->setText(ColKind, kindLabel(entry.channel.type));
    const bool running = !entry.status.name.isEmpty();
    item->setText(
        ColLastDelivery,
        entry.status.lastSuccess.isValid()
            ? QLocale().toString(entry.status.lastSuccess.toLocalTime(), QLocale::ShortFormat)
            : (running ? tr("never") : QStringLiteral("–")));
    item->setText(ColPending, running ? QString::number(entry.status.pending) : QString());
    item->setText(ColFailed, running ? QString::number(entry.status.failed) : QString());
    item->setToolTip(ColName, entry.status.lastError);
    item->setForeground(ColFailed,
                        entry.status.failed > 0 || !entry.status.lastError.isEmpty()
                            ? QBrush(QColor(0xc6, 0x28, 0x28))
                            : QBrush());
}

void NotificationsPage::showStatus()
{
    const Entry *entry = m_shown >= 0 ? &m_entries.at(m_shown) : nullptr;
    const bool running = entry != nullptr && !entry->status.name.isEmpty();
    if (!running) {
        m_lastDelivery->setText(entry != nullptr && entry->savedName.isEmpty()
                                    ? tr("not running yet: the channel starts when you press OK")
                                    : tr("not running"));
        m_lastError->clear();
        m_counts->clear();
    } else {
        const core::ChannelStatus &s = entry->status;
        m_lastDelivery->setText(s.lastSuccess.isValid() ? QLocale().toString(
                                    s.lastSuccess.toLocalTime(), QLocale::LongFormat)
                                                        : tr("none since the start"));
        m_lastError->setText(s.lastError.isEmpty() ? tr("none") : s.lastError);
        m_counts->setText(tr("%1 pending, %2 delivered, %3 failed")
                              .arg(s.pending)
                              .arg(s.delivered)
                              .arg(s.failed));
    }
    if (m_source == nullptr) {
        m_test->setEnabled(false);
        m_test->setToolTip(tr("No engine to send from."));
    } else {
        const QString reason = m_source->notifyTestUnavailableReason();
        m_test->setEnabled(reason.isEmpty());
        m_test->setToolTip(reason);
    }
}

void NotificationsPage::refreshStatus()
{
    if (m_source == nullptr)
        return;
    QPointer<NotificationsPage> self(this);
    m_source->notifyStatus([self](const QList<core::ChannelStatus> &channels, const QString &) {
        if (!self.isNull())
            self->showStatuses(channels);
    });
}

void NotificationsPage::showStatuses(const QList<core::ChannelStatus> &channels)
{
    for (int i = 0; i < m_entries.size(); ++i) {
        Entry &entry = m_entries[i];
        entry.status = {};
        for (const core::ChannelStatus &status : channels)
            if (!entry.savedName.isEmpty() && status.name == entry.savedName)
                entry.status = status;
        updateRow(i);
    }
    // The server's channels this dashboard does not configure (attached to spotkeeperd): their
    // status, read-only, below the dashboard's own.
    while (m_list->topLevelItemCount() > m_entries.size())
        delete m_list->takeTopLevelItem(m_list->topLevelItemCount() - 1);
    for (const core::ChannelStatus &status : channels) {
        const bool own =
            std::any_of(m_entries.cbegin(), m_entries.cend(),
                        [&status](const Entry &e) { return e.savedName == status.name; });
        if (own)
            continue;
        auto *item = new QTreeWidgetItem(m_list);
        item->setFlags(Qt::NoItemFlags);
        item->setText(ColName, status.name);
        item->setText(ColKind, kindLabel(status.type));
        item->setText(ColLastDelivery,
                      status.lastSuccess.isValid() ? QLocale().toString(
                          status.lastSuccess.toLocalTime(), QLocale::ShortFormat)
                                                   : tr("never"));
        item->setText(ColPending, QString::number(status.pending));
        item->setText(ColFailed, QString::number(status.failed));
        item->setToolTip(ColName,
                         status.lastError.isEmpty() ? tr("Configured on the server")
                                                    : status.lastError);
    }
    showStatus();
}

void NotificationsPage::resetTemplate()
{
    if (m_shown < 0)
        return;
    m_template->setPlainText(core::defaultTemplate(ChannelType(m_kind->currentData().toInt())));
    if (m_kind->currentData().toInt() == int(ChannelType::Smtp))
        m_subject->clear();
}

QString NotificationsPage::validateEntry(const Entry &entry) const
{
    const core::NotifyChannel &c = entry.channel;
    static const QRegularExpression namePattern(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,63}$"));
    if (c.name.isEmpty())
        return tr("Enter a name for the channel.");
    if (!namePattern.match(c.name).hasMatch())
        return tr("The name %1 may hold only lower-case letters, digits, '-' and '_' (at most "
                  "64).")
            .arg(c.name);
    const auto sameName = std::count_if(m_entries.cbegin(), m_entries.cend(),
                                        [&c](const Entry &e) { return e.channel.name == c.name; });
    if (sameName > 1)
        return tr("There is already a channel named %1.").arg(c.name);
    if (QString problem = c.type == ChannelType::Smtp ? mailProblem(entry) : hookProblem(entry);
        !problem.isEmpty())
        return problem;
    for (const QString &tag : c.tags)
        if (tag.startsWith(QLatin1Char('=')))
            return tr("A tag is name or name=value.");
    return {};
}

bool NotificationsPage::secretKnown(const Entry &entry)
{
    return !entry.newSecret.isEmpty()
        || (entry.secretStored && entry.savedType == entry.channel.type
            && entry.savedName == entry.channel.name);
}

QString NotificationsPage::hookProblem(const Entry &entry)
{
    const core::NotifyChannel &c = entry.channel;
    if (c.type == ChannelType::Webhook) {
        if (QString problem = urlProblem(c.url); !problem.isEmpty())
            return problem;
        if (!secretKnown(entry))
            return tr("Enter the webhook's signing secret (whsec_…).");
        QString problem;
        if (!entry.newSecret.isEmpty())
            channelSecrets(c.type, entry.newSecret, &problem);
        return problem;
    }
    if (!secretKnown(entry))
        return tr("Enter the incoming-webhook URL.");
    // The message never quotes the URL: it is the credential.
    return entry.newSecret.isEmpty() ? QString()
                                     : urlProblem(QString::fromUtf8(entry.newSecret.trimmed()));
}

QString NotificationsPage::mailProblem(const Entry &entry)
{
    const core::NotifyChannel &c = entry.channel;
    if (c.url.isEmpty())
        return tr("Enter the SMTP server.");
    if (c.from.isEmpty() || !core::isMailAddress(c.from))
        return tr("The sender %1 is not an e-mail address (name@example.com).")
            .arg(c.from.isEmpty() ? tr("(empty)") : c.from);
    if (c.to.isEmpty())
        return tr("Enter one or more recipients.");
    for (const QString &to : c.to)
        if (!core::isMailAddress(to))
            return tr("The recipient %1 is not an e-mail address (name@example.com).").arg(to);
    if (!c.username.isEmpty() && !secretKnown(entry))
        return tr("Enter the password for %1.").arg(c.username);
    return {};
}

void NotificationsPage::addChannel()
{
    storeEntry();
    Entry entry;
    entry.channel.type = ChannelType::Webhook;
    m_entries.append(entry);
    auto *item = new QTreeWidgetItem();
    m_list->insertTopLevelItem(int(m_entries.size() - 1), item); // above the server's rows
    updateRow(int(m_entries.size() - 1));
    m_list->setCurrentItem(item);
    m_name->setFocus();
}

void NotificationsPage::removeChannel()
{
    const int row = currentRow();
    if (row < 0)
        return;
    const Entry entry = m_entries.takeAt(row);
    if (!entry.savedName.isEmpty())
        m_removed.append(entry);
    m_shown = -1;
    delete m_list->takeTopLevelItem(row);
    showEntry(currentRow());
}

QList<core::NotifyChannel> NotificationsPage::channels()
{
    storeEntry();
    QList<core::NotifyChannel> out;
    for (const Entry &entry : std::as_const(m_entries))
        out.append(entry.channel);
    return out;
}

QString NotificationsPage::validate()
{
    storeEntry();
    for (int i = 0; i < m_entries.size(); ++i) {
        if (const QString problem = validateEntry(m_entries.at(i)); !problem.isEmpty()) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            m_error->setText(problem);
            return tr("Notification channel %1: %2")
                .arg(m_entries.at(i).channel.name.isEmpty() ? tr("(new channel)")
                                                            : m_entries.at(i).channel.name,
                     problem);
        }
    }
    return {};
}

bool NotificationsPage::apply()
{
    const QList<core::NotifyChannel> now = channels();
    bool changed = !m_removed.isEmpty();
    const auto ignore = [](bool, const QString &) {
    };
    for (const Entry &gone : std::as_const(m_removed))
        m_secrets.deleteSecret(DashboardSettings::notifySecretKey(gone.savedName, gone.savedType),
                               ignore);
    m_removed.clear();
    for (Entry &entry : m_entries) {
        const bool moved = !entry.savedName.isEmpty()
            && (entry.savedName != entry.channel.name || entry.savedType != entry.channel.type);
        if (moved) {
            m_secrets.deleteSecret(
                DashboardSettings::notifySecretKey(entry.savedName, entry.savedType), ignore);
            entry.secretStored = false;
        }
        if (!entry.newSecret.isEmpty()) {
            m_secrets.writeSecret(
                DashboardSettings::notifySecretKey(entry.channel.name, entry.channel.type),
                entry.newSecret.trimmed(), ignore);
            entry.secretStored = true;
            entry.newSecret.clear();
            changed = true;
        }
        entry.savedName = entry.channel.name;
        entry.savedType = entry.channel.type;
    }
    m_secret->clear();
    if (!std::equal(now.cbegin(), now.cend(), m_initial.cbegin(), m_initial.cend(), sameChannel))
        changed = true;
    m_initial = now;
    return changed;
}

void NotificationsPage::sendTest()
{
    storeEntry();
    const int row = m_shown;
    if (row < 0 || m_source == nullptr)
        return;
    const Entry entry = m_entries.at(row);
    if (const QString problem = validateEntry(entry); !problem.isEmpty()) {
        m_testResult->setText(problem);
        return;
    }
    m_test->setEnabled(false);
    m_entries[row].testResult = tr("Sending…");
    m_testResult->setText(m_entries[row].testResult);
    const bool needsSecret =
        entry.channel.type != ChannelType::Smtp || !entry.channel.username.isEmpty();
    if (!entry.newSecret.isEmpty() || !needsSecret) {
        sendTestWith(entry.channel, entry.newSecret);
        return;
    }
    // The stored secret: the keychain may answer later (it may ask to be unlocked).
    QPointer<NotificationsPage> self(this);
    m_secrets.readSecret(
        DashboardSettings::notifySecretKey(entry.savedName, entry.savedType),
        [self, channel = entry.channel](bool ok, const QByteArray &secret, const QString &error) {
            if (self.isNull())
                return;
            if (!ok || secret.isEmpty())
                self->finishTest(channel.name, 0,
                                 error.isEmpty() ? tr("The secret is not in the keychain.")
                                                 : error);
            else
                self->sendTestWith(channel, secret);
        });
}

void NotificationsPage::sendTestWith(const core::NotifyChannel &channel, const QByteArray &secret)
{
    QString problem;
    const core::ChannelSecrets secrets =
        secret.isEmpty() ? core::ChannelSecrets {} : channelSecrets(channel.type, secret, &problem);
    if (!problem.isEmpty()) {
        finishTest(channel.name, 0, problem);
        return;
    }
    QPointer<NotificationsPage> self(this);
    m_source->sendTestNotification(channel, secrets,
                                   [self, name = channel.name](int status, const QString &error) {
                                       if (!self.isNull())
                                           self->finishTest(name, status, error);
                                   });
}

void NotificationsPage::finishTest(const QString &channel, int status, const QString &error)
{
    QString text;
    if (error.isEmpty())
        text = status > 0 ? tr("Delivered (status %1).").arg(status) : tr("Delivered.");
    else
        text = tr("Not delivered: %1").arg(error);
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).channel.name != channel)
            continue;
        m_entries[i].testResult = text;
        if (i == m_shown)
            m_testResult->setText(text);
    }
    showStatus();
    Q_EMIT testFinished(channel, status, error);
}

} // namespace spotkeeper::gui
