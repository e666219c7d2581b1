// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/enrolldialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace spotkeeper::gui {

QString EnrollDialog::snippet(Snippet kind, const core::VmRecord &vm, const EnrollResult &key)
{
    // Matches the agent's files: agent.conf holds settings, agent.key the one line
    // "<keyId> whsec_<base64>" (mode 0600); the secret never goes on a command line. A server
    // certificate from a private CA (`spotkeeperd tls init`) comes with that CA: it becomes the
    // agent's ca-file (added to the system CAs), so the agent verifies the server at once.
    const QString endpoint =
        key.endpoint.isEmpty() ? QStringLiteral("https://<dashboard-host>:8443") : key.endpoint;
    const QString keyLine =
        key.keyId + QStringLiteral(" whsec_") + QString::fromLatin1(key.secret.toBase64());
    const QString ca = QString::fromLatin1(key.caCertificate).trimmed();
    switch (kind) {
    case Snippet::Linux: {
        QString conf = QStringLiteral("dashboard-url = %1\\n").arg(endpoint);
        QString caStep;
        if (!ca.isEmpty()) {
            conf += QStringLiteral("ca-file = /etc/spotkeeper-agent/ca.pem\\n");
            caStep =
                QStringLiteral("cat > /etc/spotkeeper-agent/ca.pem <<'EOF'\n%1\nEOF\n").arg(ca);
        }
        return QStringLiteral("# On %1 (Debian/Ubuntu), as root:\n"
                              "install -d -m 0700 /etc/spotkeeper-agent\n"
                              "%4"
                              "printf '%2' > /etc/spotkeeper-agent/agent.conf\n"
                              "umask 077; printf '%3\\n' > /etc/spotkeeper-agent/agent.key\n"
                              "systemctl enable --now spotkeeper-agent\n")
            .arg(vm.name, conf, keyLine, caStep);
    }
    case Snippet::CloudInit: {
        QString caConf;
        QString caFile;
        if (!ca.isEmpty()) {
            caConf = QStringLiteral("      ca-file = /etc/spotkeeper-agent/ca.pem\n");
            caFile = QStringLiteral("  - path: /etc/spotkeeper-agent/ca.pem\n"
                                    "    permissions: '0644'\n"
                                    "    content: |\n      ")
                + QString(ca).replace(QLatin1Char('\n'), QStringLiteral("\n      "))
                + QLatin1Char('\n');
        }
        return QStringLiteral("#cloud-config\n"
                              "write_files:\n"
                              "  - path: /etc/spotkeeper-agent/agent.conf\n"
                              "    permissions: '0644'\n"
                              "    content: |\n"
                              "      dashboard-url = %1\n"
                              "%3"
                              "  - path: /etc/spotkeeper-agent/agent.key\n"
                              "    permissions: '0600'\n"
                              "    content: |\n"
                              "      %2\n"
                              "%4"
                              "runcmd:\n"
                              "  - [systemctl, enable, --now, spotkeeper-agent]\n")
            .arg(endpoint, keyLine, caConf, caFile);
    }
    case Snippet::Windows: {
        QString caStep;
        QString caConf;
        if (!ca.isEmpty()) {
            caStep =
                QStringLiteral("Set-Content -Encoding ASCII \"$dir\\ca.pem\" @'\n%1\n'@\n").arg(ca);
            caConf = QStringLiteral(", \"ca-file = $dir\\ca.pem\"");
        }
        return QStringLiteral("# On %1, in an elevated PowerShell:\n"
                              "$dir = \"$env:ProgramData\\SpotKeeper\"\n"
                              "New-Item -ItemType Directory -Force $dir | Out-Null\n"
                              "%4"
                              "Set-Content -Encoding ASCII \"$dir\\agent.conf\" "
                              "'dashboard-url = %2'%5\n"
                              "Set-Content -Encoding ASCII \"$dir\\agent.key\" '%3'\n"
                              "icacls \"$dir\\agent.key\" /inheritance:r /grant:r SYSTEM:F "
                              "Administrators:F\n"
                              "Start-Service spotkeeper-agent\n")
            .arg(vm.name, endpoint, keyLine, caStep, caConf);
    }
    }
    return {};
}

EnrollDialog::EnrollDialog(const core::VmRecord &vm, const EnrollResult &key, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Enroll an agent on %1").arg(vm.name));
    auto *intro = new QLabel(tr("A new agent key <b>%1</b> was generated for %2. The secret is "
                                "shown only now: copy a snippet and run it on the VM.")
                                 .arg(key.keyId.toHtmlEscaped(), vm.name.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    auto *tabs = new QTabWidget(this);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const QList<QPair<Snippet, QString>> kinds = {{Snippet::Linux, tr("Linux (systemd)")},
                                                  {Snippet::CloudInit, tr("cloud-init")},
                                                  {Snippet::Windows, tr("Windows")}};
    for (const auto &[kind, title] : kinds) {
        auto *text = new QPlainTextEdit(snippet(kind, vm, key), tabs);
        text->setReadOnly(true);
        text->setFont(mono);
        text->setAccessibleName(tr("%1 install snippet").arg(title));
        tabs->addTab(text, title);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("&Copy snippet"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [tabs] {
        if (auto *text = qobject_cast<QPlainTextEdit *>(tabs->currentWidget()))
            QApplication::clipboard()->setText(text->toPlainText());
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(720, 420);
}

EnrollDialog::~EnrollDialog() = default;

} // namespace spotkeeper::gui
