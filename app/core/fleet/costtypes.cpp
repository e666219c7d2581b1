// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fleet/costtypes.h"

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
    for (CostGroup g :
         {CostGroup::Vm, CostGroup::Size, CostGroup::Region, CostGroup::ResourceGroup}) {
        if (text == toString(g)) {
            *group = g;
            return true;
        }
    }
    return false;
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
