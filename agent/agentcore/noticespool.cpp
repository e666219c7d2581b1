// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/noticespool.h"

#include "base/privatefile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace spotkeeper::agent {

using namespace Qt::StringLiterals;

namespace {
constexpr int kSpoolVersion = 1;

QJsonObject toJson(const SpoolEntry &entry)
{
    return QJsonObject {
        {u"webhookId"_s, entry.webhookId},
        {u"eventId"_s, entry.eventId},
        {u"eventStatus"_s, entry.eventStatus},
        {u"eventType"_s, entry.eventType},
        {u"body"_s, QString::fromLatin1(entry.body.toBase64())},
        {u"createdMs"_s, double(entry.createdMs)},
        {u"delivered"_s, entry.delivered},
        {u"acknowledged"_s, entry.acknowledged},
        {u"attempts"_s, entry.attempts},
    };
}
} // namespace

NoticeSpool::NoticeSpool(QString directory)
    : m_directory(std::move(directory))
{ }

QString NoticeSpool::filePath() const
{
    return QDir(m_directory).filePath(u"notices.json"_s);
}

bool NoticeSpool::load(QString *error)
{
    m_entries.clear();
    QFile file(filePath());
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read spool %1: %2"_s.arg(filePath(), file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = u"spool %1 is corrupt (%2)"_s.arg(filePath(), parseError.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    if (root.value("version"_L1).toInt() != kSpoolVersion) {
        *error = u"spool %1 has unknown version %2"_s.arg(filePath())
                     .arg(root.value("version"_L1).toInt());
        return false;
    }
    for (const QJsonValue &value : root.value("entries"_L1).toArray()) {
        const QJsonObject o = value.toObject();
        SpoolEntry entry;
        entry.webhookId = o.value("webhookId"_L1).toString();
        entry.eventId = o.value("eventId"_L1).toString();
        entry.eventStatus = o.value("eventStatus"_L1).toString();
        entry.eventType = o.value("eventType"_L1).toString();
        entry.body = QByteArray::fromBase64(o.value("body"_L1).toString().toLatin1());
        entry.createdMs = static_cast<qint64>(o.value("createdMs"_L1).toDouble());
        entry.delivered = o.value("delivered"_L1).toBool();
        entry.acknowledged = o.value("acknowledged"_L1).toBool();
        entry.attempts = o.value("attempts"_L1).toInt();
        if (entry.webhookId.isEmpty() || entry.eventId.isEmpty()) {
            *error = u"spool %1 has an entry without webhookId or eventId"_s.arg(filePath());
            m_entries.clear();
            return false;
        }
        m_entries.append(entry);
    }
    return true;
}

bool NoticeSpool::save(QString *error) const
{
    if (!QDir().mkpath(m_directory)) {
        *error = u"cannot create spool directory %1"_s.arg(m_directory);
        return false;
    }
    QJsonArray entries;
    for (const SpoolEntry &entry : m_entries)
        entries.append(toJson(entry));
    const QByteArray data =
        QJsonDocument(QJsonObject {{u"version"_s, kSpoolVersion}, {u"entries"_s, entries}})
            .toJson(QJsonDocument::Compact);
    // Owner-only: the spool holds signed notices the agent alone re-sends.
    return base::writePrivateFile(filePath(), data, error);
}

bool NoticeSpool::contains(const QString &webhookId) const
{
    return find(webhookId) != nullptr;
}

const SpoolEntry *NoticeSpool::find(const QString &webhookId) const
{
    for (const SpoolEntry &entry : m_entries) {
        if (entry.webhookId == webhookId)
            return &entry;
    }
    return nullptr;
}

SpoolEntry *NoticeSpool::findMutable(const QString &webhookId)
{
    for (SpoolEntry &entry : m_entries) {
        if (entry.webhookId == webhookId)
            return &entry;
    }
    return nullptr;
}

bool NoticeSpool::add(const SpoolEntry &entry, QString *error)
{
    if (contains(entry.webhookId))
        return true;
    m_entries.append(entry);
    return save(error);
}

bool NoticeSpool::markDelivered(const QString &webhookId, QString *error)
{
    SpoolEntry *entry = findMutable(webhookId);
    if (!entry || entry->delivered)
        return true;
    entry->delivered = true;
    return save(error);
}

bool NoticeSpool::markAcknowledged(const QString &eventId, QString *error)
{
    bool changed = false;
    for (SpoolEntry &entry : m_entries) {
        if (entry.eventId.compare(eventId, Qt::CaseInsensitive) == 0 && !entry.acknowledged) {
            entry.acknowledged = true;
            changed = true;
        }
    }
    return !changed || save(error);
}

bool NoticeSpool::isAcknowledged(const QString &eventId) const
{
    for (const SpoolEntry &entry : m_entries) {
        if (entry.eventId.compare(eventId, Qt::CaseInsensitive) == 0 && entry.acknowledged)
            return true;
    }
    return false;
}

bool NoticeSpool::recordAttempt(const QString &webhookId)
{
    // Attempts are informational: counted in memory, persisted with the next change.
    SpoolEntry *entry = findMutable(webhookId);
    if (!entry)
        return false;
    ++entry->attempts;
    return true;
}

QList<SpoolEntry> NoticeSpool::prune(const QSet<QString> &liveEventIds, QString *error)
{
    QSet<QString> live; // EventIds compare case-insensitively
    for (const QString &id : liveEventIds)
        live.insert(id.toUpper());
    QList<SpoolEntry> removed;
    QList<SpoolEntry> kept;
    for (const SpoolEntry &entry : std::as_const(m_entries)) {
        if (live.contains(entry.eventId.toUpper()))
            kept.append(entry);
        else
            removed.append(entry);
    }
    if (removed.isEmpty())
        return removed;
    m_entries = kept;
    save(error); // the caller logs a failure through *error; the in-memory state is right
    return removed;
}

QList<SpoolEntry> NoticeSpool::pending() const
{
    QList<SpoolEntry> result;
    for (const SpoolEntry &entry : m_entries) {
        if (!entry.delivered)
            result.append(entry);
    }
    return result;
}

} // namespace spotkeeper::agent
