// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "models/fleetstatus.h"

#include <QWidget>

class QLabel;
class QTableView;
class QToolButton;

namespace spotkeeper::gui {

class FleetTableModel;

// The summary strip: evicted / waiting / retrying / recovered / needs operator counts,
// each a button that filters the fleet table to that state.
class SummaryStrip final : public QWidget
{
    Q_OBJECT
public:
    explicit SummaryStrip(FleetTableModel &model, QWidget *parent = nullptr);
    ~SummaryStrip() override;
    Q_DISABLE_COPY_MOVE(SummaryStrip)

    int shownCount(Health health) const; // what the strip currently shows, for tests

Q_SIGNALS:
    void healthClicked(spotkeeper::gui::Health health);

private:
    void refresh();

    FleetTableModel &m_model;
    QList<QPair<Health, QToolButton *>> m_buttons;
};

// Every active restart job: state, attempt and a live progress bar counting down to the
// next attempt (over the fleet model, so it shares its coalesced updates).
class RetryPanel final : public QWidget
{
    Q_OBJECT
public:
    RetryPanel(FleetTableModel &model, const base::Clock &clock, QWidget *parent = nullptr);
    ~RetryPanel() override;
    Q_DISABLE_COPY_MOVE(RetryPanel)

    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void vmActivated(qint64 vmId);

private:
    QTableView *m_table = nullptr;
};

} // namespace spotkeeper::gui
