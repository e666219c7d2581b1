// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteStore: the retail price cache with its history and the cost report
// (docs/ANALYTICS.md). The report is summed by the database in portable SQL (CASE instead of
// MIN/MAX or LEAST/GREATEST, ||, integer division of BIGINTs, LAG), the same on SQLite and
// PostgreSQL.
#include "store/sqlitestore.h"
#include "store/storerows.h"

#include <QHash>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <tuple>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

using namespace rows;

namespace {

constexpr double kMsPerHour = 3'600'000.0;
constexpr qint64 kMaxBuckets = 5000;

// Running spans clipped to [from, end): binds from, from, end, end, end, from.
const auto kRunningSpans = u"SELECT h.vm_id AS vm_id,"
                           " CASE WHEN h.started_at > ? THEN h.started_at ELSE ? END AS s,"
                           " CASE WHEN h.ended_at IS NULL OR h.ended_at > ? THEN ?"
                           " ELSE h.ended_at END AS e"
                           " FROM power_history h"
                           " WHERE h.state = 'running' AND h.started_at < ?"
                           " AND (h.ended_at IS NULL OR h.ended_at > ?)"_s;

// Eviction restart jobs clipped to [from, end): binds from, from, end, end, from, end, from.
// began is 1 for an eviction in the range (one that began before counts its hours only).
const auto kLostSpans = u"SELECT j.vm_id AS vm_id,"
                        " CASE WHEN COALESCE(j.evicted_at, j.created_at) > ? THEN"
                        " COALESCE(j.evicted_at, j.created_at) ELSE ? END AS s,"
                        " CASE WHEN j.finished_at IS NULL OR j.finished_at > ? THEN ?"
                        " ELSE j.finished_at END AS e,"
                        " CASE WHEN COALESCE(j.evicted_at, j.created_at) >= ? THEN 1 ELSE 0 END"
                        " AS began"
                        " FROM jobs j WHERE j.trigger_source IN ('notice', 'reconciler')"
                        " AND COALESCE(j.evicted_at, j.created_at) < ?"
                        " AND (j.finished_at IS NULL OR j.finished_at > ?)"_s;

// A VM's Linux Spot and pay-as-you-go prices as they hold now (the latest valid_from of the
// key); spot VMs only (a Regular VM saves nothing). Older prices are corrections
// (kPriceSteps).
const auto kPriceJoins =
    u" LEFT JOIN vm_prices sp ON sp.region = LOWER(v.location) AND sp.size = LOWER(v.size)"
    " AND sp.os = 'linux' AND sp.kind = 'spot' AND NOT EXISTS (SELECT 1 FROM vm_prices sn WHERE"
    " sn.region = sp.region AND sn.size = sp.size AND sn.os = sp.os AND sn.kind = sp.kind"
    " AND sn.valid_from > sp.valid_from)"
    " LEFT JOIN vm_prices pg ON pg.region = LOWER(v.location) AND pg.size = LOWER(v.size)"
    " AND pg.os = 'linux' AND pg.kind = 'payg' AND NOT EXISTS (SELECT 1 FROM vm_prices gn WHERE"
    " gn.region = pg.region AND gn.size = pg.size AND gn.os = pg.os AND gn.kind = pg.kind"
    " AND gn.valid_from > pg.valid_from)"_s;

// The price changes, one row per price that followed an older one of its key: at b the price
// went from the older one to this one, d = older - this. A span [s, e) priced at today's
// price p is then priced period by period by adding d x (min(e, b) - s) for every change b
// after s: the price before b is the sum of today's price and the d of every later change.
// Only the changes themselves (usually none) are joined with the VMs and their spans.
const auto kPriceSteps =
    u"(SELECT * FROM (SELECT region, size, os, kind, valid_from AS b,"
    " LAG(price_per_hour) OVER (PARTITION BY region, size, os, kind ORDER BY valid_from)"
    " - price_per_hour AS d FROM vm_prices) ch WHERE ch.d IS NOT NULL)"_s;

// The changes of the prices of each VM: its size and region, Linux meters.
const auto kVmSteps = u" c JOIN vms v ON c.region = LOWER(v.location)"
                      " AND c.size = LOWER(v.size) AND c.os = 'linux'"_s;

bool validPrice(const PriceRecord &p)
{
    return !p.region.isEmpty() && !p.size.isEmpty() && std::isfinite(p.perHour) && p.perHour >= 0;
}

// A price's key in vm_prices: region, size, OS and kind.
QVariantList priceKey(const PriceRecord &p)
{
    return {p.region.toLower().left(64), p.size.toLower().left(128), toString(p.os),
            toString(p.kind)};
}

void bindAll(QSqlQuery &q, const QVariantList &values)
{
    for (const QVariant &value : values)
        q.addBindValue(value);
}

// sql with each ? replaced by the next value (integers the code computed, never input).
QString withValues(QString sql, std::initializer_list<qint64> values)
{
    for (const qint64 value : values)
        sql.replace(sql.indexOf(u'?'), 1, QString::number(value));
    return sql;
}
const auto kSpotOnly = u"(v.priority IS NULL OR LOWER(v.priority) <> 'regular')"_s;

QString groupKey(CostGroup group)
{
    switch (group) {
    case CostGroup::Vm:
        return u"v.resource_key"_s;
    case CostGroup::Size:
        return u"LOWER(COALESCE(v.size, ''))"_s;
    case CostGroup::Region:
        return u"LOWER(COALESCE(v.location, ''))"_s;
    case CostGroup::ResourceGroup:
        return u"LOWER(COALESCE(v.subscription_id, '') || '/' || COALESCE(v.resource_group, ''))"_s;
    }
    return u"v.resource_key"_s;
}

QString groupLabel(CostGroup group)
{
    switch (group) {
    case CostGroup::Vm:
        return u"MIN(COALESCE(v.name, v.resource_key))"_s;
    case CostGroup::Size:
        return u"MIN(COALESCE(v.size, ''))"_s;
    case CostGroup::Region:
        return u"MIN(COALESCE(v.location, ''))"_s;
    case CostGroup::ResourceGroup:
        return u"MIN(COALESCE(v.resource_group, ''))"_s;
    }
    return u"MIN(v.name)"_s;
}

} // namespace

