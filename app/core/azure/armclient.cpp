// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/armclient.h"

#include "azure/armparsers.h"
#include "base/clock.h"
#include "protocol/azurenames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcArm)

namespace spotkeeper::core {

namespace {

CallResult failure(FailureClass cls, const QString &code, const QString &message)
{
    CallResult call;
    call.failure = cls;
    call.errorCode = code;
    call.errorMessage = message;
    return call;
}

// Empty when the id is usable; else the call result that says why not.
std::optional<CallResult> badSubscription(const QString &subscriptionId)
{
    const QString problem = protocol::checkSubscriptionId(subscriptionId);
    if (problem.isEmpty())
        return std::nullopt;
    return failure(FailureClass::Fatal, u"InvalidSubscriptionId"_s,
                   u"subscription id: %1"_s.arg(problem));
}

QUrl withQueryItem(QUrl url, const QString &key, const QString &value)
{
    QUrlQuery query(url);
    query.addQueryItem(key, value);
    url.setQuery(query);
    return url;
}

// A malformed subscription id: done is answered at once (nothing is sent) and true returned.
template<class Result>
bool refusedSubscription(const QString &subscriptionId, const std::function<void(Result)> &done)
{
    const auto bad = badSubscription(subscriptionId);
    if (!bad)
        return false;
    Result result;
    result.call = *bad;
    done(result);
    return true;
}

CallResult badResourceId(const QString &resourceId)
{
    return failure(FailureClass::Fatal, u"InvalidResourceId"_s,
                   u"not a virtual machine resource id: '%1'"_s.arg(resourceId.left(300)));
}

} // namespace

struct ArmClient::Follow
{
    QString resourceId;
    QUrl url;
    QDateTime startedAt;
    QString correlationId; // of the start POST
    int errors = 0;
    std::function<void(StartResult)> done;
};

struct ListState
{
    ListResult result; // pages and call for either kind
    QSet<QString> seen;
    std::function<void(ListResult)> done;
    bool scaleSets = false; // a scale set listing: sets, doneScaleSets
    QList<armparsers::ScaleSetInfo> sets;
    std::function<void(ScaleSetListResult)> doneScaleSets;
};

constexpr int kMaxEvidencePages = 20;

struct EvidenceState
{
    EvidenceResult result;
    int pages = 0;
    int maxPages = kMaxEvidencePages;
    std::function<void(EvidenceResult)> done;
    // A subscription-wide listing (evictionEvidenceInSubscription): every resource's latest.
    FleetEvidenceResult fleet;
    std::function<void(FleetEvidenceResult)> doneFleet;

    void finish()
    {
        if (doneFleet) {
            fleet.call = result.call;
            fleet.pages = pages;
            doneFleet(fleet);
        } else {
            done(result);
        }
    }
};

ArmClient::ArmClient(AccessTokenSource *credential, ArmClientOptions options,
                     const base::Clock &clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_network(new QNetworkAccessManager(this))
    , m_queue(new ArmRequestQueue(credential, m_network, clock, m_options.budgets, this))
{
    m_queue->setTimeoutMs(m_options.requestTimeoutMs);
}

ArmClient::~ArmClient()
{
    // The queue first: pending and in-flight callbacks capture this object and must not run
    // while it is half destroyed; then the network manager aborts what is left.
    delete m_queue;
    delete m_network;
}

QUrl ArmClient::resourceUrl(const QString &path, const QString &suffix) const
{
    QUrl url = m_options.armUrl;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path + suffix);
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, m_options.apiVersion);
    url.setQuery(query);
    return url;
}

bool ArmClient::isArmUrl(const QUrl &url) const
{
    const QUrl &arm = m_options.armUrl;
    return url.isValid() && url.scheme() == arm.scheme()
        && url.host().compare(arm.host(), Qt::CaseInsensitive) == 0
        && url.port(url.scheme() == "https"_L1 ? 443 : 80)
        == arm.port(arm.scheme() == "https"_L1 ? 443 : 80);
}

