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

struct CostReport
{
    CostQuery query;
    QDateTime computedAt; // the "now" open states were counted until
    QString currency = QStringLiteral("USD");
    QDateTime pricesFetchedAt; // the oldest cached price used; invalid = no prices cached
    QList<CostRow> rows; // by savings, largest first
    QList<CostPoint> series; // empty when query.bucketMs is 0
    CostRow total() const; // the rows summed (key and label empty)
};

} // namespace spotkeeper::core
