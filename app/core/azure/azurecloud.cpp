// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "azure/azurecloud.h"

using namespace Qt::StringLiterals;

namespace spotkeeper::core {

namespace {
AzureCloud make(const QString &name, const QString &authority, const QString &arm,
                const QString &audience)
{
    return AzureCloud {name, QUrl(authority), QUrl(arm), arm, audience};
}

QString checkUrl(const QString &variable, const QString &value, QUrl *out)
{
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty()
        || (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)) {
        return u"%1 is not an absolute http(s) URL: '%2'"_s.arg(variable, value);
    }
    *out = url;
    return {};
}
} // namespace

QString AzureCloud::armScope() const
{
    QString base = armResource;
    while (base.endsWith(u'/'))
        base.chop(1);
    return base + "/.default"_L1;
}

AzureCloud AzureCloud::publicCloud()
{
    return make(u"AzureCloud"_s, u"https://login.microsoftonline.com"_s,
                u"https://management.azure.com/"_s, u"https://management.core.windows.net/"_s);
}

AzureCloud AzureCloud::usGovernment()
{
    return make(u"AzureUSGovernment"_s, u"https://login.microsoftonline.us"_s,
                u"https://management.usgovcloudapi.net/"_s,
                u"https://management.core.usgovcloudapi.net/"_s);
}

AzureCloud AzureCloud::china()
{
    // The CLI table spells China's ARM endpoint without a trailing slash; keep it verbatim.
    return make(u"AzureChinaCloud"_s, u"https://login.chinacloudapi.cn"_s,
                u"https://management.chinacloudapi.cn"_s,
                u"https://management.core.chinacloudapi.cn/"_s);
}

std::optional<AzureCloud> AzureCloud::byName(QStringView name)
{
    if (name.compare(u"AzureCloud", Qt::CaseInsensitive) == 0)
        return publicCloud();
    if (name.compare(u"AzureUSGovernment", Qt::CaseInsensitive) == 0)
        return usGovernment();
    if (name.compare(u"AzureChinaCloud", Qt::CaseInsensitive) == 0)
        return china();
    return std::nullopt;
}

std::optional<AzureCloud> AzureCloud::fromImdsEnvironment(QStringView azEnvironment)
{
    const QStringView env = azEnvironment.trimmed();
    if (env.compare(u"AzurePublicCloud", Qt::CaseInsensitive) == 0)
        return publicCloud();
    if (env.compare(u"AzureUSGovernmentCloud", Qt::CaseInsensitive) == 0)
        return usGovernment();
    if (env.compare(u"AzureChinaCloud", Qt::CaseInsensitive) == 0)
        return china();
    return byName(env); // tolerate CLI names too
}

AzureCloud AzureCloud::custom(const QUrl &authorityHost, const QUrl &armUrl,
                              const QString &armResource, const QString &tokenAudience)
{
    return AzureCloud {u"Custom"_s, authorityHost, armUrl, armResource,
                       tokenAudience.isEmpty() ? armResource : tokenAudience};
}

QString applyEnvironmentOverrides(AzureCloud &cloud, const QProcessEnvironment &env)
{
    AzureCloud updated = cloud;
    const QString authority = env.value(u"AZURE_AUTHORITY_HOST"_s).trimmed();
    if (!authority.isEmpty()) {
        if (QString error = checkUrl(u"AZURE_AUTHORITY_HOST"_s, authority, &updated.authorityHost);
            !error.isEmpty())
            return error;
    }
    const QString arm = env.value(u"SPOTKEEPER_ARM_URL"_s).trimmed();
    if (!arm.isEmpty()) {
        if (QString error = checkUrl(u"SPOTKEEPER_ARM_URL"_s, arm, &updated.armUrl);
            !error.isEmpty())
            return error;
    }
    cloud = updated;
    return {};
}

} // namespace spotkeeper::core
