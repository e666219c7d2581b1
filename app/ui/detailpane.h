// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace spotkeeper::gui {

class EventsModel;
class FleetSource;

// The selected VM: its cloud and resource id (ARM id, projects/P/zones/Z/instances/NAME or the
// instance ARN), identity, agent, active job, its timeline (notices, evictions, restart
// attempts with HTTP status, the cloud's error code and correlation id), "Copy resource ID"
// and "Open in" the cloud's console (Azure portal, Google Cloud console, AWS console). A
// capacity fallback change selected in the timeline can be undone (docs/DASHBOARD.md).
class DetailPane final : public QWidget
{
    Q_OBJECT
public:
    explicit DetailPane(FleetSource &source, QWidget *parent = nullptr);
    ~DetailPane() override;
    Q_DISABLE_COPY_MOVE(DetailPane)

    void showVm(qint64 vmId);
    void refresh(); // re-reads the shown VM (after a change signal)
    qint64 vmId() const { return m_vmId; }
    EventsModel *timeline() const { return m_timeline; }
    EventsModel *attempts() const { return m_attempts; }
    // The VM's page in its cloud's console; empty when the id is of no known form.
    static QString portalUrl(const QString &resourceId);
    // "Application: healthy since ... (http probe, 12 ms)", or empty without a probe.
    static QString applicationText(const core::VmRecord &vm);
    // The audit row a timeline event lets the operator undo (a capacity fallback change that
    // was applied), 0 when it is none.
    static qint64 undoableAuditId(const core::EventRecord &event);
    QPushButton *undoButton() const { return m_undo; }
    QTableView *timelineView() const { return m_timelineView; }

private:
    void updateUndo(); // the Undo button follows the timeline's current row
    void undoSelected();

    FleetSource &m_source;
    qint64 m_vmId = 0;
    QString m_resourceId;
    QLabel *m_title = nullptr;
    QLabel *m_cloud = nullptr; // "Google Cloud · projects/P/zones/Z/instances/NAME"
    QLabel *m_facts = nullptr;
    QLabel *m_agent = nullptr;
    QLabel *m_job = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_portal = nullptr;
    EventsModel *m_timeline = nullptr;
    EventsModel *m_attempts = nullptr;
    QTableView *m_timelineView = nullptr;
    QPushButton *m_undo = nullptr; // undoes the selected capacity fallback change
    QLabel *m_undoResult = nullptr;
};

} // namespace spotkeeper::gui
