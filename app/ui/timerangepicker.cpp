// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/timerangepicker.h"

#include "base/clock.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>

namespace spotkeeper::gui {

TimeRangePicker::TimeRangePicker(const base::Clock &clock, QWidget *parent)
    : QWidget(parent)
    , m_clock(clock)
    , m_preset(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
{
    m_preset->addItem(tr("Last hour"));
    m_preset->addItem(tr("Last 24 hours"));
    m_preset->addItem(tr("Last 7 days"));
    m_preset->addItem(tr("Last 30 days"));
    m_preset->addItem(tr("Custom range"));
    m_preset->setCurrentIndex(1);
    m_preset->setAccessibleName(tr("Time range"));
    m_preset->setToolTip(tr("Time range for charts, events and the audit log"));
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setCalendarPopup(true);
        edit->setVisible(false);
    }
    m_from->setAccessibleName(tr("Range start (UTC)"));
    m_to->setAccessibleName(tr("Range end (UTC)"));
    const QDateTime now = clock.nowUtc();
    m_from->setDateTime(now.addDays(-1));
    m_to->setDateTime(now);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("&Range:"), this);
    label->setBuddy(m_preset);
    layout->addWidget(label);
    layout->addWidget(m_preset);
    layout->addWidget(m_from);
    layout->addWidget(m_to);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &TimeRangePicker::handleChange);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &TimeRangePicker::handleChange);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &TimeRangePicker::handleChange);
}

TimeRangePicker::~TimeRangePicker() = default;

void TimeRangePicker::setPreset(Preset preset)
{
    m_preset->setCurrentIndex(static_cast<int>(preset));
}

TimeRangePicker::Preset TimeRangePicker::preset() const
{
    return static_cast<Preset>(m_preset->currentIndex());
}

QDateTime TimeRangePicker::to() const
{
    return preset() == Preset::Custom ? m_to->dateTime().toUTC() : m_clock.nowUtc();
}

qint64 TimeRangePicker::spanSecs() const
{
    switch (preset()) {
    case Preset::LastHour:
        return 3600;
    case Preset::Last24h:
        return 24 * 3600;
    case Preset::Last7d:
        return 7 * 24 * 3600;
    case Preset::Last30d:
        return 30 * 24 * 3600;
    case Preset::Custom:
        break;
    }
    return 0;
}

QDateTime TimeRangePicker::from() const
{
    const qint64 span = spanSecs();
    return span > 0 ? to().addSecs(-span) : m_from->dateTime().toUTC();
}

void TimeRangePicker::handleChange()
{
    const bool custom = preset() == Preset::Custom;
    m_from->setVisible(custom);
    m_to->setVisible(custom);
    if (custom && m_from->dateTime() >= m_to->dateTime())
        return; // an empty range redraws nothing useful: wait for a valid one
    Q_EMIT rangeChanged(from(), to());
}

} // namespace spotkeeper::gui