void ArmClient::instanceView(const QString &resourceId, std::function<void(PowerStateResult)> done)
{
    if (!armparsers::parseVmResourceId(resourceId)) {
        done(PowerStateResult {badResourceId(resourceId), PowerState::Unknown});
        return;
    }
    m_queue->send(ArmRequestQueue::Kind::Read, "GET", resourceUrl(resourceId, u"/instanceView"_s),
                  resourceId, [done = std::move(done)](ArmReply reply) {
                      PowerStateResult result;
                      result.call = reply.call;
                      if (reply.status == 404) {
                          result.state = PowerState::Deleted; // Delete-policy eviction
                      } else if (reply.call.ok()) {
                          QString error;
                          if (const auto state = armparsers::parseInstanceView(reply.body, &error))
                              result.state = *state;
                          else
                              result.call =
                                  failure(FailureClass::Transient, u"InvalidResponse"_s, error);
                      }
                      done(result);
                  });
}

void ArmClient::startVm(const QString &resourceId, std::function<void(const QString &)> progress,
                        std::function<void(StartResult)> done, bool follow)
{
    if (!armparsers::parseVmResourceId(resourceId)) {
        done(StartResult {badResourceId(resourceId), {}, false});
        return;
    }
    postStart(ArmRequestQueue::Kind::Start, resourceUrl(resourceId, u"/start"_s), resourceId, {},
              std::move(progress), std::move(done), follow);
}

void ArmClient::startScaleSetInstances(const QString &scaleSetId, const QStringList &instanceIds,
                                       std::function<void(const QString &)> progress,
                                       std::function<void(StartResult)> done, bool follow)
{
    // The same check as for one instance: the scale set's id plus any instance must parse.
    if (instanceIds.isEmpty()
        || !armparsers::parseVmResourceId(scaleSetId + u"/virtualMachines/"_s
                                          + instanceIds.first())) {
        done(StartResult {badResourceId(scaleSetId), {}, false});
        return;
    }
    QJsonArray ids;
    for (const QString &id : instanceIds)
        ids.append(id);
    const QByteArray body =
        QJsonDocument(QJsonObject {{u"instanceIds"_s, ids}}).toJson(QJsonDocument::Compact);
    // Compute's per-VM start policy is per VM resource and Microsoft documents none for a scale
    // set's start: it is charged to the subscription's write bucket only.
    postStart(ArmRequestQueue::Kind::Write, resourceUrl(scaleSetId, u"/start"_s), scaleSetId, body,
              std::move(progress), std::move(done), follow);
}

void ArmClient::postStart(ArmRequestQueue::Kind kind, const QUrl &target, const QString &resourceId,
                          const QByteArray &body, std::function<void(const QString &)> progress,
                          std::function<void(StartResult)> done, bool follow)
{
    m_queue->send(
        kind, "POST", target, resourceId, body,
        [this, resourceId, follow, progress = std::move(progress),
         done = std::move(done)](ArmReply reply) {
            if (!reply.call.ok()) {
                done(StartResult {reply.call, {}, false});
                return;
            }
            if (reply.status != 202) { // 200: completed synchronously
                done(StartResult {reply.call, {}, true});
                return;
            }
            QByteArray url = armerror::headerValue(reply.headers, "Azure-AsyncOperation");
            if (url.isEmpty())
                url = armerror::headerValue(reply.headers, "Location");
            if (url.isEmpty()) { // accepted, nothing to follow: the engine polls power state
                done(StartResult {reply.call, {}, false});
                return;
            }
            const QString asyncUrl = QString::fromLatin1(url.trimmed());
            if (!isArmUrl(QUrl(asyncUrl))) {
                done(StartResult {failure(FailureClass::Fatal, u"UntrustedAsyncUrl"_s,
                                          u"async operation URL is not on the ARM host; not "
                                          "following it with a token"_s),
                                  {},
                                  false});
                return;
            }
            if (!follow) {
                done(StartResult {reply.call, asyncUrl, false});
                return;
            }
            if (progress)
                progress(asyncUrl);
            auto state = std::make_shared<Follow>();
            state->resourceId = resourceId;
            state->url = QUrl(asyncUrl);
            state->startedAt = m_clock.nowUtc();
            state->correlationId = reply.call.correlationId;
            state->done = done;
            schedulePoll(
                state,
                armerror::parseRetryAfter(armerror::headerValue(reply.headers, "Retry-After"),
                                          m_clock.nowUtc()));
        });
}

