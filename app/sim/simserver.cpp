// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/simserver.h"

#include "base/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {
constexpr qsizetype kMaxRecords = 500'000;

QByteArray entraError(const char *error, int code, const QString &description)
{
    return QJsonDocument(
               QJsonObject {{u"error"_s, QLatin1StringView(error)},
                            {u"error_description"_s, u"AADSTS%1: %2"_s.arg(code).arg(description)},
                            {u"error_codes"_s, QJsonArray {code}},
                            {u"timestamp"_s, simjson::isoTime(0)},
                            {u"trace_id"_s, u"00000000-0000-0000-0000-000000000000"_s},
                            {u"correlation_id"_s, u"00000000-0000-0000-0000-000000000000"_s}})
        .toJson(QJsonDocument::Compact);
}
} // namespace

SimServer::SimServer(FleetModel &model, const base::Clock &wallClock, ServerOptions options,
                     QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_wall(wallClock)
    , m_options(std::move(options))
    , m_server(std::make_unique<http::HttpServer>())
    , m_rng(m_options.seed ^ 0x5eed5U)
{
    http::Limits limits;
    limits.maxConnections = 4096;
    limits.maxBodyBytes = qsizetype(256) * 1024;
    m_server->setLimits(limits);
    m_server->setHandler([this](const http::Request &request, const ResponderPtr &responder) {
        handle(request, responder);
    });
    connect(&m_gceTimer, &QTimer::timeout, this, &SimServer::answerGceWaiters);
    m_priceBucket = TokenBucketSim(m_options.pricesBurst, m_options.pricesPerSecond / 1000.0,
                                   m_wall.nowMSecs());
}

SimServer::~SimServer() = default;

bool SimServer::listen(quint16 port, QString *error)
{
    return m_server->listen(QHostAddress(QHostAddress::LocalHost), port, error);
}

quint16 SimServer::port() const
{
    return m_server->serverPort();
}

QString SimServer::baseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(port());
}

QString SimServer::hostBase(const http::Request &request) const
{
    const QByteArray host = request.header("Host");
    return host.isEmpty() ? baseUrl() : u"http://"_s + QString::fromLatin1(host);
}

void SimServer::reply(const http::Request &request, const ResponderPtr &responder,
                      const http::Response &response, const QString &area)
{
    if (m_requests.size() >= size_t(kMaxRecords))
        m_requests.pop_front();
    m_requests.push_back(RequestRecord {m_wall.nowMSecs(), request.method,
                                        QString::fromUtf8(request.path), response.status, area});
    responder->send(response);
}

void SimServer::handle(const http::Request &request, const ResponderPtr &responder)
{
    m_model.advance();
    const QByteArray &path = request.path;
    if (path.startsWith("/control/"))
        handleControl(request, responder);
    else if (path.startsWith("/app/"))
        handleApp(request, responder);
    else if (path.startsWith("/imds/"))
        handleImds(request, responder);
    else if (path.startsWith("/gce/"))
        handleGce(request, responder);
    else if (path.startsWith("/aws-imds/"))
        handleAwsImds(request, responder);
    else if (path.startsWith("/compute/v1/"))
        handleCompute(request, responder);
    else if (path == "/logging/v2/entries:list")
        handleLogging(request, responder);
    else if (path == "/gcp/token")
        handleGcpToken(request, responder);
    else if (path == "/aws/" || path == "/aws")
        handleAws(request, responder);
    else if (path.startsWith("/subscriptions/"))
        handleArm(request, responder);
    else if (path == "/providers/Microsoft.ResourceGraph/resources")
        handleResourceGraph(request, responder);
    else if (path == "/api/retail/prices")
        handlePrices(request, responder);
    else if (path.endsWith("/oauth2/v2.0/token"))
        handleToken(request, responder);
    else
        reply(request, responder,
              http::Response::error(404, u"NotFound"_s, u"no such simulator route"_s), u"other"_s);
}

