// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"

#include <QDateTime>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;

namespace spotkeeper::gui {

// 1 h / 24 h / 7 d / 30 d (ending now) or a custom UTC range; drives charts and tables.
class TimeRangePicker final : public QWidget
{
    Q_OBJECT
public:
    enum class Preset { LastHour, Last24h, Last7d, Last30d, Custom };

    explicit TimeRangePicker(const base::Clock &clock, QWidget *parent = nullptr);
    ~TimeRangePicker() override;
    Q_DISABLE_COPY_MOVE(TimeRangePicker)

    void setPreset(Preset preset);
    Preset preset() const;
    QDateTime from() const;
    QDateTime to() const;
    // The length of a preset ("last 24 hours": the views follow the clock), 0 for a
    // custom range (fixed).
    qint64 spanSecs() const;

Q_SIGNALS:
    void rangeChanged(const QDateTime &from, const QDateTime &to);

private:
    void handleChange();

    const base::Clock &m_clock;
    QComboBox *m_preset = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
};

} // namespace spotkeeper::gui
