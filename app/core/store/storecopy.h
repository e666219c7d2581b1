// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QList>
#include <QString>

#include <utility>

// Moves a store from one place to another (`spotkeeperd migrate-store`: an SQLite file to a
// PostgreSQL database, or back): every row of every table with its id, in one transaction on
// the target, so a failed copy leaves the target as it was.
namespace spotkeeper::core {

struct StoreCopyResult
{
    QList<std::pair<QString, qint64>> rowsPerTable; // in copy order
    QString error; // empty on success; never holds a secret
};

// Both stores are opened (and migrated to the current schema) with the given options. A target
// that already holds any row is refused unless intoNonEmpty (then rows whose ids are taken
// make the whole copy fail and roll back).
StoreCopyResult copyStore(const StoreOptions &from, const StoreOptions &to, bool intoNonEmpty);

} // namespace spotkeeper::core
