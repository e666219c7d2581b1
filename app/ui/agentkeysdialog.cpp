// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/agentkeysdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace spotkeeper::gui {

namespace {
enum Column { KeyIdColumn, VmColumn, CreatedColumn, OverlapColumn, StateColumn, ColumnCount };
constexpr int kIndexRole = Qt::UserRole + 1;

QString utc(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")) : QString();
}
} // namespace

AgentKeysDialog::AgentKeysDialog(FleetSource &source, const QString &actor, QWidget *parent)
    : QDialog(parent)
    , m_source(source)
    , m_actor(actor)
{
    setWindowTitle(tr("Agent keys"));
    m_list = new QTreeWidget(this);
    m_list->setRootIsDecorated(false);
    m_list->setAllColumnsShowFocus(true);
    m_list->setSortingEnabled(true);
    m_list->setAccessibleName(tr("Agent keys"));
    m_list->setHeaderLabels(
        {tr("Key ID"), tr("VM"), tr("Created"), tr("Previous secret valid until"), tr("State")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_rotate = buttons->addButton(tr("R&otate…"), QDialogButtonBox::ActionRole);
    m_revoke = buttons->addButton(tr("Re&voke…"), QDialogButtonBox::ActionRole);
    QPushButton *refresh = buttons->addButton(tr("Re&fresh"), QDialogButtonBox::ActionRole);
    m_rotate->setObjectName(QStringLiteral("rotateKey"));
    m_revoke->setObjectName(QStringLiteral("revokeKey"));
    connect(m_rotate, &QPushButton::clicked, this, &AgentKeysDialog::rotateSelected);
    connect(m_revoke, &QPushButton::clicked, this, &AgentKeysDialog::revokeSelected);
    connect(refresh, &QPushButton::clicked, this, &AgentKeysDialog::reload);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &AgentKeysDialog::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_problem);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(860, 380);
    reload();
}

AgentKeysDialog::~AgentKeysDialog() = default;

void AgentKeysDialog::setConfirmer(std::function<bool(const QString &)> confirmer)
{
    m_confirmer = std::move(confirmer);
}

void AgentKeysDialog::setSecretPresenter(std::function<void(const KeyActionResult &)> presenter)
{
    m_presenter = std::move(presenter);
}

QString AgentKeysDialog::stateText(AgentKeyInfo::State state)
{
    switch (state) {
    case AgentKeyInfo::State::Active:
        return tr("Active");
    case AgentKeyInfo::State::Overlap:
        return tr("Rotated (old secret still valid)");
    case AgentKeyInfo::State::Revoked:
        return tr("Revoked");
    case AgentKeyInfo::State::Expired:
        return tr("Expired");
    }
    return {};
}

QString AgentKeysDialog::keyLine(const KeyActionResult &rotated)
{
    return rotated.keyId + QStringLiteral(" whsec_")
        + QString::fromLatin1(rotated.secret.toBase64());
}

QString AgentKeysDialog::vmName(const QString &resourceKey) const
{
    const QList<core::VmRecord> vms = m_source.vms();
    for (const core::VmRecord &vm : vms) {
        if (vm.resourceKey == resourceKey)
            return vm.name;
    }
    return resourceKey.section(QLatin1Char('/'), -1); // not in the fleet: the name part
}

void AgentKeysDialog::reload()
{
    const QString unavailable = m_source.keyManagementUnavailableReason();
    if (!unavailable.isEmpty()) {
        showKeys({}, unavailable);
        return;
    }
    m_source.listAgentKeys([dialog = QPointer<AgentKeysDialog>(this)](
                               const QList<AgentKeyInfo> &keys, const QString &error) {
        if (dialog)
            dialog->showKeys(keys, error);
    });
}

void AgentKeysDialog::showKeys(const QList<AgentKeyInfo> &keys, const QString &problem)
{
    const QString selected =
        m_list->currentItem() ? m_list->currentItem()->text(KeyIdColumn) : QString();
    m_list->clear();
    m_keys = keys;
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    for (qsizetype i = 0; i < m_keys.size(); ++i) {
        const AgentKeyInfo &key = m_keys.at(i);
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(KeyIdColumn, key.keyId);
        item->setText(VmColumn, vmName(key.vmResourceKey));
        item->setToolTip(VmColumn, key.vmResourceKey);
        item->setText(CreatedColumn, utc(key.createdAt));
        item->setText(OverlapColumn, utc(key.overlapEndsAt));
        item->setText(StateColumn, stateText(key.state));
        if (key.revokedAt.isValid())
            item->setToolTip(StateColumn, tr("Revoked at %1").arg(utc(key.revokedAt)));
        item->setData(KeyIdColumn, kIndexRole, int(i));
    }
    m_list->sortByColumn(CreatedColumn, Qt::DescendingOrder);
    if (!selected.isEmpty())
        selectKey(selected);
    updateButtons();
    Q_EMIT keysShown();
}

bool AgentKeysDialog::selectKey(const QString &keyId)
{
    const QList<QTreeWidgetItem *> found = m_list->findItems(keyId, Qt::MatchExactly, KeyIdColumn);
    if (found.isEmpty())
        return false;
    m_list->setCurrentItem(found.constFirst());
    return true;
}

void AgentKeysDialog::updateButtons()
{
    const QString unavailable = m_source.keyManagementUnavailableReason();
    const QTreeWidgetItem *item = m_list->currentItem();
    const AgentKeyInfo *key =
        item ? &m_keys.at(item->data(KeyIdColumn, kIndexRole).toInt()) : nullptr;
    QString reason = unavailable;
    if (reason.isEmpty() && !key)
        reason = tr("Select a key first.");
    if (reason.isEmpty() && key->state == AgentKeyInfo::State::Revoked)
        reason = tr("This key is revoked: enroll the agent again for a new key.");
    m_rotate->setEnabled(reason.isEmpty());
    m_revoke->setEnabled(reason.isEmpty());
    m_rotate->setToolTip(reason.isEmpty() ? tr("Issue a new secret; the current one stays valid "
                                               "for the overlap period")
                                          : reason);
    m_revoke->setToolTip(reason.isEmpty() ? tr("Stop accepting this key at once") : reason);
}

void AgentKeysDialog::rotateSelected()
{
    const QTreeWidgetItem *item = m_list->currentItem();
    if (!item || !m_rotate->isEnabled())
        return;
    m_source.rotateAgentKey(
        item->text(KeyIdColumn), m_actor,
        [dialog = QPointer<AgentKeysDialog>(this)](const KeyActionResult &result) {
            if (!dialog)
                return; // the new secret is never shown: the operator closed the panel
            dialog->reload();
            if (!result.ok)
                QMessageBox::warning(dialog, tr("Rotate agent key"), result.error);
            else if (dialog->m_presenter)
                dialog->m_presenter(result);
            else
                dialog->showRotated(result);
        });
}

void AgentKeysDialog::revokeSelected()
{
    const QTreeWidgetItem *item = m_list->currentItem();
    if (!item || !m_revoke->isEnabled())
        return;
    const AgentKeyInfo key = m_keys.at(item->data(KeyIdColumn, kIndexRole).toInt());
    const QString question =
        tr("Revoke key %1 of VM %2? Its agent's notices are rejected from now on, until the "
           "agent is enrolled again.")
            .arg(key.keyId, vmName(key.vmResourceKey));
    const bool yes = m_confirmer
        ? m_confirmer(question)
        : QMessageBox::question(this, tr("Revoke agent key"), question) == QMessageBox::Yes;
    if (!yes)
        return;
    m_source.revokeAgentKey(
        key.keyId, m_actor,
        [dialog = QPointer<AgentKeysDialog>(this)](const KeyActionResult &result) {
            if (!dialog)
                return;
            dialog->reload();
            if (!result.ok)
                QMessageBox::warning(dialog, tr("Revoke agent key"), result.error);
        });
}

void AgentKeysDialog::showRotated(const KeyActionResult &rotated)
{
    // Like the enrollment dialog: the secret exists only in this dialog's memory.
    auto *dialog = new QDialog(this); // not exec(): this runs in the source's answer
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Rotated agent key %1").arg(rotated.keyId));
    auto *intro = new QLabel(
        tr("A new secret was issued for key <b>%1</b> (VM %2). It is shown only now. Replace "
           "the agent's key file (<code>/etc/spotkeeper-agent/agent.key</code> or "
           "<code>%ProgramData%\\SpotKeeper\\agent.key</code>) with this line and restart the "
           "agent. The previous secret stays valid until %3; after that the agent must use the "
           "new one.")
            .arg(rotated.keyId.toHtmlEscaped(), vmName(rotated.vmResourceKey).toHtmlEscaped(),
                 utc(rotated.overlapEndsAt)),
        dialog);
    intro->setWordWrap(true);
    auto *line = new QLineEdit(keyLine(rotated), dialog);
    line->setReadOnly(true);
    line->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    line->setAccessibleName(tr("New agent key line"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QPushButton *copy = buttons->addButton(tr("&Copy key line"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, line,
            [line] { QApplication::clipboard()->setText(line->text()); });
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(intro);
    layout->addWidget(line);
    layout->addWidget(buttons);
    dialog->resize(640, 220);
    dialog->open();
}

} // namespace spotkeeper::gui
