// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/apptranslations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace spotkeeper::gui {

QString installTranslations(const QString &language)
{
    static QTranslator *app = nullptr;
    static QTranslator *qt = nullptr;
    for (QTranslator *t : {app, qt}) {
        if (t) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
    }
    app = nullptr;
    qt = nullptr;
    const QLocale locale = (language.isEmpty() || language == QLatin1StringView("system"))
        ? QLocale::system()
        : QLocale(language);
    auto *appTranslator = new QTranslator(QCoreApplication::instance());
    const bool followSystem = language.isEmpty() || language == QLatin1StringView("system");
    // A system language we do not ship (or the C locale) gets English with its plural forms.
    if (appTranslator->load(locale, QStringLiteral("spotkeeper"), QStringLiteral("_"),
                            QStringLiteral(":/i18n"))
        || (followSystem && appTranslator->load(QStringLiteral(":/i18n/spotkeeper_en.qm")))) {
        QCoreApplication::installTranslator(appTranslator);
        app = appTranslator;
    } else {
        delete appTranslator;
    }
    auto *qtTranslator = new QTranslator(QCoreApplication::instance());
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qtTranslator);
        qt = qtTranslator;
    } else {
        delete qtTranslator;
    }
    return app ? app->language().section(QLatin1Char('_'), 0, 0) : QString();
}

} // namespace spotkeeper::gui
