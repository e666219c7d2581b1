// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gcp/googletokensource.h"

#include <QProcessEnvironment>
#include <QUrl>

class QNetworkAccessManager;

// The last step of Application Default Credentials (docs/GCP-PROTOCOL.md §6): on Compute
// Engine the metadata server hands out tokens of the VM's attached service account,
// GET {base}/computeMetadata/v1/instance/service-accounts/default/token with the header
// `Metadata-Flavor: Google` (and never through a proxy). The base is
// http://metadata.google.internal, or http://$GCE_METADATA_HOST as Google's client libraries
// honour. An answer without the `Metadata-Flavor: Google` header is no metadata server. Until one
// has answered, "no answer" is Unavailable (spotkeeperd is not on Compute Engine); after that a
// failure to reach it is transient. A 404 means the VM has no service account: fatal.
namespace spotkeeper::gcp {

class MetadataServerCredential final : public GoogleTokenSource
{
    Q_OBJECT
public:
    // Owns its network access, with no proxy.
    MetadataServerCredential(QUrl base, const base::Clock &clock, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(MetadataServerCredential)

    // http://$GCE_METADATA_HOST when set (host or host:port), else http://metadata.google.internal.
    static QUrl baseFrom(const QProcessEnvironment &env);

    QString sourceName() const override { return QStringLiteral("gcp-metadata-server"); }
    QString principal() const override
    {
        return QStringLiteral("the VM's default service account");
    }
    void requestToken(std::function<void(core::TokenResult)> done) override;
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    QUrl tokenUrl() const;

private:
    QUrl m_base;
    QNetworkAccessManager *m_network;
    int m_timeoutMs = 10'000;
    bool m_seen = false; // a metadata server has answered once
};

} // namespace spotkeeper::gcp
