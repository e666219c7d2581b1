// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QApplication;
class QTranslator;

namespace spotkeeper::gui {

enum class Theme { System, Light, Dark };
Theme themeFromString(const QString &text); // "system" | "light" | "dark"
QString toString(Theme theme);
void applyTheme(Theme theme);

// Loads spotkeeper_<lang>.qm from the embedded translations (":/i18n") for `language`
// ("" or "system" = the system locale) and Qt's own strings. Returns the language used.
QString installTranslations(const QString &language);

} // namespace spotkeeper::gui
