// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The simulator's Azure Resource Graph query API for the Spot risk Azure publishes
// (POST /providers/Microsoft.ResourceGraph/resources, docs/SIMULATOR.md): the SpotResources
// rows of the eviction-rate and price-history types for the regions and sizes the KQL names
// (`location in~ (...)`, `sku.name in~ (...)`; none named: the simulated fleet's Azure ones),
// made up but stable, in the documented answer shape, paged by $top and $skipToken, behind
// the same bearer token check and ARM read limits as the ARM routes.
#include "sim/fleetmodel.h"
#include "sim/simserver.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

constexpr std::array kBands {"0-5", "5-10", "10-15", "15-20", "20+"};
constexpr int kMaxTop = 1000;

// A stable index in [0, n) for a name.
int pick(const QString &name, int n)
{
    const QByteArray hash = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256);
    return int(quint8(hash.at(0)) % n);
}

// The quoted names of `<field> in~ ('a', 'b')` in the KQL, lower-cased.
QStringList namesIn(const QString &kql, const QString &field)
{
    const QRegularExpression list(QRegularExpression::escape(field)
                                  + u"\\s+in~\\s+\\(([^)]*)\\)"_s);
    const QRegularExpressionMatch m = list.match(kql);
    QStringList out;
    if (!m.hasMatch())
        return out;
    static const QRegularExpression quoted(u"'([^']*)'"_s);
    for (auto it = quoted.globalMatch(m.captured(1)); it.hasNext();)
        out << it.next().captured(1).toLower();
    return out;
}

QJsonObject evictionRow(const QString &region, const QString &size)
{
    return QJsonObject {{u"skuName"_s, size},
                        {u"location"_s, region},
                        {u"evictionRate"_s,
                         QString::fromLatin1(kBands.at(
                             std::size_t(pick(u"band:"_s + region + size, int(kBands.size())))))}};
}

// The Spot price of the retail list (Linux or Windows meter) and two older, higher points.
QJsonObject priceHistoryRow(const QString &region, const QString &size, bool windows,
                            const QList<QJsonObject> &retailItems)
{
    double spot = 0;
    for (const QJsonObject &item : retailItems) {
        if (item.value(u"skuName"_s).toString().endsWith(" Spot"_L1)
            && item.value(u"productName"_s).toString().contains("Windows"_L1) == windows) {
            spot = item.value(u"retailPrice"_s).toDouble();
            break;
        }
    }
    QJsonArray points;
    for (int monthsAgo = 0; monthsAgo < 3; ++monthsAgo) {
        points.append(
            QJsonObject {{u"effectiveDate"_s,
                          QDate(2026, 11 - monthsAgo, 1).startOfDay(Qt::UTC).toString(Qt::ISODate)},
                         {u"priceUSD"_s, std::round(spot * (1.0 + 0.05 * monthsAgo) * 1e6) / 1e6}});
    }
    return QJsonObject {{u"skuName"_s, size},
                        {u"osType"_s, windows ? u"Windows"_s : u"Linux"_s},
                        {u"location"_s, region},
                        {u"spotPrices"_s, points}};
}

} // namespace

// The regions and sizes the KQL names; for a list it does not name, the simulated fleet's
// Azure ones.
void SimServer::resourceGraphNames(const QString &kql, QStringList *regions,
                                   QStringList *sizes) const
{
    *regions = namesIn(kql, u"location"_s);
    *sizes = namesIn(kql, u"sku.name"_s);
    const bool allRegions = regions->isEmpty();
    const bool allSizes = sizes->isEmpty();
    for (int i = 0; i < m_model.vmCount() && (allRegions || allSizes); ++i) {
        const SimVm &vm = m_model.vm(i);
        if (!vm.gcpProject.isEmpty() || !vm.awsAccount.isEmpty())
            continue;
        if (allRegions)
            *regions << vm.location.toLower();
        if (allSizes)
            *sizes << vm.size.toLower();
    }
    regions->removeDuplicates();
    sizes->removeDuplicates();
}

