// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agentcore/httpexchange.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

// Thin transport for the Compute Engine metadata server (docs/GCP-PROTOCOL.md §1):
// GET <base>/computeMetadata/v1/<key> with "Metadata-Flavor: Google", never through a
// proxy, no redirects, a per-call timeout. An answer counts only when it carries the
// "Metadata-Flavor: Google" header too: anything else (a captive portal, a proxy, Azure's
// IMDS on the same address) is refused, whatever its status. Parsing lives in gcemetadata.h.
namespace spotkeeper::agent {

struct GceReply : MetadataReply
{
    QByteArray etag; // the ETag header, for wait_for_change's last_etag
    bool fromMetadataServer = false; // the answer carried Metadata-Flavor: Google
};

class GceMetadataClient final : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const GceReply &)>;

    explicit GceMetadataClient(QUrl baseUrl, QObject *parent = nullptr);
    ~GceMetadataClient() override = default;
    Q_DISABLE_COPY_MOVE(GceMetadataClient)

    // key relative to /computeMetadata/v1/, e.g. "instance/preempted".
    void get(const QString &key, const QUrlQuery &query, int timeoutMs, Callback done);

    int requestsSent() const { return m_requestsSent; }
    const QUrl &baseUrl() const { return m_base; }

    // "host[:port]" as GCE_METADATA_HOST holds it -> "http://host[:port]"; invalid if malformed.
    static QUrl urlFromHostVariable(const QString &hostAndPort);

private:
    QUrl m_base;
    int m_requestsSent = 0;
};

} // namespace spotkeeper::agent
