// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace spotkeeper::gui {

// Loads spotkeeper_<lang>.qm from the embedded translations (":/i18n") for `language`
// ("" or "system" = the system locale) and Qt's own strings, replacing what an earlier call
// installed. English has a .qm of its own: it carries the plural forms ("1 VM", "2 VMs").
// Returns the language whose translation was loaded, or "" if none was.
QString installTranslations(const QString &language);

} // namespace spotkeeper::gui