void ArmClient::deallocateVm(const QString &resourceId, std::function<void(CallResult)> done)
{
    postVmAction(resourceId, u"/deallocate"_s, std::move(done));
}

void ArmClient::restartVm(const QString &resourceId, std::function<void(CallResult)> done)
{
    postVmAction(resourceId, u"/restart"_s, std::move(done));
}

void ArmClient::postVmAction(const QString &resourceId, const QString &action,
                             std::function<void(CallResult)> done)
{
    if (!armparsers::parseVmResourceId(resourceId)) {
        done(badResourceId(resourceId));
        return;
    }
    // Accepted (202) is enough: the reconciler and the engine observe the power change.
    m_queue->send(ArmRequestQueue::Kind::Start, "POST", resourceUrl(resourceId, action), resourceId,
                  [done = std::move(done)](ArmReply reply) { done(reply.call); });
}

void ArmClient::vmSettings(const QString &resourceId, std::function<void(VmSettingsResult)> done)
{
    if (!armparsers::parseVmResourceId(resourceId)) {
        done(VmSettingsResult {badResourceId(resourceId), {}, std::nullopt});
        return;
    }
    m_queue->send(ArmRequestQueue::Kind::Read, "GET", resourceUrl(resourceId, {}), resourceId,
                  [done = std::move(done)](const ArmReply &reply) {
                      VmSettingsResult result;
                      result.call = reply.call;
                      if (reply.call.ok()) {
                          QString error;
                          if (auto parsed = armparsers::parseVmSettings(reply.body, &error)) {
                              result.size = parsed->size;
                              result.maxPrice = parsed->maxPrice;
                          } else {
                              result.call =
                                  failure(FailureClass::Transient, u"InvalidResponse"_s, error);
                          }
                      }
                      done(result);
                  });
}

void ArmClient::availableSizes(const QString &resourceId, std::function<void(VmSizesResult)> done)
{
    if (!armparsers::parseVmResourceId(resourceId)) {
        done(VmSizesResult {badResourceId(resourceId), {}});
        return;
    }
    m_queue->send(ArmRequestQueue::Kind::Read, "GET", resourceUrl(resourceId, u"/vmSizes"_s),
                  resourceId, [done = std::move(done)](const ArmReply &reply) {
                      VmSizesResult result;
                      result.call = reply.call;
                      if (reply.call.ok()) {
                          QString error;
                          if (auto sizes = armparsers::parseVmSizes(reply.body, &error))
                              result.sizes = *sizes;
                          else
                              result.call =
                                  failure(FailureClass::Transient, u"InvalidResponse"_s, error);
                      }
                      done(result);
                  });
}

void ArmClient::changeSettings(const QString &resourceId, const VmSettingsChange &change,
                               std::function<void(CallResult)> done)
{
    if (!armparsers::parseVmResourceId(resourceId)) {
        done(badResourceId(resourceId));
        return;
    }
    m_queue->send(ArmRequestQueue::Kind::Start, "PATCH", resourceUrl(resourceId, {}), resourceId,
                  armparsers::vmSettingsPatch(change),
                  [this, resourceId, done = std::move(done)](const ArmReply &reply) {
                      QByteArray url = armerror::headerValue(reply.headers, "Azure-AsyncOperation");
                      if (!reply.call.ok() || reply.status == 200 || url.isEmpty()) {
                          done(reply.call); // 200: applied; 201/202 without a URL: accepted
                          return;
                      }
                      followOperation(resourceId, QString::fromLatin1(url.trimmed()),
                                      [done](const StartResult &result) {
                                          CallResult call = result.call;
                                          if (call.ok() && !result.finished)
                                              call =
                                                  failure(FailureClass::Transient,
                                                          u"OperationStillInProgress"_s,
                                                          u"the update did not finish in time"_s);
                                          done(call);
                                      });
                  });
}

