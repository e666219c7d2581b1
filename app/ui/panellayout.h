// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMargins>

class QWidget;

namespace spotkeeper::gui {

// Lays host out as a panel: a top row with title (taking the width) and control at its right,
// and body below taking the rest of the height.
void layOutPanel(QWidget *host, QWidget *title, QWidget *control, QWidget *body,
                 const QMargins &margins);

} // namespace spotkeeper::gui
