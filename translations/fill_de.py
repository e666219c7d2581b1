#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Fills spotkeeper_de.ts from the table below and spotkeeper_en.ts with English plural forms.
# Run after lupdate: python3 translations/fill_de.py   (reports any source text left untranslated)
import re, sys, xml.etree.ElementTree as ET
from pathlib import Path

here = Path(__file__).resolve().parent
S = {
 ' s': ' s', 'Restart it': 'Neu starten', 'Leave it deallocated': 'Freigegeben lassen',
 'Waiting for the application': 'Wartet auf die Anwendung', 'App unhealthy': 'Anwendung gestört',
 ' min': ' Min.', 'Do not wait': 'Nicht warten',
 'A restarted VM whose agent has a health probe counts as recovered once its application reports healthy; after this long it ends as running with the application not healthy, and an alert.': 'Eine neu gestartete VM, deren Agent eine Zustandsprüfung hat, gilt als wiederhergestellt, sobald ihre Anwendung gesund meldet; nach dieser Zeit endet der Auftrag als laufend mit gestörter Anwendung, und es gibt einen Alarm.',
 'Alert when the application on a running VM has been unhealthy this long.': 'Alarm, wenn die Anwendung auf einer laufenden VM so lange gestört ist.',
 'Never (alert only)': 'Nie (nur Alarm)', 'VMs tagged spotkeeper-app-restart=true': 'VMs mit dem Tag spotkeeper-app-restart=true',
 'Every VM': 'Jede VM',
 'Wait for the a&pplication after a restart:': 'Nach einem Neustart auf die A&nwendung warten:',
 'Unhealthy appl&ication alert after:': 'Alarm bei gestörter Anwendung na&ch:',
 'Restart VMs with an unhealthy application:': 'VMs mit gestörter Anwendung neu starten:',
 'At most, restarts per hour per VM:': 'Höchstens, Neustarts pro Stunde und VM:',
 'The VM is running but its application is unhealthy since %1: %2 (%3 probe, %4 ms).': 'Die VM läuft, aber ihre Anwendung ist seit %1 gestört: %2 (%3-Prüfung, %4 ms).',
 'Application: waiting for the first %1 probe': 'Anwendung: wartet auf die erste %1-Prüfung',
 'Application: healthy since %1 (%2 probe, %3 ms)': 'Anwendung: gesund seit %1 (%2-Prüfung, %3 ms)',
 'Application: unhealthy since %1: %2 (%3 probe, %4 ms)': 'Anwendung: gestört seit %1: %2 (%3-Prüfung, %4 ms)',
 'Activity &Log wait for an unexplained deallocation:': 'Wartezeit im Aktivitäts&protokoll bei unerklärter Freigabe:',
 '&No evidence by then:': '&Kein Nachweis bis dahin:',
 'A managed VM went down without a notice: how long the Activity Log is read for an eviction (restart) or a person\'s deallocation (leave it stopped).': 'Eine verwaltete VM ist ohne Benachrichtigung ausgefallen: So lange wird das Aktivitätsprotokoll nach einer Verdrängung (Neustart) oder einer Freigabe durch eine Person (angehalten lassen) durchsucht.',
 'Stop on purpose': 'Absichtlich anhalten', 'Start': 'Starten',
 'Cloud': 'Cloud', 'Azure': 'Azure', 'Google Cloud': 'Google Cloud', 'AWS': 'AWS',
 'S&top on purpose': 'Absichtlich an&halten', '&Start': '&Starten',
 'Stopped on purpose by %1': 'Absichtlich angehalten von %1',
 'unknown': 'unbekannt', '< 1 min': '< 1 Min.', '1-5 min': '1–5 Min.', '5-15 min': '5–15 Min.',
 '15-60 min': '15–60 Min.', '1-4 h': '1–4 Std.', '> 4 h': '> 4 Std.', 'Recovered': 'Wiederhergestellt',
 'Needs operator': 'Benötigt Bediener', 'Cancelled': 'Abgebrochen', 'In progress': 'Läuft',
 'Paused': 'Pausiert',
 'This view is read-only: no restart engine is attached.': 'Diese Ansicht ist schreibgeschützt: Keine Neustart-Engine ist angebunden.',
 'No Azure credentials: sign in with az login or configure a service principal in Settings.': 'Keine Azure-Anmeldedaten: Melden Sie sich mit az login an oder richten Sie in den Einstellungen einen Dienstprinzipal ein.',
 'Not a VM resource id: expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<name>': 'Keine VM-Ressourcen-ID: erwartet wird /subscriptions/<id>/resourceGroups/<gruppe>/providers/Microsoft.Compute/virtualMachines/<name>',
 'Force restart': 'Neustart erzwingen', 'Pause auto-restart': 'Automatischen Neustart pausieren',
 'Resume auto-restart': 'Automatischen Neustart fortsetzen', 'Cancel job': 'Auftrag abbrechen',
 'Running': 'Läuft', 'Evicted': 'Verdrängt', 'Waiting for deallocation': 'Wartet auf Freigabe',
 'Restarting': 'Wird neu gestartet', 'Stopped': 'Angehalten', 'Unknown': 'Unbekannt', 'Starting': 'Startet',
 'Backing off': 'Wartet vor neuem Versuch', 'Stopping': 'Wird angehalten', 'Deallocating': 'Wird freigegeben',
 'Deallocated': 'Freigegeben', 'Deleted': 'Gelöscht', 'just now': 'gerade eben', 'due now': 'jetzt fällig',
 'an unknown region': 'einer unbekannten Region', 'Add VM': 'VM hinzufügen', 'Enroll agent': 'Agent registrieren',
 'Export': 'Export', 'Time (UTC)': 'Zeit (UTC)', 'Actor': 'Akteur', 'Action': 'Aktion', 'Target': 'Ziel',
 'Detail': 'Details', 'Show as table': 'Als Tabelle zeigen', '%1 (table)': '%1 (Tabelle)',
 'Show %1 as table': '%1 als Tabelle zeigen', 'Region': 'Region', 'Resource group': 'Ressourcengruppe',
 'Stack evictions by': 'Verdrängungen stapeln nach', 'Stack evictions &by:': 'Verdrängungen stapeln &nach:',
 'Evictions over time': 'Verdrängungen im Zeitverlauf', 'Time to recovery': 'Zeit bis zur Wiederherstellung',
 'Restart outcomes': 'Ergebnisse der Neustarts',
 'The restart engine is not running in this dashboard yet: actions are unavailable.': 'Die Neustart-Engine läuft in diesem Dashboard noch nicht: Aktionen sind nicht verfügbar.',
 '&Copy resource ID': 'Ressourcen-ID &kopieren', 'Open in Azure &portal': 'Im Azure-&Portal öffnen',
 "Copy the VM's ARM resource ID to the clipboard": 'Die ARM-Ressourcen-ID der VM in die Zwischenablage kopieren',
 'Open the VM in the Azure portal in your browser': 'Die VM im Azure-Portal im Browser öffnen',
 'Timeline': 'Zeitleiste', '&Timeline': '&Zeitleiste', 'Restart attempts': 'Neustartversuche', '&Attempts': '&Versuche',
 'No VM selected': 'Keine VM ausgewählt', 'Select a VM in the fleet table to see its timeline.': 'Wählen Sie eine VM in der Flottentabelle, um ihre Zeitleiste zu sehen.',
 '%1 · %2 · %3 · %4 · power: %5 · auto-restart: %6': '%1 · %2 · %3 · %4 · Zustand: %5 · automatischer Neustart: %6',
 'on': 'an', 'off': 'aus', 'Agent %1, last seen %2%3': 'Agent %1, zuletzt gesehen %2%3',
 '(unknown version)': '(unbekannte Version)', '; last poll failed: %1': '; letzte Abfrage fehlgeschlagen: %1',
 'No agent has reported for this VM (observed through ARM only).': 'Für diese VM hat sich kein Agent gemeldet (nur über ARM beobachtet).',
 'Restart job: %1, attempt %2, next attempt %3': 'Neustartauftrag: %1, Versuch %2, nächster Versuch %3',
 '; last error %1': '; letzter Fehler %1', 'No active restart job.': 'Kein aktiver Neustartauftrag.',
 'Enroll an agent on %1': 'Agent auf %1 registrieren',
 'A new agent key <b>%1</b> was generated for %2. The secret is shown only now: copy a snippet and run it on the VM.': 'Für %2 wurde ein neuer Agent-Schlüssel <b>%1</b> erzeugt. Das Geheimnis wird nur jetzt angezeigt: Kopieren Sie ein Snippet und führen Sie es auf der VM aus.',
 'Linux (systemd)': 'Linux (systemd)', 'cloud-init': 'cloud-init', 'Windows': 'Windows',
 '%1 install snippet': 'Installations-Snippet für %1', '&Copy snippet': 'Snippet &kopieren',
 'Notice': 'Hinweis', 'Agent': 'Agent', 'Eviction': 'Verdrängung', 'Restart attempt': 'Neustartversuch',
 'Power change': 'Zustandswechsel', 'Job': 'Auftrag', 'Alert': 'Alarm', 'Kind': 'Art', 'Source': 'Quelle',
 'Type / status': 'Typ / Status', 'HTTP': 'HTTP', 'ARM error': 'ARM-Fehler', 'Correlation id': 'Korrelations-ID',
 'Message': 'Meldung', 'VMs recovered': 'Wiederhergestellte VMs', 'Restart jobs': 'Neustartaufträge',
 'Name': 'Name', 'Status': 'Status', 'Subscription': 'Abonnement', 'Region / zone': 'Region / Zone',
 'Size': 'Größe', 'Power state': 'Betriebszustand', 'Auto-restart': 'Automatischer Neustart',
 'Job state': 'Auftragsstatus', 'Attempt': 'Versuch', 'Next retry': 'Nächster Versuch',
 'Last eviction': 'Letzte Verdrängung', 'Evictions 24 h': 'Verdrängungen 24 Std.', 'Evictions 7 d': 'Verdrängungen 7 T.',
 'Agent last seen': 'Agent zuletzt gesehen', 'Last ARM error': 'Letzter ARM-Fehler', 'On': 'An', 'Off': 'Aus',
 'never': 'nie', '%1 (last poll failed: %2)': '%1 (letzte Abfrage fehlgeschlagen: %2)', 'Fleet': 'Flotte',
 'Filter by name, group, region, size, error (Ctrl+F)': 'Nach Name, Gruppe, Region, Größe, Fehler filtern (Strg+F)',
 'Fleet filter': 'Flottenfilter', 'State': 'Zustand', 'Only &problems': 'Nur &Probleme', 'Columns': 'Spalten',
 'Choose the visible columns': 'Die sichtbaren Spalten wählen', 'Choose columns': 'Spalten wählen',
 'Secrets are kept in the system keychain.': 'Geheimnisse werden im Schlüsselbund des Systems gespeichert.',
 'No system keychain is available (%1): secrets are kept in memory for this run only and must be entered again next time.': 'Kein Schlüsselbund verfügbar (%1): Geheimnisse werden nur für diese Sitzung im Speicher gehalten und müssen beim nächsten Mal erneut eingegeben werden.',
 'Local store %1': 'Lokaler Speicher %1', 'The VM has no resource id; add it to the fleet first.': 'Die VM hat keine Ressourcen-ID; fügen Sie sie zuerst der Flotte hinzu.',
 'The key could not be saved: %1': 'Der Schlüssel konnte nicht gespeichert werden: %1',
 'No Azure credentials are configured.': 'Es sind keine Azure-Anmeldedaten eingerichtet.',
 'SpotKeeper': 'SpotKeeper', 'Audit log': 'Prüfprotokoll', 'Notifications': 'Benachrichtigungen',
 '&Fleet': '&Flotte', '&Retries': '&Wiederholungen', 'C&harts': '&Diagramme', 'A&udit': '&Prüfprotokoll',
 '&Notifications': '&Benachrichtigungen',
 "<h2>Welcome to SpotKeeper</h2><p>SpotKeeper watches your Azure Spot VMs and restarts them after an eviction. There are no VMs in the fleet yet and no Azure credentials, so there is nothing to show. Choose one way to start:</p><ol><li><b>Azure CLI:</b> run <code>az login</code> in a terminal, then restart SpotKeeper; it picks up the CLI's sign-in.</li><li><b>Service principal:</b> open <i>Settings → Azure</i> and enter the tenant ID, client ID and client secret (kept in the system keychain).</li><li><b>Attach to a spotkeeperd server</b> that already watches the fleet, through its operator API.</li></ol><p>Then add VMs one by one, discover the Spot VMs of a subscription, or enroll an agent on a VM: it reports evictions the moment Azure announces them.</p>":
 "<h2>Willkommen bei SpotKeeper</h2><p>SpotKeeper überwacht Ihre Azure-Spot-VMs und startet sie nach einer Verdrängung neu. Die Flotte enthält noch keine VMs und es gibt keine Azure-Anmeldedaten, daher gibt es nichts anzuzeigen. Wählen Sie einen Einstieg:</p><ol><li><b>Azure CLI:</b> Führen Sie <code>az login</code> in einem Terminal aus und starten Sie SpotKeeper neu; es übernimmt die Anmeldung der CLI.</li><li><b>Dienstprinzipal:</b> Öffnen Sie <i>Einstellungen → Azure</i> und geben Sie Mandanten-ID, Client-ID und Clientgeheimnis ein (im Schlüsselbund des Systems gespeichert).</li><li><b>Mit einem spotkeeperd-Server verbinden</b>, der die Flotte bereits überwacht, über dessen Operator-API.</li></ol><p>Fügen Sie dann VMs einzeln hinzu, ermitteln Sie die Spot-VMs eines Abonnements oder registrieren Sie einen Agent auf einer VM: Er meldet Verdrängungen, sobald Azure sie ankündigt.</p>",
 'Open &settings': '&Einstellungen öffnen', '&Add a VM…': 'VM &hinzufügen…', 'A&ttach to spotkeeperd…': 'Mit spotkeeperd &verbinden…',
 'Attaching to a remote spotkeeperd is not available in this version.': 'Die Verbindung zu einem entfernten spotkeeperd ist in dieser Version nicht verfügbar.',
 'Listener off': 'Empfänger aus', 'Listening on %1 (%2)': 'Empfängt auf %1 (%2)', 'TLS': 'TLS', 'no TLS': 'ohne TLS',
 'Last notice %1': 'Letzter Hinweis %1', 'No notice yet': 'Noch kein Hinweis', 'No Azure credentials': 'Keine Azure-Anmeldedaten',
 'Azure: %1 (%2)': 'Azure: %1 (%2)', 'Token expires %1': 'Token läuft ab %1', 'ARM budget: unknown': 'ARM-Budget: unbekannt',
 'Select one or more VMs in the fleet table first.': 'Wählen Sie zuerst eine oder mehrere VMs in der Flottentabelle.',
 '&Notifications (%1)': '&Benachrichtigungen (%1)', '&File': '&Datei', '&Export current view…': 'Aktuelle Ansicht &exportieren…',
 'Export &events for the time range…': '&Ereignisse des Zeitraums exportieren…', 'Export the &audit log…': '&Prüfprotokoll exportieren…',
 '&Settings…': '&Einstellungen…', '&Quit': '&Beenden', '&View': '&Ansicht', '&Find…': '&Suchen…',
 '&Clear state filter': 'Zustandsfilter &löschen', '&Actions': 'A&ktionen', 'Force &restart': '&Neustart erzwingen',
 '&Pause auto-restart': 'Automatischen Neustart &pausieren', 'Res&ume auto-restart': 'Automatischen Neustart &fortsetzen',
 '&Cancel job': 'Auftrag &abbrechen', '&Enroll agent…': 'Agent &registrieren…', '&Add VM…': 'VM &hinzufügen…',
 '&Discover Spot VMs…': 'Spot-VMs &ermitteln…', 'Snooze notifications for this &VM (1 h)': 'Benachrichtigungen für diese &VM stummschalten (1 Std.)',
 'Snooze notifications for its resource &group (1 h)': 'Benachrichtigungen für ihre Ressourcen&gruppe stummschalten (1 Std.)',
 'Main toolbar': 'Hauptwerkzeugleiste', '&Help': '&Hilfe', '&About SpotKeeper': '&Über SpotKeeper', 'About SpotKeeper': 'Über SpotKeeper',
 'SpotKeeper %1 keeps Azure Spot VMs running.': 'SpotKeeper %1 hält Azure-Spot-VMs am Laufen.',
 'ARM resource ID of the VM (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…):': 'ARM-Ressourcen-ID der VM (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…):',
 'VM added: %1': 'VM hinzugefügt: %1', 'Discover Spot VMs': 'Spot-VMs ermitteln',
 'Discovery needs Azure credentials: configure them in Settings → Azure.': 'Das Ermitteln braucht Azure-Anmeldedaten: Richten Sie sie unter Einstellungen → Azure ein.',
 'Subscription ID:': 'Abonnement-ID:', 'Listing the VMs of %1…': 'VMs von %1 werden aufgelistet…',
 'Export CSV': 'CSV exportieren', 'CSV files (*.csv)': 'CSV-Dateien (*.csv)', 'Exported %1': '%1 exportiert',
 'The new language applies from the next start.': 'Die neue Sprache gilt ab dem nächsten Start.',
 'Listener and credential changes apply from the next start.': 'Änderungen an Empfänger und Anmeldedaten gelten ab dem nächsten Start.',
 'Notifications for %1 snoozed for 1 hour': 'Benachrichtigungen für %1 für 1 Stunde stummgeschaltet',
 'Secrets are kept in memory for this run only.': 'Geheimnisse werden nur für diese Sitzung im Speicher gehalten.',
 'No secret stored under %1': 'Unter %1 ist kein Geheimnis gespeichert', 'Active restart jobs': 'Aktive Neustartaufträge',
 'SpotKeeper settings': 'SpotKeeper-Einstellungen', 'Serve HTTPS (recommended beyond localhost)': 'HTTPS anbieten (außerhalb von localhost empfohlen)',
 'PEM certificate chain': 'PEM-Zertifikatskette', 'PEM private key (file mode 0600)': 'Privater PEM-Schlüssel (Dateimodus 0600)',
 'Listen &address:': 'Empfangs&adresse:', '&Port:': '&Port:', 'TLS &certificate:': 'TLS-&Zertifikat:', 'TLS &key:': 'TLS-&Schlüssel:',
 'CA for a&gents:': 'CA für A&gents:',
 'PEM CA of a private certificate (optional)': 'PEM-CA eines privaten Zertifikats (optional)',
 "Enrolment snippets install this CA as the agent's ca-file, so agents trust a certificate from a private CA (spotkeeperd tls init writes it as ca.pem).": 'Die Registrierungs-Snippets installieren diese CA als ca-file des Agenten, damit Agenten einem Zertifikat einer privaten CA vertrauen (spotkeeperd tls init schreibt sie als ca.pem).',
 'Agent keys are generated per VM with Actions → Enroll agent; their secrets are shown once and stored only as agent key records in the store.': 'Agent-Schlüssel werden pro VM mit Aktionen → Agent registrieren erzeugt; ihre Geheimnisse werden einmal angezeigt und nur als Agent-Schlüssel im Speicher abgelegt.',
 'Agent keys:': 'Agent-Schlüssel:', '&Listener': '&Empfänger',
 'Automatic (environment, Azure CLI, managed identity)': 'Automatisch (Umgebung, Azure CLI, verwaltete Identität)',
 'Azure CLI (az login)': 'Azure CLI (az login)', 'Service principal': 'Dienstprinzipal', 'Managed identity': 'Verwaltete Identität',
 'None (observe only)': 'Keine (nur beobachten)', 'unchanged': 'unverändert', 'Credential &source:': '&Quelle der Anmeldedaten:',
 '&Tenant ID:': '&Mandanten-ID:', '&Client ID:': '&Client-ID:', 'Client s&ecret:': 'Client&geheimnis:',
 'One subscription ID per line': 'Eine Abonnement-ID pro Zeile', 'S&ubscriptions:': '&Abonnements:', '&Azure': '&Azure',
 'ARM calls per &minute:': 'ARM-Aufrufe pro &Minute:', 'Concurrent &starts:': 'Gleichzeitige &Starts:', '&Budgets': '&Budgets',
 'Follow the system': 'Wie das System', 'Light': 'Hell', 'Dark': 'Dunkel',
 'Write a UTF-8 byte order mark in CSV exports': 'UTF-8-Byte-Order-Mark in CSV-Exporte schreiben',
 'T&heme:': '&Farbschema:', '&Language:': '&Sprache:', 'CSV:': 'CSV:', 'A&ppearance': '&Darstellung',
 'HTTPS needs both a certificate and a private key file.': 'HTTPS braucht eine Zertifikats- und eine Schlüsseldatei.',
 'Show only VMs that are: %1': 'Nur VMs zeigen mit Zustand: %1', 'Last hour': 'Letzte Stunde', 'Last 24 hours': 'Letzte 24 Stunden',
 'Last 7 days': 'Letzte 7 Tage', 'Last 30 days': 'Letzte 30 Tage', 'Custom range': 'Eigener Zeitraum', 'Time range': 'Zeitraum',
 'Time range for charts, events and the audit log': 'Zeitraum für Diagramme, Ereignisse und Prüfprotokoll',
 'Azure credentials are turned off in Settings: the dashboard only observes.': 'Azure-Anmeldedaten sind in den Einstellungen ausgeschaltet: Das Dashboard beobachtet nur.',
 'Signing in to Azure…': 'Anmeldung bei Azure…',
 'Azure configuration error: %1': 'Fehler in der Azure-Konfiguration: %1',
 'No Azure credentials (%1): sign in with az login or configure a service principal in Settings.': 'Keine Azure-Anmeldedaten (%1): Melden Sie sich mit az login an oder richten Sie in den Einstellungen einen Dienstprinzipal ein.',
 'Range start (UTC)': 'Beginn (UTC)', 'Range end (UTC)': 'Ende (UTC)', '&Range:': '&Zeitraum:',
 'The VM is not in the fleet.': 'Die VM gehört nicht zur Flotte.',
 'the listen address %1 is not an IP address': 'die Lauschadresse %1 ist keine IP-Adresse',
 'Azure credentials are turned off in Settings: notices are received and stored, but no VM can be restarted.': 'Azure-Anmeldedaten sind in den Einstellungen ausgeschaltet: Meldungen werden empfangen und gespeichert, aber keine VM kann neu gestartet werden.',
 "Show a remote spotkeeperd's fleet through its operator API.": 'Die Flotte eines entfernten spotkeeperd über dessen Operator-API anzeigen.',
 '%1 (%2)': '%1 (%2)',
 'Listener not running: %1': 'Listener läuft nicht: %1',
 'Not connected: %1': 'Nicht verbunden: %1',
 'Azure credentials off: notices are stored, no VM is restarted': 'Azure-Anmeldedaten aus: Meldungen werden gespeichert, keine VM wird neu gestartet',
 'Azure: %1': 'Azure: %1',
 'The lowest x-ms-ratelimit-remaining-* counter of the last ARM answer': 'Der niedrigste x-ms-ratelimit-remaining-*-Zähler der letzten ARM-Antwort',
 'Exports of events and of the audit log run on the server: spotkeeperd export events|audit (the current view can be exported here).': 'Exporte der Ereignisse und des Prüfprotokolls laufen auf dem Server: spotkeeperd export events|audit (die aktuelle Ansicht lässt sich hier exportieren).',
 'spotkeeperd at %1': 'spotkeeperd unter %1',
 'Connecting…': 'Verbinde…',
 'Connecting to %1…': 'Verbinde mit %1…',
 '%1 is not a URL: use https://host:port': '%1 ist keine URL: verwenden Sie https://host:port',
 '%1: use an https:// (or http:// on a loopback address) URL': '%1: verwenden Sie eine https://-URL (oder http:// auf einer Loopback-Adresse)',
 '%1: http:// would send the operator token in clear over the network; use https:// (http:// is only for a loopback address)': '%1: http:// würde das Operator-Token unverschlüsselt über das Netz senden; verwenden Sie https:// (http:// nur für eine Loopback-Adresse)',
 'An operator token is needed (spotkeeperd token create).': 'Ein Operator-Token wird benötigt (spotkeeperd token create).',
 'The CA file %1 holds no PEM certificate.': 'Die CA-Datei %1 enthält kein PEM-Zertifikat.',
 '%1 is unreachable: %2': '%1 ist nicht erreichbar: %2',
 '%1 refused the operator token (401): set a valid token in Settings → Remote server.': '%1 hat das Operator-Token abgelehnt (401): Tragen Sie unter Einstellungen → Entfernter Server ein gültiges Token ein.',
 '%1 answered HTTP %2 with a body that is not a JSON object (%3)': '%1 antwortete mit HTTP %2 und einem Inhalt, der kein JSON-Objekt ist (%3)',
 'not an object': 'kein Objekt',
 '%1 answered HTTP %2: %3': '%1 antwortete mit HTTP %2: %3',
 'no message': 'keine Meldung',
 '%1 answered without the expected fields': '%1 antwortete ohne die erwarteten Felder',
 '%1 has no working Azure credentials (%2).': '%1 hat keine funktionierenden Azure-Anmeldedaten (%2).',
 '%1 answered without a usable key secret.': '%1 antwortete ohne ein verwendbares Schlüsselgeheimnis.',
 "Discovery runs on the server: use spotkeeperd's subscriptions.": 'Die Ermittlung läuft auf dem Server: Verwenden Sie die Abonnements von spotkeeperd.',
 'Attach to spotkeeperd': 'Mit spotkeeperd verbinden',
 'Operator token for %1 (create one on the server with spotkeeperd token create):': 'Operator-Token für %1 (auf dem Server mit spotkeeperd token create erzeugen):',
 'PEM file, only for a private certificate': 'PEM-Datei, nur für ein privates Zertifikat',
 'Attach to this server instead of running the engine here': 'Mit diesem Server verbinden, statt die Engine hier auszuführen',
 'Create an operator token on the server with <code>spotkeeperd token create</code>. It is kept in the system keychain. %1': 'Erzeugen Sie auf dem Server ein Operator-Token mit <code>spotkeeperd token create</code>. Es wird im Schlüsselbund des Systems gespeichert. %1',
 'Server &URL:': 'Server-&URL:',
 'Operator &token:': 'Operator-&Token:',
 'C&A certificate:': 'C&A-Zertifikat:',
 '&Remote server': '&Entfernter Server',
 'Enter the URL of the spotkeeperd server.': 'Geben Sie die URL des spotkeeperd-Servers ein.',
 '%1 is not a server URL: use https://host:port.': '%1 ist keine Server-URL: verwenden Sie https://host:port.',
 'A&ttach to spotkeeperd…': 'Mit spotkeeperd &verbinden…',
 'Reading the status of %1…': 'Lese den Status von %1…',
 'An export is already running.': 'Es läuft bereits ein Export.',
 'Exporting events to %1…': 'Exportiere Ereignisse nach %1…',
 'Exporting the audit log to %1…': 'Exportiere das Prüfprotokoll nach %1…',
 'Cancel': 'Abbrechen',
 'Export cancelled: no file was written.': 'Export abgebrochen: Es wurde keine Datei geschrieben.',
 'The export to %1 failed: %2': 'Der Export nach %1 ist fehlgeschlagen: %2',
 'Published by Azure (Resource Graph), read %1': 'Von Azure veröffentlicht (Resource Graph), gelesen %1',
 "Observed %1 % per running hour, more than twice the published band's upper bound (%2 %).": 'Beobachtet %1 % je Laufstunde, mehr als das Doppelte der Obergrenze des veröffentlichten Bereichs (%2 %).',
 'not published': 'nicht veröffentlicht', '%1 %': '%1 %', 'Far above the band': 'Weit über dem Bereich',
 'Evictions per VM-day': 'Verdrängungen je VM-Tag', 'Median recovery h': 'Median Wiederherstellung Std.',
 'Published eviction rate': 'Veröffentlichte Verdrängungsrate', 'Flag': 'Markierung',
 'Eviction risk per size and region': 'Verdrängungsrisiko je Größe und Region',
 "Observed: evictions per VM-day of running time and the median time from an eviction until the VM ran again. Published: Azure's eviction-rate band (Resource Graph), read as a percentage per hour. Flagged: at least %1 evictions and an observed rate above %2 times the band's upper bound.": 'Beobachtet: Verdrängungen je VM-Tag Laufzeit und die mittlere Zeit (Median) von einer Verdrängung, bis die VM wieder lief. Veröffentlicht: der Bereich der Verdrängungsrate von Azure (Resource Graph), gelesen als Prozent je Stunde. Markiert: mindestens %1 Verdrängungen und eine beobachtete Rate über dem %2-Fachen der Obergrenze des Bereichs.',
 'Costs': 'Kosten', 'Eviction risk': 'Verdrängungsrisiko',
}
# Plural forms: [singular, plural] (German: nplurals=2).
N = {
 'Deallocate %n VM(s) and keep them stopped? SpotKeeper will not restart them until you start them again.': ['%n VM freigeben und angehalten lassen? SpotKeeper startet sie erst wieder, wenn Sie sie selbst starten.', '%n VMs freigeben und angehalten lassen? SpotKeeper startet sie erst wieder, wenn Sie sie selbst starten.'],
 'Start %n VM(s) and restart them again after evictions?': ['%n VM starten und nach Verdrängungen wieder neu starten?', '%n VMs starten und nach Verdrängungen wieder neu starten?'],
 'Force a restart of %n VM(s) now? Backoff is skipped; ARM budgets still apply.': ['Neustart von %n VM jetzt erzwingen? Die Wartezeit entfällt; ARM-Budgets gelten weiterhin.', 'Neustart von %n VMs jetzt erzwingen? Die Wartezeit entfällt; ARM-Budgets gelten weiterhin.'],
 'Pause auto-restart for %n VM(s)?': ['Automatischen Neustart für %n VM pausieren?', 'Automatischen Neustart für %n VMs pausieren?'],
 'Resume auto-restart for %n VM(s)?': ['Automatischen Neustart für %n VM fortsetzen?', 'Automatischen Neustart für %n VMs fortsetzen?'],
 'Cancel the restart job of %n VM(s)?': ['Neustartauftrag von %n VM abbrechen?', 'Neustartaufträge von %n VMs abbrechen?'],
 '%1: %n VM(s) done': ['%1: %n VM erledigt', '%1: %n VMs erledigt'],
 '%n failed': ['%n fehlgeschlagen', '%n fehlgeschlagen'],
 '%n minute(s) ago': ['vor %n Minute', 'vor %n Minuten'], '%n hour(s) ago': ['vor %n Stunde', 'vor %n Stunden'],
 '%n day(s) ago': ['vor %n Tag', 'vor %n Tagen'], 'in %n second(s)': ['in %n Sekunde', 'in %n Sekunden'],
 'in %n minute(s)': ['in %n Minute', 'in %n Minuten'], 'in %n hour(s)': ['in %n Stunde', 'in %n Stunden'],
 '%n VM(s) evicted in %1': ['%n VM in %1 verdrängt', '%n VMs in %1 verdrängt'],
 '%n VM(s) recovered in %1': ['%n VM in %1 wiederhergestellt', '%n VMs in %1 wiederhergestellt'],
 '%n VM(s) still down in %1': ['%n VM in %1 noch ausgefallen', '%n VMs in %1 noch ausgefallen'],
 '%n running VM(s) with a silent agent in %1': ['%n laufende VM mit stummem Agenten in %1', '%n laufende VMs mit stummem Agenten in %1'],
 '%n running VM(s) with an unhealthy application in %1': ['%n laufende VM mit gestörter Anwendung in %1', '%n laufende VMs mit gestörter Anwendung in %1'],
 'and %n more': ['und %n weitere', 'und %n weitere'],
 'Exported %n row(s) to %1': ['%n Zeile nach %1 exportiert', '%n Zeilen nach %1 exportiert'],
 'ARM budget: %n call(s) left': ['ARM-Budget: noch %n Aufruf', 'ARM-Budget: noch %n Aufrufe'],
 'Found %n Spot VM(s). Add them all to the fleet?': ['%n Spot-VM gefunden. Zur Flotte hinzufügen?', '%n Spot-VMs gefunden. Alle zur Flotte hinzufügen?'],
 'Found %n Spot VM(s).': ['%n Spot-VM gefunden.', '%n Spot-VMs gefunden.'],
 '%n VM(s) added.': ['%n VM hinzugefügt.', '%n VMs hinzugefügt.'],
}

