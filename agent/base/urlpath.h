// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

// Every client here talks to a service whose base URL an operator gives, perhaps with a
// path of its own ("https://proxy.example/spotkeeper/") and perhaps with a slash at the end:
// a route goes under that path with exactly one slash between.
namespace spotkeeper::base {

// url with route ("/api/v1/notices", starting with '/') appended to its path; trailing
// slashes of the base path are dropped first. Query and fragment stay as they are.
QUrl appendPath(QUrl url, const QString &route);

} // namespace spotkeeper::base
