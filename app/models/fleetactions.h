// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"
#include "models/fleetsource.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace spotkeeper::gui {

class FleetTableModel;

// The operator actions behind the toolbar, menus and shortcuts, without any widget: they
// ask the FleetSource once per selected VM (the engine writes one audit row per call) and,
// when every answer is in, sum up the outcome for the status bar. Whether an action is possible,
// and if not why, is answered here too so every button and menu entry shows the same reason.
class FleetActions
{
    Q_DECLARE_TR_FUNCTIONS(FleetActions)
public:
    using Kind = OperatorAction;

    struct Outcome
    {
        int succeeded = 0;
        QStringList failures; // "<vm name>: <message>"
    };

    FleetActions(FleetSource &source, QString actor);

    QString disabledReason() const; // empty = actions are possible
    // Why `kind` means nothing for this VM (empty = it does something): Start or Resume on a
    // running VM whose auto-restart is on, Pause when it is off already, Cancel without a
    // job, Stop on purpose twice, Force restart on a VM stopped on purpose (Start undoes a
    // stop) or on a running VM with no job. Enroll is not an engine action: always possible.
    static QString inapplicableReason(Kind kind, const core::VmRecord &vm,
                                      const std::optional<core::JobRecord> &job);
    // The VMs of vmIds that `kind` does something for, as the fleet table shows them;
    // *reason (if given) says why not for the first one it does nothing for.
    static QList<qint64> applicableVms(Kind kind, const FleetTableModel &fleet,
                                       const QList<qint64> &vmIds, QString *reason = nullptr);
    // done runs once, when the source answered for every VM (at once for the local engine).
    void run(Kind kind, const QList<qint64> &vmIds, std::function<void(const Outcome &)> done);
    // Checks the resource id's shape before asking the source.
    void addVm(const QString &resourceId, OperationDone done);

    static QString actorForCurrentUser(); // "gui:<login name>"
    static QString confirmationText(Kind kind, int count);
    static QString summaryText(Kind kind, const Outcome &outcome);
    static QString kindName(Kind kind);

private:
    FleetSource &m_source;
    QString m_actor;
};

} // namespace spotkeeper::gui
