// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// CSV of a cost report (docs/ANALYTICS.md): the same writer and rules as every export.
#include "export/csvexport.h"

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

QStringList costCsvColumns()
{
    return {u"group"_s,         u"key"_s,
            u"label"_s,         u"vms"_s,
            u"running_hours"_s, u"spot_cost"_s,
            u"payg_cost"_s,     u"savings"_s,
            u"lost_hours"_s,    u"lost_payg_cost"_s,
            u"evictions"_s,     u"unpriced_hours"_s,
            u"currency"_s,      u"from_utc"_s,
            u"to_utc"_s,        u"prices_fetched_at_utc"_s};
}

void writeCostCsv(const CostReport &report, CsvWriter &writer)
{
    writer.writeRow(costCsvColumns());
    const QString group = toString(report.query.groupBy);
    const auto tail = [&](CsvWriter &w) {
        w.text(report.currency).time(report.query.from).time(report.query.to);
        w.time(report.pricesFetchedAt);
        w.endRow();
    };
    for (const CostRow &row : report.rows) {
        writer.text(group).text(row.key).text(row.label).number(row.vms);
        writer.number(row.runningHours).number(row.spotCost).number(row.payAsYouGoCost);
        writer.number(row.savings()).number(row.lostHours).number(row.lostPayAsYouGoCost);
        writer.number(row.evictions).number(row.unpricedHours);
        tail(writer);
    }
    // The series: one row per bucket, keyed by its start.
    for (const CostPoint &point : report.series) {
        writer.text(u"series"_s).text(CsvWriter::formatTime(point.start)).empty().empty();
        writer.number(point.runningHours).number(point.spotCost).number(point.payAsYouGoCost);
        writer.number(point.savings()).empty().empty().empty().empty();
        tail(writer);
    }
}

QStringList riskCsvColumns()
{
    return {u"size"_s,
            u"region"_s,
            u"vms"_s,
            u"running_hours"_s,
            u"evictions"_s,
            u"evictions_per_vm_day"_s,
            u"observed_percent_per_hour"_s,
            u"recoveries"_s,
            u"median_recovery_hours"_s,
            u"published_band"_s,
            u"band_fetched_at_utc"_s,
            u"flagged"_s,
            u"from_utc"_s,
            u"to_utc"_s};
}

void writeRiskCsv(const CostReport &report, CsvWriter &writer)
{
    writer.writeRow(riskCsvColumns());
    for (const RiskRow &row : report.risk) {
        writer.text(row.sizeLabel.isEmpty() ? row.size : row.sizeLabel).text(row.region);
        writer.number(row.vms).number(row.runningHours).number(row.evictions);
        writer.number(row.evictionsPerVmDay()).number(row.observedPercentPerHour());
        writer.number(row.recoveries);
        if (row.medianRecoveryHours < 0)
            writer.empty();
        else
            writer.number(row.medianRecoveryHours);
        writer.text(row.band).time(row.bandFetchedAt);
        writer.text(row.flagged ? u"yes"_s : u"no"_s);
        writer.time(report.query.from).time(report.query.to);
        writer.endRow();
    }
}

bool exportRisk(const CostReport &report, const QString &path, const CsvOptions &options,
                QString *error)
{
    CsvWriter writer(path, options);
    if (!writer.open(error))
        return false;
    writeRiskCsv(report, writer);
    return writer.commit(error);
}

bool exportCost(const CostReport &report, const QString &path, const CsvOptions &options,
                QString *error)
{
    CsvWriter writer(path, options);
    if (!writer.open(error))
        return false;
    writeCostCsv(report, writer);
    return writer.commit(error);
}

} // namespace spotkeeper::core
