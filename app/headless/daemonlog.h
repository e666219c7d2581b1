// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>
#include <QString>

// spotkeeperd logs to stderr with sd-daemon priority prefixes ("<6>listening on ...")
// so journald files each line under the right priority; no timestamps (journald adds
// them). Level: debug | info | warning | error.
Q_DECLARE_LOGGING_CATEGORY(lcDaemon)

namespace spotkeeper::headless {

void installDaemonLogging(const QString &level);

} // namespace spotkeeper::headless