// A price is stored as the period it began (its effective date, else the date it was read).
// When the period it falls in already has that price, only the date it was read moves on,
// so a daily refresh of an unchanged price adds no row; a new price adds one and the older
// ones stay: the history each report prices its hours with.
bool SqliteStore::savePrices(const QList<PriceRecord> &prices)
{
    clearError();
    if (!std::all_of(prices.cbegin(), prices.cend(), validPrice))
        return invalid(u"a price needs a region, a size and a finite price >= 0"_s);
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    QSqlQuery current = query();
    QSqlQuery touch = query();
    QSqlQuery write = query();
    if (!prepareOrFail(current,
                       u"SELECT valid_from, price_per_hour, currency FROM vm_prices"
                       " WHERE region = ? AND size = ? AND os = ? AND kind = ?"
                       " AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1"_s)
        || !prepareOrFail(touch,
                          u"UPDATE vm_prices SET fetched_at = ? WHERE region = ? AND size = ?"
                          " AND os = ? AND kind = ? AND valid_from = ? AND fetched_at < ?"_s)
        || !prepareOrFail(write,
                          u"INSERT INTO vm_prices (region, size, os, kind, valid_from,"
                          " price_per_hour, currency, effective_from, fetched_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          " ON CONFLICT (region, size, os, kind, valid_from) DO UPDATE SET"
                          " price_per_hour = excluded.price_per_hour,"
                          " currency = excluded.currency,"
                          " effective_from = excluded.effective_from,"
                          " fetched_at = excluded.fetched_at"_s))
        return false;
    for (const PriceRecord &p : prices) {
        const QVariantList key = priceKey(p);
        const QString currency = p.currency.left(8);
        const qint64 fetchedAt = (p.fetchedAt.isValid() ? p.fetchedAt : now()).toMSecsSinceEpoch();
        const qint64 validFrom =
            p.effectiveFrom.isValid() ? p.effectiveFrom.toMSecsSinceEpoch() : fetchedAt;
        bindAll(current, key + QVariantList {validFrom});
        if (!execOrFail(current))
            return false;
        const bool unchanged = current.next() && current.value(1).toDouble() == p.perHour
            && current.value(2).toString() == currency;
        const qint64 since = unchanged ? current.value(0).toLongLong() : 0;
        current.finish();
        QSqlQuery &next = unchanged ? touch : write;
        bindAll(next,
                unchanged ? QVariantList {fetchedAt} + key + QVariantList {since, fetchedAt}
                          : key
                        + QVariantList {validFrom, p.perHour, currency, millis(p.effectiveFrom),
                                        fetchedAt});
        if (!execOrFail(next))
            return false;
    }
    return tx.commit();
}