# Agent keys panel and Settings -> Budgets (engine budgets).
S.update({
 'This fleet source cannot manage agent keys.': 'Diese Flottenquelle kann keine Agent-Schlüssel verwalten.',
 'The in-process listener is not running, so its keys cannot be managed here.': 'Der eingebaute Listener läuft nicht, daher können seine Schlüssel hier nicht verwaltet werden.',
 '%1 answered without a key list.': '%1 antwortete ohne Schlüsselliste.',
 'ARM writes per second per subscription': 'ARM-Schreibaufrufe pro Sekunde je Abonnement',
 'ARM write burst per subscription': 'ARM-Schreib-Burst je Abonnement',
 'ARM reads per second per subscription': 'ARM-Leseaufrufe pro Sekunde je Abonnement',
 'ARM read burst per subscription': 'ARM-Lese-Burst je Abonnement',
 'Start calls per minute per VM': 'Startaufrufe pro Minute je VM',
 'Start call burst per VM': 'Startaufruf-Burst je VM',
 '%1 must be between 1 and %2 (it is %3).': '%1 muss zwischen 1 und %2 liegen (ist %3).',
 "The restart engine paces its Azure calls with these token buckets so that Azure does not throttle it (defaults: Azure's own limits). They apply at the next start.": 'Die Neustart-Engine verteilt ihre Azure-Aufrufe mit diesen Token-Buckets, damit Azure sie nicht drosselt (Standard: die Grenzen von Azure selbst). Sie gelten ab dem nächsten Start.',
 'ARM &writes per second per subscription:': 'ARM-&Schreibaufrufe pro Sekunde je Abonnement:',
 'ARM write b&urst per subscription:': 'ARM-Schreib-B&urst je Abonnement:',
 'ARM &reads per second per subscription:': 'ARM-&Leseaufrufe pro Sekunde je Abonnement:',
 'ARM read bu&rst per subscription:': 'ARM-Lese-Bu&rst je Abonnement:',
 '&Start calls per minute per VM:': 'S&tartaufrufe pro Minute je VM:',
 'Start call burst per &VM:': 'Startaufruf-Burst je &VM:',
 'Agent keys are generated per VM with Actions → Enroll agent, and listed, rotated and revoked with Actions → Agent keys; their secrets are shown once and stored only as agent key records in the store.': 'Agent-Schlüssel werden je VM mit Aktionen → Agent registrieren erzeugt und mit Aktionen → Agent-Schlüssel aufgelistet, rotiert und widerrufen; ihre Geheimnisse werden einmal angezeigt und nur als Agent-Schlüsseldatensätze im Speicher abgelegt.',
 'Agent &keys…': 'Agent-&Schlüssel…',
 'List, rotate and revoke agent keys': 'Agent-Schlüssel auflisten, rotieren und widerrufen',
 'Agent keys': 'Agent-Schlüssel', 'Key ID': 'Schlüssel-ID', 'VM': 'VM', 'Created': 'Erstellt',
 'Previous secret valid until': 'Bisheriges Geheimnis gültig bis', 'State': 'Zustand',
 'R&otate…': 'R&otieren…', 'Re&voke…': '&Widerrufen…', 'Re&fresh': '&Aktualisieren',
 'Active': 'Aktiv', 'Rotated (old secret still valid)': 'Rotiert (altes Geheimnis noch gültig)',
 'Revoked': 'Widerrufen', 'Expired': 'Abgelaufen', 'Revoked at %1': 'Widerrufen am %1',
 'Select a key first.': 'Wählen Sie zuerst einen Schlüssel.',
 'This key is revoked: enroll the agent again for a new key.': 'Dieser Schlüssel ist widerrufen: Registrieren Sie den Agenten erneut, um einen neuen Schlüssel zu erhalten.',
 'Issue a new secret; the current one stays valid for the overlap period': 'Ein neues Geheimnis ausstellen; das aktuelle bleibt für die Überlappungszeit gültig',
 'Stop accepting this key at once': 'Diesen Schlüssel ab sofort nicht mehr annehmen',
 'Rotate agent key': 'Agent-Schlüssel rotieren', 'Revoke agent key': 'Agent-Schlüssel widerrufen',
 "Revoke key %1 of VM %2? Its agent's notices are rejected from now on, until the agent is enrolled again.": 'Schlüssel %1 der VM %2 widerrufen? Die Meldungen ihres Agenten werden ab jetzt abgewiesen, bis der Agent erneut registriert wird.',
 'Rotated agent key %1': 'Rotierter Agent-Schlüssel %1',
 "A new secret was issued for key <b>%1</b> (VM %2). It is shown only now. Replace the agent's key file (<code>/etc/spotkeeper-agent/agent.key</code> or <code>%ProgramData%\\SpotKeeper\\agent.key</code>) with this line and restart the agent. The previous secret stays valid until %3; after that the agent must use the new one.": 'Für den Schlüssel <b>%1</b> (VM %2) wurde ein neues Geheimnis ausgestellt. Es wird nur jetzt angezeigt. Ersetzen Sie die Schlüsseldatei des Agenten (<code>/etc/spotkeeper-agent/agent.key</code> oder <code>%ProgramData%\\SpotKeeper\\agent.key</code>) durch diese Zeile und starten Sie den Agenten neu. Das bisherige Geheimnis bleibt bis %3 gültig; danach muss der Agent das neue verwenden.',
 'Listener, credential and budget changes apply from the next start.': 'Änderungen an Listener, Anmeldedaten und Budgets gelten ab dem nächsten Start.',
 'New agent key line': 'Neue Agent-Schlüsselzeile', '&Copy key line': 'Schlüsselzeile &kopieren',
})

