// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/costtypes.h"

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

QString toString(PriceOs os)
{
    return os == PriceOs::Windows ? u"windows"_s : u"linux"_s;
}

PriceOs priceOsFromString(QStringView text)
{
    return text.compare(u"windows"_s, Qt::CaseInsensitive) == 0 ? PriceOs::Windows : PriceOs::Linux;
}

QString toString(PriceKind kind)
{
    return kind == PriceKind::Spot ? u"spot"_s : u"payg"_s;
}

PriceKind priceKindFromString(QStringView text)
{
    return text.compare(u"spot"_s, Qt::CaseInsensitive) == 0 ? PriceKind::Spot
                                                             : PriceKind::PayAsYouGo;
}

QString toString(CostGroup group)
{
    switch (group) {
    case CostGroup::Vm:
        return u"vm"_s;
    case CostGroup::Size:
        return u"size"_s;
    case CostGroup::Region:
        return u"region"_s;
    case CostGroup::ResourceGroup:
        return u"resource_group"_s;
    }
    return u"size"_s;
}

bool costGroupFromString(QStringView text, CostGroup *group)
{
    constexpr std::array kGroups {CostGroup::Vm, CostGroup::Size, CostGroup::Region,
                                  CostGroup::ResourceGroup};
    const auto *found = std::find_if(kGroups.begin(), kGroups.end(),
                                     [text](CostGroup g) { return text == toString(g); });
    if (found == kGroups.end())
        return false;
    *group = *found;
    return true;
}

bool parseEvictionBand(QStringView text, double *low, double *high)
{
    const QStringView t = text.trimmed();
    bool okLow = false;
    if (t.endsWith(u'+')) {
        const double l = t.chopped(1).toDouble(&okLow);
        if (!okLow || !std::isfinite(l) || l < 0 || l > 100)
            return false;
        *low = l;
        *high = -1;
        return true;
    }
    const qsizetype dash = t.indexOf(u'-');
    if (dash <= 0)
        return false;
    bool okHigh = false;
    const double l = t.left(dash).toDouble(&okLow);
    const double h = t.mid(dash + 1).toDouble(&okHigh);
    if (!okLow || !okHigh || !std::isfinite(l) || !std::isfinite(h) || l < 0 || h < l || h > 100)
        return false;
    *low = l;
    *high = h;
    return true;
}

double RiskRow::evictionsPerVmDay() const
{
    return runningHours > 0 ? double(evictions) * 24.0 / runningHours : 0;
}

double RiskRow::observedPercentPerHour() const
{
    return runningHours > 0 ? double(evictions) * 100.0 / runningHours : 0;
}

bool riskFlagged(const RiskRow &row)
{
    return !row.band.isEmpty() && row.bandHighPercent >= 0 && row.evictions >= kRiskMinEvictions
        && row.observedPercentPerHour() > kRiskFlagFactor * row.bandHighPercent;
}

CostRow CostReport::total() const
{
    CostRow sum;
    for (const CostRow &row : rows) {
        sum.vms += row.vms;
        sum.runningHours += row.runningHours;
        sum.spotCost += row.spotCost;
        sum.payAsYouGoCost += row.payAsYouGoCost;
        sum.lostHours += row.lostHours;
        sum.lostPayAsYouGoCost += row.lostPayAsYouGoCost;
        sum.evictions += row.evictions;
        sum.unpricedHours += row.unpricedHours;
    }
    return sum;
}

} // namespace spotkeeper::core
