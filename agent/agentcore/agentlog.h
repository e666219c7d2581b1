// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// One logging category for the whole agent: one line per decision, never a secret.
// main() installs the stderr format (systemd's journal adds the time stamp).
Q_DECLARE_LOGGING_CATEGORY(lcAgent)

namespace spotkeeper::agent {

// "<3>message" style priorities for the journal when stderr is the journal, plain
// "warning: ..." otherwise.
void installAgentMessageHandler(bool journalPrefixes);

// Logs to a file instead of stderr, rotated at 1 MiB keeping 3 old files (the
// Windows service has no stderr). Takes effect for the handler installed above.
void setAgentLogFile(const QString &path);

} // namespace spotkeeper::agent