void ArmClient::followOperation(const QString &resourceId, const QString &url,
                                std::function<void(StartResult)> done)
{
    const QUrl parsed(url);
    if (!isArmUrl(parsed)) {
        done(StartResult {failure(FailureClass::Fatal, u"UntrustedAsyncUrl"_s,
                                  u"async operation URL is not on the ARM host"_s),
                          url, false});
        return;
    }
    auto follow = std::make_shared<Follow>();
    follow->resourceId = resourceId;
    follow->url = parsed;
    follow->startedAt = m_clock.nowUtc();
    follow->done = std::move(done);
    poll(follow);
}

void ArmClient::schedulePoll(std::shared_ptr<Follow> follow, const QDateTime &retryAfter)
{
    qint64 delay = m_options.defaultPollIntervalMs;
    if (retryAfter.isValid())
        delay = m_clock.nowUtc().msecsTo(retryAfter);
    delay = std::clamp<qint64>(delay, 0, m_options.maxPollIntervalMs);
    QTimer::singleShot(int(delay), this, [this, follow] { poll(follow); });
}

void ArmClient::poll(std::shared_ptr<Follow> follow)
{
    const QString asyncUrl = follow->url.toString(QUrl::FullyEncoded);
    if (follow->startedAt.msecsTo(m_clock.nowUtc()) > m_options.maxFollowMs) {
        follow->done(StartResult {failure(FailureClass::Transient, u"OperationStillInProgress"_s,
                                          u"start still in progress; resume following later"_s),
                                  asyncUrl, false});
        return;
    }
    m_queue->send(
        ArmRequestQueue::Kind::Read, "GET", follow->url, follow->resourceId,
        [this, follow, asyncUrl](ArmReply reply) {
            // Report the start POST's correlation id: the attempt operators look up in Azure.
            if (!follow->correlationId.isEmpty())
                reply.call.correlationId = follow->correlationId;
            const QDateTime retryAfter = reply.call.retryAfter.isValid()
                ? reply.call.retryAfter
                : armerror::parseRetryAfter(armerror::headerValue(reply.headers, "Retry-After"),
                                            m_clock.nowUtc());
            if (!reply.call.ok()) {
                if (isRetryable(reply.call.failure)
                    && ++follow->errors <= m_options.maxPollErrors) {
                    schedulePoll(follow, retryAfter);
                    return;
                }
                follow->done(StartResult {reply.call, asyncUrl, false});
                return;
            }
            follow->errors = 0;
            if (reply.status == 202) { // Location monitor: still running
                schedulePoll(follow, retryAfter);
                return;
            }
            if (reply.body.trimmed().isEmpty()) { // Location monitor: 200 empty = done
                follow->done(StartResult {reply.call, asyncUrl, true});
                return;
            }
            QString error;
            const auto status = armparsers::parseOperationStatus(reply.body, &error);
            if (!status) { // a final resource body from a Location URL
                follow->done(StartResult {reply.call, asyncUrl, true});
                return;
            }
            using State = armparsers::OperationStatus::State;
            if (status->state == State::InProgress) {
                schedulePoll(follow, retryAfter);
                return;
            }
            StartResult result {reply.call, asyncUrl, true};
            if (status->state != State::Succeeded) {
                const bool canceled = status->state == State::Canceled;
                result.call.errorCode = status->error.code.isEmpty()
                    ? (canceled ? u"OperationCanceled"_s : u"OperationFailed"_s)
                    : status->error.code;
                result.call.errorMessage = status->error.message.isEmpty()
                    ? u"start operation %1"_s.arg(canceled ? u"was canceled"_s : u"failed"_s)
                    : status->error.message;
                FailureClass cls = armerror::classify(200, status->error);
                if (status->error.code.isEmpty() || (canceled && cls == FailureClass::Fatal))
                    cls = canceled ? FailureClass::Transient : FailureClass::Fatal;
                result.call.failure = cls;
                qCWarning(lcArm).noquote()
                    << "start of" << follow->resourceId << "ended" << result.call.errorCode;
            }
            follow->done(result);
        });
}