void SimServer::handleToken(const http::Request &request, const ResponderPtr &responder)
{
    const auto answer = [&](int status, const QByteArray &body) {
        reply(request, responder, http::Response::json(status, body), u"token"_s);
    };
    if (request.method != "POST")
        return answer(
            405,
            entraError("invalid_request", 900561, u"The endpoint only accepts POST requests."_s));
    if (m_options.tokenFailureRate > 0 && m_rng.generateDouble() < m_options.tokenFailureRate)
        return answer(503,
                      entraError("temporarily_unavailable", 50196,
                                 u"The server is temporarily unavailable (simulated)."_s));
    QByteArray body = request.body;
    body.replace('+', "%20");
    const QUrlQuery form(QString::fromLatin1(body));
    const auto field = [&form](const QString &name) {
        return form.queryItemValue(name, QUrl::FullyDecoded);
    };
    if (field(u"grant_type"_s) != "client_credentials"_L1)
        return answer(400,
                      entraError("unsupported_grant_type", 70003,
                                 u"The app requested an unsupported grant type."_s));
    if (!field(u"scope"_s).endsWith("/.default"_L1))
        return answer(400,
                      entraError("invalid_scope", 70011,
                                 u"The provided value for the input parameter 'scope' is not "
                                 "valid. The scope must end with /.default."_s));
    if (!m_options.clientId.isEmpty()
        && field(u"client_id"_s).compare(m_options.clientId, Qt::CaseInsensitive) != 0)
        return answer(400,
                      entraError("unauthorized_client", 700016,
                                 u"Application with identifier was not found in the "
                                 "directory."_s));
    if (!m_options.clientSecret.isEmpty()
        && field(u"client_secret"_s).toUtf8() != m_options.clientSecret)
        return answer(401,
                      entraError("invalid_client", 7000215, u"Invalid client secret provided."_s));
    const QByteArray token = "simtok-" + QByteArray::number(m_rng.generate64(), 16)
        + QByteArray::number(m_rng.generate64(), 16);
    m_tokens.insert(token, m_wall.nowMSecs() + qint64(m_options.tokenLifetimeSeconds) * 1000);
    ++m_tokensIssued;
    answer(200,
           QJsonDocument(QJsonObject {{u"token_type"_s, u"Bearer"_s},
                                      {u"expires_in"_s, m_options.tokenLifetimeSeconds},
                                      {u"ext_expires_in"_s, m_options.tokenLifetimeSeconds},
                                      {u"access_token"_s, QString::fromLatin1(token)}})
               .toJson(QJsonDocument::Compact));
}

QStringList SimServer::evict(int count, const QStringList &names, const QString &region,
                             bool notice)
{
    QList<int> chosen;
    if (!names.isEmpty()) {
        for (const QString &name : names) {
            const int index = m_model.findByName(name);
            if (index >= 0 && m_model.evict(index, notice))
                chosen.append(index);
        }
    } else if (count > 0) {
        chosen = m_model.evictRandom(count, region, notice);
    } else if (!region.isEmpty()) {
        chosen = m_model.evictRegion(region, notice);
    }
    QStringList out;
    for (int index : std::as_const(chosen))
        out << m_model.vm(index).name;
    if (onEvicted && !out.isEmpty())
        onEvicted(out);
    return out;
}

QStringList SimServer::raiseSpotPrice(const QString &size, double usd)
{
    QStringList out;
    for (int index : m_model.raiseSpotPrice(size, usd))
        out << m_model.vm(index).name;
    if (onEvicted && !out.isEmpty())
        onEvicted(out);
    return out;
}

QStringList SimServer::deallocateAsUser(const QStringList &names, const QString &caller,
                                        qint64 logDelayMs)
{
    return stopAsUser(names, caller, logDelayMs, true);
}

QStringList SimServer::stopAsUser(const QStringList &names, const QString &caller,
                                  qint64 logDelayMs, bool deallocate)
{
    QStringList out;
    for (const QString &name : names) {
        const int index = m_model.findByName(name);
        if (index >= 0
            && (deallocate ? m_model.deallocate(index, caller, logDelayMs)
                           : m_model.powerOff(index, caller, logDelayMs)))
            out << m_model.vm(index).name;
    }
    return out;
}

