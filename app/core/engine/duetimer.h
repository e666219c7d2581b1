// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>

class QTimer;

namespace spotkeeper::core {

// The engine and the reconciler keep one single-shot timer each for their earliest due time
// and re-arm it after every change. This starts `timer` for `due` as seen at `now`: at once
// when due is past, after an hour at the latest (whoever owns the timer re-arms it then), or
// stops it when nothing is due (`due` invalid).
void armForDue(QTimer &timer, const QDateTime &now, const QDateTime &due);

} // namespace spotkeeper::core
