// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace spotkeeper::gui {

enum class Theme { System, Light, Dark };
Theme themeFromString(const QString &text); // "system" | "light" | "dark"
QString toString(Theme theme);
void applyTheme(Theme theme);

} // namespace spotkeeper::gui
