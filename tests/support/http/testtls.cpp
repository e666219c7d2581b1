// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/http/testtls.h"

#include "support/common/fixtures.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace spotkeeper::testsupport {

using namespace Qt::StringLiterals;

QString tlsFile(const QString &name)
{
    return testDataPath(u"tls/"_s + name);
}

http::TlsOptions testServerTls(bool requireClientCert)
{
    http::TlsOptions tls;
    tls.certificateFile = tlsFile(u"server.pem"_s);
    tls.privateKeyFile = tlsFile(u"server.key"_s);
    if (requireClientCert)
        tls.clientCaFile = tlsFile(u"ca.pem"_s);
    return tls;
}

QSslConfiguration testClientTls(const QString &clientName)
{
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setCaCertificates(QSslCertificate::fromPath(tlsFile(u"ca.pem"_s)));
    conf.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!clientName.isEmpty()) {
        conf.setLocalCertificateChain(QSslCertificate::fromPath(tlsFile(clientName + u".pem"_s)));
        QFile keyFile(tlsFile(clientName + u".key"_s));
        if (keyFile.open(QIODevice::ReadOnly))
            conf.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem));
    }
    return conf;
}

} // namespace spotkeeper::testsupport
