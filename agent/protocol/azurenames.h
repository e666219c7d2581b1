// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Azure naming rules, exactly as ARM enforces them. Each check returns an empty
// string when the value is valid, otherwise the rule it broke in plain words.
namespace spotkeeper::protocol {

QString checkSubscriptionId(QStringView value); // a GUID
QString
checkResourceGroupName(QStringView value); // 1-90 of letters, digits, _ ( ) - . ; not ending '.'
QString checkVmName(
    QStringView value); // 1-64, none of \/"[]:|<>+=;,?*@& ; not starting '_'; not ending '.' or '-'
QString checkGuid(QStringView value);

// Azure names compare case-insensitively.
bool sameAzureName(QStringView a, QStringView b);

} // namespace spotkeeper::protocol
