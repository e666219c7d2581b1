// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// Secrets, token and key ids, engine identities: the random bytes the server and the agent
// make come from the operating system's generator (QRandomGenerator::system()) through this
// one call. (The protocol library, below this one, fills its webhook secrets itself.)
namespace spotkeeper::base {

QByteArray randomBytes(qsizetype count); // count uniformly random bytes

} // namespace spotkeeper::base
