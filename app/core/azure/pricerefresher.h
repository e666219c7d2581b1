// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/retailpriceclient.h"
#include "base/clock.h"
#include "fleet/costtypes.h"
#include "fleet/fleettypes.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QTimer>

// Keeps the store's retail price cache fresh (docs/ANALYTICS.md): every checkMinutes it looks
// which (region, size) of the fleet's Azure VMs has no price younger than maxAgeHours, fetches
// those (RetailPriceClient) and stores them with their date. Offline, a fetch fails and the
// cached prices stay what the reports use; a size the API does not price is not asked for
// again before maxAgeHours.
namespace spotkeeper::core {

class Store;

struct PriceRefresherOptions
{
    int maxAgeHours = 24; // refreshed daily
    int checkMinutes = 60; // a new size in the fleet is priced within this
    int firstCheckMs = 5000; // after start(), leaving the engine's start-up room
};

class PriceRefresher final : public QObject
{
    Q_OBJECT
public:
    PriceRefresher(Store &store, const base::Clock &clock, RetailPriceClientOptions client = {},
                   PriceRefresherOptions options = {}, QObject *parent = nullptr);
    ~PriceRefresher() override;
    Q_DISABLE_COPY_MOVE(PriceRefresher)

    void start();
    void stop();
    // Checks now (a running fetch is not interrupted; false then).
    bool checkNow();
    RetailPriceClient &client() { return m_client; }

    // The (region -> sizes) of Azure VMs whose Linux pay-as-you-go price is missing or older
    // than maxAgeMs at now, in the ARM spelling the VMs use.
    static QMap<QString, QStringList> due(const QList<VmRecord> &vms,
                                          const QList<PriceRecord> &cached, const QDateTime &now,
                                          qint64 maxAgeMs);

signals:
    // After each fetch: how many prices were stored, and the client's figures.
    void refreshed(int prices, int requests, int throttled);
    void refreshFailed(const QString &why); // some queries failed (offline, HTTP errors)

private:
    void handleFetched(const PriceFetchResult &result);

    Store &m_store;
    const base::Clock &m_clock;
    PriceRefresherOptions m_options;
    RetailPriceClient m_client;
    QTimer m_timer;
    QHash<QString, QDateTime> m_askedAt; // "region|size" -> last asked (unpriced sizes)
};

} // namespace spotkeeper::core
