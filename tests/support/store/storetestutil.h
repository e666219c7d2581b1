// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"
#include "support/common/pgcluster.h"

#include <QDebug>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QUrl>

#include <memory>

// Small builders shared by the store tests.
namespace spotkeeper::core::testutil {

inline QString vmKey(int n)
{
    return QStringLiteral("/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/"
                          "rg-spot/providers/microsoft.compute/virtualmachines/vm-%1")
        .arg(n);
}

inline IncomingNotice notice(int vm, const QString &webhookId, const QString &eventId,
                             const QDateTime &at = {})
{
    IncomingNotice n;
    n.webhookId = webhookId;
    n.vmResourceKey = vmKey(vm);
    n.vm.resourceId = vmKey(vm);
    n.vm.subscriptionId = QStringLiteral("00000000-0000-0000-0000-000000000001");
    n.vm.resourceGroup = QStringLiteral("rg-spot");
    n.vm.name = QStringLiteral("vm-%1").arg(vm);
    n.vm.location = QStringLiteral("westeurope");
    n.event.kind = EventKind::Notice;
    n.event.at = at;
    n.event.eventId = eventId;
    n.event.eventType = QStringLiteral("Preempt");
    n.event.eventStatus = QStringLiteral("Scheduled");
    n.event.payload = QByteArrayLiteral("{\"EventId\":\"") + eventId.toUtf8() + "\"}";
    return n;
}

inline VmRecord vmRecord(int n)
{
    VmRecord vm;
    vm.resourceKey = vmKey(n);
    return vm;
}

inline StoreOptions options(const QString &path, bool readOnly = false)
{
    StoreOptions o;
    o.path = path;
    o.readOnly = readOnly;
    return o;
}

// Opens (creating if needed) the store at options.path on the test's clock; nullptr, with a
// warning that says why, when it cannot.
inline std::unique_ptr<Store> openStore(StoreOptions options, base::Clock &clock)
{
    options.clock = &clock;
    StoreError error;
    auto store = Store::open(options, &error);
    if (!store)
        qWarning() << "open failed:" << error.message;
    return store;
}

// A store of this test case on the backend under test (SQLite, or PostgreSQL when
// SPOTKEEPER_TEST_STORE=postgresql): `name` in dir, or a database of its own.
inline StoreOptions backendOptions(const QString &dir, const QString &name, bool readOnly = false)
{
    StoreOptions o = options(spotkeeper::testsupport::StoreBackend::location(dir, name), readOnly);
    o.passwordFile = spotkeeper::testsupport::StoreBackend::passwordFile();
    return o;
}

// Opens (creating) the store `name` in dir on the backend under test with the given clock;
// null (and a warning saying why) when it cannot be opened.
inline std::unique_ptr<Store> openBackendStore(const QString &dir, const QString &name,
                                               base::Clock *clock)
{
    StoreOptions o = backendOptions(dir, name);
    o.clock = clock;
    StoreError error;
    auto store = Store::open(o, &error);
    if (!store)
        qWarning("open failed: %s", qPrintable(error.message));
    return store;
}

inline EventFilter byKinds(const QList<EventKind> &kinds, int limit = 500)
{
    EventFilter f;
    f.kinds = kinds;
    f.limit = limit;
    return f;
}

inline EventFilter byVm(qint64 vmId, qint64 afterId = 0)
{
    EventFilter f;
    f.vmId = vmId;
    f.afterId = afterId;
    return f;
}

inline EventFilter byTime(const QDateTime &from, const QDateTime &to)
{
    EventFilter f;
    f.from = from;
    f.to = to;
    return f;
}

inline EventRecord eventOf(EventKind kind, qint64 vmId = 0, const QString &message = {})
{
    EventRecord e;
    e.kind = kind;
    e.vmId = vmId;
    e.message = message;
    return e;
}

// A raw connection for what the Store API deliberately cannot do (tamper, inspect): an
// SQLite file, or a store database of the test PostgreSQL cluster (its URL).
class RawDb
{
public:
    explicit RawDb(
        const QString &path,
        const QString &passwordFile = spotkeeper::testsupport::StoreBackend::passwordFile())
        : m_name(QStringLiteral("raw-%1").arg(quintptr(this)))
    {
        const QUrl url(path);
        if (url.scheme() == QStringLiteral("postgresql")) {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
            db.setHostName(url.host());
            db.setPort(url.port());
            db.setDatabaseName(url.path().mid(1));
            db.setUserName(url.userName());
            QFile password(passwordFile);
            if (password.open(QIODevice::ReadOnly))
                db.setPassword(QString::fromUtf8(password.readAll()).trimmed());
            db.open();
            return;
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDb()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    // Runs one statement; returns the error text ("" on success).
    QString exec(const QString &sql) const
    {
        QSqlQuery q(db());
        return q.exec(sql) ? QString() : q.lastError().text();
    }
    QVariant scalar(const QString &sql, const QVariantList &binds = {}) const
    {
        QSqlQuery q(db());
        if (!q.prepare(sql))
            return {};
        for (const QVariant &value : binds)
            q.addBindValue(value);
        return q.exec() && q.next() ? q.value(0) : QVariant();
    }

private:
    QString m_name;
    Q_DISABLE_COPY_MOVE(RawDb)
};

} // namespace spotkeeper::core::testutil