QList<PriceRecord> SqliteStore::prices()
{
    clearError();
    QList<PriceRecord> out;
    QSqlQuery q = query();
    if (!execOrFail(q,
                    u"SELECT region, size, os, kind, price_per_hour, currency, effective_from,"
                    " fetched_at FROM vm_prices"
                    " ORDER BY region, size, os, kind, valid_from"_s))
        return out;
    while (q.next()) {
        PriceRecord p;
        p.region = q.value(0).toString();
        p.size = q.value(1).toString();
        p.os = priceOsFromString(q.value(2).toString());
        p.kind = priceKindFromString(q.value(3).toString());
        p.perHour = q.value(4).toDouble();
        p.currency = q.value(5).toString();
        p.effectiveFrom = dateTime(q.value(6));
        p.fetchedAt = dateTime(q.value(7));
        out << p;
    }
    return out;
}

bool SqliteStore::writeEach(const QString &sql, qsizetype count,
                            const std::function<QString(QSqlQuery &, qsizetype)> &bindRow)
{
    clearError();
    WriteTransaction tx(*this);
    if (!tx.ok())
        return false;
    QSqlQuery q = query();
    if (!prepareOrFail(q, sql))
        return false;
    for (qsizetype i = 0; i < count; ++i) {
        if (const QString problem = bindRow(q, i); !problem.isEmpty())
            return invalid(problem);
        if (!execOrFail(q))
            return false;
    }
    return tx.commit();
}

bool SqliteStore::saveEvictionBands(const QList<EvictionBand> &bands)
{
    return writeEach(
        u"INSERT INTO spot_eviction_bands (region, size, band, low_percent, high_percent,"
        " fetched_at) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (region, size) DO UPDATE SET band = excluded.band,"
        " low_percent = excluded.low_percent, high_percent = excluded.high_percent,"
        " fetched_at = excluded.fetched_at"_s,
        bands.size(), [&](QSqlQuery &q, qsizetype i) {
            const EvictionBand &b = bands.at(i);
            double low = 0;
            double high = -1;
            if (b.region.isEmpty() || b.size.isEmpty() || !parseEvictionBand(b.band, &low, &high))
                return u"an eviction band needs a region, a size and a band like 0-5 or 20+"_s;
            q.addBindValue(b.region.toLower().left(64));
            q.addBindValue(b.size.toLower().left(128));
            q.addBindValue(b.band.trimmed().left(16));
            q.addBindValue(low);
            q.addBindValue(high < 0 ? QVariant(QMetaType(QMetaType::Double)) : QVariant(high));
            q.addBindValue(millis(b.fetchedAt.isValid() ? b.fetchedAt : now()));
            return QString();
        });
}

