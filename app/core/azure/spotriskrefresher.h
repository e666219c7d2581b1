// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/costtypes.h"

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <memory>

// Keeps the store's cache of what Azure publishes about Spot risk fresh (docs/ANALYTICS.md
// "Eviction risk"): every checkMinutes it looks whether a (region, size) of the fleet's Azure
// Spot VMs has no eviction-rate band younger than maxAgeHours and, if so and the last read is
// that old too, reads the bands and the Spot price history of the fleet's regions and sizes
// from Azure Resource Graph (resourcegraph.h) through the ARM request queue - the operator's
// ARM credential, within ARM's read budget, as background requests that never hold up a
// restart - and stores them with their date. A failed read leaves the cache as it was.
namespace spotkeeper::core {

class ArmRequestQueue;
class Store;
struct ArmReply;

struct SpotRiskRefresherOptions
{
    int maxAgeHours = 24; // Azure shows today's band; a daily read follows it
    int checkMinutes = 60;
    int firstCheckMs = 15000; // after the engine's start-up and the first price check
    int maxPages = 20; // per query ($skipToken pages of resourcegraph::PageSize rows)
};

class SpotRiskRefresher final : public QObject
{
    Q_OBJECT
public:
    SpotRiskRefresher(Store &store, const base::Clock &clock, ArmRequestQueue &queue, QUrl armUrl,
                      SpotRiskRefresherOptions options = {}, QObject *parent = nullptr);
    ~SpotRiskRefresher() override;
    Q_DISABLE_COPY_MOVE(SpotRiskRefresher)

    void start();
    void stop();
    // Checks now; false while a read is running (it is not interrupted).
    bool checkNow();
    bool isBusy() const { return m_run != nullptr; }

signals:
    // After a complete read: the bands and price points stored, the requests sent.
    void refreshed(int bands, int pricePoints, int requests);
    void refreshFailed(const QString &why);

private:
    struct Run;
    void sendPage(const QString &skipToken);
    void handlePage(const ArmReply &reply);
    void finish(const QString &failure);

    Store &m_store;
    const base::Clock &m_clock;
    ArmRequestQueue &m_queue;
    QUrl m_armUrl;
    SpotRiskRefresherOptions m_options;
    QTimer m_timer;
    QDateTime m_lastRead; // the last read that was tried (a failed one waits maxAge too)
    std::unique_ptr<Run> m_run;
};

} // namespace spotkeeper::core
