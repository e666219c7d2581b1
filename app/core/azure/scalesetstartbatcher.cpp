// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/scalesetstartbatcher.h"

#include "azure/armclient.h"
#include "azure/armparsers.h"

#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

ScaleSetStartBatcher::ScaleSetStartBatcher(ArmClient &client, int windowMs, int maxBatch,
                                           QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_windowMs(std::max(0, windowMs))
    , m_maxBatch(std::max(1, maxBatch))
{ }

ScaleSetStartBatcher::~ScaleSetStartBatcher() = default;

void ScaleSetStartBatcher::start(const QString &instanceResourceId,
                                 std::function<void(const QString &)> progress,
                                 std::function<void(StartResult)> done, bool follow)
{
    const auto parts = armparsers::parseVmResourceId(instanceResourceId);
    if (!parts || !parts->isScaleSetInstance()) { // the client answers with its own error
        m_client.startVm(instanceResourceId, std::move(progress), std::move(done), follow);
        return;
    }
    const QString scaleSetId = parts->scaleSetId();
    const QString key = scaleSetId.toLower() + (follow ? QString() : u"#nofollow"_s);
    auto it = m_open.find(key);
    if (it == m_open.end()) {
        Batch batch;
        batch.serial = ++m_serial;
        batch.scaleSetId = scaleSetId;
        batch.follow = follow;
        it = m_open.insert(key, batch);
        const quint64 serial = batch.serial;
        QTimer::singleShot(m_windowMs, this, [this, key, serial] { flush(key, serial); });
    }
    it->members.append(
        Member {instanceResourceId, parts->instanceId, std::move(progress), std::move(done)});
    if (it->members.size() >= m_maxBatch)
        flush(key, it->serial);
}

void ScaleSetStartBatcher::flush(const QString &key, quint64 serial)
{
    const auto it = m_open.constFind(key);
    if (it == m_open.cend() || it->serial != serial)
        return; // already sent (full), a later batch has its own timer
    if (m_unanswered.value(key) > 0 && it->members.size() < m_maxBatch)
        return; // goes out when the scale set's previous start POST is answered
    const Batch batch = *it;
    m_open.remove(key);
    send(key, batch);
}

void ScaleSetStartBatcher::answered(const QString &key)
{
    if (--m_unanswered[key] <= 0)
        m_unanswered.remove(key);
    const auto it = m_open.constFind(key);
    if (it != m_open.cend()) // it has waited at least its window already
        flush(key, it->serial);
}

void ScaleSetStartBatcher::send(const QString &key, const Batch &batch)
{
    ++m_sent;
    ++m_unanswered[key];
    auto members = std::make_shared<QList<Member>>(batch.members);
    auto isAnswered = std::make_shared<bool>(false);
    QPointer<ScaleSetStartBatcher> self(this);
    const auto markAnswered = [self, key, isAnswered] {
        if (*isAnswered)
            return;
        *isAnswered = true;
        if (self)
            self->answered(key);
    };
    auto progress = [members, markAnswered](const QString &url) {
        markAnswered();
        for (const Member &m : *members) {
            if (m.progress)
                m.progress(url);
        }
    };
    auto done = [members, markAnswered](StartResult result) {
        markAnswered(); // a refusal, a 200, or the end of an operation already answered
        for (const Member &m : *members)
            m.done(result);
    };
    if (batch.members.size() == 1) {
        m_client.startVm(batch.members.first().resourceId, progress, done, batch.follow);
        return;
    }
    QStringList ids;
    for (const Member &m : batch.members) {
        if (!ids.contains(m.instanceId))
            ids.append(m.instanceId);
    }
    m_client.startScaleSetInstances(batch.scaleSetId, ids, progress, done, batch.follow);
}

} // namespace spotkeeper::core