# Silent agents (issue 17): fleet status, tooltip, Settings -> Budgets.
S.update({
 'Agent silent': 'Agent stumm',
 'The VM is running but its agent has sent no heartbeat since %1 (silent since %2): the agent is down, not the VM.': 'Die VM läuft, aber ihr Agent hat seit %1 kein Lebenszeichen gesendet (stumm seit %2): Der Agent ist ausgefallen, nicht die VM.',
 "The agents' heartbeat-interval (60 s unless changed).": 'Das heartbeat-interval der Agenten (60 s, sofern nicht geändert).',
 'Never alert': 'Nie alarmieren',
 'Alert when the agent of a running VM has missed this many heartbeats (a deallocated VM is never alerted).': 'Alarmieren, wenn der Agent einer laufenden VM so viele Lebenszeichen verpasst hat (eine freigegebene VM löst nie einen Alarm aus).',
 'Agent &heartbeat interval:': '&Lebenszeichen-Intervall der Agenten:',
 'Silent a&gent after missed heartbeats:': 'Agent &stumm nach verpassten Lebenszeichen:',
})

# Actions that do nothing for the selected VM are disabled with the reason (FleetActions).
S.update({
 '%1 was stopped on purpose: Start runs it again.': '%1 wurde absichtlich angehalten: Starten lässt sie wieder laufen.',
 '%1 no longer exists.': '%1 existiert nicht mehr.',
 '%1 is running and has no restart job.': '%1 läuft und hat keinen Neustartauftrag.',
 'Auto-restart of %1 is paused already.': 'Der automatische Neustart von %1 ist bereits pausiert.',
 'Auto-restart of %1 is on already.': 'Der automatische Neustart von %1 ist bereits an.',
 '%1 has no restart job to cancel.': '%1 hat keinen Neustartauftrag zum Abbrechen.',
 '%1 is stopped on purpose already.': '%1 ist bereits absichtlich angehalten.',
 '%1 is running and auto-restart is on.': '%1 läuft und der automatische Neustart ist an.',
 'auto-restart: %1': 'automatischer Neustart: %1',
 'Stopped on purpose': 'Absichtlich angehalten',
 '%1 · %2 · %3 · %4 · power: %5 · %6': '%1 · %2 · %3 · %4 · Zustand: %5 · %6',
 'Exports of events and of the audit log run where the store is.': 'Exporte von Ereignissen und des Prüfprotokolls laufen dort, wo der Speicher ist.',
})

