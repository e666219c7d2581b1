// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/armlimits.h"
#include "sim/simtypes.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <optional>

// A scenario file (JSON, format in docs/SIMULATOR.md, examples in packaging/sim/): the
// fleet, timings, ARM limits, spot prices and a timeline of actions in simulated time
// ("at", optionally repeated "every" N up to "repeat" times). ScenarioRunner plays the
// timeline against a SimServer.
namespace spotkeeper::sim {

class SimServer;

struct TimelineAction
{
    qint64 atMs = 0; // simulated offset from the start
    qint64 everyMs = 0; // 0 = once
    int repeat = 0; // with everyMs: how many times (0 = until the end)
    QString action; // evict | agent-loss | capacity | throttle-storm | faults
    QJsonObject args;
};

struct Scenario
{
    QString name;
    double speed = 1.0;
    quint32 seed = 1;
    Timings timings;
    LimitsConfig limits;
    int pageSize = 50;
    QList<SimScaleSet> scaleSets; // added before vms (instances name theirs)
    QList<SimVm> vms;
    QHash<QString, double> spotPrices;
    QList<TimelineAction> timeline;

    // Strict: an unknown action, a malformed duration or a VM without the required
    // fields is an error naming where it is.
    static std::optional<Scenario> parse(const QByteArray &json, QString *error);
    static std::optional<Scenario> load(const QString &path, QString *error);
    // The built-in demo: 36 Spot VMs in 3 regions, agents on all, a few evicted every 3
    // minutes, a capacity shortage and a short throttle storm now and then.
    static Scenario demo();
};

// A scenario's duration: a JSON number counts seconds, a string follows base/duration.h
// ("90", "90s", "2m", "1h", "500ms"). Milliseconds; -1 with *error (when given) if malformed.
qint64 parseScenarioDuration(const QJsonValue &value, QString *error = nullptr);

class ScenarioRunner final : public QObject
{
    Q_OBJECT
public:
    ScenarioRunner(SimServer &server, QList<TimelineAction> timeline, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ScenarioRunner)
    void start(); // t = 0 is now (simulated)
    void tick(); // runs whatever is due (also called by the timer)
    int actionsRun() const { return m_actionsRun; }
    bool run(const TimelineAction &action, QString *error = nullptr);

private:
    SimServer &m_server;
    QList<TimelineAction> m_timeline;
    QList<int> m_done; // times each action ran
    qint64 m_startMs = 0;
    int m_actionsRun = 0;
    QTimer m_timer;
};

} // namespace spotkeeper::sim
