// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// OperatorApi: GET /api/v1/cost, the cost report (docs/ANALYTICS.md) as JSON or CSV.
#include "export/csvexport.h"
#include "listener/operatorapi.h"
#include "operatorapi/operatorapijson.h"
#include "store/store.h"

#include <QJsonDocument>

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
// series), format=csv for the CSV export instead of JSON.
http::Response OperatorApi::costReport(const http::Request &request)
{
    CostQuery query;
    http::Response error;
    if (!readTimeRange(request, &query.from, &query.to, &error))
        return error;
    if (!query.to.isValid())
        query.to = m_clock.nowUtc();
    if (!query.from.isValid())
        query.from = query.to.addMSecs(-30 * kDayMs);
    if (query.to <= query.from || query.from.msecsTo(query.to) > kMaxRangeMs)
        return invalid(u"from/to: from before to, at most 400 days apart"_s);
    const QString group = request.queryItem(u"groupBy"_s);
    if (!group.isEmpty() && !costGroupFromString(group, &query.groupBy))
        return invalid(u"groupBy: vm, size, region or resource_group"_s);
    const QString bucket = request.queryItem(u"bucketSeconds"_s);
    bool okNumber = true;
    query.bucketMs = bucket.isEmpty() ? kDayMs : bucket.toLongLong(&okNumber) * 1000;
    if (!okNumber || query.bucketMs < 0
        || (query.bucketMs > 0 && query.from.msecsTo(query.to) / query.bucketMs > kMaxBuckets))
        return invalid(u"bucketSeconds: 0 (no series) or a bucket giving at most 5000 points"_s);
    const QString format = request.queryItem(u"format"_s);
    if (!format.isEmpty() && format != "csv"_L1 && format != "json"_L1)
        return invalid(u"format: json (the default) or csv"_s);

    const std::optional<CostReport> report = m_store.costReport(query);
    if (!report)
        return http::Response::error(503, u"store_unavailable"_s, m_store.lastError().message);
    if (format == "csv"_L1) {
        CsvWriter writer;
        writeCostCsv(*report, writer);
        qint64 rows = 0;
        return http::Response {200,
                               {{"Content-Type"_ba, "text/csv; charset=utf-8"_ba},
                                {"Content-Disposition"_ba, "attachment; filename=\"cost.csv\""_ba}},
                               writer.takeEncoded(&rows)};
    }
    return http::Response::json(200, QJsonDocument(toJson(*report)).toJson(QJsonDocument::Compact));
}

} // namespace spotkeeper::core
