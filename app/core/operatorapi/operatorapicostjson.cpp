// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The operator API's JSON of a cost report (GET /api/v1/cost, docs/ANALYTICS.md), both ways.
#include "operatorapi/operatorapijson.h"

#include <QJsonArray>

#include <array>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

QJsonValue isoTime(const QDateTime &at)
{
    return at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QDateTime isoTime(const QJsonObject &o, QStringView key)
{
    return QDateTime::fromString(o.value(key).toString(), Qt::ISODateWithMs);
}

// The figures of a row and of a series point, one entry each, read by both directions.
template<typename Record>
struct Figure
{
    QStringView key;
    double Record::*member = nullptr;
};
constexpr std::array<Figure<CostRow>, 6> kRowFigures = {{
    {u"runningHours", &CostRow::runningHours},
    {u"spotCost", &CostRow::spotCost},
    {u"payAsYouGoCost", &CostRow::payAsYouGoCost},
    {u"lostHours", &CostRow::lostHours},
    {u"lostPayAsYouGoCost", &CostRow::lostPayAsYouGoCost},
    {u"unpricedHours", &CostRow::unpricedHours},
}};
constexpr std::array<Figure<CostPoint>, 3> kPointFigures = {{
    {u"runningHours", &CostPoint::runningHours},
    {u"spotCost", &CostPoint::spotCost},
    {u"payAsYouGoCost", &CostPoint::payAsYouGoCost},
}};

} // namespace

QJsonObject toJson(const RiskRow &row)
{
    return {{u"size"_s, row.size},
            {u"region"_s, row.region},
            {u"sizeLabel"_s, row.sizeLabel},
            {u"vms"_s, double(row.vms)},
            {u"runningHours"_s, row.runningHours},
            {u"evictions"_s, double(row.evictions)},
            {u"evictionsPerVmDay"_s, row.evictionsPerVmDay()},
            {u"observedPercentPerHour"_s, row.observedPercentPerHour()},
            {u"recoveries"_s, double(row.recoveries)},
            {u"medianRecoveryHours"_s,
             row.medianRecoveryHours < 0 ? QJsonValue() : QJsonValue(row.medianRecoveryHours)},
            {u"publishedBand"_s, row.band.isEmpty() ? QJsonValue() : QJsonValue(row.band)},
            {u"bandFetchedAt"_s, isoTime(row.bandFetchedAt)},
            {u"flagged"_s, row.flagged}};
}

RiskRow riskRowFromJson(const QJsonObject &o)
{
    RiskRow row;
    row.size = o.value(u"size"_s).toString();
    row.region = o.value(u"region"_s).toString();
    row.sizeLabel = o.value(u"sizeLabel"_s).toString();
    row.vms = qint64(o.value(u"vms"_s).toDouble());
    row.runningHours = o.value(u"runningHours"_s).toDouble();
    row.evictions = qint64(o.value(u"evictions"_s).toDouble());
    row.recoveries = qint64(o.value(u"recoveries"_s).toDouble());
    row.medianRecoveryHours = o.value(u"medianRecoveryHours"_s).toDouble(-1);
    row.band = o.value(u"publishedBand"_s).toString();
    if (!parseEvictionBand(row.band, &row.bandLowPercent, &row.bandHighPercent))
        row.band.clear();
    row.bandFetchedAt = isoTime(o, u"bandFetchedAt");
    row.flagged = o.value(u"flagged"_s).toBool();
    return row;
}

QString riskFlagRule()
{
    return u"flagged: a published band with an upper bound, at least %1 evictions, and an"
           " observed rate (evictions per VM-hour, in percent) above %2 x the band's upper bound"_s
               .arg(kRiskMinEvictions)
               .arg(kRiskFlagFactor);
}

