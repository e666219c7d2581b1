// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/apptranslations.h"
#include "models/fleetactions.h"
#include "models/fleetstatus.h"

#include <QCoreApplication>
#include <QFile>
#include <QTest>
#include <QXmlStreamReader>

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

    // Every message of the committed German file is translated, plural forms included (the
    // check_translations CTest also proves the file is current with the sources).
    void germanFileHasNoUnfinishedString()
    {
        QFile file(QStringLiteral(SPOTKEEPER_TEST_DATA "/../../translations/spotkeeper_de.ts"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QXmlStreamReader xml(&file);
        QString source;
        QStringList unfinished;
        int messages = 0;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1StringView("source")) {
                source = xml.readElementText();
            } else if (xml.name() == QLatin1StringView("translation")) {
                ++messages;
                const bool open = xml.attributes().value(QLatin1StringView("type"))
                    == QLatin1StringView("unfinished");
                QStringList forms;
                QString text;
                while (!(xml.readNext() == QXmlStreamReader::EndElement
                         && xml.name() == QLatin1StringView("translation"))) {
                    if (xml.isCharacters())
                        text += xml.text();
                    else if (xml.isStartElement() && xml.name() == QLatin1StringView("numerusform"))
                        forms.append(xml.readElementText());
                }
                const bool empty = forms.isEmpty() ? text.trimmed().isEmpty()
                                                   : forms.size() < 2 || forms.contains(QString());
                if (open || empty)
                    unfinished.append(source);
            }
        }
        QVERIFY(!xml.hasError());
        QVERIFY(messages > 100);
        QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(QStringLiteral("\n"))));
    }

    void unknownLanguageFallsBackToSource()
    {
        QCOMPARE(installTranslations(QStringLiteral("xx")), QString());
        QCOMPARE(healthText(Health::Evicted), QStringLiteral("Evicted"));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
