// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/retailpriceclient.h"

#include "azure/armerror.h"
#include "azure/retailprices.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

RetailPriceClient::RetailPriceClient(RetailPriceClientOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_network(new QNetworkAccessManager(this))
{
    if (m_options.endpoint.isEmpty())
        m_options.endpoint = retailprices::defaultEndpoint();
    m_pace.setSingleShot(true);
    connect(&m_pace, &QTimer::timeout, this, &RetailPriceClient::sendNext);
}

RetailPriceClient::~RetailPriceClient() = default;

bool RetailPriceClient::setOptions(RetailPriceClientOptions options)
{
    if (m_busy)
        return false;
    m_options = std::move(options);
    if (m_options.endpoint.isEmpty())
        m_options.endpoint = retailprices::defaultEndpoint();
    return true;
}

bool RetailPriceClient::fetch(const QMap<QString, QStringList> &sizesByRegion,
                              std::function<void(PriceFetchResult)> done)
{
    if (m_busy)
        return false;
    m_busy = true;
    m_done = std::move(done);
    m_result = {};
    m_collected.clear();
    m_queries.clear();
    for (auto it = sizesByRegion.cbegin(); it != sizesByRegion.cend(); ++it) {
        QStringList sizes;
        for (const QString &size : it.value()) {
            if (retailprices::isArmName(size) && !sizes.contains(size, Qt::CaseInsensitive))
                sizes << size;
        }
        if (!retailprices::isArmName(it.key()) || sizes.isEmpty())
            continue;
        for (qsizetype i = 0; i < sizes.size(); i += retailprices::MaxSizesPerRequest)
            m_queries.push_back(Query {retailprices::requestUrl(
                m_options.endpoint, it.key(), sizes.mid(i, retailprices::MaxSizesPerRequest))});
    }
    // Asynchronous even when there is nothing to ask: done never runs inside fetch().
    m_pace.start(0);
    return true;
}

void RetailPriceClient::sendNext()
{
    if (m_queries.empty()) {
        finish();
        return;
    }
    if (m_sinceLast.isValid() && m_sinceLast.elapsed() < m_options.minIntervalMs) {
        m_pace.start(int(m_options.minIntervalMs - m_sinceLast.elapsed()));
        return;
    }
    m_sinceLast.start();
    QNetworkRequest request(m_queries.front().url);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(m_options.timeoutMs);
    // NextPageLink is checked by the parser; a redirect would bypass that check.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    ++m_result.requests;
    QNetworkReply *reply = m_network->get(request);
    reply->setReadBufferSize(0);
    connect(reply, &QNetworkReply::downloadProgress, reply, [this, reply](qint64 received, qint64) {
        if (received > m_options.maxBodyBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { handleReply(reply); });
}

void RetailPriceClient::handleReply(QNetworkReply *reply)
{
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 429) {
        ++m_result.throttled;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QDateTime at = armerror::parseRetryAfter(reply->rawHeader("Retry-After"), now);
        retryOrFail(u"throttled (429)"_s,
                    at.isValid() ? std::max<qint64>(0, now.msecsTo(at))
                                 : m_options.defaultRetryAfterMs);
        return;
    }
    if (reply->error() != QNetworkReply::NoError && status < 400) {
        retryOrFail(u"network: "_s + reply->errorString(), m_options.minIntervalMs);
        return;
    }
    if (status >= 500) {
        retryOrFail(u"HTTP %1"_s.arg(status), m_options.minIntervalMs * 2);
        return;
    }
    Query query = m_queries.front();
    m_queries.pop_front();
    if (status != 200) {
        m_result.errors << u"%1: HTTP %2"_s.arg(query.url.host()).arg(status);
        m_pace.start(0);
        return;
    }
    const QByteArray body = reply->readAll();
    QString error;
    const std::optional<retailprices::PricesPage> page =
        retailprices::parsePage(body, query.url, &error);
    if (!page) {
        m_result.errors << error;
    } else {
        m_collected << page->prices;
        if (!page->nextPage.isEmpty()) {
            if (query.page + 1 >= m_options.maxPagesPerQuery)
                m_result.errors << u"more than %1 pages for one query; the rest is left out"_s.arg(
                    m_options.maxPagesPerQuery);
            else
                m_queries.push_front(Query {page->nextPage, query.page + 1, 0});
        }
    }
    m_pace.start(0);
}

void RetailPriceClient::retryOrFail(const QString &why, qint64 waitMs)
{
    Query &query = m_queries.front();
    if (++query.retries > m_options.maxRetries) {
        m_result.errors << u"%1 after %2 attempts"_s.arg(why).arg(query.retries);
        m_queries.pop_front();
        m_pace.start(0);
        return;
    }
    const qint64 wait =
        std::clamp<qint64>(waitMs, m_options.minIntervalMs, armerror::kMaxRetryAfterMs);
    m_pace.start(int(wait));
}

void RetailPriceClient::finish()
{
    m_result.prices = retailprices::mergePrices(m_collected);
    m_collected.clear();
    m_busy = false;
    auto done = std::move(m_done);
    m_done = {};
    if (done)
        done(std::move(m_result));
}

} // namespace spotkeeper::core
