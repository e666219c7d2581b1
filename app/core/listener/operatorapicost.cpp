// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// OperatorApi: GET /api/v1/cost, the cost report, and GET /api/v1/risk, its eviction risk
// (docs/ANALYTICS.md), as JSON or CSV.
#include "export/csvexport.h"
#include "listener/operatorapi.h"
#include "operatorapi/operatorapijson.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kDayMs = 24 * 3'600'000LL;
constexpr qint64 kMaxRangeMs = 400 * kDayMs; // a year and some
constexpr qint64 kMaxBuckets = 5000;

http::Response invalid(const QString &message)
{
    return http::Response::error(400, u"invalid_query"_s, message);
}

} // namespace

// ?from=&to= (ISO 8601; default the last 30 days up to now), groupBy=vm|size|region|
// resource_group (default size), bucketSeconds= (the series' bucket, default a day, 0 = no
// series), risk=true (the eviction risk per size and region too), format=csv for the CSV export
// instead of JSON.
http::Response OperatorApi::costReport(const http::Request &request)
{
    CostQuery query;
    http::Response error;
    if (!readCostQuery(request, &query, &error))
        return error;
    const QString format = request.queryItem(u"format"_s);
    const std::optional<CostReport> report = m_store.costReport(query);
    if (!report)
        return http::Response::error(503, u"store_unavailable"_s, m_store.lastError().message);
    if (format == "csv"_L1)
        return csvAnswer(*report, false);
    return http::Response::json(200, QJsonDocument(toJson(*report)).toJson(QJsonDocument::Compact));
}

// GET /api/v1/risk: the eviction risk per size and region (docs/ANALYTICS.md "Eviction
// risk") over ?from=&to= (default the last 30 days), JSON or format=csv.
http::Response OperatorApi::riskReport(const http::Request &request)
{
    CostQuery query;
    http::Response error;
    if (!readCostQuery(request, &query, &error))
        return error;
    query.bucketMs = 0;
    query.risk = true;
    const std::optional<CostReport> report = m_store.costReport(query);
    if (!report)
        return http::Response::error(503, u"store_unavailable"_s, m_store.lastError().message);
    if (request.queryItem(u"format"_s) == "csv"_L1)
        return csvAnswer(*report, true);
    QJsonArray rows;
    for (const RiskRow &row : report->risk)
        rows.append(toJson(row));
    const QJsonObject body {
        {u"from"_s, report->query.from.toUTC().toString(Qt::ISODateWithMs)},
        {u"to"_s, report->query.to.toUTC().toString(Qt::ISODateWithMs)},
        {u"computedAt"_s, report->computedAt.toUTC().toString(Qt::ISODateWithMs)},
        {u"rule"_s, riskFlagRule()},
        {u"rows"_s, rows},
    };
    return http::Response::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

bool OperatorApi::readCostQuery(const http::Request &request, CostQuery *query,
                                http::Response *error) const
{
    if (!readTimeRange(request, &query->from, &query->to, error))
        return false;
    if (!query->to.isValid())
        query->to = m_clock.nowUtc();
    if (!query->from.isValid())
        query->from = query->to.addMSecs(-30 * kDayMs);
    if (query->to <= query->from || query->from.msecsTo(query->to) > kMaxRangeMs) {
        *error = invalid(u"from/to: from before to, at most 400 days apart"_s);
        return false;
    }
    const QString group = request.queryItem(u"groupBy"_s);
    if (!group.isEmpty() && !costGroupFromString(group, &query->groupBy)) {
        *error = invalid(u"groupBy: vm, size, region or resource_group"_s);
        return false;
    }
    const QString bucket = request.queryItem(u"bucketSeconds"_s);
    bool okNumber = true;
    query->bucketMs = bucket.isEmpty() ? kDayMs : bucket.toLongLong(&okNumber) * 1000;
    if (!okNumber || query->bucketMs < 0
        || (query->bucketMs > 0
            && query->from.msecsTo(query->to) / query->bucketMs > kMaxBuckets)) {
        *error = invalid(u"bucketSeconds: 0 (no series) or a bucket giving at most 5000 points"_s);
        return false;
    }
    const QString risk = request.queryItem(u"risk"_s);
    if (!risk.isEmpty() && risk != "true"_L1 && risk != "false"_L1) {
        *error = invalid(u"risk: true or false"_s);
        return false;
    }
    query->risk = risk == "true"_L1;
    const QString format = request.queryItem(u"format"_s);
    if (!format.isEmpty() && format != "csv"_L1 && format != "json"_L1) {
        *error = invalid(u"format: json (the default) or csv"_s);
        return false;
    }
    return true;
}

http::Response OperatorApi::csvAnswer(const CostReport &report, bool risk)
{
    CsvWriter writer;
    if (risk)
        writeRiskCsv(report, writer);
    else
        writeCostCsv(report, writer);
    qint64 rows = 0;
    const QByteArray disposition =
        risk ? R"(attachment; filename="risk.csv")"_ba : R"(attachment; filename="cost.csv")"_ba;
    return http::Response {200,
                           {{"Content-Type"_ba, "text/csv; charset=utf-8"_ba},
                            {"Content-Disposition"_ba, disposition}},
                           writer.takeEncoded(&rows)};
}

} // namespace spotkeeper::core
