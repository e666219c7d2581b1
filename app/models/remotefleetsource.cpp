// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/remotefleetsource.h"

#include "base/clock.h"
#include "operatorapi/operatorapijson.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslCertificate>

#include <algorithm>

namespace spotkeeper::gui {

using namespace Qt::StringLiterals;

namespace {
QString iso(const QDateTime &at)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(at.toUTC().toString(Qt::ISODateWithMs)));
}

core::OperationResult fromReply(const RemoteFleetSource::Reply &reply)
{
    using S = core::OperationResult::Status;
    if (reply.ok())
        return {S::Ok, reply.json.value(u"message"_s).toString()};
    const S status = reply.status == 404 ? S::NotFound
        : reply.status == 409            ? S::Conflict
        : reply.status == 400            ? S::Invalid
                                         : S::Failed;
    return {status, reply.error};
}

QString actionPath(OperatorAction action)
{
    switch (action) {
    case OperatorAction::ForceRestart:
        return u"restart"_s;
    case OperatorAction::Pause:
        return u"pause"_s;
    case OperatorAction::Resume:
        return u"resume"_s;
    case OperatorAction::Cancel:
        return u"cancel"_s;
    case OperatorAction::StopOnPurpose:
        return u"stop"_s;
    case OperatorAction::Start:
        return u"start"_s;
    }
    return {};
}
} // namespace

RemoteFleetSource::RemoteFleetSource(RemoteSourceOptions options, const base::Clock &clock,
                                     QObject *parent)
    : FleetSource(m_cache, parent)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_client(new core::OperatorClient(
          {m_options.baseUrl, m_options.token, m_options.caFile, m_options.requestTimeoutMs}, this))
{
    const QUrl &url = m_options.baseUrl;
    m_status.description = tr("spotkeeperd at %1").arg(url.toDisplayString());
    m_status.listenerAddress =
        url.host() + u':' + QString::number(url.port(url.scheme() == "https"_L1 ? 443 : 80));
    m_status.listenerTls = url.scheme() == "https"_L1;
    m_status.connected = false;
    m_status.connectionProblem = tr("Connecting…");
    m_status.actionsDisabledReason = tr("Connecting to %1…").arg(m_status.description);
    m_pollTimer.setInterval(m_options.pollMs);
    m_statusTimer.setInterval(m_options.statusPollMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &RemoteFleetSource::pollNow);
    connect(&m_statusTimer, &QTimer::timeout, this, &RemoteFleetSource::pollStatus);
}

RemoteFleetSource::~RemoteFleetSource() = default;

bool RemoteFleetSource::isLoopbackHost(const QString &host)
{
    return core::OperatorClient::isLoopbackHost(host);
}

QString RemoteFleetSource::checkUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return tr("%1 is not a URL: use https://host:port").arg(url.toDisplayString());
    if (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)
        return tr("%1: use an https:// (or http:// on a loopback address) URL")
            .arg(url.toDisplayString());
    if (url.scheme() == "http"_L1 && !isLoopbackHost(url.host()))
        return tr("%1: http:// would send the operator token in clear over the network; use "
                  "https:// (http:// is only for a loopback address)")
            .arg(url.toDisplayString());
    return {};
}

QString RemoteFleetSource::checkOptions(const RemoteSourceOptions &options)
{
    if (QString problem = checkUrl(options.baseUrl); !problem.isEmpty())
        return problem;
    if (options.token.isEmpty())
        return tr("An operator token is needed (spotkeeperd token create).");
    if (!options.caFile.isEmpty() && QSslCertificate::fromPath(options.caFile, QSsl::Pem).isEmpty())
        return tr("The CA file %1 holds no PEM certificate.").arg(options.caFile);
    return {};
}

void RemoteFleetSource::start()
{
    m_pollTimer.start();
    m_statusTimer.start();
    pollNow();
    pollStatus();
}

