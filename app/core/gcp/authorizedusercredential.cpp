// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/authorizedusercredential.h"

#include <QUrl>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;

AuthorizedUserCredential::AuthorizedUserCredential(AuthorizedUser user,
                                                   QNetworkAccessManager *network,
                                                   const base::Clock &clock, QObject *parent)
    : GoogleTokenSource(clock, parent)
    , m_user(std::move(user))
    , m_network(network)
{ }

QString AuthorizedUserCredential::principal() const
{
    // The OAuth client is no secret; the user is only known to Google.
    return u"gcloud user credentials (client %1)"_s.arg(m_user.clientId.left(80));
}

void AuthorizedUserCredential::requestToken(std::function<void(core::TokenResult)> done)
{
    if (answerFromCache(done))
        return;
    QByteArray body = refreshTokenBody(m_user);
    postTokenForm(m_network, QUrl(m_user.tokenUri), body, m_timeoutMs,
                  [this, done = std::move(done)](int status, const QByteArray &answer,
                                                 const QString &unreachable) {
                      finish(m_user.tokenUri, status, answer, unreachable, done);
                  });
}

} // namespace spotkeeper::gcp
