// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Google Cloud naming rules for the parts of a Compute Engine instance's identity
// (docs/GCP-PROTOCOL.md §2). Each check returns an empty string when the value is valid,
// otherwise the rule it broke in plain words, like the Azure checks in azurenames.h.
namespace spotkeeper::protocol {

// 6-30 lower-case letters, digits and hyphens, starting with a letter and not ending
// with a hyphen; the older domain-scoped form "example.com:my-project" is accepted too.
QString checkGcpProjectId(QStringView value);
// A zone such as "us-central1-a": 1-63 lower-case letters, digits and hyphens (RFC 1035
// label), starting with a letter, not ending with a hyphen.
QString checkGcpZone(QStringView value);
// An instance name: RFC 1035 label, 1-63 characters [a-z]([-a-z0-9]*[a-z0-9])?.
QString checkGcpInstanceName(QStringView value);
// The numeric instance id Compute Engine assigns: 1-20 decimal digits, an unsigned 64-bit number.
QString checkGcpInstanceId(QStringView value);

} // namespace spotkeeper::protocol
