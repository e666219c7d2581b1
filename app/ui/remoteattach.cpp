// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "remoteattach.h"

#include "remotefleetsource.h"
#include "secretstore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QInputDialog>
#include <QUrl>

namespace spotkeeper::gui {

namespace {
// The SecretStore answers asynchronously (the keychain may ask the user to unlock it).
QByteArray readSecretNow(SecretStore &secrets, const QString &key)
{
    QByteArray value;
    bool done = false;
    QEventLoop loop;
    secrets.readSecret(key, [&](bool ok, const QByteArray &secret, const QString &) {
        value = ok ? secret : QByteArray();
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
    return value;
}
} // namespace

std::unique_ptr<RemoteFleetSource> attachRemote(const DashboardSettings &settings,
                                                SecretStore &secrets, const core::Clock &clock,
                                                QWidget *parent, bool mayAsk, QString *error)
{
    RemoteSourceOptions options;
    options.baseUrl = QUrl(settings.remoteUrl.trimmed(), QUrl::StrictMode);
    options.caFile = settings.remoteCaFile;
    // The URL first: no token is read or asked for to be sent where it would go in clear.
    if (const QString problem = RemoteFleetSource::checkUrl(options.baseUrl); !problem.isEmpty()) {
        *error = problem;
        return nullptr;
    }
    options.token = readSecretNow(secrets, DashboardSettings::kOperatorTokenKey).trimmed();
    if (options.token.isEmpty() && mayAsk) {
        bool ok = false;
        const QString token = QInputDialog::getText(
            parent,
            QCoreApplication::translate("spotkeeper::gui::RemoteAttach", "Attach to spotkeeperd"),
            QCoreApplication::translate("spotkeeper::gui::RemoteAttach",
                                        "Operator token for %1 (create one on the server with "
                                        "spotkeeperd token create):")
                .arg(options.baseUrl.toDisplayString()),
            QLineEdit::Password, QString(), &ok);
        options.token = token.trimmed().toUtf8();
        if (ok && !options.token.isEmpty())
            secrets.writeSecret(DashboardSettings::kOperatorTokenKey, options.token,
                                [](bool, const QString &) {});
    }
    if (const QString problem = RemoteFleetSource::checkOptions(options); !problem.isEmpty()) {
        *error = problem;
        return nullptr;
    }
    auto source = std::make_unique<RemoteFleetSource>(options, clock);
    source->start();
    return source;
}

} // namespace spotkeeper::gui
