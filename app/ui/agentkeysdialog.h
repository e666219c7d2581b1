// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/fleetsource.h"

#include <QDialog>

#include <functional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace spotkeeper::gui {

// The agent keys panel (Actions → Agent keys): every key of the FleetSource with its VM,
// creation time, overlap end and state — never a secret. Rotate shows the new secret once
// (with the end of the overlap during which the old one still works); Revoke asks first,
// naming the VM. The source audits both. Buttons are disabled, with the reason as their
// tooltip, when the source cannot manage keys or the selected key does not allow it.
class AgentKeysDialog final : public QDialog
{
    Q_OBJECT
public:
    AgentKeysDialog(FleetSource &source, const QString &actor, QWidget *parent = nullptr);
    ~AgentKeysDialog() override;
    Q_DISABLE_COPY_MOVE(AgentKeysDialog)

    // Test hooks: answer the revocation question and receive the rotated key without a
    // modal dialog.
    void setConfirmer(std::function<bool(const QString &text)> confirmer);
    void setSecretPresenter(std::function<void(const KeyActionResult &)> presenter);

    // Asks the source for the keys; the list shows them when they arrive (keysShown).
    void reload();
    bool selectKey(const QString &keyId);
    void rotateSelected();
    void revokeSelected();
    QTreeWidget *keyList() const { return m_list; }
    QPushButton *rotateButton() const { return m_rotate; }
    QPushButton *revokeButton() const { return m_revoke; }

    static QString stateText(AgentKeyInfo::State state);
    // The one line of the agent's key file: "<keyId> whsec_<base64>".
    static QString keyLine(const KeyActionResult &rotated);

Q_SIGNALS:
    void keysShown(); // the list shows the source's latest answer

private:
    void showKeys(const QList<AgentKeyInfo> &keys, const QString &problem);
    void updateButtons();
    QString vmName(const QString &resourceKey) const;
    void showRotated(const KeyActionResult &rotated);

    FleetSource &m_source;
    QString m_actor;
    QList<AgentKeyInfo> m_keys;
    std::function<bool(const QString &)> m_confirmer;
    std::function<void(const KeyActionResult &)> m_presenter;
    QTreeWidget *m_list = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_rotate = nullptr;
    QPushButton *m_revoke = nullptr;
};

} // namespace spotkeeper::gui