# The Cost tab (issue 18, docs/ANALYTICS.md).
S.update({
 '%1 running hours have no cached price; they count as 0.': '%1 Betriebsstunden haben keinen zwischengespeicherten Preis; sie zählen als 0.',
 'VM': 'VM', 'Size': 'Größe', 'VMs': 'VMs', 'Running h': 'Laufzeit (Std.)', 'Spot cost': 'Spot-Kosten',
 'Pay-as-you-go cost': 'Kosten nutzungsbasiert', 'Savings': 'Ersparnis',
 'Hours lost to evictions': 'Durch Verdrängungen verlorene Stunden',
 'Lost (pay-as-you-go)': 'Verloren (nutzungsbasiert)', 'Evictions': 'Verdrängungen',
 'This fleet source has no cost reports.': 'Diese Flottenquelle liefert keine Kostenberichte.',
 '%1 answered without a cost report.': '%1 hat ohne Kostenbericht geantwortet.',
 'Last 7 days': 'Letzte 7 Tage', 'Last 30 days': 'Letzte 30 Tage', 'Last 90 days': 'Letzte 90 Tage',
 'Last 12 months': 'Letzte 12 Monate', 'Cost report range': 'Zeitraum des Kostenberichts',
 '&Range:': '&Zeitraum:', 'Group costs by': 'Kosten gruppieren nach', '&Group by:': '&Gruppieren nach:',
 'E&xport CSV…': 'CSV e&xportieren…', 'Savings over time': 'Ersparnis im Zeitverlauf',
 'Top sizes by savings': 'Größen mit der höchsten Ersparnis', 'Hours lost': 'Verlorene Stunden',
 'Top sizes by hours lost to evictions': 'Größen mit den meisten durch Verdrängung verlorenen Stunden',
 'Costs per group': 'Kosten je Gruppe',
 "Assumptions: Microsoft's public retail prices (Azure Retail Prices API) as cached, in USD; no reservations, savings plans or other discounts; each hour at the price of its period, as far as the cached history goes; Linux meters; a Spot VM pays the Spot price, never more than its maxPrice; lost hours are priced at pay-as-you-go; compute only (disks, network and licences are not included).":
 'Annahmen: die öffentlichen Einzelhandelspreise von Microsoft (Azure Retail Prices API) wie zwischengespeichert, in USD; keine Reservierungen, Sparpläne oder anderen Rabatte; jede Stunde zum Preis ihres Zeitraums, soweit der zwischengespeicherte Verlauf reicht; Linux-Tarife; eine Spot-VM zahlt den Spot-Preis, nie mehr als ihren maxPrice; verlorene Stunden werden nutzungsbasiert bewertet; nur Rechenleistung (Datenträger, Netzwerk und Lizenzen sind nicht enthalten).',
 'Computing the cost report…': 'Kostenbericht wird berechnet…', 'No cost report: %1': 'Kein Kostenbericht: %1',
 'Prices as of %1 (UTC).': 'Preise vom %1 (UTC).',
 'No prices cached yet: costs count as 0 until the first price refresh.': 'Noch keine Preise zwischengespeichert: Kosten zählen bis zur ersten Preisaktualisierung als 0.',
 '%1 running hours have no price and count as 0.': '%1 Betriebsstunden haben keinen Preis und zählen als 0.',
 'C&ost': 'K&osten',
 'AWS': 'AWS',  # the Cloud column (issue 16), kept when this table refills the file
})
N.update({
 'Saved %1 %2 (Spot %3, pay-as-you-go %4); %5 h lost to %n eviction(s), worth %6 %2':
 ['%1 %2 gespart (Spot %3, nutzungsbasiert %4); %5 Std. durch %n Verdrängung verloren, Wert %6 %2',
  '%1 %2 gespart (Spot %3, nutzungsbasiert %4); %5 Std. durch %n Verdrängungen verloren, Wert %6 %2'],
})

