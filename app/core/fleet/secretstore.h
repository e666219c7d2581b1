// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

// Where the dashboard keeps secrets (service principal client secret, operator tokens):
// never QSettings. The interface lives in the core so code below the widgets can be handed
// one; the implementations (the system keychain through QtKeychain, memory for this run)
// are the dashboard's (app/ui/secretstores.h). Answers come by callback: a keychain may
// first ask the user to unlock it.
namespace spotkeeper::core {

class SecretStore : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~SecretStore() override = default;

    using ReadDone = std::function<void(bool ok, const QByteArray &secret, const QString &error)>;
    using WriteDone = std::function<void(bool ok, const QString &error)>;

    // false: secrets are kept in memory for this run only; persistenceNote() says why.
    virtual bool isPersistent() const = 0;
    virtual QString persistenceNote() const = 0;
    virtual void readSecret(const QString &key, ReadDone done) = 0;
    virtual void writeSecret(const QString &key, const QByteArray &secret, WriteDone done) = 0;
    virtual void deleteSecret(const QString &key, WriteDone done) = 0;
};

} // namespace spotkeeper::core
