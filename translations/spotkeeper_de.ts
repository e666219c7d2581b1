<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>ChartBuckets</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>&lt; 1 min</source>
        <translation>&lt; 1 Min.</translation>
    </message>
    <message>
        <source>1-5 min</source>
        <translation>1–5 Min.</translation>
    </message>
    <message>
        <source>5-15 min</source>
        <translation>5–15 Min.</translation>
    </message>
    <message>
        <source>15-60 min</source>
        <translation>15–60 Min.</translation>
    </message>
    <message>
        <source>1-4 h</source>
        <translation>1–4 Std.</translation>
    </message>
    <message>
        <source>&gt; 4 h</source>
        <translation>&gt; 4 Std.</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>Wiederhergestellt</translation>
    </message>
    <message>
        <source>Needs operator</source>
        <translation>Benötigt Bediener</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>App unhealthy</source>
        <translation>Anwendung gestört</translation>
    </message>
</context>
<context>
    <name>DashboardSettings</name>
    <message>
        <source>ARM writes per second per subscription</source>
        <translation>ARM-Schreibaufrufe pro Sekunde je Abonnement</translation>
    </message>
    <message>
        <source>ARM write burst per subscription</source>
        <translation>ARM-Schreib-Burst je Abonnement</translation>
    </message>
    <message>
        <source>ARM reads per second per subscription</source>
        <translation>ARM-Leseaufrufe pro Sekunde je Abonnement</translation>
    </message>
    <message>
        <source>ARM read burst per subscription</source>
        <translation>ARM-Lese-Burst je Abonnement</translation>
    </message>
    <message>
        <source>Start calls per minute per VM</source>
        <translation>Startaufrufe pro Minute je VM</translation>
    </message>
    <message>
        <source>Start call burst per VM</source>
        <translation>Startaufruf-Burst je VM</translation>
    </message>
    <message>
        <source>%1 must be between 1 and %2 (it is %3).</source>
        <translation>%1 muss zwischen 1 und %2 liegen (ist %3).</translation>
    </message>
    <message>
        <source>The signing secret is not a whsec_ secret (whsec_ followed by base64).</source>
        <translation>Das Signiergeheimnis ist kein whsec_-Geheimnis (whsec_ gefolgt von Base64).</translation>
    </message>
    <message>
        <source>its secret is not in the keychain</source>
        <translation>sein Geheimnis ist nicht im Schlüsselbund</translation>
    </message>
    <message>
        <source>Channel %1: %2</source>
        <translation>Kanal %1: %2</translation>
    </message>
</context>
<context>
    <name>FleetActions</name>
    <message>
        <source>This view is read-only: no restart engine is attached.</source>
        <translation>Diese Ansicht ist schreibgeschützt: Keine Neustart-Engine ist angebunden.</translation>
    </message>
    <message>
        <source>No Azure credentials: sign in with az login or configure a service principal in Settings.</source>
        <translation>Keine Azure-Anmeldedaten: Melden Sie sich mit az login an oder richten Sie in den Einstellungen einen Dienstprinzipal ein.</translation>
    </message>
    <message>
        <source>Not a VM resource id: expected /subscriptions/&lt;id&gt;/resourceGroups/&lt;group&gt;/providers/Microsoft.Compute/virtualMachines/&lt;name&gt;</source>
        <translation>Keine VM-Ressourcen-ID: erwartet wird /subscriptions/&lt;id&gt;/resourceGroups/&lt;gruppe&gt;/providers/Microsoft.Compute/virtualMachines/&lt;name&gt;</translation>
    </message>
    <message>
        <source>Force restart</source>
        <translation>Neustart erzwingen</translation>
    </message>
    <message>
        <source>Pause auto-restart</source>
        <translation>Automatischen Neustart pausieren</translation>
    </message>
    <message>
        <source>Resume auto-restart</source>
        <translation>Automatischen Neustart fortsetzen</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Auftrag abbrechen</translation>
    </message>
    <message numerus="yes">
        <source>Force a restart of %n VM(s) now? Backoff is skipped; ARM budgets still apply.</source>
        <translation><numerusform>Neustart von %n VM jetzt erzwingen? Die Wartezeit entfällt; ARM-Budgets gelten weiterhin.</numerusform><numerusform>Neustart von %n VMs jetzt erzwingen? Die Wartezeit entfällt; ARM-Budgets gelten weiterhin.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Pause auto-restart for %n VM(s)?</source>
        <translation><numerusform>Automatischen Neustart für %n VM pausieren?</numerusform><numerusform>Automatischen Neustart für %n VMs pausieren?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Resume auto-restart for %n VM(s)?</source>
        <translation><numerusform>Automatischen Neustart für %n VM fortsetzen?</numerusform><numerusform>Automatischen Neustart für %n VMs fortsetzen?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Cancel the restart job of %n VM(s)?</source>
        <translation><numerusform>Neustartauftrag von %n VM abbrechen?</numerusform><numerusform>Neustartaufträge von %n VMs abbrechen?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n VM(s) done</source>
        <translation><numerusform>%1: %n VM erledigt</numerusform><numerusform>%1: %n VMs erledigt</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation><numerusform>%n fehlgeschlagen</numerusform><numerusform>%n fehlgeschlagen</numerusform></translation>
    </message>
    <message>
        <source>Stop on purpose</source>
        <translation>Absichtlich anhalten</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message numerus="yes">
        <source>Deallocate %n VM(s) and keep them stopped? SpotKeeper will not restart them until you start them again.</source>
        <translation><numerusform>%n VM freigeben und angehalten lassen? SpotKeeper startet sie erst wieder, wenn Sie sie selbst starten.</numerusform><numerusform>%n VMs freigeben und angehalten lassen? SpotKeeper startet sie erst wieder, wenn Sie sie selbst starten.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Start %n VM(s) and restart them again after evictions?</source>
        <translation><numerusform>%n VM starten und nach Verdrängungen wieder neu starten?</numerusform><numerusform>%n VMs starten und nach Verdrängungen wieder neu starten?</numerusform></translation>
    </message>
    <message>
        <source>%1 was stopped on purpose: Start runs it again.</source>
        <translation>%1 wurde absichtlich angehalten: Starten lässt sie wieder laufen.</translation>
    </message>
    <message>
        <source>%1 no longer exists.</source>
        <translation>%1 existiert nicht mehr.</translation>
    </message>
    <message>
        <source>%1 is running and has no restart job.</source>
        <translation>%1 läuft und hat keinen Neustartauftrag.</translation>
    </message>
    <message>
        <source>Auto-restart of %1 is paused already.</source>
        <translation>Der automatische Neustart von %1 ist bereits pausiert.</translation>
    </message>
    <message>
        <source>Auto-restart of %1 is on already.</source>
        <translation>Der automatische Neustart von %1 ist bereits an.</translation>
    </message>
    <message>
        <source>%1 has no restart job to cancel.</source>
        <translation>%1 hat keinen Neustartauftrag zum Abbrechen.</translation>
    </message>
    <message>
        <source>%1 is stopped on purpose already.</source>
        <translation>%1 ist bereits absichtlich angehalten.</translation>
    </message>
    <message>
        <source>%1 is running and auto-restart is on.</source>
        <translation>%1 läuft und der automatische Neustart ist an.</translation>
    </message>
</context>
<context>
    <name>FleetStatus</name>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>Wiederhergestellt</translation>
    </message>
    <message>
        <source>Evicted</source>
        <translation>Verdrängt</translation>
    </message>
    <message>
        <source>Waiting for deallocation</source>
        <translation>Wartet auf Freigabe</translation>
    </message>
    <message>
        <source>Restarting</source>
        <translation>Wird neu gestartet</translation>
    </message>
    <message>
        <source>Needs operator</source>
        <translation>Benötigt Bediener</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <source>Backing off</source>
        <translation>Wartet vor neuem Versuch</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>Wird angehalten</translation>
    </message>
    <message>
        <source>Deallocating</source>
        <translation>Wird freigegeben</translation>
    </message>
    <message>
        <source>Deallocated</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation><numerusform>vor %n Minute</numerusform><numerusform>vor %n Minuten</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation><numerusform>vor %n Stunde</numerusform><numerusform>vor %n Stunden</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation><numerusform>vor %n Tag</numerusform><numerusform>vor %n Tagen</numerusform></translation>
    </message>
    <message>
        <source>due now</source>
        <translation>jetzt fällig</translation>
    </message>
    <message numerus="yes">
        <source>in %n second(s)</source>
        <translation><numerusform>in %n Sekunde</numerusform><numerusform>in %n Sekunden</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation><numerusform>in %n Minute</numerusform><numerusform>in %n Minuten</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>in %n hour(s)</source>
        <translation><numerusform>in %n Stunde</numerusform><numerusform>in %n Stunden</numerusform></translation>
    </message>
    <message>
        <source>Agent silent</source>
        <translation>Agent stumm</translation>
    </message>
    <message>
        <source>App unhealthy</source>
        <translation>Anwendung gestört</translation>
    </message>
    <message>
        <source>Waiting for the application</source>
        <translation>Wartet auf die Anwendung</translation>
    </message>
