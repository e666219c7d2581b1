// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/eventsmodel.h"

#include "models/fleetsource.h"

#include <QScopedValueRollback>

#include <limits>

namespace spotkeeper::gui {

EventsModel::EventsModel(FleetSource &source, QObject *parent)
    : QAbstractTableModel(parent)
    , m_source(source)
{
    connect(&source, &FleetSource::eventAppended, this, &EventsModel::handleEvent);
}

EventsModel::~EventsModel() = default;

void EventsModel::setFilter(qint64 vmId, const QDateTime &from, const QDateTime &to,
                            const QList<core::EventKind> &kinds)
{
    beginResetModel();
    m_filter = core::EventFilter {};
    m_filter.vmId = vmId;
    m_filter.from = from;
    m_filter.to = to;
    m_filter.kinds = kinds;
    m_rows.clear();
    m_exhausted = true; // no fetchMore() from handlers of the reset signals themselves
    endResetModel();
    m_exhausted = false;
}

const core::EventRecord *EventsModel::eventAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool EventsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_exhausted && !m_fetching;
}

void EventsModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_exhausted || m_fetching)
        return;
    const QScopedValueRollback<bool> guard(m_fetching, true);
    core::EventFilter page = m_filter;
    page.limit = m_pageSize;
    // Newest first: descending ids below the oldest row we have.
    page.beforeId = m_rows.isEmpty() ? std::numeric_limits<qint64>::max() : m_rows.constLast().id;
    const QList<core::EventRecord> rows = m_source.events(page);
    if (rows.size() < m_pageSize)
        m_exhausted = true;
    if (rows.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.append(rows);
    endInsertRows();
}

bool EventsModel::matches(const core::EventRecord &event) const
{
    if (m_filter.vmId != 0 && event.vmId != m_filter.vmId)
        return false;
    if (!m_filter.kinds.isEmpty() && !m_filter.kinds.contains(event.kind))
        return false;
    if (m_filter.from.isValid() && event.at < m_filter.from)
        return false;
    return !m_filter.to.isValid() || event.at < m_filter.to;
}

void EventsModel::handleEvent(const core::EventRecord &event)
{
    if (!matches(event) || (!m_rows.isEmpty() && event.id <= m_rows.constFirst().id))
        return;
    if (m_rows.isEmpty() && !m_exhausted)
        return; // not loaded yet: the first fetchMore() will read it
    beginInsertRows({}, 0, 0);
    m_rows.prepend(event);
    endInsertRows();
}

QString EventsModel::kindText(core::EventKind kind)
{
    using core::EventKind;
    switch (kind) {
    case EventKind::Notice:
        return tr("Notice");
    case EventKind::Heartbeat:
        return tr("Agent");
    case EventKind::Eviction:
        return tr("Eviction");
    case EventKind::RestartAttempt:
        return tr("Restart attempt");
    case EventKind::PowerChange:
        return tr("Power change");
    case EventKind::JobTransition:
        return tr("Job");
    case EventKind::Alert:
        return tr("Alert");
    }
    return {};
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time (UTC)");
    case Kind:
        return tr("Kind");
    case Source:
        return tr("Source");
    case Detail:
        return tr("Type / status");
    case HttpStatus:
        return tr("HTTP");
    case ArmError:
        return tr("ARM error");
    case CorrelationId:
        return tr("Correlation id");
    case Message:
        return tr("Message");
    default:
        return {};
    }
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const core::EventRecord &e = m_rows.at(index.row());
    if (role == EventIdRole)
        return e.id;
    if (role == KindRole)
        return static_cast<int>(e.kind);
    if (role == Qt::ToolTipRole && index.column() == Message)
        return e.evidence.isEmpty() ? e.message : e.message + QLatin1Char('\n') + e.evidence;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Time:
        if (role == SortRole)
            return e.at;
        return e.at.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Kind:
        return kindText(e.kind);
    case Source:
        return e.source;
    case Detail:
        return e.eventStatus.isEmpty()
            ? e.eventType
            : QString(e.eventType + QLatin1StringView(" / ") + e.eventStatus);
    case HttpStatus:
        return e.httpStatus != 0 ? QVariant(e.httpStatus) : QVariant();
    case ArmError:
        return e.armErrorCode;
    case CorrelationId:
        return e.correlationId;
    case Message:
        return e.message;
    default:
        return {};
    }
}

} // namespace spotkeeper::gui
