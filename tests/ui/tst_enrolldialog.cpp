// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/agentconfig.h"
#include "ui/enrolldialog.h"

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

// The enrolment snippets (issue 14, TLS lifecycle): a server whose certificate comes from a
// private CA hands that CA out with the key, and every snippet installs it as the agent's
// ca-file; without one the snippets stay as they were. The Linux snippet is run by a real
// shell (paths moved into a temporary folder) and the agent's own configuration loader reads
// what it wrote.
class TestEnrollDialog final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void linuxSnippetGivesTheAgentTheCa();
    void cloudInitAndWindowsCarryTheCa();
    void withoutACaNothingChanges();

private:
    QByteArray m_caPem;
    gui::EnrollResult m_key;
    core::VmRecord m_vm;
};

void TestEnrollDialog::initTestCase()
{
    QFile ca(QStringLiteral(SPOTKEEPER_TEST_DATA "/tls/ca.pem"));
    QVERIFY(ca.open(QIODevice::ReadOnly));
    m_caPem = ca.readAll();
    m_key.ok = true;
    m_key.keyId = u"ak-0011223344556677"_s;
    m_key.secret = QByteArray(32, 'k');
    m_key.endpoint = u"https://spotkeeper.example.com:8443"_s;
    m_key.caCertificate = m_caPem;
    m_vm.name = u"vm-a"_s;
}

void TestEnrollDialog::linuxSnippetGivesTheAgentTheCa()
{
    const QString shell = QStandardPaths::findExecutable(u"sh"_s);
    if (shell.isEmpty())
        QSKIP("no sh");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString etc = dir.filePath(u"etc/spotkeeper-agent"_s);
    QString script = gui::EnrollDialog::snippet(gui::EnrollDialog::Snippet::Linux, m_vm, m_key);
    QVERIFY2(script.contains(u"ca-file = /etc/spotkeeper-agent/ca.pem"_s), qPrintable(script));
    script.replace(u"/etc/spotkeeper-agent"_s, etc);
    script.replace(u"systemctl enable --now spotkeeper-agent"_s, u"true"_s);
    QProcess run;
    run.start(shell, {u"-e"_s, u"-c"_s, script});
    QVERIFY(run.waitForFinished(10'000));
    QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());

    const agent::ConfigResult loaded =
        agent::loadAgentConfig({u"spotkeeper-agent"_s, u"--config"_s, etc + u"/agent.conf"_s,
                                u"--key-file"_s, etc + u"/agent.key"_s},
                               QProcessEnvironment());
    QVERIFY2(loaded.config, qPrintable(loaded.error));
    QCOMPARE(loaded.config->caFile, etc + u"/ca.pem"_s);
    QCOMPARE(loaded.config->dashboardUrl, QUrl(m_key.endpoint));
    QCOMPARE(loaded.config->credential.keyId, m_key.keyId);
    QCOMPARE(QSslCertificate::fromPath(loaded.config->caFile), QSslCertificate::fromData(m_caPem));
}

void TestEnrollDialog::cloudInitAndWindowsCarryTheCa()
{
    const QString cloudInit =
        gui::EnrollDialog::snippet(gui::EnrollDialog::Snippet::CloudInit, m_vm, m_key);
    QVERIFY2(cloudInit.contains(u"      ca-file = /etc/spotkeeper-agent/ca.pem\n"_s),
             qPrintable(cloudInit));
    QVERIFY(cloudInit.contains(u"  - path: /etc/spotkeeper-agent/ca.pem\n"_s));
    // Every line of the PEM inside the block scalar, indented like the other contents.
    for (const QByteArray &line : m_caPem.trimmed().split('\n'))
        QVERIFY2(cloudInit.contains(u"\n      "_s + QString::fromLatin1(line) + u'\n'),
                 line.constData());
    QVERIFY(cloudInit.endsWith(u"runcmd:\n  - [systemctl, enable, --now, spotkeeper-agent]\n"_s));

    const QString windows =
        gui::EnrollDialog::snippet(gui::EnrollDialog::Snippet::Windows, m_vm, m_key);
    QVERIFY2(windows.contains(u"\"$dir\\ca.pem\" @'\n"_s + QString::fromLatin1(m_caPem.trimmed())
                              + u"\n'@\n"_s),
             qPrintable(windows));
    QVERIFY(windows.contains(u"'dashboard-url = https://spotkeeper.example.com:8443', "
                             "\"ca-file = $dir\\ca.pem\"\n"_s));
}

void TestEnrollDialog::withoutACaNothingChanges()
{
    gui::EnrollResult plain = m_key;
    plain.caCertificate.clear();
    for (const auto kind :
         {gui::EnrollDialog::Snippet::Linux, gui::EnrollDialog::Snippet::CloudInit,
          gui::EnrollDialog::Snippet::Windows}) {
        const QString text = gui::EnrollDialog::snippet(kind, m_vm, plain);
        QVERIFY2(!text.contains(u"ca-file"_s) && !text.contains(u"ca.pem"_s), qPrintable(text));
        QVERIFY(text.contains(plain.endpoint));
    }
    QCOMPARE(gui::EnrollDialog::snippet(gui::EnrollDialog::Snippet::Linux, m_vm, plain),
             u"# On vm-a (Debian/Ubuntu), as root:\n"
             "install -d -m 0700 /etc/spotkeeper-agent\n"
             "printf 'dashboard-url = https://spotkeeper.example.com:8443\\n' > "
             "/etc/spotkeeper-agent/agent.conf\n"
             "umask 077; printf 'ak-0011223344556677 whsec_"_s
                 + QString::fromLatin1(plain.secret.toBase64())
                 + u"\\n' > /etc/spotkeeper-agent/agent.key\n"
                   "systemctl enable --now spotkeeper-agent\n"_s);
}

QTEST_MAIN(TestEnrollDialog)
#include "tst_enrolldialog.moc"