QList<EvictionBand> SqliteStore::evictionBands()
{
    clearError();
    QList<EvictionBand> out;
    QSqlQuery q = query();
    if (!execOrFail(q,
                    u"SELECT region, size, band, low_percent, high_percent, fetched_at"
                    " FROM spot_eviction_bands ORDER BY region, size"_s))
        return out;
    while (q.next()) {
        EvictionBand b;
        b.region = q.value(0).toString();
        b.size = q.value(1).toString();
        b.band = q.value(2).toString();
        b.lowPercent = q.value(3).toDouble();
        b.highPercent = q.value(4).isNull() ? -1 : q.value(4).toDouble();
        b.fetchedAt = dateTime(q.value(5));
        out << b;
    }
    return out;
}

bool SqliteStore::saveSpotPriceHistory(const QList<SpotPricePoint> &points)
{
    return writeEach(u"INSERT INTO spot_price_history (region, size, os, effective_at,"
                     " price_per_hour, fetched_at) VALUES (?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (region, size, os, effective_at) DO UPDATE SET"
                     " price_per_hour = excluded.price_per_hour,"
                     " fetched_at = excluded.fetched_at"_s,
                     points.size(), [&](QSqlQuery &q, qsizetype i) {
                         const SpotPricePoint &p = points.at(i);
                         if (p.region.isEmpty() || p.size.isEmpty() || !p.effectiveAt.isValid()
                             || !std::isfinite(p.perHourUsd) || p.perHourUsd < 0)
                             return u"a Spot price point needs a region, a size, a date and a"
                                    " finite price >= 0"_s;
                         q.addBindValue(p.region.toLower().left(64));
                         q.addBindValue(p.size.toLower().left(128));
                         q.addBindValue(toString(p.os));
                         q.addBindValue(millis(p.effectiveAt));
                         q.addBindValue(p.perHourUsd);
                         q.addBindValue(millis(p.fetchedAt.isValid() ? p.fetchedAt : now()));
                         return QString();
                     });
}

QList<SpotPricePoint> SqliteStore::spotPriceHistory()
{
    clearError();
    QList<SpotPricePoint> out;
    QSqlQuery q = query();
    if (!execOrFail(q,
                    u"SELECT region, size, os, effective_at, price_per_hour, fetched_at"
                    " FROM spot_price_history ORDER BY region, size, os, effective_at"_s))
        return out;
    while (q.next()) {
        SpotPricePoint p;
        p.region = q.value(0).toString();
        p.size = q.value(1).toString();
        p.os = priceOsFromString(q.value(2).toString());
        p.effectiveAt = dateTime(q.value(3));
        p.perHourUsd = q.value(4).toDouble();
        p.fetchedAt = dateTime(q.value(5));
        out << p;
    }
    return out;
}

