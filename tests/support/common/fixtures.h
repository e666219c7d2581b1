// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// Locating test fixtures from any test executable linking spotkeeper_testsupport.
namespace spotkeeper::testsupport {

// Absolute path of tests/data/azure-fixtures/<relativePath>, e.g. "imds/x.json" (payloads
// recorded or documented by Microsoft and others; the folder's README.md says where from).
QString fixturePath(const QString &relativePath);
// Contents of that fixture; empty and a qWarning naming the path if unreadable.
QByteArray fixture(const QString &relativePath);
// Absolute path of SPOTKEEPER_TEST_DATA/<relativePath> (tests/data in the source tree).
QString testDataPath(const QString &relativePath);

} // namespace spotkeeper::testsupport
