// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "aws/sigv4.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// The EC2 Query API's requests (docs/AWS-PROTOCOL.md §6): an action, the API version and
// numbered parameters (InstanceId.1, Filter.1.Name, Filter.1.Value.1, ...) sent as an
// application/x-www-form-urlencoded POST body, encoded with SigV4's URI rules.
namespace spotkeeper::core::aws {

inline constexpr QByteArrayView kEc2ApiVersion = "2016-11-15";
// The tag that marks an instance SpotKeeper may restart (issue 16).
inline constexpr QByteArrayView kAutoRestartTagKey = "spotkeeper:auto-restart";

class Ec2Query
{
public:
    explicit Ec2Query(const QByteArray &action,
                      const QByteArray &version = kEc2ApiVersion.toByteArray());

    void add(const QByteArray &name, const QByteArray &value);
    // prefix.1=values[0], prefix.2=values[1], ... (the Query API's lists count from 1)
    void addList(const QByteArray &prefix, const QList<QByteArray> &values);
    // Filter.N.Name=name, Filter.N.Value.M=values[M-1]; returns N
    int addFilter(const QByteArray &name, const QList<QByteArray> &values);

    QByteArray action() const { return m_action; }
    const BytePairList &parameters() const { return m_parameters; } // Action and Version first
    // name=value pairs joined with '&', in the order added, every name and value uriEncode()d.
    QByteArray formBody() const;
    // POST / to `host` with the form body; ready for signRequest(..., "ec2", now).
    SigV4Request toRequest(const QByteArray &host) const;

private:
    QByteArray m_action;
    BytePairList m_parameters;
    int m_filters = 0;
};

// Decodes an application/x-www-form-urlencoded body ('+' is a space, %XY a byte). A malformed
// escape fails the whole body: ok is set to false and nothing is returned.
BytePairList parseFormBody(QByteArrayView body, bool *ok = nullptr);

// The requests SpotKeeper sends. Each checks its arguments and sets *error (empty = valid).
// DescribeInstances of the instances tagged spotkeeper:auto-restart=true, one page;
// nextToken from the previous page, maxResults 5..1000 (0 = EC2's default).
Ec2Query describeAutoRestartInstances(const QByteArray &nextToken, int maxResults, QString *error);
// StartInstances of 1..1000 instance ids (i-...).
Ec2Query startInstances(const QList<QByteArray> &instanceIds, QString *error);
// DescribeSpotInstanceRequests of the given request ids (sir-...); empty = all of the account.
Ec2Query describeSpotInstanceRequests(const QList<QByteArray> &requestIds,
                                      const QByteArray &nextToken, QString *error);

struct LaunchFromTemplate
{
    QByteArray launchTemplateId; // lt-...
    QByteArray version; // "$Default", "$Latest" or a number; empty = the template's default
    QByteArray instanceType; // override; empty = the template's
    QByteArray availabilityZone; // override; empty = the template's
    BytePairList tags; // copied onto the new instance
    QByteArray clientToken; // idempotency: the same token never launches twice (<= 64 ASCII)
};
// RunInstances of one instance from a launch template (the opt-in replacement).
Ec2Query runInstanceFromTemplate(const LaunchFromTemplate &launch, QString *error);

} // namespace spotkeeper::core::aws
