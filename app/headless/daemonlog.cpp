// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless/daemonlog.h"

Q_LOGGING_CATEGORY(lcDaemon, "spotkeeperd", QtInfoMsg)

namespace spotkeeper::headless {

void installDaemonLogging(const QString &level)
{
    qSetMessagePattern(
        QStringLiteral("%{if-debug}<7>%{endif}%{if-info}<6>%{endif}%{if-warning}<4>%{endif}"
                       "%{if-critical}<3>%{endif}%{if-fatal}<2>%{endif}%{category}: %{message}"));
    QString rules;
    if (level == QLatin1StringView("debug"))
        rules = QStringLiteral("*.debug=true");
    else if (level == QLatin1StringView("info"))
        rules = QStringLiteral("*.debug=false\nspotkeeperd.info=true");
    else if (level == QLatin1StringView("warning"))
        rules = QStringLiteral("*.debug=false\n*.info=false");
    else
        rules = QStringLiteral("*.debug=false\n*.info=false\n*.warning=false");
    QLoggingCategory::setFilterRules(rules);
}

} // namespace spotkeeper::headless