RemoteFleetSource::Reply RemoteFleetSource::toReply(const core::OperatorClient::Reply &answer) const
{
    using F = core::OperatorClient::Reply::Failure;
    Reply r;
    r.status = answer.status;
    r.body = answer.body;
    r.json = answer.json;
    const QString where = m_status.description;
    switch (answer.failure) {
    case F::None:
        break;
    case F::Unreachable: // the network error names the cause (refused, TLS, timeout)
        r.error = tr("%1 is unreachable: %2").arg(where, answer.detail);
        break;
    case F::Unauthorized:
        r.error = tr("%1 refused the operator token (401): set a valid token in Settings → "
                     "Remote server.")
                      .arg(where);
        break;
    case F::NotJson:
        r.error = tr("%1 answered HTTP %2 with a body that is not a JSON object (%3)")
                      .arg(where)
                      .arg(r.status)
                      .arg(answer.detail.isEmpty() ? tr("not an object") : answer.detail);
        break;
    case F::Http:
        r.error = tr("%1 answered HTTP %2: %3")
                      .arg(where)
                      .arg(r.status)
                      .arg(answer.detail.isEmpty() ? tr("no message") : answer.detail);
        break;
    }
    return r;
}

void RemoteFleetSource::get(const QString &pathAndQuery, Done done, bool expectJson)
{
    m_client->get(
        pathAndQuery,
        [this, done = std::move(done)](const core::OperatorClient::Reply &answer) {
            done(toReply(answer));
        },
        expectJson);
}

void RemoteFleetSource::call(const QByteArray &method, const QString &path, const QJsonObject &body,
                             Done done)
{
    m_client->call(method, path, body,
                   [this, done = std::move(done)](const core::OperatorClient::Reply &answer) {
                       done(toReply(answer));
                   });
}

void RemoteFleetSource::operate(OperatorAction action, qint64 vmId, const QString & /*actor*/,
                                OperationDone done)
{
    const std::optional<core::VmRecord> vm = this->vm(vmId);
    if (!vm) {
        done({core::OperationResult::Status::NotFound, tr("The VM is not in the fleet.")});
        return;
    }
    const auto part = [](const QString &s) {
        return QString::fromLatin1(QUrl::toPercentEncoding(s));
    };
    // The server audits the action (actor "api:<token id>"); the poll shows its effect.
    call("POST",
         u"/api/v1/vms/"_s + part(vm->subscriptionId) + u'/' + part(vm->resourceGroup) + u'/'
             + part(vm->name) + u'/' + actionPath(action),
         {}, [this, done = std::move(done)](const Reply &reply) {
             pollNow();
             done(fromReply(reply));
         });
}

void RemoteFleetSource::addVm(const QString &resourceId, const QString & /*actor*/,
                              OperationDone done)
{
    call("POST", u"/api/v1/vms"_s, {{u"resourceId"_s, resourceId.trimmed()}},
         [this, done = std::move(done)](const Reply &reply) {
             pollNow();
             done(fromReply(reply));
         });
}

void RemoteFleetSource::undoFallback(qint64 auditId, const QString & /*actor*/, OperationDone done)
{
    call("POST", u"/api/v1/audit/"_s + QString::number(auditId) + u"/undo"_s, {},
         [this, done = std::move(done)](const Reply &reply) {
             pollNow();
             done(fromReply(reply));
         });
}

bool RemoteFleetSource::canOperate() const
{
    return true; // every action is an API call; the status says when the server cannot act
}

void RemoteFleetSource::pollNow()
{
    if (m_polling) {
        // The poll under way may have read the fleet before a change (an action just
        // answered): read it again as soon as this one ends.
        m_pollAgain = true;
        return;
    }
    m_polling = true;
    m_pollAgain = false;
    runStep(Step::Vms);
}

void RemoteFleetSource::runStep(Step step)
{
    switch (step) {
    case Step::Vms:
        get(u"/api/v1/vms"_s, [this](const Reply &r) {
            if (!r.ok() || !r.json.value(u"vms"_s).isArray())
                return failPoll(r);
            applyVms(r.json);
            runStep(Step::Events);
        });
        return;
    case Step::Events: {
        QString query = u"/api/v1/events?limit=1000&after="_s + QString::number(m_lastEventId);
        if (!m_eventsLoaded)
            query += u"&from="_s + iso(m_clock.nowUtc().addDays(-m_options.eventDays));
        get(query, [this](const Reply &r) {
            if (!r.ok() || !r.json.value(u"events"_s).isArray())
                return failPoll(r);
            runStep(applyEvents(r.json) ? Step::Events : Step::Audit);
        });
        return;
    }
    case Step::Audit: {
        QString query = u"/api/v1/audit?limit=1000&after="_s
            + QString::number(m_cache.auditRows.isEmpty() ? 0 : m_cache.auditRows.constLast().id)
            + u"&from="_s
            + iso(m_cache.auditRows.isEmpty() ? m_clock.nowUtc().addDays(-m_options.eventDays)
                                              : m_cache.auditRows.constLast().at);
        get(query, [this](const Reply &r) {
            if (!r.ok() || !r.json.value(u"audit"_s).isArray())
                return failPoll(r);
            applyAudit(r.json);
            runStep(Step::Done);
        });
        return;
    }
    case Step::Done:
        break;
    }
    m_polling = false;
    const bool first = !m_loaded;
    m_loaded = true;
    setConnected(true, {});
    if (first)
        Q_EMIT fleetReset();
    fetchNextJobs();
    Q_EMIT pollFinished(true);
    if (m_pollAgain)
        pollNow();
}

