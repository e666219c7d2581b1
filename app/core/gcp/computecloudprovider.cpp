// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/computecloudprovider.h"

#include "azure/accesstokensource.h"
#include "base/clock.h"
#include "gcp/auditlogparsers.h"
#include "gcp/computeparsers.h"
#include "listener/vmresourceid.h"

#include <QLoggingCategory>
#include <QTimer>
#include <QUuid>

#include <algorithm>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;
using core::CallResult;
using core::FailureClass;

namespace {

Q_LOGGING_CATEGORY(lcProvider, "spotkeeper.gcp.provider")

CallResult failure(FailureClass cls, const QString &code, const QString &message)
{
    CallResult result;
    result.failure = cls;
    result.errorCode = code;
    result.errorMessage = message;
    return result;
}

// The instance's parts, or a Fatal result naming why not.
std::optional<core::VmResourceId> instanceOf(const core::VmRecord &vm, CallResult *bad)
{
    QString error;
    auto id =
        core::VmResourceId::parse(vm.resourceId.isEmpty() ? vm.resourceKey : vm.resourceId, &error);
    if (!id || id->cloud != core::Cloud::Gcp) {
        *bad = failure(FailureClass::Fatal, u"InvalidResourceId"_s,
                       id ? u"not a Google Cloud instance"_s : error);
        return std::nullopt;
    }
    return id;
}

QString instancePath(const core::VmResourceId &id)
{
    return u"projects/%1/zones/%2/instances/%3"_s.arg(id.projectId, id.zone, id.name);
}

} // namespace

struct ComputeCloudProvider::Follow
{
    QString project;
    QUrl url; // the zone operation
    QDateTime startedAt;
    int errors = 0;
    std::function<void(core::StartResult)> done;
};

// One entries.list listing of a project's audit log, every page up to maxAuditPages.
struct ComputeCloudProvider::AuditState
{
    QString project;
    QString filter;
    QString pageToken;
    QList<gcp::auditlog::Entry> entries;
    int pages = 0;
    int maxPages = 1;
    bool complete = true;
    std::function<void(const CallResult &, const AuditState &)> done;
};

struct ComputeCloudProvider::ListState
{
    QString project;
    QString pageToken;
    core::ListResult result;
    std::function<void(core::ListResult)> done;
};

ComputeCloudProvider::ComputeCloudProvider(core::AccessTokenSource *credential,
                                           ComputeOptions options, const base::Clock &clock,
                                           QObject *parent)
    : CloudProvider(parent)
    , m_client(new ComputeClient(credential, std::move(options), clock, this))
    , m_clock(clock)
{
    credential->setParent(this);
}

ComputeCloudProvider::~ComputeCloudProvider() = default;

QString ComputeCloudProvider::credentialStatus() const
{
    const core::AccessTokenSource *credential = m_client->credential();
    return credential->sourceName() + u" ("_s + credential->principal() + u')';
}

void ComputeCloudProvider::powerState(const core::VmRecord &vm,
                                      std::function<void(core::PowerStateResult)> done)
{
    CallResult bad;
    const auto id = instanceOf(vm, &bad);
    if (!id) {
        done(core::PowerStateResult {bad, core::PowerState::Unknown});
        return;
    }
    m_client->send(ComputeClient::Kind::Read, "GET", m_client->url(instancePath(*id)),
                   id->projectId, [done = std::move(done)](const ComputeReply &reply) {
                       core::PowerStateResult result {reply.call, core::PowerState::Unknown};
                       if (reply.status == 404) {
                           // TERMINATED instances stay listed; a 404 is a deleted instance
                           // (termination action DELETE, or a person): the engine's NotFound.
                           result.state = core::PowerState::Deleted;
                       } else if (reply.call.ok()) {
                           QString error;
                           if (const auto instance = compute::parseInstanceJson(reply.body, &error))
                               result.state = compute::powerStateOf(instance->status);
                           else
                               result.call =
                                   failure(FailureClass::Transient, u"InvalidResponse"_s, error);
                       }
                       done(result);
                   });
}

void ComputeCloudProvider::start(const core::VmRecord &vm,
                                 std::function<void(const QString &)> progress,
                                 std::function<void(core::StartResult)> done)
{
    postStart(vm, true, std::move(progress), std::move(done));
}

void ComputeCloudProvider::startWithoutFollowing(const core::VmRecord &vm,
                                                 std::function<void(core::StartResult)> done)
{
    postStart(vm, false, {}, std::move(done));
}

