// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/fleettypes.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QTimer>

namespace spotkeeper::gui {

class FleetSource;

struct Notification
{
    enum class Kind { Evicted, Recovered, StillDown, AgentSilent, AppUnhealthy };
    Kind kind = Kind::Evicted;
    QString region; // the group key: VMs of one kind and region become one message
    QList<qint64> vmIds;
    QStringList vmNames;
    QDateTime at;
    QString title() const; // "5 VMs evicted in eastus"
    QString body() const; // the VM names, shortened
};

// Turns fleet events into grouped operator notifications: evictions (Eviction events),
// "still down" alerts (Alert events) and recoveries (a VM seen evicted whose job ended
// with the VM running). Events are collected for a short window and then announced as one
// notification per kind and region. Snoozed VMs and resource groups are left out until
// the snooze ends. The list of past notifications is a model, the in-app fallback when
// there is no system tray.
class NotificationCenter final : public QAbstractListModel
{
    Q_OBJECT
public:
    NotificationCenter(FleetSource &source, const base::Clock &clock, QObject *parent = nullptr);
    ~NotificationCenter() override;
    Q_DISABLE_COPY_MOVE(NotificationCenter)

    void setGroupingWindow(int msecs) { m_flushTimer.setInterval(msecs); }
    void snoozeVm(qint64 vmId, const QDateTime &until);
    void snoozeResourceGroup(const QString &resourceGroup, const QDateTime &until);
    bool isSnoozed(const core::VmRecord &vm) const;

    void add(Notification::Kind kind, const core::VmRecord &vm);
    void flush(); // announces what was collected (the window timer calls it)
    const QList<Notification> &history() const { return m_history; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void notify(const spotkeeper::gui::Notification &notification);

private:
    void handleEvent(const core::EventRecord &event);
    void handleJobChanged(qint64 vmId);

    FleetSource &m_source;
    const base::Clock &m_clock;
    QTimer m_flushTimer;
    QList<Notification> m_pending;
    QList<Notification> m_history; // newest first, bounded
    QSet<qint64> m_down; // VMs evicted and not yet recovered
    QHash<qint64, QDateTime> m_vmSnooze;
    QHash<QString, QDateTime> m_groupSnooze; // lower-cased resource group
};

} // namespace spotkeeper::gui