void RemoteFleetSource::failPoll(const Reply &reply)
{
    m_polling = false;
    setConnected(false,
                 reply.error.isEmpty()
                     ? tr("%1 answered without the expected fields").arg(m_status.description)
                     : reply.error);
    Q_EMIT pollFinished(false);
    if (m_pollAgain)
        pollNow();
}

void RemoteFleetSource::setConnected(bool connected, const QString &problem)
{
    if (m_status.connected == connected && m_status.connectionProblem == problem)
        return;
    m_status.connected = connected;
    m_status.connectionProblem = problem;
    const bool serverCanAct = connected && m_status.credentialsAvailable;
    if (!connected)
        m_status.actionsDisabledReason = problem;
    else if (serverCanAct)
        m_status.actionsDisabledReason.clear();
    else if (m_status.credentialSource.isEmpty())
        m_status.actionsDisabledReason = tr("Reading the status of %1…").arg(m_status.description);
    else
        m_status.actionsDisabledReason = tr("%1 has no working Azure credentials (%2).")
                                             .arg(m_status.description, m_status.credentialSource);
    Q_EMIT statusChanged();
}

void RemoteFleetSource::applyVms(const QJsonObject &json)
{
    QList<core::VmRecord> vms;
    QHash<qint64, int> index;
    QHash<qint64, core::JobRecord> jobs;
    QHash<qint64, QJsonObject> raw;
    QList<qint64> changedVms;
    QList<qint64> changedJobs;
    const QJsonArray array = json.value(u"vms"_s).toArray();
    for (const auto &value : array) {
        const QJsonObject object = value.toObject();
        const std::optional<core::VmRecord> vm = core::vmFromJson(object);
        if (!vm)
            continue;
        index.insert(vm->id, int(vms.size()));
        vms.append(*vm);
        raw.insert(vm->id, object);
        if (const auto job = core::jobFromJson(object.value(u"job"_s).toObject(), vm->id))
            jobs.insert(vm->id, *job);
        const QJsonObject before = m_vmJson.value(vm->id);
        if (before == object)
            continue;
        changedVms.append(vm->id);
        if (before.value(u"job"_s) != object.value(u"job"_s))
            changedJobs.append(vm->id);
    }
    bool removed = false;
    for (auto it = m_vmJson.cbegin(); it != m_vmJson.cend() && !removed; ++it)
        removed = !raw.contains(it.key());
    m_cache.vmRows = std::move(vms);
    m_cache.vmIndex = std::move(index);
    m_cache.activeJobsByVm = std::move(jobs);
    m_vmJson = std::move(raw);
    if (!m_loaded)
        return; // the first poll ends with fleetReset
    if (removed) {
        Q_EMIT fleetReset();
        return;
    }
    for (qint64 id : std::as_const(changedVms))
        Q_EMIT vmChanged(id);
    for (qint64 id : std::as_const(changedJobs)) {
        if (m_cache.jobsByVm.contains(id) && !m_jobQueue.contains(id))
            m_jobQueue.append(id); // refreshed in the background, the stale list meanwhile
        Q_EMIT jobChanged(id);
    }
}

bool RemoteFleetSource::applyEvents(const QJsonObject &json)
{
    const QJsonArray array = json.value(u"events"_s).toArray();
    QList<core::EventRecord> fresh;
    for (const auto &value : array) {
        const std::optional<core::EventRecord> event = core::eventFromJson(value.toObject());
        if (!event || event->id <= m_lastEventId)
            continue;
        m_lastEventId = event->id;
        m_cache.eventRows.append(*event);
        fresh.append(*event);
        if (event->kind == core::EventKind::Notice
            && (!m_status.lastNoticeAt.isValid() || event->at > m_status.lastNoticeAt))
            m_status.lastNoticeAt = event->at;
    }
    if (m_cache.eventRows.size() > m_options.maxCachedEvents)
        m_cache.eventRows.remove(0, m_cache.eventRows.size() - m_options.maxCachedEvents);
    const bool more = json.value(u"nextAfter"_s).isString() && !fresh.isEmpty();
    if (m_eventsLoaded) {
        for (const core::EventRecord &event : std::as_const(fresh))
            Q_EMIT eventAppended(event);
    } else if (!more) {
        m_eventsLoaded = true; // the history is in: from now on, new events are announced
        if (m_loaded)
            Q_EMIT fleetReset();
    }
    return more;
}

