// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/urlpath.h"

namespace spotkeeper::base {

QUrl appendPath(QUrl url, const QString &route)
{
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + route);
    return url;
}

} // namespace spotkeeper::base
