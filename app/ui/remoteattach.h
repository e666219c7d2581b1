// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fleet/secretstore.h"
#include "ui/dashboardsettings.h"

#include <QString>

#include <functional>
#include <memory>

class QWidget;

namespace spotkeeper::gui {

class RemoteFleetSource;
using core::SecretStore;

// Attaching the dashboard to a remote spotkeeperd: the RemoteFleetSource for
// settings.remoteUrl / remoteCaFile with the operator token read from the SecretStore. When
// none is stored and mayAsk, the operator is asked once (a password field) and the answer is
// written to the SecretStore, never to the settings. done gets the started source (first
// poll under way) or null and why not (bad URL, unreadable CA file, no token); it runs when
// the keychain has answered, which may be after attachRemote returned.
using AttachDone =
    std::function<void(std::unique_ptr<RemoteFleetSource> source, const QString &error)>;
void attachRemote(const DashboardSettings &settings, SecretStore &secrets, const base::Clock &clock,
                  QWidget *parent, bool mayAsk, AttachDone done);

} // namespace spotkeeper::gui