void ComputeCloudProvider::postStart(const core::VmRecord &vm, bool follow,
                                     std::function<void(const QString &)> progress,
                                     std::function<void(core::StartResult)> done)
{
    CallResult bad;
    const auto id = instanceOf(vm, &bad);
    if (!id) {
        done(core::StartResult {bad, {}, true});
        return;
    }
    // requestId: Compute ignores a repeated request with the same id, so a start whose answer
    // was lost is not started twice by the ComputeClient's one 401 retry.
    const QList<QPair<QString, QString>> query {
        {u"requestId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)}};
    const QString project = id->projectId;
    m_client->send(ComputeClient::Kind::Write, "POST",
                   m_client->url(instancePath(*id) + u"/start"_s, query), project,
                   [this, project, follow, progress = std::move(progress),
                    done = std::move(done)](const ComputeReply &reply) {
                       if (!reply.call.ok()) {
                           done(core::StartResult {reply.call, {}, reply.status == 404});
                           return;
                       }
                       QString error;
                       const auto operation = compute::parseOperationJson(reply.body, &error);
                       if (!operation) {
                           // Accepted, but nothing to follow: the engine watches the power state.
                           qCWarning(lcProvider).noquote()
                               << "start answer is no operation:" << error;
                           done(core::StartResult {reply.call, {}, false});
                           return;
                       }
                       const QString url = m_client
                                               ->url(u"projects/%1/zones/%2/operations/%3"_s.arg(
                                                   project, operation->zone, operation->name))
                                               .toString(QUrl::FullyEncoded);
                       auto state = std::make_shared<Follow>();
                       state->project = project;
                       state->url = QUrl(url);
                       state->startedAt = m_clock.nowUtc();
                       state->done = done;
                       if (operation->done() || !follow) {
                           if (!follow && !operation->done()) {
                               done(core::StartResult {reply.call, url, false});
                               return;
                           }
                           afterOperation(state, reply.body);
                           return;
                       }
                       if (progress)
                           progress(url);
                       pollLater(state, {});
                   });
}

void ComputeCloudProvider::resumeStart(const core::VmRecord &vm, const QString &asyncUrl,
                                       std::function<void(core::StartResult)> done)
{
    CallResult bad;
    const auto id = instanceOf(vm, &bad);
    if (!id) {
        done(core::StartResult {bad, asyncUrl, true});
        return;
    }
    const QUrl url(asyncUrl);
    if (!m_client->isComputeUrl(url) || !url.path().contains(u"/operations/"_s)) {
        done(core::StartResult {failure(FailureClass::Fatal, u"UntrustedAsyncUrl"_s,
                                        u"the persisted operation URL is not a zone operation "
                                        "of the configured Compute API"_s),
                                asyncUrl, false});
        return;
    }
    auto state = std::make_shared<Follow>();
    state->project = id->projectId;
    state->url = url;
    state->startedAt = m_clock.nowUtc();
    state->done = std::move(done);
    poll(state);
}

void ComputeCloudProvider::pollLater(const std::shared_ptr<Follow> &follow,
                                     const QDateTime &retryAfter)
{
    qint64 delay = m_client->options().operationPollMs;
    if (retryAfter.isValid())
        delay = std::max<qint64>(delay, m_clock.nowUtc().msecsTo(retryAfter));
    delay = std::clamp<qint64>(delay, 0, qint64(10) * 60'000);
    QTimer::singleShot(int(delay), this, [this, follow] { poll(follow); });
}

void ComputeCloudProvider::poll(const std::shared_ptr<Follow> &follow)
{
    const QString url = follow->url.toString(QUrl::FullyEncoded);
    if (follow->startedAt.msecsTo(m_clock.nowUtc()) > m_client->options().maxFollowMs) {
        follow->done(
            core::StartResult {failure(FailureClass::Transient, u"OperationStillInProgress"_s,
                                       u"start still in progress; resume following "
                                       "later"_s),
                               url, false});
        return;
    }
    m_client->send(ComputeClient::Kind::OperationRead, "GET", follow->url, follow->project,
                   [this, follow, url](const ComputeReply &reply) {
                       if (!reply.call.ok()) {
                           if (core::isRetryable(reply.call.failure)
                               && ++follow->errors <= m_client->options().maxPollErrors) {
                               pollLater(follow, reply.call.retryAfter);
                               return;
                           }
                           follow->done(core::StartResult {reply.call, url, false});
                           return;
                       }
                       follow->errors = 0;
                       afterOperation(follow, reply.body);
                   });
}

void ComputeCloudProvider::afterOperation(const std::shared_ptr<Follow> &follow,
                                          const QByteArray &body)
{
    const QString url = follow->url.toString(QUrl::FullyEncoded);
    QString error;
    const auto operation = compute::parseOperationJson(body, &error);
    if (!operation) {
        if (++follow->errors <= m_client->options().maxPollErrors) {
            pollLater(follow, {});
            return;
        }
        follow->done(core::StartResult {
            failure(FailureClass::Transient, u"InvalidResponse"_s, error), url, false});
        return;
    }
    if (!operation->done()) {
        pollLater(follow, {});
        return;
    }
    core::StartResult result;
    result.asyncOperationUrl = url;
    result.finished = true;
    result.call.httpStatus = 200;
    QString code;
    QString message;
    result.call.failure = compute::classifyOperation(*operation, &code, &message);
    if (!result.call.ok()) {
        result.call.httpStatus =
            operation->httpErrorStatusCode > 0 ? operation->httpErrorStatusCode : 200;
        result.call.errorCode = code;
        result.call.errorMessage = message.left(500);
        qCWarning(lcProvider).noquote() << "start operation" << operation->name << "ended" << code;
    }
    follow->done(result);
}

void ComputeCloudProvider::listVms(const QString &projectId, bool statusOnly,
                                   std::function<void(core::ListResult)> done)
{
    Q_UNUSED(statusOnly); // Compute has no lighter listing: one shape for both
    auto state = std::make_shared<ListState>();
    state->project = projectId;
    state->result.complete = m_client->options().listFilter.isEmpty();
    state->done = std::move(done);
    listPage(state);
}

void ComputeCloudProvider::listPage(const std::shared_ptr<ListState> &state)
{
    QList<QPair<QString, QString>> query;
    if (!m_client->options().listFilter.isEmpty())
        query.append({u"filter"_s, m_client->options().listFilter});
    query.append({u"maxResults"_s, QString::number(m_client->options().pageSize)});
    query.append({u"returnPartialSuccess"_s, u"true"_s});
    if (!state->pageToken.isEmpty())
        query.append({u"pageToken"_s, state->pageToken});
    const QUrl url =
        m_client->url(u"projects/%1/aggregated/instances"_s.arg(state->project), query);
    m_client->send(ComputeClient::Kind::List, "GET", url, state->project,
                   [this, state](const ComputeReply &reply) {
                       ++state->result.pages;
                       state->result.call = reply.call;
                       if (!reply.call.ok()) {
                           state->result.vms.clear();
                           state->done(state->result);
                           return;
                       }
                       QString error;
                       const auto page = compute::parseAggregatedListJson(reply.body, &error);
                       if (!page) {
                           state->result.call =
                               failure(FailureClass::Transient, u"InvalidResponse"_s, error);
                           state->result.vms.clear();
                           state->done(state->result);
                           return;
                       }
                       for (const compute::Instance &instance : page->instances)
                           state->result.vms.append(compute::toVmRecord(instance));
                       if (!page->unreachable.isEmpty())
                           state->result.complete = false; // some zones did not answer
                       if (page->nextPageToken.isEmpty()) {
                           state->done(state->result);
                           return;
                       }
                       if (state->result.pages >= m_client->options().maxListPages) {
                           state->result.call = failure(
                               FailureClass::Fatal, u"TooManyPages"_s,
                               u"the listing has more than %1 pages"_s.arg(state->result.pages));
                           state->result.vms.clear();
                           state->done(state->result);
                           return;
                       }
                       state->pageToken = page->nextPageToken;
                       listPage(state);
                   });
}

void ComputeCloudProvider::evictionEvidence(const core::VmRecord &vm, const QDateTime &since,
                                            std::function<void(core::EvidenceResult)> done)
{
    CallResult bad;
    const auto id = instanceOf(vm, &bad);
    if (!id) {
        core::EvidenceResult result;
        result.call = bad;
        done(result);
        return;
    }
    // The newest entries first: the first page holds the answer unless the window is long.
    auto state = std::make_shared<AuditState>();
    state->project = id->projectId;
    state->filter = auditlog::filter(id->projectId, instancePath(*id), since);
    state->maxPages = 2;
    state->done = [since, done = std::move(done)](const CallResult &call, const AuditState &s) {
        core::EvidenceResult result =
            call.ok() ? auditlog::decide(s.entries, since) : core::EvidenceResult {};
        result.call = call;
        done(result);
    };
    auditPage(state);
}

void ComputeCloudProvider::evictionEvidenceForVms(
    const QString &projectId, const QList<core::VmRecord> &vms, const QDateTime &since,
    std::function<void(core::FleetEvidenceResult)> done)
{
    // One listing of the project's decisive audit records answers every VM of the storm.
    QHash<QString, QString> keyByPath; // lower-case instance path -> resourceKey
    for (const core::VmRecord &vm : vms) {
        CallResult bad;
        if (const auto id = instanceOf(vm, &bad))
            keyByPath.insert(instancePath(*id).toLower(), vm.resourceKey);
    }
    auto state = std::make_shared<AuditState>();
    state->project = projectId;
    state->filter = auditlog::filter(projectId, {}, since);
    state->maxPages = m_client->options().maxAuditPages;
    state->done = [since, keyByPath, done = std::move(done)](const CallResult &call,
                                                             const AuditState &s) {
        core::FleetEvidenceResult fleet;
        fleet.call = call;
        fleet.pages = s.pages;
        fleet.complete = s.complete;
        if (call.ok()) {
            QHash<QString, QList<auditlog::Entry>> byVm;
            for (const auditlog::Entry &entry : s.entries) {
                const auto key = keyByPath.constFind(entry.resourceName.toLower());
                if (key != keyByPath.cend())
                    byVm[*key].append(entry);
            }
            for (auto it = byVm.cbegin(); it != byVm.cend(); ++it) {
                core::EvidenceResult result = auditlog::decide(it.value(), since);
                if (result.kind != core::EvidenceKind::None)
                    fleet.byVm.insert(it.key(), result);
            }
        }
        done(fleet);
    };
    auditPage(state);
}

void ComputeCloudProvider::auditPage(const std::shared_ptr<AuditState> &state)
{
    const QByteArray body = auditlog::listRequestBody(
        state->project, state->filter, m_client->options().auditPageSize, state->pageToken);
    m_client->send(ComputeClient::Kind::LogRead, "POST", m_client->loggingUrl(u"entries:list"_s),
                   state->project, body, [this, state](const ComputeReply &reply) {
                       ++state->pages;
                       if (!reply.call.ok()) {
                           state->done(reply.call, *state);
                           return;
                       }
                       QString error;
                       const auto page = auditlog::parseEntriesJson(reply.body, &error);
                       if (!page) {
                           state->done(failure(FailureClass::Transient, u"InvalidResponse"_s,
                                               u"audit log page: "_s + error),
                                       *state);
                           return;
                       }
                       state->entries += page->entries;
                       if (page->nextPageToken.isEmpty()
                           || page->nextPageToken == state->pageToken) {
                           state->done(reply.call, *state);
                           return;
                       }
                       if (state->pages >= state->maxPages) {
                           state->complete = false; // older entries are left unread
                           state->done(reply.call, *state);
                           return;
                       }
                       state->pageToken = page->nextPageToken;
                       auditPage(state);
                   });
}

QString ComputeCloudProvider::cannotRestart(const core::VmRecord &vm) const
{
    if (const QString group = vm.tags.value(QLatin1StringView(compute::kManagedGroupTag));
        !group.isEmpty())
        return u"its managed instance group (%1) recreates it; SpotKeeper does not start a "
               "group's VMs — let the group repair it, then cancel this job"_s.arg(
                   group.section(u'/', -1));
    if (vm.evictionPolicy.compare("DELETE"_L1, Qt::CaseInsensitive) == 0)
        return u"Spot VM with instanceTerminationAction DELETE: deleted by Google on preemption; "
               "SpotKeeper cannot restart it — re-create it (or set the termination action to "
               "STOP), then cancel this job"_s;
    return {};
}

void ComputeCloudProvider::deallocate(const core::VmRecord &vm,
                                      std::function<void(core::CallResult)> done)
{
    postInstanceAction(vm, u"/stop"_s, std::move(done));
}

void ComputeCloudProvider::restart(const core::VmRecord &vm,
                                   std::function<void(core::CallResult)> done)
{
    postInstanceAction(vm, u"/reset"_s, std::move(done));
}

void ComputeCloudProvider::postInstanceAction(const core::VmRecord &vm, const QString &action,
                                              std::function<void(core::CallResult)> done)
{
    CallResult bad;
    const auto id = instanceOf(vm, &bad);
    if (!id) {
        done(bad);
        return;
    }
    // The requestId makes a retried POST the same operation (Compute ignores a repeat).
    const QList<QPair<QString, QString>> query {
        {u"requestId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)}};
    m_client->send(ComputeClient::Kind::Write, "POST",
                   m_client->url(instancePath(*id) + action, query), id->projectId,
                   [done = std::move(done)](const ComputeReply &reply) { done(reply.call); });
}

} // namespace spotkeeper::gcp
