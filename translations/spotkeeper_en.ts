<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>FleetActions</name>
    <message numerus="yes">
        <source>Force a restart of %n VM(s) now? Backoff is skipped; ARM budgets still apply.</source>
        <translation><numerusform>Force a restart of %n VM now? Backoff is skipped; ARM budgets still apply.</numerusform><numerusform>Force a restart of %n VMs now? Backoff is skipped; ARM budgets still apply.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Pause auto-restart for %n VM(s)?</source>
        <translation><numerusform>Pause auto-restart for %n VM?</numerusform><numerusform>Pause auto-restart for %n VMs?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Resume auto-restart for %n VM(s)?</source>
        <translation><numerusform>Resume auto-restart for %n VM?</numerusform><numerusform>Resume auto-restart for %n VMs?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Cancel the restart job of %n VM(s)?</source>
        <translation><numerusform>Cancel the restart job of %n VM?</numerusform><numerusform>Cancel the restart job of %n VMs?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n VM(s) done</source>
        <translation><numerusform>%1: %n VM done</numerusform><numerusform>%1: %n VMs done</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation><numerusform>%n failed</numerusform><numerusform>%n failed</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Deallocate %n VM(s) and keep them stopped? SpotKeeper will not restart them until you start them again.</source>
        <translation><numerusform>Deallocate %n VM and keep them stopped? SpotKeeper will not restart them until you start them again.</numerusform><numerusform>Deallocate %n VMs and keep them stopped? SpotKeeper will not restart them until you start them again.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Start %n VM(s) and restart them again after evictions?</source>
        <translation><numerusform>Start %n VM and restart them again after evictions?</numerusform><numerusform>Start %n VMs and restart them again after evictions?</numerusform></translation>
    </message>
    </context>
<context>
    <name>FleetStatus</name>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation><numerusform>%n minute ago</numerusform><numerusform>%n minutes ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation><numerusform>%n hour ago</numerusform><numerusform>%n hours ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation><numerusform>%n day ago</numerusform><numerusform>%n days ago</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>in %n second(s)</source>
        <translation><numerusform>in %n second</numerusform><numerusform>in %n seconds</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation><numerusform>in %n minute</numerusform><numerusform>in %n minutes</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>in %n hour(s)</source>
        <translation><numerusform>in %n hour</numerusform><numerusform>in %n hours</numerusform></translation>
    </message>
    </context>
<context>
    <name>Notification</name>
    <message numerus="yes">
        <source>%n VM(s) evicted in %1</source>
        <translation><numerusform>%n VM evicted in %1</numerusform><numerusform>%n VMs evicted in %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) recovered in %1</source>
        <translation><numerusform>%n VM recovered in %1</numerusform><numerusform>%n VMs recovered in %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) still down in %1</source>
        <translation><numerusform>%n VM still down in %1</numerusform><numerusform>%n VMs still down in %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation><numerusform>and %n more</numerusform><numerusform>and %n more</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n running VM(s) with a silent agent in %1</source>
        <translation><numerusform>%n running VM with a silent agent in %1</numerusform><numerusform>%n running VMs with a silent agent in %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n running VM(s) with an unhealthy application in %1</source>
        <translation><numerusform>%n running VM with an unhealthy application in %1</numerusform><numerusform>%n running VMs with an unhealthy application in %1</numerusform></translation>
    </message>
    </context>
<context>
    <name>spotkeeper::gui::CostPanel</name>
    <message numerus="yes">
        <source>Saved %1 %2 (Spot %3, pay-as-you-go %4); %5 h lost to %n eviction(s), worth %6 %2</source>
        <translation><numerusform>Saved %1 %2 (Spot %3, pay-as-you-go %4); %5 h lost to %n eviction, worth %6 %2</numerusform><numerusform>Saved %1 %2 (Spot %3, pay-as-you-go %4); %5 h lost to %n evictions, worth %6 %2</numerusform></translation>
    </message>
    </context>
<context>
    <name>spotkeeper::gui::MainWindow</name>
    <message numerus="yes">
        <source>ARM budget: %n call(s) left</source>
        <translation><numerusform>ARM budget: %n call left</numerusform><numerusform>ARM budget: %n calls left</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Found %n Spot VM(s). Add them all to the fleet?</source>
        <translation><numerusform>Found %n Spot VM. Add them all to the fleet?</numerusform><numerusform>Found %n Spot VMs. Add them all to the fleet?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Found %n Spot VM(s).</source>
        <translation><numerusform>Found %n Spot VM.</numerusform><numerusform>Found %n Spot VMs.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n VM(s) added.</source>
        <translation><numerusform>%n VM added.</numerusform><numerusform>%n VMs added.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n row(s) to %1</source>
        <translation><numerusform>Exported %n row to %1</numerusform><numerusform>Exported %n rows to %1</numerusform></translation>
    </message>
    </context>
</TS>