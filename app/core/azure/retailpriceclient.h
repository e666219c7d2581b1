// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/costtypes.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

// Client of the public Azure Retail Prices API (no credential): fetches the Spot and
// pay-as-you-go hourly prices of the given sizes per region, following NextPageLink.
// It keeps within the API's limits by itself: one request at a time, at least
// minIntervalMs apart, a 429 waits for its Retry-After (capped) and is retried a few
// times; every answer is parsed by retailprices::parsePage (untrusted input).
namespace spotkeeper::core {

struct RetailPriceClientOptions
{
    QUrl endpoint; // empty = retailprices::defaultEndpoint()
    int minIntervalMs = 500; // between two requests (2 per second)
    int timeoutMs = 30'000; // per request
    int maxPagesPerQuery = 20; // a filter for <= 10 sizes needs one or two
    int maxRetries = 3; // per request, after a 429, 5xx or network failure
    int defaultRetryAfterMs = 10'000; // a 429 without Retry-After
    qint64 maxBodyBytes = 8 * 1024 * 1024;
};

struct PriceFetchResult
{
    QList<PriceRecord> prices; // merged (one per region, size, OS and kind), fetchedAt unset
    int requests = 0;
    int throttled = 0; // 429 answers
    QStringList errors; // one line per query that failed; never a secret (there is none)
    bool complete() const { return errors.isEmpty(); }
};

class RetailPriceClient final : public QObject
{
    Q_OBJECT
public:
    explicit RetailPriceClient(RetailPriceClientOptions options = {}, QObject *parent = nullptr);
    ~RetailPriceClient() override;
    Q_DISABLE_COPY_MOVE(RetailPriceClient)

    QUrl endpoint() const { return m_options.endpoint; }
    // New options for the next fetch (false while one runs).
    bool setOptions(RetailPriceClientOptions options);
    bool isBusy() const { return m_busy; }
    // sizesByRegion: ARM region -> ARM sizes. done runs once, after every query finished or
    // failed. False (done not called) while another fetch runs.
    bool fetch(const QMap<QString, QStringList> &sizesByRegion,
               std::function<void(PriceFetchResult)> done);

private:
    struct Query
    {
        QUrl url;
        int page = 0;
        int retries = 0;
    };
    void sendNext();
    void handleReply(QNetworkReply *reply);
    void retryOrFail(const QString &why, qint64 waitMs);
    void finish();

    RetailPriceClientOptions m_options;
    QNetworkAccessManager *m_network = nullptr;
    QTimer m_pace;
    QElapsedTimer m_sinceLast;
    std::deque<Query> m_queries;
    QList<PriceRecord> m_collected;
    PriceFetchResult m_result;
    std::function<void(PriceFetchResult)> m_done;
    bool m_busy = false;
};

} // namespace spotkeeper::core