void ArmClient::listVms(const QString &subscriptionId, bool statusOnly,
                        std::function<void(ListResult)> done)
{
    if (refusedSubscription(subscriptionId, done))
        return;
    const QUrl url = resourceUrl(
        u"/subscriptions/%1/providers/Microsoft.Compute/virtualMachines"_s.arg(subscriptionId), {});
    listVmPages(statusOnly ? withQueryItem(url, u"statusOnly"_s, u"true"_s) : url, std::move(done));
}

void ArmClient::listScaleSets(const QString &subscriptionId,
                              std::function<void(ScaleSetListResult)> done)
{
    if (refusedSubscription(subscriptionId, done))
        return;
    auto state = std::make_shared<ListState>();
    state->scaleSets = true;
    state->doneScaleSets = std::move(done);
    listPage(
        state,
        resourceUrl(u"/subscriptions/%1/providers/Microsoft.Compute/virtualMachineScaleSets"_s.arg(
                        subscriptionId),
                    {}));
}

void ArmClient::listScaleSetVms(const QString &scaleSetId, bool withInstanceView,
                                std::function<void(ListResult)> done)
{
    // VMSS VMs have no statusOnly: the instance view carries the power state.
    const QUrl url = resourceUrl(scaleSetId, u"/virtualMachines"_s);
    listVmPages(withInstanceView ? withQueryItem(url, u"$expand"_s, u"instanceView"_s) : url,
                std::move(done));
}

void ArmClient::listVmPages(const QUrl &url, std::function<void(ListResult)> done)
{
    auto state = std::make_shared<ListState>();
    state->done = std::move(done);
    listPage(state, url);
}

void ArmClient::finishList(const std::shared_ptr<ListState> &state)
{
    if (!state->scaleSets) {
        state->done(state->result);
        return;
    }
    ScaleSetListResult sets;
    sets.call = state->result.call;
    sets.pages = state->result.pages;
    sets.scaleSets = state->sets;
    state->doneScaleSets(sets);
}

void ArmClient::listPage(std::shared_ptr<ListState> state, const QUrl &url)
{
    state->seen.insert(url.toString());
    m_queue->send(ArmRequestQueue::Kind::Read, "GET", url, {}, [this, state](ArmReply reply) {
        ++state->result.pages;
        state->result.call = reply.call;
        if (!reply.call.ok()) {
            finishList(state);
            return;
        }
        QString error;
        QUrl nextLink;
        bool parsed = false;
        if (state->scaleSets) {
            if (const auto page = armparsers::parseScaleSetListPage(reply.body, &error)) {
                parsed = true;
                state->sets.append(page->scaleSets);
                nextLink = page->nextLink;
            }
        } else if (const auto page = armparsers::parseVmListPage(reply.body, &error)) {
            parsed = true;
            const QDateTime now = m_clock.nowUtc();
            for (VmRecord vm : page->vms) {
                vm.powerStateAt = now;
                state->result.vms.append(std::move(vm));
            }
            nextLink = page->nextLink;
        }
        if (!parsed) {
            state->result.call.failure = FailureClass::Transient;
            state->result.call.errorCode = u"InvalidResponse"_s;
            state->result.call.errorMessage = error;
            finishList(state);
            return;
        }
        if (nextLink.isEmpty()) {
            finishList(state);
            return;
        }
        if (!isArmUrl(nextLink) || state->seen.contains(nextLink.toString())
            || state->result.pages >= m_options.maxListPages) {
            state->result.call = failure(FailureClass::Fatal, u"InvalidNextLink"_s,
                                         u"nextLink is off the ARM host, repeats, or exceeds "
                                         "%1 pages"_s.arg(m_options.maxListPages));
            finishList(state);
            return;
        }
        listPage(state, nextLink);
    });
}

