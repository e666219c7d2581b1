// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/accesstokensource.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

void AccessTokenSource::postTokenForm(QNetworkAccessManager *network, const QUrl &url,
                                      QByteArray &form, int timeoutMs, FormAnswer answered)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = network->post(request, form);
    form.fill('\0');
    connect(reply, &QNetworkReply::finished, this, [reply, answered = std::move(answered)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 0)
            answered(0, {}, reply->errorString());
        else
            answered(status, reply->readAll(), {});
    });
}

} // namespace spotkeeper::core