// Resource Graph's query API is tenant-wide (no subscription in its path) but has ARM's
// front door: a bearer token this simulator issued, an api-version, and ARM's read bucket,
// counted as a read (bench_e2e's ARM reads). ARM's injected faults do not apply.
void SimServer::handleResourceGraph(const http::Request &request, const ResponderPtr &responder)
{
    m_model.advance();
    const QByteArray auth = request.header("Authorization");
    const auto token = auth.startsWith("Bearer ") ? m_tokens.constFind(auth.mid(7).trimmed())
                                                  : m_tokens.constEnd();
    if (token == m_tokens.constEnd() || *token <= m_wall.nowMSecs())
        return reply(request, responder,
                     armError(401, u"InvalidAuthenticationToken"_s,
                              u"The access token is missing, invalid or expired."_s),
                     u"arm"_s);
    if (request.queryItem(u"api-version"_s).isEmpty())
        return reply(request, responder,
                     armError(400, u"MissingApiVersionParameter"_s,
                              u"The api-version query parameter (?api-version=) is required."_s),
                     u"arm"_s);
    ++m_armReads.total;
    const ArmLimits::Decision decision =
        m_limits.check(ArmLimits::Kind::Read, QString(), QString(), m_wall.nowMSecs());
    http::Response response = decision.allowed
        ? resourceGraph(request)
        : armError(429, u"RateLimiting"_s,
                   u"Please provide below info when asking for support: the request was "
                   "throttled (%1); retry after %2 seconds."_s.arg(decision.policy)
                       .arg(decision.retryAfterSeconds));
    if (!decision.allowed)
        response.headers.append({"Retry-After", QByteArray::number(decision.retryAfterSeconds)});
    response.headers.append(decision.headers);
    reply(request, responder, response, u"arm"_s);
}

http::Response SimServer::resourceGraph(const http::Request &request)
{
    if (request.method != "POST")
        return armError(405, u"MethodNotAllowed"_s, u"Resource Graph queries are POSTed."_s);
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString kql = body.value(u"query"_s).toString();
    const bool evictions = kql.contains("microsoft.compute/skuspotevictionrate/location"_L1);
    const bool prices = kql.contains("microsoft.compute/skuspotpricehistory/ostype/location"_L1);
    if (!kql.startsWith("SpotResources"_L1) || evictions == prices)
        return armError(400, u"BadRequest"_s,
                        u"The simulator answers SpotResources queries of the eviction-rate or"
                        " price-history type only."_s);
    QStringList regions;
    QStringList sizes;
    resourceGraphNames(kql, &regions, &sizes);
    QList<QJsonObject> rows;
    for (const QString &region : std::as_const(regions)) {
        for (const QString &size : std::as_const(sizes)) {
            if (evictions) {
                rows << evictionRow(region, size);
                continue;
            }
            const QList<QJsonObject> retail = priceItems(region, size);
            rows << priceHistoryRow(region, size, false, retail)
                 << priceHistoryRow(region, size, true, retail);
        }
    }
    const QJsonObject options = body.value(u"options"_s).toObject();
    // Pages of at most the ARM list page size, like the ARM routes.
    const int top =
        std::clamp(options.value(u"$top"_s).toInt(100), 1, std::min(kMaxTop, m_options.pageSize));
    const qsizetype offset = std::max<qsizetype>(
        0,
        QByteArray::fromBase64(options.value(u"$skipToken"_s).toString().toLatin1()).toLongLong());
    QJsonArray data;
    for (qsizetype i = offset; i < rows.size() && data.size() < top; ++i)
        data.append(rows.at(i));
    QJsonObject answer {{u"totalRecords"_s, double(rows.size())},
                        {u"count"_s, double(data.size())},
                        {u"resultTruncated"_s, u"false"_s},
                        {u"data"_s, data},
                        {u"facets"_s, QJsonArray()}};
    if (offset + data.size() < rows.size())
        answer.insert(u"$skipToken"_s,
                      QString::fromLatin1(QByteArray::number(offset + data.size()).toBase64()));
    return http::Response::json(200, QJsonDocument(answer).toJson(QJsonDocument::Compact));
}

} // namespace spotkeeper::sim
