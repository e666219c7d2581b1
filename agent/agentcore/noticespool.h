// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>

// The agent's durable memory of notices: every (EventId, EventStatus) it has seen
// for this VM, pending or delivered, so a restart neither loses nor repeats one.
// Every change is written at once, owner-only, with base::writePrivateFile (write-to-temp
// + rename), so a crash leaves the old or the new file, never half of one. Entries are pruned when
// their event is gone from IMDS.
namespace spotkeeper::agent {

struct SpoolEntry
{
    QString webhookId; // stable per (VM, EventId, EventStatus): the dashboard dedupes on it
    QString eventId;
    QString eventStatus; // "Scheduled" | "Started"
    QString eventType; // "Preempt", ...
    QByteArray body; // the notice exactly as it is (re-)sent
    qint64 createdMs = 0;
    bool delivered = false;
    bool acknowledged = false; // StartRequests accepted by IMDS
    int attempts = 0;
};

class NoticeSpool
{
public:
    explicit NoticeSpool(QString directory);

    // Reads the spool file; a missing file is an empty spool. An unreadable or corrupt
    // file is an error (the caller decides: the agent moves it aside and starts empty).
    bool load(QString *error);
    bool save(QString *error) const;
    QString filePath() const;

    bool contains(const QString &webhookId) const;
    const SpoolEntry *find(const QString &webhookId) const;
    bool add(const SpoolEntry &entry, QString *error);
    bool markDelivered(const QString &webhookId, QString *error);
    bool markAcknowledged(const QString &eventId, QString *error);
    bool isAcknowledged(const QString &eventId) const;
    bool recordAttempt(const QString &webhookId);
    // Drops every entry whose EventId is not in liveEventIds; returns what was dropped.
    QList<SpoolEntry> prune(const QSet<QString> &liveEventIds, QString *error);

    QList<SpoolEntry> pending() const; // oldest first
    const QList<SpoolEntry> &entries() const { return m_entries; }

private:
    SpoolEntry *findMutable(const QString &webhookId);

    QString m_directory;
    QList<SpoolEntry> m_entries;
};

} // namespace spotkeeper::agent