# The cloud everywhere in the dashboard (issues 15/16): fleet filter, detail pane, charts.
S.update({
 'All clouds': 'Alle Clouds', 'Cloud filter': 'Cloud-Filter',
 'Show the VMs of one cloud only': 'Nur die VMs einer Cloud zeigen',
 'Open in Google Cloud &console': 'In der Google-Cloud-&Konsole öffnen',
 'Open in AWS &console': 'In der AWS-&Konsole öffnen',
 "Copy the VM's resource ID (ARM resource ID, Google Cloud instance path or instance ARN) to the clipboard": 'Die Ressourcen-ID der VM (ARM-Ressourcen-ID, Google-Cloud-Instanzpfad oder Instanz-ARN) in die Zwischenablage kopieren',
 "Open the VM in its cloud's console in your browser": 'Die VM in der Konsole ihrer Cloud im Browser öffnen',
 '%1 · %2': '%1 · %2', '%1 · power: %2 · %3': '%1 · Zustand: %2 · %3',
 'Charts of the cloud': 'Diagramme der Cloud', 'C&loud:': 'C&loud:',
 "No agent has reported for this VM (observed through its cloud's API only).": 'Für diese VM hat sich kein Agent gemeldet (nur über die API ihrer Cloud beobachtet).',
})

# The capacity fallback's Undo in the detail pane (issue 18, docs/DASHBOARD.md).
S.update({
 '&Undo change': 'Änderung &rückgängig machen',
 'Undo the capacity fallback change selected in the timeline: the VM gets its earlier size or max price back (it must be deallocated)': 'Die in der Zeitleiste ausgewählte Änderung des Kapazitäts-Ausweichens rückgängig machen: Die VM erhält ihre frühere Größe oder ihren früheren Höchstpreis zurück (sie muss freigegeben sein)',
 'Undo requested: %1': 'Rückgängig machen angefordert: %1',
 'Undo refused: %1': 'Rückgängig machen abgelehnt: %1',
 "Undo of a capacity fallback change needs the dashboard's own engine.": 'Das Rückgängigmachen einer Änderung des Kapazitäts-Ausweichens braucht die eigene Engine des Dashboards.',
})

