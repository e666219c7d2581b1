// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/accesstokensource.h"
#include "azure/armclient.h"

#include <QByteArray>
#include <QDateTime>
#include <QStringList>

// Small helpers shared by the Azure network tests.
namespace spotkeeper::azuretest {

// A token source that mints "test-token-<generation>", valid for an hour; invalidate() moves
// to the next generation. Can be switched to fail.
class CountingTokenSource final : public core::AccessTokenSource
{
    Q_OBJECT
public:
    explicit CountingTokenSource(QObject *parent = nullptr)
        : core::AccessTokenSource(parent)
    { }
    QString sourceName() const override { return QStringLiteral("test"); }
    QString principal() const override { return QStringLiteral("test principal"); }
    void requestToken(std::function<void(core::TokenResult)> done) override;
    void invalidate() override { ++generation; }

    int requests = 0;
    int generation = 1;
    bool fail = false;
    bool fatal = false;
};

// ArmClient options for tests against a fake ARM: short polls (the recorded Retry-After of 10 s
// is honoured but capped at 20 ms) and the given budgets.
core::ArmClientOptions fastArmOptions(const QUrl &armUrl, const core::ArmBudgets &budgets = {});

QByteArray testData(const QString &name); // tests/data/azure/<name>
// The 200 body of an azure-rest-api-specs example fixture.
QByteArray specBody(const QString &fixture);

// Captures every Qt message (all categories, debug enabled) while alive.
class LogCapture
{
public:
    LogCapture();
    ~LogCapture();
    LogCapture(const LogCapture &) = delete;
    LogCapture &operator=(const LogCapture &) = delete;
    QStringList lines() const;
};

} // namespace spotkeeper::azuretest
