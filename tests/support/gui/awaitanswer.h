// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/fleetactions.h"
#include "models/fleetsource.h"

#include <QTest>

#include <optional>

// The FleetSource seam answers by callback (at once locally, later over the network): the
// tests wait here for the answer, spinning the test's event loop (bounded), as a view would
// react to it.
namespace spotkeeper::gui::test {

template<typename T, typename Start>
T awaitAnswer(Start start)
{
    std::optional<T> answer;
    start([&answer](const T &value) { answer = value; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
        qWarning("no answer within 20 s");
    return answer.value_or(T {});
}

inline core::OperationResult operate(FleetSource &source, OperatorAction action, qint64 vmId,
                                     const QString &actor)
{
    return awaitAnswer<core::OperationResult>(
        [&](OperationDone done) { source.operate(action, vmId, actor, std::move(done)); });
}

inline core::OperationResult addVm(FleetActions &actions, const QString &resourceId)
{
    return awaitAnswer<core::OperationResult>(
        [&](OperationDone done) { actions.addVm(resourceId, std::move(done)); });
}

inline FleetActions::Outcome run(FleetActions &actions, FleetActions::Kind kind,
                                 const QList<qint64> &vmIds)
{
    return awaitAnswer<FleetActions::Outcome>(
        [&](std::function<void(const FleetActions::Outcome &)> done) {
            actions.run(kind, vmIds, std::move(done));
        });
}

inline EnrollResult enroll(FleetSource &source, const core::VmRecord &vm, const QString &actor)
{
    return awaitAnswer<EnrollResult>(
        [&](EnrollDone done) { source.enrollAgent(vm, actor, std::move(done)); });
}

inline QList<AgentKeyInfo> listKeys(FleetSource &source, QString *error)
{
    struct Answer
    {
        QList<AgentKeyInfo> keys;
        QString error;
    };
    const Answer answer = awaitAnswer<Answer>([&](std::function<void(const Answer &)> done) {
        source.listAgentKeys(
            [done = std::move(done)](const QList<AgentKeyInfo> &keys, const QString &problem) {
                done({keys, problem});
            });
    });
    if (error)
        *error = answer.error;
    return answer.keys;
}

inline KeyActionResult rotateKey(FleetSource &source, const QString &keyId, const QString &actor)
{
    return awaitAnswer<KeyActionResult>(
        [&](KeyActionDone done) { source.rotateAgentKey(keyId, actor, std::move(done)); });
}

inline KeyActionResult revokeKey(FleetSource &source, const QString &keyId, const QString &actor)
{
    return awaitAnswer<KeyActionResult>(
        [&](KeyActionDone done) { source.revokeAgentKey(keyId, actor, std::move(done)); });
}

} // namespace spotkeeper::gui::test
