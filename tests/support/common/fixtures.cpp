// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/common/fixtures.h"

#include <QFile>
#include <QtDebug>

namespace spotkeeper::testsupport {

QString fixturePath(const QString &relativePath)
{
    return testDataPath(QStringLiteral("azure-fixtures/") + relativePath);
}

QByteArray fixture(const QString &relativePath)
{
    const QString path = fixturePath(relativePath);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        qWarning().noquote() << "fixture not readable:" << path << f.errorString();
        return {};
    }
    return f.readAll();
}

QString testDataPath(const QString &relativePath)
{
    return QStringLiteral(SPOTKEEPER_TEST_DATA "/") + relativePath;
}

} // namespace spotkeeper::testsupport
