// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// The one way SpotKeeper writes a file only its owner may read (keys, client secrets, the
// agent's spool): the bytes go to a temporary file beside `path` that is made owner-only
// (0600) before the first byte is written, and it replaces `path` only once everything was
// written and flushed (QSaveFile). A crash, a full disk or a failed write leaves the old
// file (or none) in place, never a partial or a world-readable one; an existing file that
// was readable by others is replaced by an owner-only one. On Windows, where Qt's
// permissions only map to the read-only flag, the folder's ACL decides (docs/AGENT.md).
namespace spotkeeper::base {

// false with *error "cannot write PATH: reason".
bool writePrivateFile(const QString &path, const QByteArray &data, QString *error);

} // namespace spotkeeper::base
