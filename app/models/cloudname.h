// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/cloud.h"

#include <QString>

namespace spotkeeper::gui {

// "Azure", "Google Cloud", "AWS" (translated): the fleet table's Cloud column,
// the cloud filters, the detail pane and the charts.
QString cloudName(core::Cloud cloud);

} // namespace spotkeeper::gui
