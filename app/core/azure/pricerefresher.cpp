// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/pricerefresher.h"

#include "fleet/cloud.h"
#include "store/store.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

namespace {

QString pairKey(const QString &region, const QString &size)
{
    return region.toLower() + u'|' + size.toLower();
}

} // namespace

PriceRefresher::PriceRefresher(Store &store, const base::Clock &clock,
                               RetailPriceClientOptions client, PriceRefresherOptions options,
                               QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
    , m_options(options)
    , m_client(std::move(client))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        checkNow();
        m_timer.start(m_options.checkMinutes * 60'000);
    });
}

PriceRefresher::~PriceRefresher() = default;

void PriceRefresher::start()
{
    m_timer.start(m_options.firstCheckMs);
}

void PriceRefresher::stop()
{
    m_timer.stop();
}

QMap<QString, QStringList> PriceRefresher::due(const QList<VmRecord> &vms,
                                               const QList<PriceRecord> &cached,
                                               const QDateTime &now, qint64 maxAgeMs)
{
    QSet<QString> fresh;
    for (const PriceRecord &p : cached) {
        if (p.os == PriceOs::Linux && p.kind == PriceKind::PayAsYouGo && p.fetchedAt.isValid()
            && p.fetchedAt.msecsTo(now) < maxAgeMs)
            fresh.insert(pairKey(p.region, p.size));
    }
    QMap<QString, QStringList> out;
    QSet<QString> seen;
    for (const VmRecord &vm : vms) {
        if (cloudOf(vm) != Cloud::Azure || vm.location.isEmpty() || vm.size.isEmpty())
            continue;
        const QString key = pairKey(vm.location, vm.size);
        if (fresh.contains(key) || seen.contains(key))
            continue;
        seen.insert(key);
        out[vm.location.toLower()] << vm.size;
    }
    return out;
}

bool PriceRefresher::checkNow()
{
    if (m_client.isBusy())
        return false;
    const QDateTime now = m_clock.nowUtc();
    const qint64 maxAgeMs = qint64(m_options.maxAgeHours) * 3'600'000;
    QMap<QString, QStringList> asked = due(m_store.vms(), m_store.prices(), now, maxAgeMs);
    // A size the API did not price last time is not asked for again before maxAge.
    for (auto it = asked.begin(); it != asked.end();) {
        it.value().removeIf([&](const QString &size) {
            const QDateTime last = m_askedAt.value(pairKey(it.key(), size));
            return last.isValid() && last.msecsTo(now) < maxAgeMs;
        });
        it = it.value().isEmpty() ? asked.erase(it) : std::next(it);
    }
    if (asked.isEmpty())
        return true;
    for (auto it = asked.cbegin(); it != asked.cend(); ++it) {
        for (const QString &size : it.value())
            m_askedAt.insert(pairKey(it.key(), size), now);
    }
    return m_client.fetch(asked, [this](PriceFetchResult result) { handleFetched(result); });
}

void PriceRefresher::handleFetched(const PriceFetchResult &result)
{
    QList<PriceRecord> prices = result.prices;
    const QDateTime now = m_clock.nowUtc();
    for (PriceRecord &p : prices)
        p.fetchedAt = now;
    if (!prices.isEmpty() && !m_store.savePrices(prices)) {
        emit refreshFailed(u"cannot store the retail prices: "_s + m_store.lastError().message);
        return;
    }
    if (!result.complete()) {
        // The pairs whose query failed are asked again at the next check.
        m_askedAt.clear();
        emit refreshFailed(result.errors.join(u"; "_s));
    }
    emit refreshed(int(prices.size()), result.requests, result.throttled);
}

} // namespace spotkeeper::core
