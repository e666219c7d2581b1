<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ChartBuckets</name>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; 1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5-15 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>15-60 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1-4 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&gt; 4 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FleetActions</name>
    <message>
        <source>This view is read-only: no restart engine is attached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Azure credentials: sign in with az login or configure a service principal in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a VM resource id: expected /subscriptions/&lt;id&gt;/resourceGroups/&lt;group&gt;/providers/Microsoft.Compute/virtualMachines/&lt;name&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause auto-restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume auto-restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Force a restart of %n VM(s) now? Backoff is skipped; ARM budgets still apply.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pause auto-restart for %n VM(s)?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resume auto-restart for %n VM(s)?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancel the restart job of %n VM(s)?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n VM(s) done</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FleetStatus</name>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for deallocation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deallocating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deallocated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>due now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>in %n second(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n hour(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notification</name>
    <message numerus="yes">
        <source>%n VM(s) evicted in %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) recovered in %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) still down in %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>an unknown region</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::AuditModel</name>
    <message>
        <source>Force restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause auto-restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume auto-restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enroll agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::ChartModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::ChartWidget</name>
    <message>
        <source>Show as table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (table)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 as table</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::ChartsPanel</name>
    <message>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stack evictions by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stack evictions &amp;by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evictions over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to recovery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart outcomes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::DashboardSession</name>
    <message>
        <source>The restart engine is not running in this dashboard yet: actions are unavailable.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::DetailPane</name>
    <message>
        <source>&amp;Copy resource ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in Azure &amp;portal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the VM&apos;s ARM resource ID to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the VM in the Azure portal in your browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No VM selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a VM in the fleet table to see its timeline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4 · power: %5 · auto-restart: %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent %1, last seen %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unknown version)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; last poll failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No agent has reported for this VM (observed through ARM only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart job: %1, attempt %2, next attempt %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; last error %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No active restart job.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::EnrollDialog</name>
    <message>
        <source>Enroll an agent on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new agent key &lt;b&gt;%1&lt;/b&gt; was generated for %2. The secret is shown only now: copy a snippet and run it on the VM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linux (systemd)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cloud-init</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 install snippet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy snippet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::EventsModel</name>
    <message>
        <source>Notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eviction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Power change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type / status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ARM error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correlation id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::FleetCharts</name>
    <message>
        <source>VMs recovered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart jobs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::FleetTableModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region / zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Power state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last eviction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evictions 24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evictions 7 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last ARM error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (last poll failed: %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::FleetView</name>
    <message>
        <source>Fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name, group, region, size, error (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fleet filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only &amp;problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the visible columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose columns</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::KeychainSecretStore</name>
    <message>
        <source>Secrets are kept in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keychain is available (%1): secrets are kept in memory for this run only and must be entered again next time.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::LocalFleetSource</name>
    <message>
        <source>Local store %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The VM has no resource id; add it to the fleet first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Azure credentials are configured.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::MainWindow</name>
    <message>
        <source>SpotKeeper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;udit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to SpotKeeper&lt;/h2&gt;&lt;p&gt;SpotKeeper watches your Azure Spot VMs and restarts them after an eviction. There are no VMs in the fleet yet and no Azure credentials, so there is nothing to show. Choose one way to start:&lt;/p&gt;&lt;ol&gt;&lt;li&gt;&lt;b&gt;Azure CLI:&lt;/b&gt; run &lt;code&gt;az login&lt;/code&gt; in a terminal, then restart SpotKeeper; it picks up the CLI&apos;s sign-in.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Service principal:&lt;/b&gt; open &lt;i&gt;Settings → Azure&lt;/i&gt; and enter the tenant ID, client ID and client secret (kept in the system keychain).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Attach to a spotkeeperd server&lt;/b&gt; that already watches the fleet, through its operator API.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Then add VMs one by one, discover the Spot VMs of a subscription, or enroll an agent on a VM: it reports evictions the moment Azure announces them.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add a VM…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ttach to spotkeeperd…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attaching to a remote spotkeeperd is not available in this version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listener off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening on %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last notice %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No notice yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Azure credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Azure: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token expires %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>ARM budget: %n call(s) left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>ARM budget: unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one or more VMs in the fleet table first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Notifications (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export current view…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;events for the time range…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the &amp;audit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only &amp;problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear state filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force &amp;restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause auto-restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Res&amp;ume auto-restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Enroll agent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add VM…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discover Spot VMs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze notifications for this &amp;VM (1 h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze notifications for its resource &amp;group (1 h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About SpotKeeper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About SpotKeeper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SpotKeeper %1 keeps Azure Spot VMs running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add VM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ARM resource ID of the VM (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VM added: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discover Spot VMs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discovery needs Azure credentials: configure them in Settings → Azure.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscription ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing the VMs of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Found %n Spot VM(s). Add them all to the fleet?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Found %n Spot VM(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) added.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Enroll agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new language applies from the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listener and credential changes apply from the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications for %1 snoozed for 1 hour</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::MemorySecretStore</name>
    <message>
        <source>Secrets are kept in memory for this run only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secret stored under %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::RetryPanel</name>
    <message>
        <source>Active restart jobs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::SettingsDialog</name>
    <message>
        <source>SpotKeeper settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serve HTTPS (recommended beyond localhost)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM certificate chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM private key (file mode 0600)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen &amp;address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS &amp;certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent keys are generated per VM with Actions → Enroll agent; their secrets are shown once and stored only as agent key records in the store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent keys:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Listener</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (environment, Azure CLI, managed identity)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Azure CLI (az login)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service principal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Managed identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (observe only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credential &amp;source:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tenant ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Client ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client s&amp;ecret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One subscription ID per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ubscriptions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Azure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ARM calls per &amp;minute:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Concurrent &amp;starts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a UTF-8 byte order mark in CSV exports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ppearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTPS needs both a certificate and a private key file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::SummaryStrip</name>
    <message>
        <source>Show only VMs that are: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>spotkeeper::gui::TimeRangePicker</name>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time range for charts, events and the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range start (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range end (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
