// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringView>

// Value types of the cost analytics (docs/ANALYTICS.md): retail prices as the store caches
// them, and what a cost report asks for and answers. Shared by the price client, the store,
// the operator API, the CSV export and the dashboard's Cost tab.
namespace spotkeeper::core {

enum class PriceOs { Linux, Windows };
QString toString(PriceOs os); // "linux" | "windows"
PriceOs priceOsFromString(QStringView text); // Linux for anything else

// Spot: the Spot meter of a size; PayAsYouGo: the same size's ordinary consumption meter.
enum class PriceKind { Spot, PayAsYouGo };
QString toString(PriceKind kind); // "spot" | "payg"
PriceKind priceKindFromString(QStringView text); // PayAsYouGo for anything else

// One retail price of one VM size in one region, per hour. region and size are lower-cased
// (ARM spells them either way; "westeurope", "standard_d2s_v3").
struct PriceRecord
{
    QString region;
    QString size;
    PriceOs os = PriceOs::Linux;
    PriceKind kind = PriceKind::PayAsYouGo;
    double perHour = 0;
    QString currency = QStringLiteral("USD");
    QDateTime effectiveFrom; // the meter's effectiveStartDate
    QDateTime fetchedAt; // when SpotKeeper read it (the cache's date)
    bool operator==(const PriceRecord &) const = default;
};

// What a cost report is grouped by: one row per VM, size, region or resource group.
enum class CostGroup { Vm, Size, Region, ResourceGroup };
QString toString(CostGroup group); // "vm" | "size" | "region" | "resource_group"
// false for an unknown name (the operator API answers 400).
bool costGroupFromString(QStringView text, CostGroup *group);

struct CostQuery
{
    QDateTime from; // inclusive
    QDateTime to; // exclusive; an open state counts until min(to, now)
    CostGroup groupBy = CostGroup::Size;
    // The savings-over-time series: buckets of this many ms from `from` (0 = no series).
    qint64 bucketMs = 0;
    // Also the eviction risk per size and region (CostReport::risk) over the same range.
    bool risk = false;
};

// One group's figures over the range. Hours are running hours (power state running);
// costs are hours x the cached retail price of the VM's size and region (Linux meters).
struct CostRow
{
    QString key; // the VM's resource key, the size, the region or "subscription/resource group"
    QString label; // what a person reads: VM name, size, region, resource group
    qint64 vms = 0; // VMs in the group
    double runningHours = 0;
    double spotCost = 0;
    double payAsYouGoCost = 0;
    double lostHours = 0; // from an eviction until the VM ran again (restart jobs)
    double lostPayAsYouGoCost = 0; // the lost hours at the pay-as-you-go price
    qint64 evictions = 0; // restart jobs for an eviction that began in the range
    double unpricedHours = 0; // running hours of VMs without both prices in the cache
    double savings() const { return payAsYouGoCost - spotCost; }
};

struct CostPoint
{
    QDateTime start; // the bucket's start
    double runningHours = 0;
    double spotCost = 0;
    double payAsYouGoCost = 0;
    double savings() const { return payAsYouGoCost - spotCost; }
};

// Azure's published Spot eviction-rate band of one size in one region, as Resource Graph's
// SpotResources table gives it (microsoft.compute/skuspotevictionrate/location), with the
// date SpotKeeper read it. region and size are lower-cased.
struct EvictionBand
{
    QString region;
    QString size;
    QString band; // as published: "0-5", "5-10", ..., "20+"
    double lowPercent = 0;
    double highPercent = -1; // -1: open ("20+")
    QDateTime fetchedAt;
    bool operator==(const EvictionBand &) const = default;
};
// "0-5" -> 0 and 5, "20+" -> 20 and -1; false for anything else.
bool parseEvictionBand(QStringView text, double *low, double *high);

// One point of Azure's published Spot price history of a size, OS and region
// (microsoft.compute/skuspotpricehistory/ostype/location), in USD per hour.
struct SpotPricePoint
{
    QString region;
    QString size;
    PriceOs os = PriceOs::Linux;
    QDateTime effectiveAt;
    double perHourUsd = 0;
    QDateTime fetchedAt;
    bool operator==(const SpotPricePoint &) const = default;
};

// The eviction risk of one size in one region over a report's range: what SpotKeeper
// observed beside what Azure publishes (docs/ANALYTICS.md "Eviction risk").
struct RiskRow
{
    QString size; // lower-cased key
    QString region; // lower-cased key
    QString sizeLabel; // as the VMs spell it
    qint64 vms = 0; // Spot VMs of this size and region that ran or were evicted in the range
    double runningHours = 0; // the exposure: running hours in the range
    qint64 evictions = 0; // restart jobs for an eviction that began in the range
    qint64 recoveries = 0; // of those, the ones that brought the VM back
    double medianRecoveryHours = -1; // from eviction until running again; -1: none recovered
    QString band; // the published band ("0-5"); empty: none cached
    double bandLowPercent = 0;
    double bandHighPercent = -1; // -1: open ("20+") or no band
    QDateTime bandFetchedAt;
    bool flagged = false; // riskFlagged(): observed far above the published band

    // Evictions per VM-day: evictions / (running hours / 24); 0 without running hours.
    double evictionsPerVmDay() const;
    // The same as a percentage per VM-hour (evictions / running hours x 100), the unit the
    // band is compared in.
    double observedPercentPerHour() const;
};
// The flag rule (docs/ANALYTICS.md): a published band with an upper bound, at least
// kRiskMinEvictions evictions, and an observed rate above kRiskFlagFactor x that bound.
inline constexpr qint64 kRiskMinEvictions = 2;
inline constexpr double kRiskFlagFactor = 2.0;
bool riskFlagged(const RiskRow &row);

struct CostReport
{
    CostQuery query;
    QDateTime computedAt; // the "now" open states were counted until
    QString currency = QStringLiteral("USD");
    QDateTime pricesFetchedAt; // the oldest cached price used; invalid = no prices cached
    QList<CostRow> rows; // by savings, largest first
    QList<CostPoint> series; // empty when query.bucketMs is 0
    QList<RiskRow> risk; // empty unless query.risk; flagged first, then by evictions/VM-day
    CostRow total() const; // the rows summed (key and label empty)
};

} // namespace spotkeeper::core
