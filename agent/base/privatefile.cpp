// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/privatefile.h"

#include <QSaveFile>

namespace spotkeeper::base {

using namespace Qt::StringLiterals;

bool writePrivateFile(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile file(path);
    // QSaveFile gives its temporary file the old file's permissions (or 0666 less the umask):
    // narrow them before anything secret is in it.
    const bool written = file.open(QIODevice::WriteOnly)
        && file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        && file.write(data) == data.size() && file.commit();
    if (!written)
        *error = u"cannot write "_s + path + u": "_s + file.errorString();
    return written;
}

} // namespace spotkeeper::base
