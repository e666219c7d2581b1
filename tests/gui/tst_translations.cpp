// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "apptranslations.h"
#include "fleetactions.h"
#include "fleetstatus.h"

#include <QCoreApplication>
#include <QFile>
#include <QTest>

using namespace spotkeeper::gui;

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void qmFilesAreEmbedded()
    {
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/spotkeeper_de.qm")));
        QVERIFY(QFile::exists(QStringLiteral(":/i18n/spotkeeper_en.qm")));
    }

    void germanLoadsWithPluralForms()
    {
        QCOMPARE(installTranslations(QStringLiteral("de")), QStringLiteral("de"));
        QCOMPARE(healthText(Health::NeedsOperator), QStringLiteral("Benötigt Bediener"));
        QCOMPARE(FleetActions::confirmationText(FleetActions::Kind::Pause, 1),
                 QStringLiteral("Automatischen Neustart für 1 VM pausieren?"));
        QCOMPARE(FleetActions::confirmationText(FleetActions::Kind::Pause, 3),
                 QStringLiteral("Automatischen Neustart für 3 VMs pausieren?"));
        const QDateTime now(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
        QCOMPARE(relativeTime(now.addSecs(-60), now), QStringLiteral("vor 1 Minute"));
        QCOMPARE(relativeTime(now.addSecs(-180), now), QStringLiteral("vor 3 Minuten"));
        QCOMPARE(relativeTime(now.addDays(-5), now), QStringLiteral("vor 5 Tagen"));
    }

    void englishPluralForms()
    {
        QCOMPARE(installTranslations(QStringLiteral("en")), QStringLiteral("en"));
        QCOMPARE(healthText(Health::NeedsOperator), QStringLiteral("Needs operator"));
        QCOMPARE(FleetActions::confirmationText(FleetActions::Kind::Pause, 1),
                 QStringLiteral("Pause auto-restart for 1 VM?"));
        QCOMPARE(FleetActions::confirmationText(FleetActions::Kind::Pause, 2),
                 QStringLiteral("Pause auto-restart for 2 VMs?"));
    }

    void systemLanguageAlwaysHasPluralForms()
    {
        // The system locale here may be C, English, German or anything else: some
        // translation (English at least) is always loaded, so "%n VM(s)" never shows.
        const QString loaded = installTranslations(QStringLiteral("system"));
        QVERIFY(loaded == QLatin1StringView("en") || loaded == QLatin1StringView("de"));
        QVERIFY(!FleetActions::confirmationText(FleetActions::Kind::Pause, 2)
                     .contains(QLatin1StringView("(s)")));
    }

    void unknownLanguageFallsBackToSource()
    {
        QCOMPARE(installTranslations(QStringLiteral("xx")), QString());
        QCOMPARE(healthText(Health::Evicted), QStringLiteral("Evicted"));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