</context>
<context>
    <name>Notification</name>
    <message numerus="yes">
        <source>%n VM(s) evicted in %1</source>
        <translation><numerusform>%n VM in %1 verdrängt</numerusform><numerusform>%n VMs in %1 verdrängt</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) recovered in %1</source>
        <translation><numerusform>%n VM in %1 wiederhergestellt</numerusform><numerusform>%n VMs in %1 wiederhergestellt</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) still down in %1</source>
        <translation><numerusform>%n VM in %1 noch ausgefallen</numerusform><numerusform>%n VMs in %1 noch ausgefallen</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation><numerusform>und %n weitere</numerusform><numerusform>und %n weitere</numerusform></translation>
    </message>
    <message>
        <source>an unknown region</source>
        <translation>einer unbekannten Region</translation>
    </message>
    <message numerus="yes">
        <source>%n running VM(s) with a silent agent in %1</source>
        <translation><numerusform>%n laufende VM mit stummem Agenten in %1</numerusform><numerusform>%n laufende VMs mit stummem Agenten in %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n running VM(s) with an unhealthy application in %1</source>
        <translation><numerusform>%n laufende VM mit gestörter Anwendung in %1</numerusform><numerusform>%n laufende VMs mit gestörter Anwendung in %1</numerusform></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::AgentKeysDialog</name>
    <message>
        <source>Agent keys</source>
        <translation>Agent-Schlüssel</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Previous secret valid until</source>
        <translation>Bisheriges Geheimnis gültig bis</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>R&amp;otate…</source>
        <translation>R&amp;otieren…</translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation>&amp;Widerrufen…</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Rotated (old secret still valid)</source>
        <translation>Rotiert (altes Geheimnis noch gültig)</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>Revoked at %1</source>
        <translation>Widerrufen am %1</translation>
    </message>
    <message>
        <source>Select a key first.</source>
        <translation>Wählen Sie zuerst einen Schlüssel.</translation>
    </message>
    <message>
        <source>This key is revoked: enroll the agent again for a new key.</source>
        <translation>Dieser Schlüssel ist widerrufen: Registrieren Sie den Agenten erneut, um einen neuen Schlüssel zu erhalten.</translation>
    </message>
    <message>
        <source>Issue a new secret; the current one stays valid for the overlap period</source>
        <translation>Ein neues Geheimnis ausstellen; das aktuelle bleibt für die Überlappungszeit gültig</translation>
    </message>
    <message>
        <source>Stop accepting this key at once</source>
        <translation>Diesen Schlüssel ab sofort nicht mehr annehmen</translation>
    </message>
    <message>
        <source>Rotate agent key</source>
        <translation>Agent-Schlüssel rotieren</translation>
    </message>
    <message>
        <source>Revoke key %1 of VM %2? Its agent's notices are rejected from now on, until the agent is enrolled again.</source>
        <translation>Schlüssel %1 der VM %2 widerrufen? Die Meldungen ihres Agenten werden ab jetzt abgewiesen, bis der Agent erneut registriert wird.</translation>
    </message>
    <message>
        <source>Revoke agent key</source>
        <translation>Agent-Schlüssel widerrufen</translation>
    </message>
    <message>
        <source>Rotated agent key %1</source>
        <translation>Rotierter Agent-Schlüssel %1</translation>
    </message>
    <message>
        <source>A new secret was issued for key &lt;b&gt;%1&lt;/b&gt; (VM %2). It is shown only now. Replace the agent's key file (&lt;code&gt;/etc/spotkeeper-agent/agent.key&lt;/code&gt; or &lt;code&gt;%ProgramData%\SpotKeeper\agent.key&lt;/code&gt;) with this line and restart the agent. The previous secret stays valid until %3; after that the agent must use the new one.</source>
        <translation>Für den Schlüssel &lt;b&gt;%1&lt;/b&gt; (VM %2) wurde ein neues Geheimnis ausgestellt. Es wird nur jetzt angezeigt. Ersetzen Sie die Schlüsseldatei des Agenten (&lt;code&gt;/etc/spotkeeper-agent/agent.key&lt;/code&gt; oder &lt;code&gt;%ProgramData%\SpotKeeper\agent.key&lt;/code&gt;) durch diese Zeile und starten Sie den Agenten neu. Das bisherige Geheimnis bleibt bis %3 gültig; danach muss der Agent das neue verwenden.</translation>
    </message>
    <message>
        <source>New agent key line</source>
        <translation>Neue Agent-Schlüsselzeile</translation>
    </message>
    <message>
        <source>&amp;Copy key line</source>
        <translation>Schlüsselzeile &amp;kopieren</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::AuditModel</name>
    <message>
        <source>Force restart</source>
        <translation>Neustart erzwingen</translation>
    </message>
    <message>
        <source>Pause auto-restart</source>
        <translation>Automatischen Neustart pausieren</translation>
    </message>
    <message>
        <source>Resume auto-restart</source>
        <translation>Automatischen Neustart fortsetzen</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Auftrag abbrechen</translation>
    </message>
    <message>
        <source>Add VM</source>
        <translation>VM hinzufügen</translation>
    </message>
    <message>
        <source>Enroll agent</source>
        <translation>Agent registrieren</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::ChartModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::ChartWidget</name>
    <message>
        <source>Show as table</source>
        <translation>Als Tabelle zeigen</translation>
    </message>
    <message>
        <source>%1 (table)</source>
        <translation>%1 (Tabelle)</translation>
    </message>
    <message>
        <source>Show %1 as table</source>
        <translation>%1 als Tabelle zeigen</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::ChartsPanel</name>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation>Ressourcengruppe</translation>
    </message>
    <message>
        <source>Stack evictions by</source>
        <translation>Verdrängungen stapeln nach</translation>
    </message>
    <message>
        <source>Stack evictions &amp;by:</source>
        <translation>Verdrängungen stapeln &amp;nach:</translation>
    </message>
    <message>
        <source>Evictions over time</source>
        <translation>Verdrängungen im Zeitverlauf</translation>
    </message>
    <message>
        <source>Time to recovery</source>
        <translation>Zeit bis zur Wiederherstellung</translation>
    </message>
    <message>
        <source>Restart outcomes</source>
        <translation>Ergebnisse der Neustarts</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>All clouds</source>
        <translation>Alle Clouds</translation>
    </message>
    <message>
        <source>Charts of the cloud</source>
        <translation>Diagramme der Cloud</translation>
    </message>
    <message>
        <source>C&amp;loud:</source>
        <translation>C&amp;loud:</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::CostPanel</name>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Letzte 90 Tage</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Letzte 12 Monate</translation>
    </message>
    <message>
        <source>Cost report range</source>
        <translation>Zeitraum des Kostenberichts</translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation>Ressourcengruppe</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Group costs by</source>
        <translation>Kosten gruppieren nach</translation>
    </message>
    <message>
        <source>&amp;Group by:</source>
        <translation>&amp;Gruppieren nach:</translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>CSV e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Savings over time</source>
        <translation>Ersparnis im Zeitverlauf</translation>
    </message>
    <message>
        <source>Savings</source>
        <translation>Ersparnis</translation>
    </message>
    <message>
        <source>Spot cost</source>
        <translation>Spot-Kosten</translation>
    </message>
    <message>
        <source>Top sizes by savings</source>
        <translation>Größen mit der höchsten Ersparnis</translation>
    </message>
    <message>
        <source>Top sizes by hours lost to evictions</source>
        <translation>Größen mit den meisten durch Verdrängung verlorenen Stunden</translation>
    </message>
    <message>
        <source>Hours lost</source>
        <translation>Verlorene Stunden</translation>
    </message>
    <message>
        <source>Costs per group</source>
        <translation>Kosten je Gruppe</translation>
    </message>
    <message>
        <source>Computing the cost report…</source>
        <translation>Kostenbericht wird berechnet…</translation>
    </message>
    <message>
        <source>No cost report: %1</source>
        <translation>Kein Kostenbericht: %1</translation>
    </message>
    <message numerus="yes">
        <source>Saved %1 %2 (Spot %3, pay-as-you-go %4); %5 h lost to %n eviction(s), worth %6 %2</source>
        <translation><numerusform>%1 %2 gespart (Spot %3, nutzungsbasiert %4); %5 Std. durch %n Verdrängung verloren, Wert %6 %2</numerusform><numerusform>%1 %2 gespart (Spot %3, nutzungsbasiert %4); %5 Std. durch %n Verdrängungen verloren, Wert %6 %2</numerusform></translation>
    </message>
    <message>
        <source>Prices as of %1 (UTC).</source>
        <translation>Preise vom %1 (UTC).</translation>
    </message>
    <message>
        <source>No prices cached yet: costs count as 0 until the first price refresh.</source>
        <translation>Noch keine Preise zwischengespeichert: Kosten zählen bis zur ersten Preisaktualisierung als 0.</translation>
    </message>
    <message>
        <source>%1 running hours have no price and count as 0.</source>
        <translation>%1 Betriebsstunden haben keinen Preis und zählen als 0.</translation>
    </message>
    <message>
        <source>Eviction risk per size and region</source>
        <translation>Verdrängungsrisiko je Größe und Region</translation>
    </message>
    <message>
        <source>Observed: evictions per VM-day of running time and the median time from an eviction until the VM ran again. Published: Azure's eviction-rate band (Resource Graph), read as a percentage per hour. Flagged: at least %1 evictions and an observed rate above %2 times the band's upper bound.</source>
        <translation>Beobachtet: Verdrängungen je VM-Tag Laufzeit und die mittlere Zeit (Median) von einer Verdrängung, bis die VM wieder lief. Veröffentlicht: der Bereich der Verdrängungsrate von Azure (Resource Graph), gelesen als Prozent je Stunde. Markiert: mindestens %1 Verdrängungen und eine beobachtete Rate über dem %2-Fachen der Obergrenze des Bereichs.</translation>
    </message>
    <message>
        <source>Costs</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Eviction risk</source>
        <translation>Verdrängungsrisiko</translation>
    </message>
    <message>
        <source>Assumptions: Microsoft's public retail prices (Azure Retail Prices API) as cached, in USD; no reservations, savings plans or other discounts; each hour at the price of its period, as far as the cached history goes; Linux meters; a Spot VM pays the Spot price, never more than its maxPrice; lost hours are priced at pay-as-you-go; compute only (disks, network and licences are not included).</source>
        <translation>Annahmen: die öffentlichen Einzelhandelspreise von Microsoft (Azure Retail Prices API) wie zwischengespeichert, in USD; keine Reservierungen, Sparpläne oder anderen Rabatte; jede Stunde zum Preis ihres Zeitraums, soweit der zwischengespeicherte Verlauf reicht; Linux-Tarife; eine Spot-VM zahlt den Spot-Preis, nie mehr als ihren maxPrice; verlorene Stunden werden nutzungsbasiert bewertet; nur Rechenleistung (Datenträger, Netzwerk und Lizenzen sind nicht enthalten).</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::CostTableModel</name>
    <message>
        <source>%1 running hours have no cached price; they count as 0.</source>
        <translation>%1 Betriebsstunden haben keinen zwischengespeicherten Preis; sie zählen als 0.</translation>
    </message>
    <message>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation>Ressourcengruppe</translation>
    </message>
    <message>
        <source>VMs</source>
        <translation>VMs</translation>
    </message>
    <message>
        <source>Running h</source>
        <translation>Laufzeit (Std.)</translation>
    </message>
    <message>
        <source>Spot cost</source>
        <translation>Spot-Kosten</translation>
    </message>
    <message>
        <source>Pay-as-you-go cost</source>
        <translation>Kosten nutzungsbasiert</translation>
    </message>
    <message>
        <source>Savings</source>
        <translation>Ersparnis</translation>
    </message>
    <message>
        <source>Hours lost to evictions</source>
        <translation>Durch Verdrängungen verlorene Stunden</translation>
    </message>
    <message>
        <source>Lost (pay-as-you-go)</source>
        <translation>Verloren (nutzungsbasiert)</translation>
    </message>
    <message>
        <source>Evictions</source>
        <translation>Verdrängungen</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::DashboardSession</name>
    <message>
        <source>Signing in to Azure…</source>
        <translation>Anmeldung bei Azure…</translation>
    </message>
    <message>
        <source>Azure configuration error: %1</source>
        <translation>Fehler in der Azure-Konfiguration: %1</translation>
    </message>
    <message>
        <source>No Azure credentials (%1): sign in with az login or configure a service principal in Settings.</source>
        <translation>Keine Azure-Anmeldedaten (%1): Melden Sie sich mit az login an oder richten Sie in den Einstellungen einen Dienstprinzipal ein.</translation>
    </message>
    <message>
        <source>the listen address %1 is not an IP address</source>
        <translation>die Lauschadresse %1 ist keine IP-Adresse</translation>
    </message>
    <message>
        <source>Azure credentials are turned off in Settings: notices are received and stored, but no VM can be restarted.</source>
        <translation>Azure-Anmeldedaten sind in den Einstellungen ausgeschaltet: Meldungen werden empfangen und gespeichert, aber keine VM kann neu gestartet werden.</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::DetailPane</name>
    <message>
        <source>&amp;Copy resource ID</source>
        <translation>Ressourcen-ID &amp;kopieren</translation>
    </message>
    <message>
        <source>Open in Azure &amp;portal</source>
        <translation>Im Azure-&amp;Portal öffnen</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation>&amp;Zeitleiste</translation>
    </message>
    <message>
        <source>Restart attempts</source>
        <translation>Neustartversuche</translation>
    </message>
    <message>
        <source>&amp;Attempts</source>
        <translation>&amp;Versuche</translation>
    </message>
    <message>
        <source>No VM selected</source>
        <translation>Keine VM ausgewählt</translation>
    </message>
    <message>
        <source>Select a VM in the fleet table to see its timeline.</source>
        <translation>Wählen Sie eine VM in der Flottentabelle, um ihre Zeitleiste zu sehen.</translation>
    </message>
    <message>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Agent %1, last seen %2%3</source>
        <translation>Agent %1, zuletzt gesehen %2%3</translation>
    </message>
    <message>
        <source>(unknown version)</source>
        <translation>(unbekannte Version)</translation>
    </message>
    <message>
        <source>; last poll failed: %1</source>
        <translation>; letzte Abfrage fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Restart job: %1, attempt %2, next attempt %3</source>
        <translation>Neustartauftrag: %1, Versuch %2, nächster Versuch %3</translation>
    </message>
    <message>
        <source>; last error %1</source>
        <translation>; letzter Fehler %1</translation>
    </message>
    <message>
        <source>No active restart job.</source>
        <translation>Kein aktiver Neustartauftrag.</translation>
    </message>
    <message>
        <source>auto-restart: %1</source>
        <translation>automatischer Neustart: %1</translation>
    </message>
    <message>
        <source>Stopped on purpose</source>
        <translation>Absichtlich angehalten</translation>
    </message>
    <message>
        <source>Stopped on purpose by %1</source>
        <translation>Absichtlich angehalten von %1</translation>
    </message>
    <message>
        <source>Open in Google Cloud &amp;console</source>
        <translation>In der Google-Cloud-&amp;Konsole öffnen</translation>
    </message>
    <message>
        <source>Open in AWS &amp;console</source>
        <translation>In der AWS-&amp;Konsole öffnen</translation>
    </message>
    <message>
        <source>Copy the VM's resource ID (ARM resource ID, Google Cloud instance path or instance ARN) to the clipboard</source>
        <translation>Die Ressourcen-ID der VM (ARM-Ressourcen-ID, Google-Cloud-Instanzpfad oder Instanz-ARN) in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Open the VM in its cloud's console in your browser</source>
        <translation>Die VM in der Konsole ihrer Cloud im Browser öffnen</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 · power: %2 · %3</source>
        <translation>%1 · Zustand: %2 · %3</translation>
    </message>
    <message>
        <source>No agent has reported for this VM (observed through its cloud's API only).</source>
        <translation>Für diese VM hat sich kein Agent gemeldet (nur über die API ihrer Cloud beobachtet).</translation>
    </message>
    <message>
        <source>Application: waiting for the first %1 probe</source>
        <translation>Anwendung: wartet auf die erste %1-Prüfung</translation>
    </message>
    <message>
        <source>Application: healthy since %1 (%2 probe, %3 ms)</source>
        <translation>Anwendung: gesund seit %1 (%2-Prüfung, %3 ms)</translation>
    </message>
    <message>
        <source>Application: unhealthy since %1: %2 (%3 probe, %4 ms)</source>
        <translation>Anwendung: gestört seit %1: %2 (%3-Prüfung, %4 ms)</translation>
    </message>
    <message>
        <source>&amp;Undo change</source>
        <translation>Änderung &amp;rückgängig machen</translation>
    </message>
    <message>
        <source>Undo the capacity fallback change selected in the timeline: the VM gets its earlier size or max price back (it must be deallocated)</source>
        <translation>Die in der Zeitleiste ausgewählte Änderung des Kapazitäts-Ausweichens rückgängig machen: Die VM erhält ihre frühere Größe oder ihren früheren Höchstpreis zurück (sie muss freigegeben sein)</translation>
    </message>
    <message>
        <source>Undo requested: %1</source>
        <translation>Rückgängig machen angefordert: %1</translation>
    </message>
    <message>
        <source>Undo refused: %1</source>
        <translation>Rückgängig machen abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::EnrollDialog</name>
    <message>
        <source>Enroll an agent on %1</source>
        <translation>Agent auf %1 registrieren</translation>
    </message>
    <message>
        <source>A new agent key &lt;b&gt;%1&lt;/b&gt; was generated for %2. The secret is shown only now: copy a snippet and run it on the VM.</source>
        <translation>Für %2 wurde ein neuer Agent-Schlüssel &lt;b&gt;%1&lt;/b&gt; erzeugt. Das Geheimnis wird nur jetzt angezeigt: Kopieren Sie ein Snippet und führen Sie es auf der VM aus.</translation>
    </message>
    <message>
        <source>Linux (systemd)</source>
        <translation>Linux (systemd)</translation>
    </message>
    <message>
        <source>cloud-init</source>
        <translation>cloud-init</translation>
    </message>
    <message>
        <source>Windows</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>%1 install snippet</source>
        <translation>Installations-Snippet für %1</translation>
    </message>
    <message>
        <source>&amp;Copy snippet</source>
        <translation>Snippet &amp;kopieren</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::EventsModel</name>
    <message>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Eviction</source>
        <translation>Verdrängung</translation>
    </message>
    <message>
        <source>Restart attempt</source>
        <translation>Neustartversuch</translation>
    </message>
    <message>
        <source>Power change</source>
        <translation>Zustandswechsel</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Type / status</source>
        <translation>Typ / Status</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>ARM error</source>
        <translation>ARM-Fehler</translation>
    </message>
    <message>
        <source>Correlation id</source>
        <translation>Korrelations-ID</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::FleetCharts</name>
    <message>
        <source>VMs recovered</source>
        <translation>Wiederhergestellte VMs</translation>
    </message>
    <message>
        <source>Restart jobs</source>
        <translation>Neustartaufträge</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::FleetSource</name>
    <message>
        <source>This fleet source cannot manage agent keys.</source>
        <translation>Diese Flottenquelle kann keine Agent-Schlüssel verwalten.</translation>
    </message>
    <message>
        <source>Exports of events and of the audit log run where the store is.</source>
        <translation>Exporte von Ereignissen und des Prüfprotokolls laufen dort, wo der Speicher ist.</translation>
    </message>
    <message>
        <source>This fleet source has no cost reports.</source>
        <translation>Diese Flottenquelle liefert keine Kostenberichte.</translation>
    </message>
    <message>
        <source>Undo of a capacity fallback change needs the dashboard's own engine.</source>
        <translation>Das Rückgängigmachen einer Änderung des Kapazitäts-Ausweichens braucht die eigene Engine des Dashboards.</translation>
    </message>
    <message>
        <source>This fleet source sends no notifications.</source>
        <translation>Diese Flottenquelle sendet keine Benachrichtigungen.</translation>
    </message>
    <message>
        <source>The channels of an attached spotkeeperd are configured in its spotkeeperd.conf and tested there with spotkeeperd notify test &lt;channel&gt;.</source>
        <translation>Die Kanäle eines angebundenen spotkeeperd werden in dessen spotkeeperd.conf eingerichtet und dort mit spotkeeperd notify test &lt;kanal&gt; getestet.</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::FleetTableModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation>Ressourcengruppe</translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation>Abonnement</translation>
    </message>
    <message>
        <source>Region / zone</source>
        <translation>Region / Zone</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Power state</source>
        <translation>Betriebszustand</translation>
    </message>
    <message>
        <source>Auto-restart</source>
        <translation>Automatischer Neustart</translation>
    </message>
    <message>
        <source>Job state</source>
        <translation>Auftragsstatus</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <source>Next retry</source>
        <translation>Nächster Versuch</translation>
    </message>
    <message>
        <source>Last eviction</source>
        <translation>Letzte Verdrängung</translation>
    </message>
    <message>
        <source>Evictions 24 h</source>
        <translation>Verdrängungen 24 Std.</translation>
    </message>
    <message>
        <source>Evictions 7 d</source>
        <translation>Verdrängungen 7 T.</translation>
    </message>
    <message>
        <source>Agent last seen</source>
        <translation>Agent zuletzt gesehen</translation>
    </message>
    <message>
        <source>Last ARM error</source>
        <translation>Letzter ARM-Fehler</translation>
    </message>
    <message>
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>%1 (last poll failed: %2)</source>
        <translation>%1 (letzte Abfrage fehlgeschlagen: %2)</translation>
    </message>
    <message>
        <source>Stopped on purpose by %1</source>
        <translation>Absichtlich angehalten von %1</translation>
    </message>
    <message>
        <source>The VM is running but its agent has sent no heartbeat since %1 (silent since %2): the agent is down, not the VM.</source>
        <translation>Die VM läuft, aber ihr Agent hat seit %1 kein Lebenszeichen gesendet (stumm seit %2): Der Agent ist ausgefallen, nicht die VM.</translation>
    </message>
    <message>
        <source>Cloud</source>
        <translation>Cloud</translation>
    </message>
    <message>
        <source>Google Cloud</source>
        <translation>Google Cloud</translation>
    </message>
    <message>
        <source>AWS</source>
        <translation>AWS</translation>
    </message>
    <message>
        <source>Azure</source>
        <translation>Azure</translation>
    </message>
    <message>
        <source>The VM is running but its application is unhealthy since %1: %2 (%3 probe, %4 ms).</source>
        <translation>Die VM läuft, aber ihre Anwendung ist seit %1 gestört: %2 (%3-Prüfung, %4 ms).</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::FleetView</name>
    <message>
        <source>Fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <source>Filter by name, group, region, size, error (Ctrl+F)</source>
        <translation>Nach Name, Gruppe, Region, Größe, Fehler filtern (Strg+F)</translation>
    </message>
    <message>
        <source>Fleet filter</source>
        <translation>Flottenfilter</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation>Ressourcengruppe</translation>
    </message>
    <message>
        <source>Only &amp;problems</source>
        <translation>Nur &amp;Probleme</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>Choose the visible columns</source>
        <translation>Die sichtbaren Spalten wählen</translation>
    </message>
    <message>
        <source>Choose columns</source>
        <translation>Spalten wählen</translation>
    </message>
    <message>
        <source>All clouds</source>
        <translation>Alle Clouds</translation>
    </message>
    <message>
        <source>Cloud filter</source>
        <translation>Cloud-Filter</translation>
    </message>
    <message>
        <source>Show the VMs of one cloud only</source>
        <translation>Nur die VMs einer Cloud zeigen</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::KeychainSecretStore</name>
    <message>
        <source>Secrets are kept in the system keychain.</source>
        <translation>Geheimnisse werden im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>No system keychain is available (%1): secrets are kept in memory for this run only and must be entered again next time.</source>
        <translation>Kein Schlüsselbund verfügbar (%1): Geheimnisse werden nur für diese Sitzung im Speicher gehalten und müssen beim nächsten Mal erneut eingegeben werden.</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::LocalFleetSource</name>
    <message>
        <source>Local store %1</source>
        <translation>Lokaler Speicher %1</translation>
    </message>
    <message>
        <source>The VM has no resource id; add it to the fleet first.</source>
        <translation>Die VM hat keine Ressourcen-ID; fügen Sie sie zuerst der Flotte hinzu.</translation>
    </message>
    <message>
        <source>The key could not be saved: %1</source>
        <translation>Der Schlüssel konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>No Azure credentials are configured.</source>
        <translation>Es sind keine Azure-Anmeldedaten eingerichtet.</translation>
    </message>
    <message>
        <source>The in-process listener is not running, so its keys cannot be managed here.</source>
        <translation>Der eingebaute Listener läuft nicht, daher können seine Schlüssel hier nicht verwaltet werden.</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::MainWindow</name>
    <message>
        <source>SpotKeeper</source>
        <translation>SpotKeeper</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>&amp;Fleet</source>
        <translation>&amp;Flotte</translation>
    </message>
    <message>
        <source>&amp;Retries</source>
        <translation>&amp;Wiederholungen</translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation>&amp;Diagramme</translation>
    </message>
    <message>
        <source>A&amp;udit</source>
        <translation>&amp;Prüfprotokoll</translation>
    </message>
    <message>
        <source>&amp;Notifications</source>
        <translation>&amp;Benachrichtigungen</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to SpotKeeper&lt;/h2&gt;&lt;p&gt;SpotKeeper watches your Azure Spot VMs and restarts them after an eviction. There are no VMs in the fleet yet and no Azure credentials, so there is nothing to show. Choose one way to start:&lt;/p&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Azure CLI:&lt;/b&gt; run &lt;code&gt;az login&lt;/code&gt; in a terminal, then restart SpotKeeper; it picks up the CLI's sign-in.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Service principal:&lt;/b&gt; open &lt;i&gt;Settings → Azure&lt;/i&gt; and enter the tenant ID, client ID and client secret (kept in the system keychain).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Attach to a spotkeeperd server&lt;/b&gt; that already watches the fleet, through its operator API.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Then add VMs one by one, discover the Spot VMs of a subscription, or enroll an agent on a VM: it reports evictions the moment Azure announces them.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Willkommen bei SpotKeeper&lt;/h2&gt;&lt;p&gt;SpotKeeper überwacht Ihre Azure-Spot-VMs und startet sie nach einer Verdrängung neu. Die Flotte enthält noch keine VMs und es gibt keine Azure-Anmeldedaten, daher gibt es nichts anzuzeigen. Wählen Sie einen Einstieg:&lt;/p&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Azure CLI:&lt;/b&gt; Führen Sie &lt;code&gt;az login&lt;/code&gt; in einem Terminal aus und starten Sie SpotKeeper neu; es übernimmt die Anmeldung der CLI.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Dienstprinzipal:&lt;/b&gt; Öffnen Sie &lt;i&gt;Einstellungen → Azure&lt;/i&gt; und geben Sie Mandanten-ID, Client-ID und Clientgeheimnis ein (im Schlüsselbund des Systems gespeichert).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Mit einem spotkeeperd-Server verbinden&lt;/b&gt;, der die Flotte bereits überwacht, über dessen Operator-API.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Fügen Sie dann VMs einzeln hinzu, ermitteln Sie die Spot-VMs eines Abonnements oder registrieren Sie einen Agent auf einer VM: Er meldet Verdrängungen, sobald Azure sie ankündigt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open &amp;settings</source>
        <translation>&amp;Einstellungen öffnen</translation>
    </message>
    <message>
        <source>&amp;Add a VM…</source>
        <translation>VM &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>A&amp;ttach to spotkeeperd…</source>
        <translation>Mit spotkeeperd &amp;verbinden…</translation>
    </message>
    <message>
        <source>Listener off</source>
        <translation>Empfänger aus</translation>
    </message>
    <message>
        <source>Listening on %1 (%2)</source>
        <translation>Empfängt auf %1 (%2)</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>no TLS</source>
        <translation>ohne TLS</translation>
    </message>
    <message>
        <source>Last notice %1</source>
        <translation>Letzter Hinweis %1</translation>
    </message>
    <message>
        <source>No notice yet</source>
        <translation>Noch kein Hinweis</translation>
    </message>
    <message>
        <source>No Azure credentials</source>
        <translation>Keine Azure-Anmeldedaten</translation>
    </message>
    <message>
        <source>Azure: %1 (%2)</source>
        <translation>Azure: %1 (%2)</translation>
    </message>
    <message>
        <source>Token expires %1</source>
        <translation>Token läuft ab %1</translation>
    </message>
    <message numerus="yes">
        <source>ARM budget: %n call(s) left</source>
        <translation><numerusform>ARM-Budget: noch %n Aufruf</numerusform><numerusform>ARM-Budget: noch %n Aufrufe</numerusform></translation>
    </message>
    <message>
        <source>ARM budget: unknown</source>
        <translation>ARM-Budget: unbekannt</translation>
    </message>
    <message>
        <source>Select one or more VMs in the fleet table first.</source>
        <translation>Wählen Sie zuerst eine oder mehrere VMs in der Flottentabelle.</translation>
    </message>
    <message>
        <source>&amp;Notifications (%1)</source>
        <translation>&amp;Benachrichtigungen (%1)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Export current view…</source>
        <translation>Aktuelle Ansicht &amp;exportieren…</translation>
    </message>
    <message>
        <source>Export &amp;events for the time range…</source>
        <translation>&amp;Ereignisse des Zeitraums exportieren…</translation>
    </message>
    <message>
        <source>Export the &amp;audit log…</source>
        <translation>&amp;Prüfprotokoll exportieren…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>Only &amp;problems</source>
        <translation>Nur &amp;Probleme</translation>
    </message>
    <message>
        <source>&amp;Clear state filter</source>
        <translation>Zustandsfilter &amp;löschen</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>A&amp;ktionen</translation>
    </message>
    <message>
        <source>Force &amp;restart</source>
        <translation>&amp;Neustart erzwingen</translation>
    </message>
    <message>
        <source>&amp;Pause auto-restart</source>
        <translation>Automatischen Neustart &amp;pausieren</translation>
    </message>
    <message>
        <source>Res&amp;ume auto-restart</source>
        <translation>Automatischen Neustart &amp;fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation>Auftrag &amp;abbrechen</translation>
    </message>
    <message>
        <source>&amp;Enroll agent…</source>
        <translation>Agent &amp;registrieren…</translation>
    </message>
    <message>
        <source>&amp;Add VM…</source>
        <translation>VM &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Discover Spot VMs…</source>
        <translation>Spot-VMs &amp;ermitteln…</translation>
    </message>
    <message>
        <source>Snooze notifications for this &amp;VM (1 h)</source>
        <translation>Benachrichtigungen für diese &amp;VM stummschalten (1 Std.)</translation>
    </message>
    <message>
        <source>Snooze notifications for its resource &amp;group (1 h)</source>
        <translation>Benachrichtigungen für ihre Ressourcen&amp;gruppe stummschalten (1 Std.)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About SpotKeeper</source>
        <translation>&amp;Über SpotKeeper</translation>
    </message>
    <message>
        <source>About SpotKeeper</source>
        <translation>Über SpotKeeper</translation>
    </message>
    <message>
        <source>SpotKeeper %1 keeps Azure Spot VMs running.</source>
        <translation>SpotKeeper %1 hält Azure-Spot-VMs am Laufen.</translation>
    </message>
    <message>
        <source>Add VM</source>
        <translation>VM hinzufügen</translation>
    </message>
    <message>
        <source>ARM resource ID of the VM (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…):</source>
        <translation>ARM-Ressourcen-ID der VM (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…):</translation>
    </message>
    <message>
        <source>VM added: %1</source>
        <translation>VM hinzugefügt: %1</translation>
    </message>
    <message>
        <source>Discover Spot VMs</source>
        <translation>Spot-VMs ermitteln</translation>
    </message>
    <message>
        <source>Discovery needs Azure credentials: configure them in Settings → Azure.</source>
        <translation>Das Ermitteln braucht Azure-Anmeldedaten: Richten Sie sie unter Einstellungen → Azure ein.</translation>
    </message>
    <message>
        <source>Subscription ID:</source>
        <translation>Abonnement-ID:</translation>
    </message>
    <message>
        <source>Listing the VMs of %1…</source>
        <translation>VMs von %1 werden aufgelistet…</translation>
    </message>
    <message numerus="yes">
        <source>Found %n Spot VM(s). Add them all to the fleet?</source>
        <translation><numerusform>%n Spot-VM gefunden. Zur Flotte hinzufügen?</numerusform><numerusform>%n Spot-VMs gefunden. Alle zur Flotte hinzufügen?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Found %n Spot VM(s).</source>
        <translation><numerusform>%n Spot-VM gefunden.</numerusform><numerusform>%n Spot-VMs gefunden.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) added.</source>
        <translation><numerusform>%n VM hinzugefügt.</numerusform><numerusform>%n VMs hinzugefügt.</numerusform></translation>
    </message>
    <message>
        <source>Enroll agent</source>
        <translation>Agent registrieren</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>The new language applies from the next start.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>Notifications for %1 snoozed for 1 hour</source>
        <translation>Benachrichtigungen für %1 für 1 Stunde stummgeschaltet</translation>
    </message>
    <message>
        <source>Show a remote spotkeeperd's fleet through its operator API.</source>
        <translation>Die Flotte eines entfernten spotkeeperd über dessen Operator-API anzeigen.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Listener not running: %1</source>
        <translation>Listener läuft nicht: %1</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Nicht verbunden: %1</translation>
    </message>
    <message>
        <source>Azure credentials off: notices are stored, no VM is restarted</source>
        <translation>Azure-Anmeldedaten aus: Meldungen werden gespeichert, keine VM wird neu gestartet</translation>
    </message>
    <message>
        <source>Azure: %1</source>
        <translation>Azure: %1</translation>
    </message>
    <message>
        <source>The lowest x-ms-ratelimit-remaining-* counter of the last ARM answer</source>
        <translation>Der niedrigste x-ms-ratelimit-remaining-*-Zähler der letzten ARM-Antwort</translation>
    </message>
    <message>
        <source>Exports of events and of the audit log run on the server: spotkeeperd export events|audit (the current view can be exported here).</source>
        <translation>Exporte der Ereignisse und des Prüfprotokolls laufen auf dem Server: spotkeeperd export events|audit (die aktuelle Ansicht lässt sich hier exportieren).</translation>
    </message>
    <message>
        <source>Agent &amp;keys…</source>
        <translation>Agent-&amp;Schlüssel…</translation>
    </message>
    <message>
        <source>List, rotate and revoke agent keys</source>
        <translation>Agent-Schlüssel auflisten, rotieren und widerrufen</translation>
    </message>
    <message>
        <source>Listener, credential and budget changes apply from the next start.</source>
        <translation>Änderungen an Listener, Anmeldedaten und Budgets gelten ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>Es läuft bereits ein Export.</translation>
    </message>
    <message>
        <source>Exporting events to %1…</source>
        <translation>Exportiere Ereignisse nach %1…</translation>
    </message>
    <message>
        <source>Exporting the audit log to %1…</source>
        <translation>Exportiere das Prüfprotokoll nach %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n row(s) to %1</source>
        <translation><numerusform>%n Zeile nach %1 exportiert</numerusform><numerusform>%n Zeilen nach %1 exportiert</numerusform></translation>
    </message>
    <message>
        <source>Export cancelled: no file was written.</source>
        <translation>Export abgebrochen: Es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>The export to %1 failed: %2</source>
        <translation>Der Export nach %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>S&amp;top on purpose</source>
        <translation>Absichtlich an&amp;halten</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>C&amp;ost</source>
        <translation>K&amp;osten</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::MemorySecretStore</name>
    <message>
        <source>Secrets are kept in memory for this run only.</source>
        <translation>Geheimnisse werden nur für diese Sitzung im Speicher gehalten.</translation>
    </message>
    <message>
        <source>No secret stored under %1</source>
        <translation>Unter %1 ist kein Geheimnis gespeichert</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::NotificationsPage</name>
    <message>
        <source>Slack</source>
        <translation>Slack</translation>
    </message>
    <message>
        <source>Microsoft Teams</source>
        <translation>Microsoft Teams</translation>
    </message>
    <message>
        <source>E-mail (SMTP)</source>
        <translation>E-Mail (SMTP)</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Eviction</source>
        <translation>Verdrängung</translation>
    </message>
    <message>
        <source>Restarted</source>
        <translation>Neu gestartet</translation>
    </message>
    <message>
        <source>Needs an operator</source>
        <translation>Benötigt einen Bediener</translation>
    </message>
    <message>
        <source>Stopped on purpose</source>
        <translation>Absichtlich angehalten</translation>
    </message>
    <message>
        <source>Still down</source>
        <translation>Weiterhin ausgefallen</translation>
    </message>
    <message>
        <source>Agent silent</source>
        <translation>Agent stumm</translation>
    </message>
    <message>
        <source>Capacity errors</source>
        <translation>Kapazitätsfehler</translation>
    </message>
    <message>
        <source>Enter the receiver's URL.</source>
        <translation>Geben Sie die URL des Empfängers ein.</translation>
    </message>
    <message>
        <source>The URL is not valid.</source>
        <translation>Die URL ist ungültig.</translation>
    </message>
    <message>
        <source>The URL must start with https:// (plain http only to this computer, 127.0.0.1).</source>
        <translation>Die URL muss mit https:// beginnen (unverschlüsseltes http nur zu diesem Computer, 127.0.0.1).</translation>
    </message>
    <message>
        <source>Notification channels</source>
        <translation>Benachrichtigungskanäle</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Last delivery</source>
        <translation>Letzte Zustellung</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>&amp;Add channel</source>
        <translation>Kanal &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Messages to operators about evictions, restarts and VMs that need a person. Secrets are kept in the system keychain.</source>
        <translation>Nachrichten an Bediener über Verdrängungen, Neustarts und VMs, die eine Person brauchen. Geheimnisse werden im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>e.g. ops-slack</source>
        <translation>z. B. ops-slack</translation>
    </message>
    <message>
        <source>Lower-case letters, digits, '-' and '_'; it names the channel in /metrics and in the delivery status.</source>
        <translation>Kleinbuchstaben, Ziffern, '-' und '_'; der Name steht in /metrics und im Zustellstatus.</translation>
    </message>
    <message>
        <source>STARTTLS (port 587)</source>
        <translation>STARTTLS (Port 587)</translation>
    </message>
    <message>
        <source>TLS (port 465)</source>
        <translation>TLS (Port 465)</translation>
    </message>
    <message>
        <source>ops@example.com, oncall@example.com</source>
        <translation>ops@example.com, bereitschaft@example.com</translation>
    </message>
    <message>
        <source>empty: no login</source>
        <translation>leer: keine Anmeldung</translation>
    </message>
    <message>
        <source>Event kinds</source>
        <translation>Ereignisarten</translation>
    </message>
    <message>
        <source>all subscriptions</source>
        <translation>alle Abonnements</translation>
    </message>
    <message>
        <source>all VMs (e.g. team=web, critical)</source>
        <translation>alle VMs (z. B. team=web, critical)</translation>
    </message>
    <message>
        <source>Reset to &amp;default</source>
        <translation>Auf &amp;Standard zurücksetzen</translation>
    </message>
    <message>
        <source>Placeholders: {title} {text} {kind} {id} {at} {vm} {resource_id} {subscription} {resource_group} {region} {size} {tags} {count} {downtime} {reason} {error}</source>
        <translation>Platzhalter: {title} {text} {kind} {id} {at} {vm} {resource_id} {subscription} {resource_group} {region} {size} {tags} {count} {downtime} {reason} {error}</translation>
    </message>
    <message>
        <source>Channel problem</source>
        <translation>Problem des Kanals</translation>
    </message>
    <message>
        <source>Send &amp;test notification</source>
        <translation>&amp;Testbenachrichtigung senden</translation>
    </message>
    <message>
        <source>Test result</source>
        <translation>Testergebnis</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>SMTP &amp;server:</source>
        <translation>SMTP-&amp;Server:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <source>Se&amp;curity:</source>
        <translation>Si&amp;cherheit:</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>&amp;An:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>Secret:</source>
        <translation>Geheimnis:</translation>
    </message>
    <message>
        <source>&amp;Events:</source>
        <translation>&amp;Ereignisse:</translation>
    </message>
    <message>
        <source>None checked: every kind.</source>
        <translation>Keine angehakt: jede Art.</translation>
    </message>
    <message>
        <source>Su&amp;bscriptions:</source>
        <translation>A&amp;bonnements:</translation>
    </message>
    <message>
        <source>T&amp;ags:</source>
        <translation>&amp;Tags:</translation>
    </message>
    <message>
        <source>Su&amp;bject:</source>
        <translation>Be&amp;treff:</translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation>&amp;Nachricht:</translation>
    </message>
    <message>
        <source>Last delivery:</source>
        <translation>Letzte Zustellung:</translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation>Letzter Fehler:</translation>
    </message>
    <message>
        <source>Outbox:</source>
        <translation>Ausgang:</translation>
    </message>
    <message>
        <source>&amp;Webhook URL:</source>
        <translation>&amp;Webhook-URL:</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>https://hooks…</source>
        <translation>https://hooks…</translation>
    </message>
    <message>
        <source>The incoming-webhook URL is the credential: it is kept in the keychain, never in the settings file.</source>
        <translation>Die URL des eingehenden Webhooks ist selbst das Zugangsgeheimnis: Sie bleibt im Schlüsselbund, nie in der Einstellungsdatei.</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>with a user name</source>
        <translation>mit Benutzername</translation>
    </message>
    <message>
        <source>Kept in the keychain.</source>
        <translation>Wird im Schlüsselbund aufbewahrt.</translation>
    </message>
    <message>
        <source>Si&amp;gning secret:</source>
        <translation>Si&amp;gniergeheimnis:</translation>
    </message>
    <message>
        <source>Standard Webhooks signing secret (whsec_ and base64), kept in the keychain. Create one with: printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)"</source>
        <translation>Signiergeheimnis nach Standard Webhooks (whsec_ und Base64), im Schlüsselbund aufbewahrt. Erzeugen mit: printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)"</translation>
    </message>
    <message>
        <source>(new channel)</source>
        <translation>(neuer Kanal)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>not running yet: the channel starts when you press OK</source>
        <translation>läuft noch nicht: Der Kanal startet, wenn Sie OK drücken</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>läuft nicht</translation>
    </message>
    <message>
        <source>none since the start</source>
        <translation>keine seit dem Start</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>%1 pending, %2 delivered, %3 failed</source>
        <translation>%1 ausstehend, %2 zugestellt, %3 fehlgeschlagen</translation>
    </message>
    <message>
        <source>No engine to send from.</source>
        <translation>Keine Engine, die senden könnte.</translation>
    </message>
    <message>
        <source>Configured on the server</source>
        <translation>Auf dem Server eingerichtet</translation>
    </message>
    <message>
        <source>Enter a name for the channel.</source>
        <translation>Geben Sie einen Namen für den Kanal ein.</translation>
    </message>
    <message>
        <source>The name %1 may hold only lower-case letters, digits, '-' and '_' (at most 64).</source>
        <translation>Der Name %1 darf nur Kleinbuchstaben, Ziffern, '-' und '_' enthalten (höchstens 64).</translation>
    </message>
    <message>
        <source>There is already a channel named %1.</source>
        <translation>Es gibt bereits einen Kanal namens %1.</translation>
    </message>
    <message>
        <source>Enter the webhook's signing secret (whsec_…).</source>
        <translation>Geben Sie das Signiergeheimnis des Webhooks ein (whsec_…).</translation>
    </message>
    <message>
        <source>Enter the incoming-webhook URL.</source>
        <translation>Geben Sie die URL des eingehenden Webhooks ein.</translation>
    </message>
    <message>
        <source>Enter the SMTP server.</source>
        <translation>Geben Sie den SMTP-Server ein.</translation>
    </message>
    <message>
        <source>The sender %1 is not an e-mail address (name@example.com).</source>
        <translation>Der Absender %1 ist keine E-Mail-Adresse (name@example.com).</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>Enter one or more recipients.</source>
        <translation>Geben Sie einen oder mehrere Empfänger ein.</translation>
    </message>
    <message>
        <source>The recipient %1 is not an e-mail address (name@example.com).</source>
        <translation>Der Empfänger %1 ist keine E-Mail-Adresse (name@example.com).</translation>
    </message>
    <message>
        <source>Enter the password for %1.</source>
        <translation>Geben Sie das Passwort für %1 ein.</translation>
    </message>
    <message>
        <source>A tag is name or name=value.</source>
        <translation>Ein Tag ist name oder name=wert.</translation>
    </message>
    <message>
        <source>Notification channel %1: %2</source>
        <translation>Benachrichtigungskanal %1: %2</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Delivered (status %1).</source>
        <translation>Zugestellt (Status %1).</translation>
    </message>
    <message>
        <source>Delivered.</source>
        <translation>Zugestellt.</translation>
    </message>
    <message>
        <source>Not delivered: %1</source>
        <translation>Nicht zugestellt: %1</translation>
    </message>
    <message>
        <source>The secret is not in the keychain.</source>
        <translation>Das Geheimnis ist nicht im Schlüsselbund.</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::RemoteAttach</name>
    <message>
        <source>Attach to spotkeeperd</source>
        <translation>Mit spotkeeperd verbinden</translation>
    </message>
    <message>
        <source>Operator token for %1 (create one on the server with spotkeeperd token create):</source>
        <translation>Operator-Token für %1 (auf dem Server mit spotkeeperd token create erzeugen):</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::RemoteFleetSource</name>
    <message>
        <source>spotkeeperd at %1</source>
        <translation>spotkeeperd unter %1</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <source>%1 is not a URL: use https://host:port</source>
        <translation>%1 ist keine URL: verwenden Sie https://host:port</translation>
    </message>
    <message>
        <source>%1: use an https:// (or http:// on a loopback address) URL</source>
        <translation>%1: verwenden Sie eine https://-URL (oder http:// auf einer Loopback-Adresse)</translation>
    </message>
    <message>
        <source>An operator token is needed (spotkeeperd token create).</source>
        <translation>Ein Operator-Token wird benötigt (spotkeeperd token create).</translation>
    </message>
    <message>
        <source>The CA file %1 holds no PEM certificate.</source>
        <translation>Die CA-Datei %1 enthält kein PEM-Zertifikat.</translation>
    </message>
    <message>
        <source>%1 is unreachable: %2</source>
        <translation>%1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>%1 refused the operator token (401): set a valid token in Settings → Remote server.</source>
        <translation>%1 hat das Operator-Token abgelehnt (401): Tragen Sie unter Einstellungen → Entfernter Server ein gültiges Token ein.</translation>
    </message>
    <message>
        <source>%1 answered HTTP %2 with a body that is not a JSON object (%3)</source>
        <translation>%1 antwortete mit HTTP %2 und einem Inhalt, der kein JSON-Objekt ist (%3)</translation>
    </message>
    <message>
        <source>not an object</source>
        <translation>kein Objekt</translation>
    </message>
    <message>
        <source>%1 answered HTTP %2: %3</source>
        <translation>%1 antwortete mit HTTP %2: %3</translation>
    </message>
    <message>
        <source>no message</source>
        <translation>keine Meldung</translation>
    </message>
    <message>
        <source>%1 answered without the expected fields</source>
        <translation>%1 antwortete ohne die erwarteten Felder</translation>
    </message>
    <message>
        <source>%1 has no working Azure credentials (%2).</source>
        <translation>%1 hat keine funktionierenden Azure-Anmeldedaten (%2).</translation>
    </message>
    <message>
        <source>%1 answered without a usable key secret.</source>
        <translation>%1 antwortete ohne ein verwendbares Schlüsselgeheimnis.</translation>
    </message>
    <message>
        <source>Discovery runs on the server: use spotkeeperd's subscriptions.</source>
        <translation>Die Ermittlung läuft auf dem Server: Verwenden Sie die Abonnements von spotkeeperd.</translation>
    </message>
    <message>
        <source>Reading the status of %1…</source>
        <translation>Lese den Status von %1…</translation>
    </message>
    <message>
        <source>%1 answered without a key list.</source>
        <translation>%1 antwortete ohne Schlüsselliste.</translation>
    </message>
    <message>
        <source>%1: http:// would send the operator token in clear over the network; use https:// (http:// is only for a loopback address)</source>
        <translation>%1: http:// würde das Operator-Token unverschlüsselt über das Netz senden; verwenden Sie https:// (http:// nur für eine Loopback-Adresse)</translation>
    </message>
    <message>
        <source>The VM is not in the fleet.</source>
        <translation>Die VM gehört nicht zur Flotte.</translation>
    </message>
    <message>
        <source>%1 answered without a cost report.</source>
        <translation>%1 hat ohne Kostenbericht geantwortet.</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::RetryPanel</name>
    <message>
        <source>Active restart jobs</source>
        <translation>Aktive Neustartaufträge</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::RiskTableModel</name>
    <message>
        <source>Published by Azure (Resource Graph), read %1</source>
        <translation>Von Azure veröffentlicht (Resource Graph), gelesen %1</translation>
    </message>
    <message>
        <source>Observed %1 % per running hour, more than twice the published band's upper bound (%2 %).</source>
        <translation>Beobachtet %1 % je Laufstunde, mehr als das Doppelte der Obergrenze des veröffentlichten Bereichs (%2 %).</translation>
    </message>
    <message>
        <source>not published</source>
        <translation>nicht veröffentlicht</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Far above the band</source>
        <translation>Weit über dem Bereich</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>VMs</source>
        <translation>VMs</translation>
    </message>
    <message>
        <source>Running h</source>
        <translation>Laufzeit (Std.)</translation>
    </message>
    <message>
        <source>Evictions</source>
        <translation>Verdrängungen</translation>
    </message>
    <message>
        <source>Evictions per VM-day</source>
        <translation>Verdrängungen je VM-Tag</translation>
    </message>
    <message>
        <source>Median recovery h</source>
        <translation>Median Wiederherstellung Std.</translation>
    </message>
    <message>
        <source>Published eviction rate</source>
        <translation>Veröffentlichte Verdrängungsrate</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>Markierung</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::SettingsDialog</name>
    <message>
        <source>SpotKeeper settings</source>
        <translation>SpotKeeper-Einstellungen</translation>
    </message>
    <message>
        <source>Serve HTTPS (recommended beyond localhost)</source>
        <translation>HTTPS anbieten (außerhalb von localhost empfohlen)</translation>
    </message>
    <message>
        <source>PEM certificate chain</source>
        <translation>PEM-Zertifikatskette</translation>
    </message>
    <message>
        <source>PEM private key (file mode 0600)</source>
        <translation>Privater PEM-Schlüssel (Dateimodus 0600)</translation>
    </message>
    <message>
        <source>Listen &amp;address:</source>
        <translation>Empfangs&amp;adresse:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>TLS &amp;certificate:</source>
        <translation>TLS-&amp;Zertifikat:</translation>
    </message>
    <message>
        <source>TLS &amp;key:</source>
        <translation>TLS-&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>Agent keys:</source>
        <translation>Agent-Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Listener</source>
        <translation>&amp;Empfänger</translation>
    </message>
    <message>
        <source>Automatic (environment, Azure CLI, managed identity)</source>
        <translation>Automatisch (Umgebung, Azure CLI, verwaltete Identität)</translation>
    </message>
    <message>
        <source>Azure CLI (az login)</source>
        <translation>Azure CLI (az login)</translation>
    </message>
    <message>
        <source>Service principal</source>
        <translation>Dienstprinzipal</translation>
    </message>
    <message>
        <source>Managed identity</source>
        <translation>Verwaltete Identität</translation>
    </message>
    <message>
        <source>None (observe only)</source>
        <translation>Keine (nur beobachten)</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>Credential &amp;source:</source>
        <translation>&amp;Quelle der Anmeldedaten:</translation>
    </message>
    <message>
        <source>&amp;Tenant ID:</source>
        <translation>&amp;Mandanten-ID:</translation>
    </message>
    <message>
        <source>&amp;Client ID:</source>
        <translation>&amp;Client-ID:</translation>
    </message>
    <message>
        <source>Client s&amp;ecret:</source>
        <translation>Client&amp;geheimnis:</translation>
    </message>
    <message>
        <source>One subscription ID per line</source>
        <translation>Eine Abonnement-ID pro Zeile</translation>
    </message>
    <message>
        <source>S&amp;ubscriptions:</source>
        <translation>&amp;Abonnements:</translation>
    </message>
    <message>
        <source>&amp;Azure</source>
        <translation>&amp;Azure</translation>
    </message>
    <message>
        <source>&amp;Budgets</source>
        <translation>&amp;Budgets</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Write a UTF-8 byte order mark in CSV exports</source>
        <translation>UTF-8-Byte-Order-Mark in CSV-Exporte schreiben</translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation>&amp;Farbschema:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>CSV:</source>
        <translation>CSV:</translation>
    </message>
    <message>
        <source>A&amp;ppearance</source>
        <translation>&amp;Darstellung</translation>
    </message>
    <message>
        <source>HTTPS needs both a certificate and a private key file.</source>
        <translation>HTTPS braucht eine Zertifikats- und eine Schlüsseldatei.</translation>
    </message>
    <message>
        <source>PEM file, only for a private certificate</source>
        <translation>PEM-Datei, nur für ein privates Zertifikat</translation>
    </message>
    <message>
        <source>Attach to this server instead of running the engine here</source>
        <translation>Mit diesem Server verbinden, statt die Engine hier auszuführen</translation>
    </message>
    <message>
        <source>Create an operator token on the server with &lt;code&gt;spotkeeperd token create&lt;/code&gt;. It is kept in the system keychain. %1</source>
        <translation>Erzeugen Sie auf dem Server ein Operator-Token mit &lt;code&gt;spotkeeperd token create&lt;/code&gt;. Es wird im Schlüsselbund des Systems gespeichert. %1</translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation>Server-&amp;URL:</translation>
    </message>
    <message>
        <source>Operator &amp;token:</source>
        <translation>Operator-&amp;Token:</translation>
    </message>
    <message>
        <source>C&amp;A certificate:</source>
        <translation>C&amp;A-Zertifikat:</translation>
    </message>
    <message>
        <source>&amp;Remote server</source>
        <translation>&amp;Entfernter Server</translation>
    </message>
    <message>
        <source>Enter the URL of the spotkeeperd server.</source>
        <translation>Geben Sie die URL des spotkeeperd-Servers ein.</translation>
    </message>
    <message>
        <source>Agent keys are generated per VM with Actions → Enroll agent, and listed, rotated and revoked with Actions → Agent keys; their secrets are shown once and stored only as agent key records in the store.</source>
        <translation>Agent-Schlüssel werden je VM mit Aktionen → Agent registrieren erzeugt und mit Aktionen → Agent-Schlüssel aufgelistet, rotiert und widerrufen; ihre Geheimnisse werden einmal angezeigt und nur als Agent-Schlüsseldatensätze im Speicher abgelegt.</translation>
    </message>
    <message>
        <source>The restart engine paces its Azure calls with these token buckets so that Azure does not throttle it (defaults: Azure's own limits). They apply at the next start.</source>
        <translation>Die Neustart-Engine verteilt ihre Azure-Aufrufe mit diesen Token-Buckets, damit Azure sie nicht drosselt (Standard: die Grenzen von Azure selbst). Sie gelten ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>ARM &amp;writes per second per subscription:</source>
        <translation>ARM-&amp;Schreibaufrufe pro Sekunde je Abonnement:</translation>
    </message>
    <message>
        <source>ARM write b&amp;urst per subscription:</source>
        <translation>ARM-Schreib-B&amp;urst je Abonnement:</translation>
    </message>
    <message>
        <source>ARM &amp;reads per second per subscription:</source>
        <translation>ARM-&amp;Leseaufrufe pro Sekunde je Abonnement:</translation>
    </message>
    <message>
        <source>ARM read bu&amp;rst per subscription:</source>
        <translation>ARM-Lese-Bu&amp;rst je Abonnement:</translation>
    </message>
    <message>
        <source>&amp;Start calls per minute per VM:</source>
        <translation>S&amp;tartaufrufe pro Minute je VM:</translation>
    </message>
    <message>
        <source>Start call burst per &amp;VM:</source>
        <translation>Startaufruf-Burst je &amp;VM:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>A managed VM went down without a notice: how long the Activity Log is read for an eviction (restart) or a person's deallocation (leave it stopped).</source>
        <translation>Eine verwaltete VM ist ohne Benachrichtigung ausgefallen: So lange wird das Aktivitätsprotokoll nach einer Verdrängung (Neustart) oder einer Freigabe durch eine Person (angehalten lassen) durchsucht.</translation>
    </message>
    <message>
        <source>Restart it</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Leave it deallocated</source>
        <translation>Freigegeben lassen</translation>
    </message>
    <message>
        <source>&amp;No evidence by then:</source>
        <translation>&amp;Kein Nachweis bis dahin:</translation>
    </message>
    <message>
        <source>Activity &amp;Log wait for an unexplained deallocation:</source>
        <translation>Wartezeit im Aktivitäts&amp;protokoll bei unerklärter Freigabe:</translation>
    </message>
    <message>
        <source>The agents' heartbeat-interval (60 s unless changed).</source>
        <translation>Das heartbeat-interval der Agenten (60 s, sofern nicht geändert).</translation>
    </message>
    <message>
        <source>Never alert</source>
        <translation>Nie alarmieren</translation>
    </message>
    <message>
        <source>Alert when the agent of a running VM has missed this many heartbeats (a deallocated VM is never alerted).</source>
        <translation>Alarmieren, wenn der Agent einer laufenden VM so viele Lebenszeichen verpasst hat (eine freigegebene VM löst nie einen Alarm aus).</translation>
    </message>
    <message>
        <source>Agent &amp;heartbeat interval:</source>
        <translation>&amp;Lebenszeichen-Intervall der Agenten:</translation>
    </message>
    <message>
        <source>Silent a&amp;gent after missed heartbeats:</source>
        <translation>Agent &amp;stumm nach verpassten Lebenszeichen:</translation>
    </message>
    <message>
        <source>PEM CA of a private certificate (optional)</source>
        <translation>PEM-CA eines privaten Zertifikats (optional)</translation>
    </message>
    <message>
        <source>Enrolment snippets install this CA as the agent's ca-file, so agents trust a certificate from a private CA (spotkeeperd tls init writes it as ca.pem).</source>
        <translation>Die Registrierungs-Snippets installieren diese CA als ca-file des Agenten, damit Agenten einem Zertifikat einer privaten CA vertrauen (spotkeeperd tls init schreibt sie als ca.pem).</translation>
    </message>
    <message>
        <source>CA for a&amp;gents:</source>
        <translation>CA für A&amp;gents:</translation>
    </message>
    <message>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <source>Do not wait</source>
        <translation>Nicht warten</translation>
    </message>
    <message>
        <source>A restarted VM whose agent has a health probe counts as recovered once its application reports healthy; after this long it ends as running with the application not healthy, and an alert.</source>
        <translation>Eine neu gestartete VM, deren Agent eine Zustandsprüfung hat, gilt als wiederhergestellt, sobald ihre Anwendung gesund meldet; nach dieser Zeit endet der Auftrag als laufend mit gestörter Anwendung, und es gibt einen Alarm.</translation>
    </message>
    <message>
        <source>Alert when the application on a running VM has been unhealthy this long.</source>
        <translation>Alarm, wenn die Anwendung auf einer laufenden VM so lange gestört ist.</translation>
    </message>
    <message>
        <source>Never (alert only)</source>
        <translation>Nie (nur Alarm)</translation>
    </message>
    <message>
        <source>VMs tagged spotkeeper-app-restart=true</source>
        <translation>VMs mit dem Tag spotkeeper-app-restart=true</translation>
    </message>
    <message>
        <source>Every VM</source>
        <translation>Jede VM</translation>
    </message>
    <message>
        <source>Wait for the a&amp;pplication after a restart:</source>
        <translation>Nach einem Neustart auf die A&amp;nwendung warten:</translation>
    </message>
    <message>
        <source>Unhealthy appl&amp;ication alert after:</source>
        <translation>Alarm bei gestörter Anwendung na&amp;ch:</translation>
    </message>
    <message>
        <source>Restart VMs with an unhealthy application:</source>
        <translation>VMs mit gestörter Anwendung neu starten:</translation>
    </message>
    <message>
        <source>At most, restarts per hour per VM:</source>
        <translation>Höchstens, Neustarts pro Stunde und VM:</translation>
    </message>
    <message>
        <source>&amp;Notifications</source>
        <translation>&amp;Benachrichtigungen</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::SummaryStrip</name>
    <message>
        <source>Show only VMs that are: %1</source>
        <translation>Nur VMs zeigen mit Zustand: %1</translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::TimeRangePicker</name>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Time range for charts, events and the audit log</source>
        <translation>Zeitraum für Diagramme, Ereignisse und Prüfprotokoll</translation>
    </message>
    <message>
        <source>Range start (UTC)</source>
        <translation>Beginn (UTC)</translation>
    </message>
    <message>
        <source>Range end (UTC)</source>
        <translation>Ende (UTC)</translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
</context>
</TS>