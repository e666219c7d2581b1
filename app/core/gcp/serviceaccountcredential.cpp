// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/serviceaccountcredential.h"

#include "base/clock.h"

#include <QUrl>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;

ServiceAccountCredential::ServiceAccountCredential(ServiceAccountKey key, QStringList scopes,
                                                   QNetworkAccessManager *network,
                                                   const base::Clock &clock, QObject *parent)
    : GoogleTokenSource(clock, parent)
    , m_key(std::move(key))
    , m_scopes(std::move(scopes))
    , m_network(network)
{ }

void ServiceAccountCredential::requestToken(std::function<void(core::TokenResult)> done)
{
    if (answerFromCache(done))
        return;
    QString error;
    QByteArray assertion = signJwtGrant(m_key, m_scopes, m_clock.nowUtc(), 3600, &error);
    if (assertion.isEmpty()) {
        done(core::TokenResult::failure(
            u"service-account key of %1: %2"_s.arg(m_key.clientEmail, error), true));
        return;
    }
    QByteArray body = jwtGrantBody(assertion);
    assertion.fill('\0');
    postTokenForm(m_network, QUrl(m_key.tokenUri), body, m_timeoutMs,
                  [this, done = std::move(done)](int status, const QByteArray &answer,
                                                 const QString &unreachable) {
                      finish(m_key.tokenUri, status, answer, unreachable, done);
                  });
}

} // namespace spotkeeper::gcp
