// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// The cost report of each fleet source (the Cost tab, docs/ANALYTICS.md): the local store's
// on a worker thread with its own connection, the server's through GET /api/v1/cost.
#include "models/fleetsource.h"
#include "models/localfleetsource.h"
#include "models/remotefleetsource.h"
#include "operatorapi/operatorapijson.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QUrlQuery>

namespace spotkeeper::gui {

using namespace Qt::StringLiterals;

void FleetSource::costReport(const core::CostQuery &, CostReportDone done)
{
    done(std::nullopt, tr("This fleet source has no cost reports."));
}

void LocalFleetSource::costReport(const core::CostQuery &query, CostReportDone done)
{
    const QString path = storePath();
    if (path == ":memory:"_L1) {
        // A store a second connection cannot open (tests, an in-memory demo): here, at once.
        const std::optional<core::CostReport> report = m_store.costReport(query);
        done(report, report ? QString() : m_store.lastError().message);
        return;
    }
    // The aggregation may take a second over a year of a large fleet: a worker opens its own
    // read-only connection (a QSqlDatabase never crosses threads) and hands the report back.
    core::StoreOptions options = m_store.openOptions();
    options.readOnly = true;
    QPointer<LocalFleetSource> self(this);
    QThread *worker = QThread::create([self, options, query, done = std::move(done)]() mutable {
        core::StoreError error;
        std::optional<core::CostReport> report;
        QString problem;
        if (auto store = core::Store::open(options, &error)) {
            report = store->costReport(query);
            if (!report)
                problem = store->lastError().message;
        } else {
            problem = error.message;
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, report, problem, done = std::move(done)] {
                if (self)
                    done(report, problem);
            },
            Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start(QThread::LowPriority);
}

void RemoteFleetSource::costReport(const core::CostQuery &query, CostReportDone done)
{
    QUrlQuery params;
    params.addQueryItem(u"from"_s, query.from.toUTC().toString(Qt::ISODateWithMs));
    params.addQueryItem(u"to"_s, query.to.toUTC().toString(Qt::ISODateWithMs));
    params.addQueryItem(u"groupBy"_s, core::toString(query.groupBy));
    params.addQueryItem(u"bucketSeconds"_s, QString::number(query.bucketMs / 1000));
    if (query.risk)
        params.addQueryItem(u"risk"_s, u"true"_s);
    get(u"/api/v1/cost?"_s + params.toString(QUrl::FullyEncoded),
        [this, done = std::move(done)](const Reply &reply) {
            if (!reply.ok()) {
                done(std::nullopt, reply.error);
                return;
            }
            const std::optional<core::CostReport> report = core::costReportFromJson(reply.json);
            done(report,
                 report ? QString()
                        : tr("%1 answered without a cost report.").arg(m_status.description));
        });
}

} // namespace spotkeeper::gui
