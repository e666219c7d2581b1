// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/serviceaccountcredential.h"

#include "base/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;

ServiceAccountCredential::ServiceAccountCredential(ServiceAccountKey key, QStringList scopes,
                                                   QNetworkAccessManager *network,
                                                   const base::Clock &clock, QObject *parent)
    : core::AccessTokenSource(parent)
    , m_key(std::move(key))
    , m_scopes(std::move(scopes))
    , m_network(network)
    , m_clock(clock)
{ }

void ServiceAccountCredential::requestToken(std::function<void(core::TokenResult)> done)
{
    const QDateTime now = m_clock.nowUtc();
    if (m_cached.isValid() && now.secsTo(m_cached.expiresOn) > 300) {
        done(core::TokenResult::success(m_cached));
        return;
    }
    QString error;
    QByteArray assertion = signJwtGrant(m_key, m_scopes, now, 3600, &error);
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
                      handleTokenAnswer(status, answer, unreachable, done);
                  });
}

void ServiceAccountCredential::handleTokenAnswer(int status, const QByteArray &answer,
                                                 const QString &error,
                                                 const std::function<void(core::TokenResult)> &done)
{
    const QString endpoint = m_key.tokenUri;
    if (status == 0) {
        done(core::TokenResult::failure(
            u"Google token endpoint %1 unreachable: %2"_s.arg(endpoint, error), false));
        return;
    }
    QString problem;
    const auto token =
        status == 200 ? parseTokenResponse(answer, m_clock.nowUtc(), &problem) : std::nullopt;
    if (token) {
        m_cached = core::AccessToken {token->token, token->expiresAt, m_clock.nowUtc()};
        done(core::TokenResult::success(m_cached));
        return;
    }
    // {"error":"invalid_grant","error_description":"..."}: a code is safe to show.
    const QString code =
        QJsonDocument::fromJson(answer).object().value("error"_L1).toString().left(64);
    const bool fatal = code == "invalid_grant"_L1 || code == "unauthorized_client"_L1
        || code == "invalid_client"_L1;
    done(core::TokenResult::failure(
        u"Google token endpoint %1 answered HTTP %2%3"_s.arg(endpoint).arg(status).arg(
            code.isEmpty() ? (problem.isEmpty() ? QString() : u": "_s + problem)
                           : u" ("_s + code + u')'),
        fatal, status, code));
}

} // namespace spotkeeper::gcp
