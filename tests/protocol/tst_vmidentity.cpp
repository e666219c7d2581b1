// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// VmIdentity::armResourceId (IMDS compute.resourceId): what resourceId() returns when set,
// optional on the wire, and checked against the other vm fields when decoded.
#include "protocol/messagecodec.h"
#include "protocol/messages.h"

#include <QTest>

using namespace spotkeeper::protocol;
using namespace Qt::StringLiterals;

namespace {
// The real AKS node of tests/data/azure-fixtures/imds (a uniform scale set instance).
Notice uniformInstanceNotice()
{
    Notice notice;
    notice.vm.subscriptionId = u"0e073ec1-c22f-4488-adde-da35ed609ccd"_s;
    notice.vm.resourceGroup = u"MC_myname_group_myname_eastus"_s;
    notice.vm.vmName = u"aks-agentpool-12628255-vmss_2"_s;
    notice.vm.vmId = u"220e2b43-0913-492f-ada0-b6b2795bdb9b"_s;
    notice.vm.location = u"eastus"_s;
    notice.vm.vmScaleSetName = u"aks-agentpool-12628255-vmss"_s;
    notice.event.eventId = u"C1BF8322-4CBF-4FC4-9C45-B40CF3106D0E"_s;
    notice.event.eventType = EventType::Preempt;
    notice.event.eventTypeText = u"Preempt"_s;
    notice.event.eventStatus = EventStatus::Started;
    notice.event.eventSource = u"Platform"_s;
    notice.event.resourceType = u"VirtualMachine"_s;
    notice.event.resources = {u"aks-agentpool-12628255-vmss_2"_s};
    notice.documentIncarnation = 3;
    notice.agentVersion = u"0.1.0"_s;
    notice.sentAt = QDateTime(QDate(2026, 11, 26), QTime(12, 0), Qt::UTC);
    return notice;
}
} // namespace

class TestVmIdentity final : public QObject
{
    Q_OBJECT
private slots:
    void armResourceId_data();
    void armResourceId();
};

void TestVmIdentity::armResourceId_data()
{
    // IMDS compute.resourceId: optional on the wire, validated against the vm fields.
    QTest::addColumn<QString>("resourceId");
    QTest::addColumn<QString>("rule"); // empty: accepted
    const QString base = u"/subscriptions/0e073ec1-c22f-4488-adde-da35ed609ccd/resourceGroups/"
                         "MC_myname_group_myname_eastus/providers/Microsoft.Compute/"_s;
    QTest::newRow("uniform instance (real)")
        << base + u"virtualMachineScaleSets/aks-agentpool-12628255-vmss/virtualMachines/2"_s
        << QString();
    QTest::newRow("other letter case") << base.toLower()
            + u"VIRTUALMACHINESCALESETS/AKS-AGENTPOOL-12628255-VMSS/"
              "virtualmachines/2"_s << QString();
    QTest::newRow("flexible: an ordinary VM id")
        << base + u"virtualMachines/aks-agentpool-12628255-vmss_2"_s << QString();
    QTest::newRow("other subscription") << QString(base).replace(u"0e073ec1"_s, u"1e073ec1"_s)
            + u"virtualMachines/aks-agentpool-12628255-vmss_2"_s
                                        << u"names another subscription than subscriptionId"_s;
    QTest::newRow("other VM") << base + u"virtualMachines/someone-else"_s
                              << u"names another VM than vmName"_s;
    QTest::newRow("other scale set") << base + u"virtualMachineScaleSets/other/virtualMachines/2"_s
                                     << u"names another scale set than vmScaleSetName"_s;
    QTest::newRow("instance id not digits")
        << base + u"virtualMachineScaleSets/aks-agentpool-12628255-vmss/virtualMachines/x"_s
        << u"must end in a scale set instance id (digits)"_s;
    QTest::newRow("not a VM") << base + u"disks/d1"_s << u"must be a VM resource id"_s;
}

void TestVmIdentity::armResourceId()
{
    QFETCH(QString, resourceId);
    QFETCH(QString, rule);
    Notice notice = uniformInstanceNotice();
    QVERIFY(!encodeNotice(notice).contains("resourceId")); // unknown: not written at all
    QVERIFY(notice.vm.resourceId().endsWith("/virtualMachines/aks-agentpool-12628255-vmss_2"_L1));
    notice.vm.armResourceId = resourceId;
    QCOMPARE(checkArmResourceId(notice.vm).isEmpty(), rule.isEmpty());
    const auto decoded = decodeNotice(encodeNotice(notice));
    if (rule.isEmpty()) {
        QVERIFY(decoded.ok());
        QCOMPARE(*decoded.value, notice);
        QCOMPARE(decoded.value->vm.resourceId(), resourceId);
        QCOMPARE(decoded.value->vm.resourceKey(), resourceId.toLower());
    } else {
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.errors.size(), 1);
        QCOMPARE(decoded.errors.first().field, u"vm.resourceId"_s);
        QVERIFY2(decoded.errors.first().rule.startsWith(rule),
                 qPrintable(decoded.errors.first().rule));
    }
}

QTEST_GUILESS_MAIN(TestVmIdentity)
#include "tst_vmidentity.moc"