void RemoteFleetSource::applyAudit(const QJsonObject &json)
{
    const qint64 lastId = m_cache.auditRows.isEmpty() ? 0 : m_cache.auditRows.constLast().id;
    bool appended = false;
    const QJsonArray array = json.value(u"audit"_s).toArray();
    for (const auto &value : array) {
        const std::optional<core::AuditRecord> row = core::auditFromJson(value.toObject());
        if (!row || row->id <= lastId)
            continue;
        m_cache.auditRows.append(*row);
        appended = true;
    }
    if (appended)
        Q_EMIT auditAppended();
}

void RemoteFleetSource::pollStatus()
{
    get(u"/healthz"_s, [this](const Reply &r) {
        if (r.json.isEmpty())
            return; // the fleet poll reports unreachable servers
        const QString credential = r.json.value(u"credential"_s).toString();
        const bool available = !credential.isEmpty() && !credential.startsWith(u"off"_s)
            && credential != u"not configured"_s;
        m_status.credentialSource = credential.section(u": "_s, 0, 0);
        m_status.principal = credential.section(u": "_s, 1);
        m_status.credentialsAvailable = available;
        const bool connected = m_status.connected;
        m_status.connected = !connected; // force setConnected to recompute the reason
        setConnected(connected, m_status.connectionProblem);
    });
    get(
        u"/metrics"_s,
        [this](const Reply &r) {
            if (!r.ok())
                return;
            // Prometheus text: spotkeeper_arm_ratelimit_remaining{counter="..."} <value>
            int lowest = -1;
            for (const QByteArray &line : r.body.split('\n')) {
                if (!line.startsWith("spotkeeper_arm_ratelimit_remaining{"))
                    continue;
                bool ok = false;
                const int value = int(line.mid(line.lastIndexOf(' ') + 1).toDouble(&ok));
                if (ok)
                    lowest = lowest < 0 ? value : std::min(lowest, value);
            }
            if (lowest == m_status.armBudgetHeadroom)
                return;
            m_status.armBudgetHeadroom = lowest;
            Q_EMIT statusChanged();
        },
        false);
}

void RemoteFleetSource::discoverVms(const QString & /*subscriptionId*/,
                                    std::function<void(core::ListResult)> done)
{
    core::ListResult result;
    result.call.failure = core::FailureClass::Authorization;
    result.call.errorMessage = tr("Discovery runs on the server: use spotkeeperd's subscriptions.");
    done(result);
}

void RemoteFleetSource::jobsMissing(qint64 vmId)
{
    if (!m_jobQueue.contains(vmId))
        m_jobQueue.append(vmId);
    m_jobMisses = true;
    QTimer::singleShot(0, this, &RemoteFleetSource::fetchNextJobs);
}

void RemoteFleetSource::fetchNextJobs()
{
    if (m_fetchingJobs || !m_status.connected)
        return;
    if (m_jobQueue.isEmpty()) {
        if (m_jobMisses) {
            m_jobMisses = false;
            Q_EMIT fleetReset(); // the views re-read with every asked-for job list cached
        }
        return;
    }
    const qint64 vmId = m_jobQueue.takeFirst();
    m_fetchingJobs = true;
    get(u"/api/v1/jobs?limit=50&vm="_s + QString::number(vmId), [this, vmId](const Reply &r) {
        m_fetchingJobs = false;
        if (!r.ok()) {
            m_cache.jobsByVm.insert(vmId, {}); // asked once; the next job change asks again
        } else {
            QList<core::JobRecord> jobs;
            const QJsonArray array = r.json.value(u"jobs"_s).toArray();
            for (const auto &value : array) {
                if (const auto job = core::jobFromJson(value.toObject(), vmId))
                    jobs.append(*job);
            }
            const bool known = m_cache.jobsByVm.contains(vmId);
            m_cache.jobsByVm.insert(vmId, jobs);
            if (known)
                Q_EMIT jobChanged(vmId);
        }
        fetchNextJobs();
    });
}

} // namespace spotkeeper::gui
