// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/remoteattach.h"

#include "models/remotefleetsource.h"

#include <QCoreApplication>
#include <QInputDialog>
#include <QPointer>
#include <QUrl>

namespace spotkeeper::gui {

void attachRemote(const DashboardSettings &settings, SecretStore &secrets, const base::Clock &clock,
                  QWidget *parent, bool mayAsk, AttachDone done)
{
    RemoteSourceOptions options;
    options.baseUrl = QUrl(settings.remoteUrl.trimmed(), QUrl::StrictMode);
    options.caFile = settings.remoteCaFile;
    // The URL first: no token is read or asked for to be sent where it would go in clear.
    if (const QString problem = RemoteFleetSource::checkUrl(options.baseUrl); !problem.isEmpty()) {
        done(nullptr, problem);
        return;
    }
    // The keychain answers when it is ready (it may ask the user to unlock it first); the
    // attach goes on from its answer.
    secrets.readSecret(
        DashboardSettings::kOperatorTokenKey,
        [options, &secrets, &clock, parent = QPointer<QWidget>(parent), mayAsk,
         done = std::move(done)](bool ok, const QByteArray &secret, const QString &) mutable {
            options.token = ok ? secret.trimmed() : QByteArray();
            if (options.token.isEmpty() && mayAsk) {
                bool entered = false;
                const QString token = QInputDialog::getText(
                    parent,
                    QCoreApplication::translate("spotkeeper::gui::RemoteAttach",
                                                "Attach to spotkeeperd"),
                    QCoreApplication::translate("spotkeeper::gui::RemoteAttach",
                                                "Operator token for %1 (create one on the server "
                                                "with spotkeeperd token create):")
                        .arg(options.baseUrl.toDisplayString()),
                    QLineEdit::Password, QString(), &entered);
                options.token = token.trimmed().toUtf8();
                if (entered && !options.token.isEmpty())
                    secrets.writeSecret(DashboardSettings::kOperatorTokenKey, options.token,
                                        [](bool, const QString &) {});
            }
            if (const QString problem = RemoteFleetSource::checkOptions(options);
                !problem.isEmpty()) {
                done(nullptr, problem);
                return;
            }
            auto source = std::make_unique<RemoteFleetSource>(options, clock);
            source->start();
            done(std::move(source), {});
        });
}

} // namespace spotkeeper::gui
