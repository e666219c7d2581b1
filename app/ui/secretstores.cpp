// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/secretstores.h"

#include <qt6keychain/keychain.h>

namespace spotkeeper::gui {

namespace {
// Without a D-Bus session or secret service QtKeychain reports OtherError on Linux:
// both mean "no keychain here", never "write a plain-text file instead".
bool noBackend(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::OtherError;
}
} // namespace

MemorySecretStore::MemorySecretStore(QString note, QObject *parent)
    : SecretStore(parent)
    , m_note(note.isEmpty() ? tr("Secrets are kept in memory for this run only.") : note)
{ }

MemorySecretStore::~MemorySecretStore() = default;

void MemorySecretStore::readSecret(const QString &key, ReadDone done)
{
    const auto it = m_secrets.constFind(key);
    if (it == m_secrets.constEnd())
        done(false, {}, tr("No secret stored under %1").arg(key));
    else
        done(true, *it, {});
}

void MemorySecretStore::writeSecret(const QString &key, const QByteArray &secret, WriteDone done)
{
    m_secrets.insert(key, secret);
    done(true, {});
}

void MemorySecretStore::deleteSecret(const QString &key, WriteDone done)
{
    m_secrets.remove(key);
    done(true, {});
}

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : SecretStore(parent)
    , m_service(std::move(service))
{ }

KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::persistenceNote() const
{
    if (!m_fallback)
        return tr("Secrets are kept in the system keychain.");
    return tr("No system keychain is available (%1): secrets are kept in memory for this run "
              "only and must be entered again next time.")
        .arg(m_fallbackReason);
}

void KeychainSecretStore::useFallback(const QString &reason)
{
    if (m_fallback)
        return;
    m_fallbackReason = reason;
    m_fallback = new MemorySecretStore(QString(), this);
}

void KeychainSecretStore::runJob(QKeychain::Job *job, const QString &key,
                                 std::function<void()> onMemory, std::function<void()> finished)
{
    job->setInsecureFallback(false); // never a plain-text file
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this,
            [this, job, onMemory = std::move(onMemory), finished = std::move(finished)] {
                if (noBackend(job->error())) {
                    useFallback(job->errorString());
                    onMemory();
                    return;
                }
                finished();
            });
    job->start();
}

void KeychainSecretStore::readSecret(const QString &key, ReadDone done)
{
    if (m_fallback) {
        m_fallback->readSecret(key, std::move(done));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    runJob(
        job, key, [this, key, done] { m_fallback->readSecret(key, done); },
        [job, done] {
            if (job->error() != QKeychain::NoError)
                done(false, {}, job->errorString());
            else
                done(true, job->binaryData(), {});
        });
}

void KeychainSecretStore::writeSecret(const QString &key, const QByteArray &secret, WriteDone done)
{
    if (m_fallback) {
        m_fallback->writeSecret(key, secret, std::move(done));
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setBinaryData(secret);
    runJob(
        job, key, [this, key, secret, done] { m_fallback->writeSecret(key, secret, done); },
        [job, done] { done(job->error() == QKeychain::NoError, job->errorString()); });
}

void KeychainSecretStore::deleteSecret(const QString &key, WriteDone done)
{
    if (m_fallback) {
        m_fallback->deleteSecret(key, std::move(done));
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    runJob(
        job, key, [this, key, done] { m_fallback->deleteSecret(key, done); },
        [job, done] {
            done(job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound,
                 job->errorString());
        });
}

} // namespace spotkeeper::gui
