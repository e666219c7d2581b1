// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gcp/googletokensource.h"

#include "gcp/gcpcredentials.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace spotkeeper::gcp {

using namespace Qt::StringLiterals;

GoogleTokenSource::GoogleTokenSource(const base::Clock &clock, QObject *parent)
    : core::AccessTokenSource(parent)
    , m_clock(clock)
{ }

bool GoogleTokenSource::answerFromCache(const std::function<void(core::TokenResult)> &done) const
{
    if (!m_cached.isValid() || m_clock.nowUtc().secsTo(m_cached.expiresOn) <= 300)
        return false;
    done(core::TokenResult::success(m_cached));
    return true;
}

void GoogleTokenSource::finish(const QString &endpoint, int status, const QByteArray &answer,
                               const QString &unreachable,
                               const std::function<void(core::TokenResult)> &done)
{
    if (status == 0) {
        done(core::TokenResult::failure(
            u"Google token endpoint %1 unreachable: %2"_s.arg(endpoint, unreachable), false));
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