def fill(path, german):
    tree = ET.parse(path)
    missing = []
    drop = []
    for msg in tree.getroot().iter('message'):
        src = msg.find('source').text
        tr = msg.find('translation')
        numerus = msg.get('numerus') == 'yes'
        for f in list(tr):
            tr.remove(f)
        tr.text = None
        if 'type' in tr.attrib:
            del tr.attrib['type']
        if not german and not numerus:
            drop.append(msg); continue  # English is the source: only its plural forms are kept
        if numerus:
            forms = N.get(src) if german else [re.sub(r'\(s\)', '', src), re.sub(r'\(s\)', 's', src)]
            if not forms:
                missing.append(src); tr.set('type', 'unfinished'); continue
            for f in forms:
                ET.SubElement(tr, 'numerusform').text = f
        elif german:
            if src not in S:
                missing.append(src); tr.set('type', 'unfinished'); continue
            tr.text = S[src]
    for context in list(tree.getroot()):
        for msg in list(context.iter('message')):
            if msg in drop:
                context.remove(msg)
        if context.find('message') is None:
            tree.getroot().remove(context)
    tree.write(path, encoding='utf-8', xml_declaration=True)
    return missing

miss = fill(here / 'spotkeeper_de.ts', True)
fill(here / 'spotkeeper_en.ts', False)
for m in miss:
    print('untranslated:', m)
sys.exit(1 if miss else 0)