QUrl ArmClient::activityLogUrl(const QString &subscriptionId, const QString &filter,
                               const QString &select) const
{
    QUrl url = m_options.armUrl;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(
        base
        + u"/subscriptions/%1/providers/Microsoft.Insights/eventtypes/management/values"_s.arg(
            subscriptionId));
    QUrlQuery query;
    query.addQueryItem(u"api-version"_s, m_options.activityLogApiVersion);
    query.addQueryItem(u"$filter"_s, QString::fromLatin1(QUrl::toPercentEncoding(filter)));
    if (!select.isEmpty())
        query.addQueryItem(u"$select"_s, select);
    url.setQuery(query);
    return url;
}

void ArmClient::evictionEvidence(const QString &resourceId, const QDateTime &since,
                                 std::function<void(EvidenceResult)> done)
{
    const auto parts = armparsers::parseVmResourceId(resourceId);
    if (!parts) {
        EvidenceResult result;
        result.call = badResourceId(resourceId);
        done(result);
        return;
    }
    const QString filter = u"eventTimestamp ge '%1' and resourceUri eq '%2'"_s.arg(
        since.toUTC().toString(Qt::ISODate), resourceId);
    auto state = std::make_shared<EvidenceState>();
    state->done = std::move(done);
    evidencePage(state, activityLogUrl(parts->subscriptionId, filter, {}));
}

void ArmClient::evictionEvidenceInSubscription(const QString &subscriptionId,
                                               const QDateTime &since,
                                               std::function<void(FleetEvidenceResult)> done)
{
    if (refusedSubscription(subscriptionId, done))
        return;
    // The documented "events for a resource provider" pattern: the Activity Log cannot filter
    // by operation, so every Compute record since `since` comes back, and $select keeps each
    // one to the fields the classification reads. No upper end (eventTimestamp le): only the
    // start is required, and a clock other than ours (a simulator's) must not hide records.
    const QString filter =
        u"eventTimestamp ge '%1' and resourceProvider eq 'Microsoft.Compute'"_s.arg(
            since.toUTC().toString(Qt::ISODate));
    auto state = std::make_shared<EvidenceState>();
    state->maxPages = std::max(1, m_options.maxEvidenceListPages);
    state->doneFleet = std::move(done);
    evidencePage(state,
                 activityLogUrl(subscriptionId, filter,
                                u"eventTimestamp,operationName,status,resourceId,caller,"
                                "operationId"_s));
}

void ArmClient::evidencePage(std::shared_ptr<EvidenceState> state, const QUrl &url)
{
    m_queue->send(
        ArmRequestQueue::Kind::Read, "GET", url, {},
        [this, state](ArmReply reply) {
            ++state->pages;
            state->result.call = reply.call;
            if (!reply.call.ok()) {
                state->finish();
                return;
            }
            QString error;
            const auto page = armparsers::parseActivityLogPage(reply.body, &error);
            if (!page) {
                state->result.call = failure(FailureClass::Transient, u"InvalidResponse"_s, error);
                state->finish();
                return;
            }
            armparsers::keepLatest(state->result, page->decisive);
            if (state->doneFleet) {
                for (auto it = page->byResource.cbegin(); it != page->byResource.cend(); ++it)
                    armparsers::keepLatest(state->fleet.byVm[it.key()], it.value());
            }
            // Every page is read (bounded): the latest power operation decides, not the first.
            if (page->nextLink.isEmpty() || !isArmUrl(page->nextLink)) {
                state->finish();
                return;
            }
            if (state->pages >= state->maxPages) {
                state->fleet.complete = false;
                state->finish();
                return;
            }
            evidencePage(state, page->nextLink);
        },
        ArmRequestQueue::Priority::Background);
}

} // namespace spotkeeper::core
