// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The detail pane's Undo button: enabled only on an applied capacity fallback change in the
// timeline, and it asks the source to undo exactly that change's audit row.
#include "fleet/eventtypes.h"
#include "fleet/fleetoperations.h"
#include "models/eventsmodel.h"
#include "models/localfleetsource.h"
#include "support/base/manualclock.h"
#include "support/gui/guitestsupport.h"
#include "ui/detailpane.h"

#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace spotkeeper;
using namespace spotkeeper::gui;

namespace {

core::EventRecord fallbackEvent(qint64 vmId, const QDateTime &at, const QString &status,
                                const QString &auditId, const QString &message)
{
    core::EventRecord event;
    event.vmId = vmId;
    event.kind = core::EventKind::JobTransition;
    event.at = at;
    event.source = QStringLiteral("engine");
    event.eventType = core::eventtype::kFallback.toString();
    event.eventStatus = status;
    event.eventId = auditId;
    event.message = message;
    return event;
}

// Makes the timeline row whose message starts with `prefix` the current one; false if none.
bool selectRow(DetailPane &pane, const QString &prefix)
{
    EventsModel *model = pane.timeline();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->eventAt(row)->message.startsWith(prefix)) {
            pane.timelineView()->selectionModel()->setCurrentIndex(
                model->index(row, 0),
                QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return true;
        }
    }
    return false;
}

// The engine side: records the undo it is asked for, does nothing else.
class UndoRecorder final : public core::FleetOperations
{
public:
    void handleNoticeStored(qint64 /*vmId*/, const core::EventRecord & /*notice*/) override { }
    void handleUnconfirmedNotice(qint64 /*vmId*/) override { }
    core::OperationResult forceRestart(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return {};
    }
    core::OperationResult pauseAutoRestart(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return {};
    }
    core::OperationResult resumeAutoRestart(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return {};
    }
    core::OperationResult cancelJob(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return {};
    }
    core::OperationResult addVm(const QString & /*resourceId*/, const QString & /*actor*/) override
    {
        return {};
    }
    core::OperationResult stopOnPurpose(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return {};
    }
    core::OperationResult startVm(qint64 /*vmId*/, const QString & /*actor*/) override
    {
        return {};
    }
    core::OperationResult undoFallback(qint64 auditId, const QString &actor) override
    {
        m_undone.append({auditId, actor});
        return {core::OperationResult::Status::Ok, QStringLiteral("size back")};
    }
    const QList<QPair<qint64, QString>> &undone() const { return m_undone; }

private:
    QList<QPair<qint64, QString>> m_undone;
};

} // namespace

class TestDetailPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void undoFollowsTheSelectedFallbackChange();
};

void TestDetailPane::undoFollowsTheSelectedFallbackChange()
{
    testsupport::ManualClock clock;
    auto store = test::openStore(QStringLiteral(":memory:"), &clock);
    core::VmRecord vm;
    vm.resourceId = QStringLiteral("/subscriptions/11111111-2222-3333-4444-555555555555/"
                                   "resourceGroups/rg/providers/Microsoft.Compute/"
                                   "virtualMachines/batch-1");
    vm.resourceKey = vm.resourceId.toLower();
    vm.subscriptionId = QStringLiteral("11111111-2222-3333-4444-555555555555");
    vm.resourceGroup = QStringLiteral("rg");
    vm.name = QStringLiteral("batch-1");
    vm.size = QStringLiteral("Standard_D4s_v5");
    vm.id = store->upsertVm(vm);
    QVERIFY(vm.id > 0);
    const QDateTime t0 = clock.nowUtc();
    store->appendEvent(fallbackEvent(vm.id, t0.addSecs(-300), QStringLiteral("applied"),
                                     QStringLiteral("7"),
                                     QStringLiteral("capacity fallback: size Standard_D2s_v5 -> "
                                                    "Standard_D4s_v5")));
    store->appendEvent(fallbackEvent(vm.id, t0.addSecs(-200), QStringLiteral("dry_run"),
                                     QStringLiteral("8"),
                                     QStringLiteral("capacity fallback: dry run: would change")));
    store->appendEvent(fallbackEvent(vm.id, t0.addSecs(-100), QStringLiteral("failed"),
                                     QStringLiteral("9"),
                                     QStringLiteral("capacity fallback: refused")));

    UndoRecorder ops;
    LocalFleetSource source(*store, &ops, clock);
    DetailPane pane(source);
    pane.showVm(vm.id);
    QVERIFY(pane.timeline()->rowCount() >= 3);
    QPushButton *undo = pane.undoButton();
    QVERIFY(!undo->isEnabled()); // nothing selected

    QVERIFY(selectRow(pane, QStringLiteral("capacity fallback: dry run")));
    QVERIFY(!undo->isEnabled()); // a dry run changed nothing
    QVERIFY(selectRow(pane, QStringLiteral("capacity fallback: refused")));
    QVERIFY(!undo->isEnabled()); // nor did a refused change
    QVERIFY(selectRow(pane, QStringLiteral("capacity fallback: size")));
    QVERIFY(undo->isEnabled());

    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(ops.undone().size(), 1);
    QCOMPARE(ops.undone()[0].first, qint64(7)); // the audit row the event names
    QVERIFY(ops.undone()[0].second.startsWith(QLatin1StringView("gui:")));
    bool shown = false;
    for (const QLabel *label : pane.findChildren<QLabel *>())
        shown = shown || label->text().startsWith(QLatin1StringView("Undo requested"));
    QVERIFY(shown);

    // A read-only source: the button stays off.
    LocalFleetSource readOnly(*store, nullptr, clock);
    DetailPane observer(readOnly);
    observer.showVm(vm.id);
    QVERIFY(selectRow(observer, QStringLiteral("capacity fallback: size")));
    QVERIFY(!observer.undoButton()->isEnabled());
}

QTEST_MAIN(TestDetailPane)
#include "tst_detailpane.moc"