QJsonObject toJson(const CostReport &report)
{
    QJsonArray rows;
    for (const CostRow &row : report.rows) {
        QJsonObject o {{u"key"_s, row.key},
                       {u"label"_s, row.label},
                       {u"vms"_s, double(row.vms)},
                       {u"evictions"_s, double(row.evictions)},
                       {u"savings"_s, row.savings()}};
        for (const Figure<CostRow> &f : kRowFigures)
            o.insert(f.key, row.*f.member);
        rows.append(o);
    }
    QJsonArray series;
    for (const CostPoint &point : report.series) {
        QJsonObject o {{u"start"_s, isoTime(point.start)}, {u"savings"_s, point.savings()}};
        for (const Figure<CostPoint> &f : kPointFigures)
            o.insert(f.key, point.*f.member);
        series.append(o);
    }
    const qint64 bucketSeconds = report.query.bucketMs / 1000; // whole seconds
    QJsonObject out {
        {u"from"_s, isoTime(report.query.from)},
        {u"to"_s, isoTime(report.query.to)},
        {u"groupBy"_s, toString(report.query.groupBy)},
        {u"bucketSeconds"_s, double(bucketSeconds)},
        {u"computedAt"_s, isoTime(report.computedAt)},
        {u"currency"_s, report.currency},
        {u"pricesFetchedAt"_s, isoTime(report.pricesFetchedAt)},
        {u"assumptions"_s,
         QJsonArray {u"Microsoft's public retail prices (Azure Retail Prices API), as cached"_s,
                     u"no reservations, savings plans or other discounts"_s,
                     u"each hour at the cached price that held when it ran (the history starts"
                     " with the first refresh)"_s,
                     u"Linux meters; a Spot VM pays the Spot price, never above its maxPrice"_s,
                     u"compute only: disks, network and licences are not included"_s}},
        {u"rows"_s, rows},
        {u"series"_s, series},
    };
    if (report.query.risk) {
        QJsonArray risk;
        for (const RiskRow &row : report.risk)
            risk.append(toJson(row));
        out.insert(u"risk"_s, risk);
        out.insert(u"riskRule"_s, riskFlagRule());
    }
    return out;
}

std::optional<CostReport> costReportFromJson(const QJsonObject &object)
{
    CostReport report;
    report.query.from = isoTime(object, u"from");
    report.query.to = isoTime(object, u"to");
    if (!report.query.from.isValid() || !report.query.to.isValid())
        return std::nullopt;
    if (!costGroupFromString(object.value(u"groupBy"_s).toString(), &report.query.groupBy))
        report.query.groupBy = CostGroup::Size;
    report.query.bucketMs = qint64(object.value(u"bucketSeconds"_s).toDouble()) * 1000;
    report.computedAt = isoTime(object, u"computedAt");
    report.currency = object.value(u"currency"_s).toString(u"USD"_s);
    report.pricesFetchedAt = isoTime(object, u"pricesFetchedAt");
    const QJsonArray rows = object.value(u"rows"_s).toArray();
    for (const auto &value : rows) {
        const QJsonObject o = value.toObject();
        CostRow row;
        row.key = o.value(u"key"_s).toString();
        row.label = o.value(u"label"_s).toString();
        row.vms = qint64(o.value(u"vms"_s).toDouble());
        row.evictions = qint64(o.value(u"evictions"_s).toDouble());
        for (const Figure<CostRow> &f : kRowFigures)
            row.*f.member = o.value(f.key).toDouble();
        report.rows.append(row);
    }
    report.query.risk = object.value(u"risk"_s).isArray();
    const QJsonArray risk = object.value(u"risk"_s).toArray();
    for (const auto &value : risk)
        report.risk.append(riskRowFromJson(value.toObject()));
    const QJsonArray series = object.value(u"series"_s).toArray();
    for (const auto &value : series) {
        const QJsonObject o = value.toObject();
        CostPoint point;
        point.start = isoTime(o, u"start");
        for (const Figure<CostPoint> &f : kPointFigures)
            point.*f.member = o.value(f.key).toDouble();
        report.series.append(point);
    }
    return report;
}

} // namespace spotkeeper::core
