// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/secretstore.h"

#include <QHash>

#include <functional>

namespace QKeychain {
class Job;
}

// The dashboard's SecretStore implementations (the interface is core::SecretStore):
// KeychainSecretStore uses the platform keychain through QtKeychain with its insecure
// plain-text fallback off; MemorySecretStore holds secrets for this run only (tests, and the
// fallback when no keychain is available, which the UI says plainly).
namespace spotkeeper::gui {

using core::SecretStore;

class MemorySecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QString note = {}, QObject *parent = nullptr);
    ~MemorySecretStore() override;
    Q_DISABLE_COPY_MOVE(MemorySecretStore)

    bool isPersistent() const override { return false; }
    QString persistenceNote() const override { return m_note; }
    void readSecret(const QString &key, ReadDone done) override;
    void writeSecret(const QString &key, const QByteArray &secret, WriteDone done) override;
    void deleteSecret(const QString &key, WriteDone done) override;

private:
    QString m_note;
    QHash<QString, QByteArray> m_secrets;
};

// QtKeychain-backed store. If the keychain answers "no backend available", it switches to
// memory for the rest of the run and reports that through isPersistent()/persistenceNote().
class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(QString service, QObject *parent = nullptr);
    ~KeychainSecretStore() override;
    Q_DISABLE_COPY_MOVE(KeychainSecretStore)

    bool isPersistent() const override { return !m_fallback; }
    QString persistenceNote() const override;
    void readSecret(const QString &key, ReadDone done) override;
    void writeSecret(const QString &key, const QByteArray &secret, WriteDone done) override;
    void deleteSecret(const QString &key, WriteDone done) override;

private:
    void useFallback(const QString &reason);
    // Runs a QtKeychain job for `key` (never a plain-text fallback; the job deletes itself).
    // Where the platform has no keychain the store switches to memory for the rest of the run
    // and onMemory makes the same call there; otherwise finished reads the job's answer.
    void runJob(QKeychain::Job *job, const QString &key, std::function<void()> onMemory,
                std::function<void()> finished);

    QString m_service;
    MemorySecretStore *m_fallback = nullptr;
    QString m_fallbackReason;
};

} // namespace spotkeeper::gui
