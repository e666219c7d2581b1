// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/chainedcredential.h"

#include "azure/azureclicredential.h"
#include "azure/clientsecretcredential.h"
#include "azure/managedidentitycredential.h"
#include "base/clock.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcAzureCredential, "spotkeeper.azure.credential")

namespace spotkeeper::core {

ChainedCredential::ChainedCredential(QList<AccessTokenSource *> sources, const base::Clock &clock,
                                     QObject *parent)
    : AccessTokenSource(parent)
    , m_clock(clock)
{
    for (AccessTokenSource *source : std::as_const(sources)) {
        source->setParent(this);
        m_sources.append(source);
    }
}

ChainedCredential::~ChainedCredential()
{
    m_cached.token.fill('\0');
}

ChainedCredential *
ChainedCredential::createDefault(const AzureCloud &cloud, const QProcessEnvironment &env,
                                 QNetworkAccessManager *network, const base::Clock &clock,
                                 const CredentialOptions &options, QObject *parent)
{
    QList<AccessTokenSource *> sources;
    if (!options.excludeEnvironment)
        sources << ClientSecretCredential::fromEnvironment(env, cloud, network, clock);
    if (!options.excludeAzureCli) {
        auto *cli = new AzureCliCredential(cloud, clock);
        if (!options.azProgram.isEmpty())
            cli->setProgram(options.azProgram);
        sources << cli;
    }
    if (!options.excludeManagedIdentity) {
        auto *mi = new ManagedIdentityCredential(cloud, clock);
        if (!options.imdsEndpoint.isEmpty())
            mi->setEndpoint(options.imdsEndpoint);
        if (!options.managedIdentityClientId.isEmpty())
            mi->setClientId(options.managedIdentityClientId);
        if (!options.imdsRetryDelaysMs.isEmpty())
            mi->setRetryDelaysMs(options.imdsRetryDelaysMs);
        sources << mi;
    }
    return new ChainedCredential(sources, clock, parent);
}

QString ChainedCredential::sourceName() const
{
    return m_selected ? m_selected->sourceName() : u"none"_s;
}

QString ChainedCredential::principal() const
{
    return m_selected ? m_selected->principal() : QString();
}

QDateTime ChainedCredential::refreshAt() const
{
    if (!m_cached.isValid())
        return {};
    const qint64 lifetimeMs = m_cached.obtainedAt.msecsTo(m_cached.expiresOn);
    return m_cached.obtainedAt.addMSecs(lifetimeMs * 8 / 10);
}

void ChainedCredential::invalidate()
{
    m_cached.token.fill('\0');
    m_cached = {};
}

void ChainedCredential::requestToken(std::function<void(TokenResult)> done)
{
    if (m_cached.isValid() && m_clock.nowUtc() < refreshAt()) {
        done(TokenResult::success(m_cached));
        return;
    }
    m_waiting.append(std::move(done));
    if (m_fetching)
        return;
    m_fetching = true;
    if (m_selected) {
        m_selected->requestToken([this](TokenResult result) { finish(result); });
        return;
    }
    tryFrom(0, {});
}

void ChainedCredential::tryFrom(int index, QStringList unavailable)
{
    while (index < m_sources.size() && !m_sources.at(index))
        ++index;
    if (index >= m_sources.size()) {
        TokenResult none = TokenResult::failure(
            u"no Azure credential available: %1"_s.arg(unavailable.join("; "_L1)), true);
        finish(none);
        return;
    }
    AccessTokenSource *source = m_sources.at(index);
    source->requestToken([this, index, source, unavailable](TokenResult result) mutable {
        if (result.status == TokenResult::Status::Unavailable) {
            qCDebug(lcAzureCredential).noquote()
                << source->sourceName() << "unavailable:" << result.error;
            unavailable << result.error;
            tryFrom(index + 1, unavailable);
            return;
        }
        if (result.ok() && m_selected != source) {
            m_selected = source;
            qCInfo(lcAzureCredential).noquote()
                << "Azure credential in use:" << source->sourceName() << source->principal();
            emit sourceSelected(source->sourceName(), source->principal());
        }
        finish(result);
    });
}

void ChainedCredential::finish(const TokenResult &result)
{
    m_fetching = false;
    TokenResult delivered = result;
    if (result.ok()) {
        m_cached = result.token;
        m_lastError.clear();
    } else {
        m_lastError = result.error;
        qCWarning(lcAzureCredential).noquote() << "Azure token request failed:" << result.error;
        // An early refresh failed but the cached token is still good for a while: keep
        // using it (the next request tries again) rather than failing ARM calls now.
        if (m_cached.isValid() && m_clock.nowUtc().addSecs(60) < m_cached.expiresOn)
            delivered = TokenResult::success(m_cached);
    }
    const auto waiting = std::exchange(m_waiting, {});
    for (const auto &callback : waiting)
        callback(delivered);
}

} // namespace spotkeeper::core
