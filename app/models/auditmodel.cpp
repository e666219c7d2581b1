// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/auditmodel.h"

#include "models/fleetsource.h"

#include <algorithm>

namespace spotkeeper::gui {

AuditModel::AuditModel(FleetSource &source, QObject *parent)
    : QAbstractTableModel(parent)
    , m_source(source)
{
    connect(&source, &FleetSource::auditAppended, this, &AuditModel::reload);
}

AuditModel::~AuditModel() = default;

void AuditModel::setRange(const QDateTime &from, const QDateTime &to)
{
    m_from = from;
    m_to = to;
    reload();
}

void AuditModel::reload()
{
    beginResetModel();
    m_rows = m_source.audit(m_from, m_to, m_limit);
    // Newest first whatever order the source answers in.
    std::stable_sort(m_rows.begin(), m_rows.end(),
                     [](const core::AuditRecord &a, const core::AuditRecord &b) {
                         return a.at != b.at ? a.at > b.at : a.id > b.id;
                     });
    endResetModel();
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AuditModel::actionText(const QString &action)
{
    static const struct
    {
        const char *action;
        const char *text;
    } kTexts[] = {
        {"force_restart", QT_TR_NOOP("Force restart")},
        {"pause", QT_TR_NOOP("Pause auto-restart")},
        {"resume", QT_TR_NOOP("Resume auto-restart")},
        {"cancel", QT_TR_NOOP("Cancel job")},
        {"add_vm", QT_TR_NOOP("Add VM")},
        {"key_generate", QT_TR_NOOP("Enroll agent")},
        {"export", QT_TR_NOOP("Export")},
    };
    for (const auto &entry : kTexts) {
        if (action == QLatin1StringView(entry.action))
            return tr(entry.text);
    }
    return action;
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time (UTC)");
    case Actor:
        return tr("Actor");
    case Action:
        return tr("Action");
    case Target:
        return tr("Target");
    case Detail:
        return tr("Detail");
    default:
        return {};
    }
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::AuditRecord &a = m_rows.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Action)
        return a.action;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return a.at.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Actor:
        return a.actor;
    case Action:
        return actionText(a.action);
    case Target:
        return a.target;
    case Detail:
        return a.detail;
    default:
        return {};
    }
}

} // namespace spotkeeper::gui
