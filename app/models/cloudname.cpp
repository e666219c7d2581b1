// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/cloudname.h"

#include <QCoreApplication>

namespace spotkeeper::gui {

QString cloudName(core::Cloud cloud)
{
    // The Cloud column's words, in its translation context.
    switch (cloud) {
    case core::Cloud::Aws:
        return QCoreApplication::translate("spotkeeper::gui::FleetTableModel", "AWS");
    case core::Cloud::Gcp:
        return QCoreApplication::translate("spotkeeper::gui::FleetTableModel", "Google Cloud");
    case core::Cloud::Azure:
        break;
    }
    return QCoreApplication::translate("spotkeeper::gui::FleetTableModel", "Azure");
}

} // namespace spotkeeper::gui
