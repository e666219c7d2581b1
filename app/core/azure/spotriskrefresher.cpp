// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/spotriskrefresher.h"

#include "azure/armrequestqueue.h"
#include "azure/resourcegraph.h"
#include "fleet/cloud.h"
#include "store/store.h"

#include <QPointer>
#include <QSet>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

namespace {

constexpr qint64 kHourMs = 3'600'000;

QString pairKey(const QString &region, const QString &size)
{
    return region.toLower() + u'|' + size.toLower();
}

} // namespace

// One read: the eviction-rate query's pages, then the price-history query's.
struct SpotRiskRefresher::Run
{
    QStringList regions;
    QStringList sizes;
    bool prices = false; // false: reading the bands
    int pages = 0; // of the current query
    int requests = 0;
    QDateTime fetchedAt;
    QList<EvictionBand> bands;
    QList<SpotPricePoint> points;
};

SpotRiskRefresher::SpotRiskRefresher(Store &store, const base::Clock &clock, ArmRequestQueue &queue,
                                     QUrl armUrl, SpotRiskRefresherOptions options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
    , m_queue(queue)
    , m_armUrl(std::move(armUrl))
    , m_options(options)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        checkNow();
        m_timer.start(m_options.checkMinutes * 60'000);
    });
}

SpotRiskRefresher::~SpotRiskRefresher() = default;

void SpotRiskRefresher::start()
{
    m_timer.start(m_options.firstCheckMs);
}

void SpotRiskRefresher::stop()
{
    m_timer.stop();
}

bool SpotRiskRefresher::checkNow()
{
    if (m_run)
        return false;
    const QDateTime now = m_clock.nowUtc();
    const qint64 maxAgeMs = qint64(m_options.maxAgeHours) * kHourMs;
    if (m_lastRead.isValid() && m_lastRead.msecsTo(now) < maxAgeMs)
        return true;
    QSet<QString> fresh;
    for (const EvictionBand &band : m_store.evictionBands()) {
        if (band.fetchedAt.isValid() && band.fetchedAt.msecsTo(now) < maxAgeMs)
            fresh.insert(pairKey(band.region, band.size));
    }
    auto run = std::make_unique<Run>();
    bool due = false;
    for (const VmRecord &vm : m_store.vms()) {
        if (cloudOf(vm) != Cloud::Azure || vm.location.isEmpty() || vm.size.isEmpty()
            || vm.priority.compare("regular"_L1, Qt::CaseInsensitive) == 0)
            continue;
        due = due || !fresh.contains(pairKey(vm.location, vm.size));
        if (!run->regions.contains(vm.location.toLower()))
            run->regions << vm.location.toLower();
        if (!run->sizes.contains(vm.size.toLower()))
            run->sizes << vm.size.toLower();
    }
    if (!due)
        return true;
    // Resource Graph filters at most MaxNamesPerQuery names each; a bigger fleet reads the
    // whole table (paged) and keeps what it needs.
    if (run->regions.size() > resourcegraph::MaxNamesPerQuery)
        run->regions.clear();
    if (run->sizes.size() > resourcegraph::MaxNamesPerQuery)
        run->sizes.clear();
    run->fetchedAt = now;
    m_lastRead = now;
    m_run = std::move(run);
    sendPage(QString());
    return true;
}

void SpotRiskRefresher::sendPage(const QString &skipToken)
{
    Run &run = *m_run;
    ++run.pages;
    ++run.requests;
    const QByteArray body = run.prices
        ? resourcegraph::priceHistoryRequest(run.regions, run.sizes, skipToken)
        : resourcegraph::evictionRatesRequest(run.regions, run.sizes, skipToken);
    QPointer<SpotRiskRefresher> self(this);
    m_queue.send(
        ArmRequestQueue::Kind::Read, "POST"_ba, resourcegraph::endpoint(m_armUrl), QString(), body,
        [self](const ArmReply &reply) {
            if (!self.isNull())
                self->handlePage(reply);
        },
        BudgetedRequestQueue::Priority::Background);
}

void SpotRiskRefresher::handlePage(const ArmReply &reply)
{
    Run &run = *m_run;
    if (reply.call.failure != FailureClass::None) {
        finish(u"Resource Graph: "_s
               + (reply.call.errorMessage.isEmpty() ? u"HTTP %1"_s.arg(reply.status)
                                                    : reply.call.errorMessage));
        return;
    }
    QString error;
    QString next;
    if (run.prices) {
        const auto page = resourcegraph::parsePriceHistory(reply.body, run.fetchedAt, &error);
        if (!page) {
            finish(error);
            return;
        }
        run.points << page->points;
        next = page->skipToken;
    } else {
        const auto page = resourcegraph::parseEvictionRates(reply.body, run.fetchedAt, &error);
        if (!page) {
            finish(error);
            return;
        }
        run.bands << page->bands;
        next = page->skipToken;
    }
    if (!next.isEmpty() && run.pages < m_options.maxPages) {
        sendPage(next);
        return;
    }
    if (!run.prices) {
        run.prices = true;
        run.pages = 0;
        sendPage(QString());
        return;
    }
    finish(QString());
}

void SpotRiskRefresher::finish(const QString &failure)
{
    const std::unique_ptr<Run> run = std::move(m_run);
    if (!failure.isEmpty()) {
        emit refreshFailed(failure);
        return;
    }
    if (!m_store.saveEvictionBands(run->bands) || !m_store.saveSpotPriceHistory(run->points)) {
        emit refreshFailed(u"cannot store the published Spot risk: "_s
                           + m_store.lastError().message);
        return;
    }
    emit refreshed(int(run->bands.size()), int(run->points.size()), run->requests);
}

} // namespace spotkeeper::core
