// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dashboardsettings.h"

#include <QString>

#include <memory>

class QWidget;

namespace spotkeeper::core {
class Clock;
}

namespace spotkeeper::gui {

class RemoteFleetSource;
class SecretStore;

// Attaching the dashboard to a remote spotkeeperd: the RemoteFleetSource for
// settings.remoteUrl / remoteCaFile with the operator token read from the SecretStore. When
// none is stored and mayAsk, the operator is asked once (a password field) and the answer is
// written to the SecretStore, never to the settings. Null with *error saying
// why (bad URL, unreadable CA file, no token). The source is started (first poll under way).
std::unique_ptr<RemoteFleetSource> attachRemote(const DashboardSettings &settings,
                                                SecretStore &secrets, const core::Clock &clock,
                                                QWidget *parent, bool mayAsk, QString *error);

} // namespace spotkeeper::gui
