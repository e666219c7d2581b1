// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "azure/accesstokensource.h"
#include "azure/azurecloud.h"
#include "base/clock.h"

namespace spotkeeper::core {

// Runs `az account get-access-token --resource {audience} --output json` (AZURE-PROTOCOL.md §3.3),
// so an operator who ran `az login` needs no secret. The program is configurable (tests put a fake
// `az` first on PATH or pass its path). Unavailable when az is missing or not logged in.
class AzureCliCredential final : public AccessTokenSource
{
    Q_OBJECT
public:
    AzureCliCredential(AzureCloud cloud, const base::Clock &clock, QObject *parent = nullptr);
    ~AzureCliCredential() override;
    Q_DISABLE_COPY_MOVE(AzureCliCredential)

    void setProgram(const QString &program) { m_program = program; } // default "az"
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setTenant(const QString &tenant) { m_tenant = tenant; } // optional --tenant

    QString sourceName() const override;
    QString principal() const override;
    void requestToken(std::function<void(TokenResult)> done) override;

private:
    AzureCloud m_cloud;
    const base::Clock &m_clock;
    QString m_program;
    QString m_tenant;
    QString m_principal;
    int m_timeoutMs = 60'000;
};

} // namespace spotkeeper::core
