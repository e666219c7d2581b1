// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// OperatorApi: the reads a remote dashboard needs besides the fleet and the events
// (one VM's jobs, the audit log); see operatorapi.h for the routes.
#include "listener/listenerjson.h"
#include "listener/operatorapi.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

http::Response okJson(int status, const QJsonObject &body)
{
    return http::Response::json(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

http::Response storeUnavailable(Store &store)
{
    return http::Response::error(503, u"store_unavailable"_s, store.lastError().message);
}

bool storeFailed(Store &store)
{
    return store.lastError().code != StoreError::Code::None;
}

} // namespace

bool OperatorApi::readLimit(const http::Request &request, int fallback, int max, int *limit,
                            http::Response *error)
{
    const QString text = request.queryItem(u"limit"_s);
    bool okNumber = true;
    *limit = text.isEmpty() ? fallback : text.toInt(&okNumber);
    if (okNumber && *limit >= 1 && *limit <= max)
        return true;
    *error = http::Response::error(400, u"invalid_query"_s,
                                   u"limit: a number from 1 to "_s + QString::number(max));
    return false;
}

bool OperatorApi::readTimeRange(const http::Request &request, QDateTime *from, QDateTime *to,
                                http::Response *error)
{
    for (const auto &[name, target] : {std::pair {u"from"_s, from}, std::pair {u"to"_s, to}}) {
        const QString value = request.queryItem(name);
        if (value.isEmpty())
            continue;
        *target = QDateTime::fromString(value, Qt::ISODateWithMs);
        if (!target->isValid()) {
            *error = http::Response::error(400, u"invalid_query"_s,
                                           name + u": not an ISO 8601 time: "_s + value);
            return false;
        }
    }
    return true;
}

std::optional<VmRecord> OperatorApi::vmFromQuery(const QString &value)
{
    bool numeric = false;
    const qint64 id = value.toLongLong(&numeric);
    return numeric ? m_store.vm(id) : m_store.vmByKey(value.toLower());
}

http::Response OperatorApi::listJobs(const http::Request &request)
{
    const QString vmText = request.queryItem(u"vm"_s);
    if (vmText.isEmpty())
        return http::Response::error(400, u"invalid_query"_s,
                                     u"vm: the VM's id or resource id is required"_s);
    const std::optional<VmRecord> vm = vmFromQuery(vmText);
    if (!vm)
        return http::Response::error(404, u"not_found"_s,
                                     u"no VM "_s + vmText + u" in the fleet"_s);
    int limit = 0;
    http::Response error;
    if (!readLimit(request, 50, 1000, &limit, &error))
        return error;
    const QList<JobRecord> jobs = m_store.jobs(vm->id, limit);
    if (storeFailed(m_store))
        return storeUnavailable(m_store);
    QJsonArray array;
    for (const JobRecord &job : jobs)
        array.append(toJson(job));
    return okJson(200, {{u"vmId"_s, double(vm->id)}, {u"jobs"_s, array}});
}

http::Response OperatorApi::listAudit(const http::Request &request)
{
    QDateTime from;
    QDateTime to;
    int limit = 0;
    http::Response error;
    if (!readTimeRange(request, &from, &to, &error)
        || !readLimit(request, 1000, 5000, &limit, &error))
        return error;
    qint64 after = 0;
    const QString afterText = request.queryItem(u"after"_s);
    if (!afterText.isEmpty()) {
        bool okNumber = false;
        after = afterText.toLongLong(&okNumber);
        if (!okNumber || after < 0)
            return http::Response::error(400, u"invalid_query"_s,
                                         u"after: the id of the last audit row already read"_s);
    }
    // The store pages audit rows by time only: rows at or before `after` are skipped here,
    // so an incremental reader passes from=<time of its last row>&after=<its id>.
    const QList<AuditRecord> rows = m_store.audit(from, to, limit);
    if (storeFailed(m_store))
        return storeUnavailable(m_store);
    QJsonArray array;
    for (const AuditRecord &row : rows) {
        if (row.id > after)
            array.append(toJson(row));
    }
    return okJson(200, {{u"audit"_s, array}, {u"more"_s, rows.size() == limit}});
}

} // namespace spotkeeper::core