// Per size and region of the Spot VMs that ran or were evicted in [from, end): the running
// hours (the exposure), the evictions that began in the range, the cached published band;
// then the median time from eviction to running again of the evictions that began in the
// range and recovered (job state running), by ROW_NUMBER over each group: the middle row,
// or the mean of the two middle rows.
bool SqliteStore::addRiskRows(CostReport &report, qint64 from, qint64 end)
{
    const auto evictionJobs = u"j.trigger_source IN ('notice', 'reconciler')"
                              " AND COALESCE(j.evicted_at, j.created_at) >= ?"
                              " AND COALESCE(j.evicted_at, j.created_at) < ?"_s;
    const auto sizeKey = u"LOWER(COALESCE(v.size, ''))"_s;
    const auto regionKey = u"LOWER(COALESCE(v.location, ''))"_s;
    const QString sql = u"WITH run AS (SELECT vm_id, SUM(e - s) AS ms FROM ("_s + kRunningSpans
        + u") r WHERE e > s GROUP BY vm_id),"
          " ev AS (SELECT j.vm_id AS vm_id, COUNT(*) AS n FROM jobs j WHERE "_s
        + evictionJobs
        + u" GROUP BY j.vm_id)"
          " SELECT "_s
        + sizeKey + u", "_s + regionKey
        + u", MIN(COALESCE(v.size, '')), COUNT(*), SUM(COALESCE(run.ms, 0)),"
          " SUM(COALESCE(ev.n, 0)), MIN(b.band), MIN(b.low_percent), MIN(b.high_percent),"
          " MIN(b.fetched_at)"
          " FROM vms v LEFT JOIN run ON run.vm_id = v.id LEFT JOIN ev ON ev.vm_id = v.id"
          " LEFT JOIN spot_eviction_bands b ON b.region = LOWER(v.location)"
          " AND b.size = LOWER(v.size)"
          " WHERE (run.vm_id IS NOT NULL OR ev.vm_id IS NOT NULL) AND "_s
        + kSpotOnly + u" GROUP BY "_s + sizeKey + u", "_s + regionKey;
    QSqlQuery q = this->query();
    q.setForwardOnly(true);
    if (!runOrFail(q, sql, {from, from, end, end, end, from, from, end}))
        return false;
    QHash<QString, qsizetype> index; // "size\nregion" -> row
    while (q.next()) {
        RiskRow row;
        row.size = q.value(0).toString();
        row.region = q.value(1).toString();
        row.sizeLabel = q.value(2).toString();
        row.vms = q.value(3).toLongLong();
        row.runningHours = q.value(4).toDouble() / kMsPerHour;
        row.evictions = q.value(5).toLongLong();
        if (!q.value(6).isNull()) {
            row.band = q.value(6).toString();
            row.bandLowPercent = q.value(7).toDouble();
            row.bandHighPercent = q.value(8).isNull() ? -1 : q.value(8).toDouble();
            row.bandFetchedAt = dateTime(q.value(9));
        }
        index.insert(row.size + u'\n' + row.region, report.risk.size());
        report.risk << row;
    }
    q.finish();

    const QString median = u"WITH rec AS (SELECT "_s + sizeKey + u" AS sz, "_s + regionKey
        + u" AS rg, j.finished_at - COALESCE(j.evicted_at, j.created_at) AS d"
          " FROM jobs j JOIN vms v ON v.id = j.vm_id WHERE "_s
        + evictionJobs + u" AND j.state = 'running' AND j.finished_at IS NOT NULL AND "_s
        + kSpotOnly
        + u"), ranked AS (SELECT sz, rg, d,"
          " ROW_NUMBER() OVER (PARTITION BY sz, rg ORDER BY d) AS rn,"
          " COUNT(*) OVER (PARTITION BY sz, rg) AS n FROM rec)"
          " SELECT sz, rg, AVG(d), MAX(n) FROM ranked"
          " WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2 GROUP BY sz, rg"_s;
    if (!runOrFail(q, median, {from, end}))
        return false;
    while (q.next()) {
        const auto it = index.constFind(q.value(0).toString() + u'\n' + q.value(1).toString());
        if (it == index.cend())
            continue; // its VM neither ran nor has an eviction job in range: cannot happen
        RiskRow &row = report.risk[*it];
        row.medianRecoveryHours = q.value(2).toDouble() / kMsPerHour;
        row.recoveries = q.value(3).toLongLong();
    }
    q.finish();
    for (RiskRow &row : report.risk)
        row.flagged = riskFlagged(row);
    std::stable_sort(report.risk.begin(), report.risk.end(),
                     [](const RiskRow &a, const RiskRow &b) {
                         if (a.flagged != b.flagged)
                             return a.flagged;
                         if (a.evictionsPerVmDay() != b.evictionsPerVmDay())
                             return a.evictionsPerVmDay() > b.evictionsPerVmDay();
                         return std::tie(a.size, a.region) < std::tie(b.size, b.region);
                     });
    return true;
}