void SimServer::capacityShortage(const QString &region, const QString &size, qint64 simSeconds,
                                 const QString &code, bool async)
{
    CapacityWindow window;
    window.region = region;
    window.size = size;
    window.fromMs = m_model.nowMs();
    window.untilMs = window.fromMs + simSeconds * 1000;
    if (!code.isEmpty())
        window.code = code;
    window.async = async;
    m_model.addCapacityWindow(window);
}

void SimServer::throttleStorm(qint64 realSeconds)
{
    m_limits.startStorm(m_wall.nowMSecs() + realSeconds * 1000);
    m_awsStormUntilWallMs = m_wall.nowMSecs() + realSeconds * 1000;
}

void SimServer::setFaults(double error5xxRate, double dropRate, int delayMs,
                          double tokenFailureRate, double resetRate)
{
    m_options.resetRate = resetRate;
    m_options.error5xxRate = error5xxRate;
    m_options.dropRate = dropRate;
    m_options.delayMs = delayMs;
    m_options.tokenFailureRate = tokenFailureRate;
}

QJsonObject SimServer::stateJson() const
{
    const qint64 now = m_model.nowMs();
    QJsonArray vms;
    QHash<QString, int> byPower;
    for (int i = 0; i < m_model.vmCount(); ++i) {
        const SimVm &vm = m_model.vm(i);
        byPower[powerCode(vm.power)] += 1;
        vms.append(QJsonObject {{u"name"_s, vm.name},
                                {u"resourceId"_s, vm.resourceId()},
                                {u"location"_s, vm.location},
                                {u"size"_s, vm.size},
                                {u"evictionPolicy"_s, vm.evictionPolicy},
                                {u"power"_s, powerCode(vm.power)},
                                {u"powerSince"_s, simjson::isoTime(vm.powerSinceMs)},
                                {u"evictionPending"_s, vm.evictAtMs > 0},
                                {u"agent"_s, vm.agent},
                                {u"app"_s, vm.appHealthy ? u"healthy"_s : u"unhealthy"_s},
                                {u"restarts"_s, vm.restarts},
                                {u"incarnation"_s, vm.incarnation}});
    }
    QJsonObject powers;
    for (auto it = byPower.cbegin(); it != byPower.cend(); ++it)
        powers.insert(it.key(), it.value());
    const ModelCounters &c = m_model.counters();
    const auto availability = m_model.availability();
    return QJsonObject {{u"simTime"_s, simjson::isoTime(now)},
                        {u"wallTime"_s, simjson::isoTime(m_wall.nowMSecs())},
                        {u"vmCount"_s, m_model.vmCount()},
                        {u"powerStates"_s, powers},
                        {u"counters"_s,
                         QJsonObject {{u"evictions"_s, c.evictions},
                                      {u"evictionsWithoutNotice"_s, c.evictionsWithoutNotice},
                                      {u"startsAccepted"_s, c.startsAccepted},
                                      {u"startsOnRunning"_s, c.startsOnRunning},
                                      {u"doubleStarts"_s, c.doubleStarts},
                                      {u"startsRefusedCapacity"_s, c.startsRefusedCapacity},
                                      {u"startsRefusedPrice"_s, c.startsRefusedPrice},
                                      {u"startsRefusedBusy"_s, c.startsRefusedBusy},
                                      {u"startsSucceeded"_s, c.startsSucceeded},
                                      {u"startsFailed"_s, c.startsFailed},
                                      {u"acks"_s, c.acks},
                                      {u"scaleSetStarts"_s, c.scaleSetStarts},
                                      {u"scaleSetStartInstances"_s, c.scaleSetStartInstances},
                                      {u"userDeallocations"_s, c.userDeallocations},
                                      {u"userPowerOffs"_s, c.userPowerOffs},
                                      {u"restarts"_s, c.restarts},
                                      {u"throttled"_s, m_limits.throttled()},
                                      {u"requestsBeforeRetryAfter"_s, m_limits.violations()},
                                      {u"tokensIssued"_s, m_tokensIssued},
                                      {u"pricesThrottled"_s, m_prices429},
                                      {u"injected5xx"_s, m_injected5xx},
                                      {u"dropped"_s, m_dropped},
                                      {u"resets"_s, m_resets},
                                      {u"armReads"_s, m_armReads.total},
                                      {u"armReadListPages"_s, m_armReads.listPages},
                                      {u"armReadVmGets"_s, m_armReads.vmGets},
                                      {u"armReadOperationPolls"_s, m_armReads.operationPolls},
                                      {u"armReadActivityPages"_s, m_armReads.activityPages},
                                      {u"armWrites"_s, m_armWrites},
                                      {u"requests"_s, qint64(m_requests.size())}}},
                        {u"availability"_s, availability.ratio()},
                        {u"runningVmMinutes"_s, availability.runningVmMs / 60'000.0},
                        {u"bestVmMinutes"_s, availability.bestVmMs / 60'000.0},
                        {u"losses"_s, lossesJson(m_model.losses())},
                        {u"aws"_s, awsJson()},
                        {u"vms"_s, vms}};
}

SimServer::VmRoute SimServer::vmRoute(const QByteArray &path, qsizetype prefixLength) const
{
    const QString text = QString::fromUtf8(path);
    const qsizetype slash = text.indexOf(u'/', prefixLength);
    VmRoute route;
    route.vmName = text.mid(prefixLength, slash < 0 ? -1 : slash - prefixLength);
    route.rest = slash < 0 ? QString() : text.mid(slash);
    route.index = m_model.findByName(route.vmName);
    return route;
}

QJsonObject SimServer::lossesJson(const LossBreakdown &l)
{
    const auto minutes = [](qint64 ms) {
        return double(ms) / 60'000.0;
    };
    return QJsonObject {{u"outages"_s, l.outages},
                        {u"outagesWithNotice"_s, l.outagesWithNotice},
                        {u"outagesWithShortage"_s, l.outagesWithShortage},
                        {u"detectionVmMinutes"_s, minutes(l.detectionMs)},
                        {u"detectionNoNoticeVmMinutes"_s, minutes(l.detectionNoNoticeMs)},
                        {u"retriesVmMinutes"_s, minutes(l.retriesMs)},
                        {u"retriesShortageVmMinutes"_s, minutes(l.retriesShortageMs)},
                        {u"maxLossMinutes"_s, minutes(l.maxLossMs)}};
}

QJsonObject SimServer::recordsJson() const
{
    QJsonArray starts;
    for (const StartRecord &s : m_model.starts()) {
        starts.append(QJsonObject {{u"simTime"_s, simjson::isoTime(s.simMs)},
                                   {u"wallMs"_s, s.wallMs},
                                   {u"vm"_s, s.vmKey},
                                   {u"powerBefore"_s, powerCode(s.powerBefore)},
                                   {u"onRunning"_s, s.onRunning},
                                   {u"whileInFlight"_s, s.whileInFlight},
                                   {u"status"_s, s.httpStatus},
                                   {u"outcome"_s, s.outcome}});
    }
    QJsonArray restarts;
    for (const RestartRecord &r : m_model.restarts())
        restarts.append(QJsonObject {{u"simTime"_s, simjson::isoTime(r.simMs)},
                                     {u"wallMs"_s, r.wallMs},
                                     {u"vm"_s, r.vmKey},
                                     {u"caller"_s, r.caller}});
    QJsonArray requests;
    const size_t first = m_requests.size() > 20'000 ? m_requests.size() - 20'000 : 0;
    for (size_t i = first; i < m_requests.size(); ++i) {
        const RequestRecord &r = m_requests[i];
        requests.append(QJsonObject {{u"wallMs"_s, r.wallMs},
                                     {u"method"_s, QString::fromLatin1(r.method)},
                                     {u"path"_s, r.path},
                                     {u"status"_s, r.status},
                                     {u"area"_s, r.area}});
    }
    QJsonObject records = stateJson();
    records.remove(u"vms"_s);
    records.insert(u"starts"_s, starts);
    records.insert(u"restarts"_s, restarts);
    records.insert(u"requests"_s, requests);
    if (agentRecords)
        records.insert(u"agents"_s, agentRecords());
    return records;
}

} // namespace spotkeeper::sim