std::optional<CostReport> SqliteStore::costReport(const CostQuery &query)
{
    clearError();
    if (!query.from.isValid() || !query.to.isValid() || query.to <= query.from
        || query.bucketMs < 0) {
        invalid(u"a cost report needs a range (from before to) and a bucket width >= 0"_s);
        return std::nullopt;
    }
    CostReport report;
    report.query = query;
    report.computedAt = now();
    const qint64 from = query.from.toMSecsSinceEpoch();
    const qint64 end =
        std::min(query.to.toMSecsSinceEpoch(), report.computedAt.toMSecsSinceEpoch());

    QSqlQuery q = this->query();
    q.setForwardOnly(true);
    // The prices that hold now: the oldest date one of them was read.
    if (!execOrFail(q,
                    u"SELECT MIN(p.fetched_at), MIN(p.currency) FROM vm_prices p WHERE NOT EXISTS"
                    " (SELECT 1 FROM vm_prices n WHERE n.region = p.region AND n.size = p.size"
                    " AND n.os = p.os AND n.kind = p.kind AND n.valid_from > p.valid_from)"_s))
        return std::nullopt;
    if (q.next()) {
        report.pricesFetchedAt = dateTime(q.value(0));
        if (!q.value(1).toString().isEmpty())
            report.currency = q.value(1).toString();
    }
    q.finish();
    if (end <= from)
        return report; // the range lies in the future: nothing ran in it yet
    if (query.risk && !addRiskRows(report, from, end))
        return std::nullopt;

    // Per VM: running ms and lost ms (restart jobs of an eviction, from the eviction until
    // the job ended), with the VM's prices of today and the corrections of the older ones
    // (running and lost ms before each price change x the change); then per group.
    const QString running = withValues(kRunningSpans, {from, from, end, end, end, from});
    const QString lostSpans = withValues(kLostSpans, {from, from, end, end, from, end, from});
    const QString sql = u"WITH run AS (SELECT vm_id, SUM(e - s) AS ms FROM ("_s + kRunningSpans
        + u") r WHERE e > s GROUP BY vm_id),"
          " lost AS (SELECT vm_id,"
          " SUM(CASE WHEN e > s THEN e - s ELSE 0 END) AS ms, SUM(began) AS n FROM ("_s
        + kLostSpans
        + u") l GROUP BY vm_id),"
          " rcorr AS (SELECT v.id AS vm_id,"
          " SUM(CASE WHEN c.kind = 'spot' THEN"
          " c.d * ((CASE WHEN r.e < c.b THEN r.e ELSE c.b END) - r.s) ELSE 0 END) AS spot_w,"
          " SUM(CASE WHEN c.kind = 'payg' THEN"
          " c.d * ((CASE WHEN r.e < c.b THEN r.e ELSE c.b END) - r.s) ELSE 0 END) AS payg_w"
          " FROM "_s
        + kPriceSteps + kVmSteps + u" JOIN ("_s + running
        + u") r ON r.vm_id = v.id AND r.s < c.b AND r.e > r.s"
          " WHERE c.d IS NOT NULL GROUP BY v.id),"
          " lcorr AS (SELECT v.id AS vm_id,"
          " SUM(c.d * ((CASE WHEN l.e < c.b THEN l.e ELSE c.b END) - l.s)) AS payg_w FROM "_s
        + kPriceSteps + kVmSteps + u" JOIN ("_s + lostSpans
        + u") l ON l.vm_id = v.id AND l.s < c.b AND l.e > l.s"
          " WHERE c.d IS NOT NULL AND c.kind = 'payg' GROUP BY v.id),"
          " per_vm AS (SELECT v.id AS id, "_s
        + groupKey(query.groupBy) + u" AS gkey,"
        + u" COALESCE(run.ms, 0) AS run_ms, COALESCE(lost.ms, 0) AS lost_ms,"
          " COALESCE(lost.n, 0) AS evictions,"
          " sp.price_per_hour AS spot, pg.price_per_hour AS payg,"
          " COALESCE(rc.spot_w, 0) AS spot_corr, COALESCE(rc.payg_w, 0) AS payg_corr,"
          " COALESCE(lc.payg_w, 0) AS lost_corr"
          " FROM vms v LEFT JOIN run ON run.vm_id = v.id LEFT JOIN lost ON lost.vm_id = v.id"
          " LEFT JOIN rcorr rc ON rc.vm_id = v.id LEFT JOIN lcorr lc ON lc.vm_id = v.id"_s
        + kPriceJoins + u" WHERE (run.vm_id IS NOT NULL OR lost.vm_id IS NOT NULL) AND "_s
        + kSpotOnly
        + u")"
          " SELECT p.gkey, "_s
        + groupLabel(query.groupBy)
        + u", COUNT(*), SUM(p.run_ms),"
          " SUM(CASE WHEN p.spot IS NOT NULL AND p.payg IS NOT NULL THEN"
          " p.run_ms * p.spot + p.spot_corr ELSE 0 END),"
          " SUM(CASE WHEN p.spot IS NOT NULL AND p.payg IS NOT NULL THEN"
          " p.run_ms * p.payg + p.payg_corr ELSE 0 END),"
          " SUM(p.lost_ms),"
          " SUM(CASE WHEN p.payg IS NOT NULL THEN p.lost_ms * p.payg + p.lost_corr ELSE 0 END),"
          " SUM(p.evictions),"
          " SUM(CASE WHEN p.spot IS NULL OR p.payg IS NULL THEN p.run_ms ELSE 0 END)"
          " FROM per_vm p JOIN vms v ON v.id = p.id GROUP BY p.gkey"_s;
    const QVariantList binds {from, from, end, end, end,  from, // running spans
                              from, from, end, end, from, end,  from}; // lost spans
    if (!runOrFail(q, sql, binds))
        return std::nullopt;
    while (q.next()) {
        CostRow row;
        row.key = q.value(0).toString();
        row.label = q.value(1).toString();
        row.vms = q.value(2).toLongLong();
        row.runningHours = q.value(3).toDouble() / kMsPerHour;
        row.spotCost = q.value(4).toDouble() / kMsPerHour;
        row.payAsYouGoCost = q.value(5).toDouble() / kMsPerHour;
        row.lostHours = q.value(6).toDouble() / kMsPerHour;
        row.lostPayAsYouGoCost = q.value(7).toDouble() / kMsPerHour;
        row.evictions = q.value(8).toLongLong();
        row.unpricedHours = q.value(9).toDouble() / kMsPerHour;
        report.rows << row;
    }
    q.finish();
    std::stable_sort(report.rows.begin(), report.rows.end(),
                     [](const CostRow &a, const CostRow &b) {
                         if (a.savings() != b.savings())
                             return a.savings() > b.savings();
                         return a.key < b.key;
                     });
    if (query.bucketMs == 0)
        return report;

    // The series. A span [s, e) adds w x (t - s) to the running total F(t) at every t >= s and
    // takes w x (t - e) back at every t >= e; so per bucket the database sums, over the span
    // starts (+) and ends (-) falling in it, w and w x t, and F at each bucket boundary B is
    // B x sum(w) - sum(w x t) over the points before B. Three weights: 1 (hours), the Spot and
    // the pay-as-you-go price of today (0 for a VM without both, as in the totals); an older
    // price adds a piece [s, min(e, b)) weighted by its change d (kPriceSteps), no hours.
    const qint64 width = query.bucketMs;
    const qint64 buckets =
        std::min<qint64>(kMaxBuckets, (query.to.toMSecsSinceEpoch() - from + width - 1) / width);
    // Today's prices per VM first (grouped, so the database works them out once per VM, not
    // once per span).
    const QString vmPrices =
        u"SELECT v.id AS vm_id,"
        " MIN(CASE WHEN sp.price_per_hour IS NOT NULL AND pg.price_per_hour IS NOT NULL THEN"
        " sp.price_per_hour ELSE 0 END) AS ps,"
        " MIN(CASE WHEN sp.price_per_hour IS NOT NULL AND pg.price_per_hour IS NOT NULL THEN"
        " pg.price_per_hour ELSE 0 END) AS pp FROM vms v"_s
        + kPriceJoins + u" WHERE "_s + kSpotOnly + u" GROUP BY v.id"_s;
    const QString weighted = u"SELECT r.s - ? AS t0, r.e - ? AS t1, 1 AS hw, vp.ps AS ps,"
                             " vp.pp AS pp FROM ("_s
        + kRunningSpans
        + u") r JOIN vp ON vp.vm_id = r.vm_id WHERE r.e > r.s UNION ALL SELECT r.s - "_s
        + QString::number(from) + u" AS t0, (CASE WHEN r.e < c.b THEN r.e ELSE c.b END) - "_s
        + QString::number(from)
        + u" AS t1, 0 AS hw,"
          " CASE WHEN c.kind = 'spot' AND sp.price_per_hour IS NOT NULL"
          " AND pg.price_per_hour IS NOT NULL THEN c.d ELSE 0 END AS ps,"
          " CASE WHEN c.kind = 'payg' AND sp.price_per_hour IS NOT NULL"
          " AND pg.price_per_hour IS NOT NULL THEN c.d ELSE 0 END AS pp FROM "_s
        + kPriceSteps + kVmSteps + u" JOIN ("_s + running
        + u") r ON r.vm_id = v.id AND r.s < c.b AND r.e > r.s"_s + kPriceJoins
        + u" WHERE c.d IS NOT NULL AND "_s + kSpotOnly;
    const QString series = u"WITH vp AS ("_s + vmPrices + u"), w AS ("_s + weighted
        + u"), pts AS (SELECT t0 / ? AS b, t0 AS t, hw, 1 AS sg, ps, pp FROM w"
          " UNION ALL SELECT t1 / ? AS b, t1 AS t, hw, -1 AS sg, ps, pp FROM w)"
          " SELECT b, SUM(sg * hw), SUM(sg * hw * t), SUM(sg * ps), SUM(sg * ps * t),"
          " SUM(sg * pp), SUM(sg * pp * t) FROM pts GROUP BY b ORDER BY b"_s;
    if (!runOrFail(q, series, {from, from, from, from, end, end, end, from, width, width}))
        return std::nullopt;
    struct Sums
    {
        double n = 0, nt = 0, s = 0, st = 0, p = 0, pt = 0;
    };
    QHash<qint64, Sums> byBucket;
    while (q.next()) {
        byBucket.insert(q.value(0).toLongLong(),
                        Sums {q.value(1).toDouble(), q.value(2).toDouble(), q.value(3).toDouble(),
                              q.value(4).toDouble(), q.value(5).toDouble(), q.value(6).toDouble()});
    }
    q.finish();
    Sums acc;
    double prevHours = 0;
    double prevSpot = 0;
    double prevPayg = 0;
    for (qint64 k = 0; k < buckets; ++k) {
        if (const auto it = byBucket.constFind(k); it != byBucket.cend()) {
            acc.n += it->n;
            acc.nt += it->nt;
            acc.s += it->s;
            acc.st += it->st;
            acc.p += it->p;
            acc.pt += it->pt;
        }
        const auto boundary = double((k + 1) * width);
        const double hours = boundary * acc.n - acc.nt;
        const double spot = boundary * acc.s - acc.st;
        const double payg = boundary * acc.p - acc.pt;
        CostPoint point;
        point.start = QDateTime::fromMSecsSinceEpoch(from + k * width, Qt::UTC);
        point.runningHours = (hours - prevHours) / kMsPerHour;
        point.spotCost = (spot - prevSpot) / kMsPerHour;
        point.payAsYouGoCost = (payg - prevPayg) / kMsPerHour;
        prevHours = hours;
        prevSpot = spot;
        prevPayg = payg;
        report.series << point;
    }
    return report;
}

} // namespace spotkeeper::core
