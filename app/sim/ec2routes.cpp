// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: the AWS account of the simulated AWS instances under /aws/ (docs/AWS-PROTOCOL.md
// §6, docs/SIMULATOR.md), one endpoint for the three services as AWS_ENDPOINT_URL gives it:
//   EC2's Query API          DescribeInstances (InstanceId.N, tag filter, MaxResults/NextToken),
//                            StartInstances, StopInstances, DescribeSpotInstanceRequests,
//                            RunInstances (from the launch template of an instance, ClientToken)
//   CloudTrail               LookupEvents (X-Amz-Target), ResourceName = an instance id
//   STS                      AssumeRoleWithWebIdentity (unsigned): temporary keys
// Every EC2 and CloudTrail request must carry a SigV4 signature of the accepted keys (the
// configured ones, or temporary keys STS issued), checked with the signer SpotKeeper uses.
// Each API kind has a token bucket like EC2's (RequestLimitExceeded when empty), and the
// control route throttleStorm throttles every request; a request sooner than awsMinBackoffMs
// after a throttled one of its service counts as requestsBeforeBackoff. Only EC2 restarts an
// interrupted instance of a persistent request: StartInstances on one is refused.
#include "aws/ec2query.h"
#include "aws/sigv4.h"
#include "base/clock.h"
#include "fleet/ratebudget.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

using core::aws::BytePairList;

QByteArray xmlEscape(const QString &text)
{
    return text.toHtmlEscaped().toUtf8();
}

http::Response ec2Error(int status, const QString &code, const QString &message)
{
    return http::Response::text(
        status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>"
            + xmlEscape(code) + "</Code><Message>" + xmlEscape(message)
            + "</Message></Error></Errors><RequestID>sim-request</RequestID></Response>");
}

http::Response ec2Answer(const QByteArray &root, const QByteArray &inner)
{
    return http::Response::text(200,
                                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root
                                    + " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                                      "<requestId>sim-request</requestId>"
                                    + inner + "</" + root + '>');
}

QByteArray formValue(const BytePairList &form, const QByteArray &name)
{
    for (const auto &[key, value] : form) {
        if (key == name)
            return value;
    }
    return {};
}

// prefix.1, prefix.2, ... in order.
QList<QByteArray> formList(const BytePairList &form, const QByteArray &prefix)
{
    QList<QByteArray> values;
    for (int i = 1;; ++i) {
        const QByteArray value = formValue(form, prefix + '.' + QByteArray::number(i));
        if (value.isEmpty())
            return values;
        values.append(value);
    }
}

struct StateCode
{
    int code;
    QByteArray name;
};

StateCode ec2State(const SimVm &vm)
{
    switch (vm.power) {
    case Power::Running:
        return {16, "running"};
    case Power::Starting:
        return {0, "pending"};
    case Power::Deallocating:
    case Power::Stopping:
        return {64, "stopping"};
    case Power::Deallocated:
    case Power::Stopped:
        return {80, "stopped"};
    case Power::Deleting:
        return {32, "shutting-down"};
    case Power::Deleted:
        break;
    }
    return {48, "terminated"};
}

QByteArray tagSet(const QMap<QString, QString> &tags)
{
    QByteArray xml = "<tagSet>";
    for (auto it = tags.cbegin(); it != tags.cend(); ++it)
        xml += "<item><key>" + xmlEscape(it.key()) + "</key><value>" + xmlEscape(it.value())
            + "</value></item>";
    return xml + "</tagSet>";
}

QByteArray instanceXml(const SimVm &vm)
{
    const StateCode state = ec2State(vm);
    QMap<QString, QString> tags = vm.tags;
    if (vm.name != vm.vmId) // the simulator names an instance by its Name tag, else by its id
        tags.insert(u"Name"_s, vm.name);
    if (!vm.awsLaunchTemplate.isEmpty()) {
        tags.insert(u"aws:ec2launchtemplate:id"_s, vm.awsLaunchTemplate);
        tags.insert(u"aws:ec2launchtemplate:version"_s, u"1"_s);
    }
    QByteArray xml = "<item><instanceId>" + vm.vmId.toLatin1() + "</instanceId><instanceType>"
        + xmlEscape(vm.size) + "</instanceType><instanceState><code>"
        + QByteArray::number(state.code) + "</code><name>" + state.name
        + "</name></instanceState><placement><availabilityZone>" + xmlEscape(vm.zone)
        + "</availabilityZone></placement>";
    if (!vm.awsStateReason.isEmpty())
        xml += "<stateReason><code>" + xmlEscape(vm.awsStateReason) + "</code><message>"
            + xmlEscape(vm.awsStateReason) + ": simulated</message></stateReason>";
    if (!vm.awsSpotRequestId.isEmpty())
        xml += "<instanceLifecycle>spot</instanceLifecycle><spotInstanceRequestId>"
            + vm.awsSpotRequestId.toLatin1() + "</spotInstanceRequestId>";
    return xml + tagSet(tags) + "</item>";
}

// The Spot request of an instance, as EC2 reports it in its state.
QByteArray spotRequestXml(const SimVm &vm)
{
    const bool interrupted = vm.awsStateReason.startsWith("Server.Spot"_L1);
    const bool persistent = vm.awsRequestType == "persistent"_L1;
    QByteArray state = "active";
    QByteArray status = "fulfilled";
    if (vm.power == Power::Deleted || vm.power == Power::Deleting) {
        state = persistent ? "open" : "closed";
        status = interrupted ? "instance-terminated-no-capacity" : "instance-terminated-by-user";
    } else if (vm.power == Power::Deallocated || vm.power == Power::Deallocating) {
        state = "disabled";
        status = interrupted ? "instance-stopped-no-capacity" : "instance-stopped-by-user";
    }
    return "<item><spotInstanceRequestId>" + vm.awsSpotRequestId.toLatin1()
        + "</spotInstanceRequestId><type>" + vm.awsRequestType.toLatin1() + "</type><state>" + state
        + "</state><status><code>" + status + "</code></status><instanceInterruptionBehavior>"
        + vm.awsInterruptionBehavior.toLatin1() + "</instanceInterruptionBehavior><instanceId>"
        + vm.vmId.toLatin1() + "</instanceId><launchedAvailabilityZone>" + xmlEscape(vm.zone)
        + "</launchedAvailabilityZone></item>";
}

// The simulated bucket of an API call (docs/AWS-PROTOCOL.md §6.3).
QString bucketKind(bool cloudTrail, const QByteArray &action)
{
    if (cloudTrail)
        return u"cloudtrail"_s;
    if (action.startsWith("Describe"))
        return u"describe"_s;
    return action == "RunInstances" ? u"run"_s : u"mutate"_s;
}

int awsVmIndex(const FleetModel &model, const QByteArray &instanceId)
{
    for (int i = 0; i < model.vmCount(); ++i) {
        if (model.vm(i).isAws() && model.vm(i).vmId == QLatin1StringView(instanceId))
            return i;
    }
    return -1;
}

http::Response unknownInstance(const QByteArray &id)
{
    return ec2Error(400, u"InvalidInstanceID.NotFound"_s,
                    u"The instance ID '%1' does not exist"_s.arg(QString::fromUtf8(id)));
}

// One CloudTrail event of an instance's activity record, as LookupEvents lists it.
QJsonObject trailEvent(const ActivityEntry &entry, qint64 wallMs)
{
    const bool service = entry.caller.endsWith(".amazonaws.com"_L1);
    const QJsonObject identity = service
        ? QJsonObject {{u"type"_s, u"AWSService"_s}, {u"invokedBy"_s, entry.caller}}
        : QJsonObject {{u"type"_s, u"IAMUser"_s}, {u"arn"_s, entry.caller}};
    const QJsonObject record {{u"eventName"_s, entry.operationName},
                              {u"eventType"_s, service ? u"AwsServiceEvent"_s : u"AwsApiCall"_s},
                              {u"userIdentity"_s, identity}};
    return QJsonObject {{u"EventId"_s, entry.operationId},
                        {u"EventName"_s, entry.operationName},
                        {u"EventTime"_s, double(wallMs) / 1000.0},
                        {u"EventSource"_s, u"ec2.amazonaws.com"_s},
                        {u"CloudTrailEvent"_s,
                         QString::fromUtf8(QJsonDocument(record).toJson(QJsonDocument::Compact))}};
}

} // namespace

void SimServer::handleAws(const http::Request &request, const ResponderPtr &responder)
{
    const auto answer = [&](const http::Response &response) {
        reply(request, responder, response, u"aws"_s);
    };
    if (request.method != "POST")
        return answer(ec2Error(405, u"InvalidAction"_s, u"the AWS APIs take POST"_s));
    const QByteArray target = request.header("X-Amz-Target");
    const bool cloudTrail = !target.isEmpty();
    bool formOk = true;
    const BytePairList form =
        cloudTrail ? BytePairList {} : core::aws::parseFormBody(request.body, &formOk);
    if (!formOk)
        return answer(ec2Error(400, u"MalformedQueryString"_s, u"the form does not decode"_s));
    const QByteArray action =
        cloudTrail ? target.mid(target.lastIndexOf('.') + 1) : formValue(form, "Action");
    if (action == "AssumeRoleWithWebIdentity")
        return answer(stsAssume(form));
    if (const QString problem = awsSignatureProblem(request); !problem.isEmpty()) {
        ++m_awsRefused;
        return answer(!cloudTrail
                          ? ec2Error(401, u"AuthFailure"_s, problem)
                          : http::Response::json(
                              403,
                              QJsonDocument(QJsonObject {{u"__type"_s, u"AccessDeniedException"_s},
                                                         {u"message"_s, problem}})
                                  .toJson(QJsonDocument::Compact)));
    }
    if (awsThrottles(bucketKind(cloudTrail, action), cloudTrail ? u"cloudtrail"_s : u"ec2"_s)) {
        ++m_awsThrottled;
        return answer(cloudTrail
                          ? http::Response::json(
                              400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})")
                          : ec2Error(503, u"RequestLimitExceeded"_s, u"Request limit exceeded."_s));
    }
    if (!cloudTrail)
        return answer(ec2Action(action, form));
    if (action != "LookupEvents")
        return answer(http::Response::json(
            400, R"({"__type":"UnknownOperationException","message":"not simulated"})"));
    return answer(cloudTrailLookup(request));
}

QString SimServer::awsSignatureProblem(const http::Request &request) const
{
    core::aws::SigV4Request received;
    received.method = request.method;
    received.path = request.path;
    received.headers = request.headers;
    received.body = request.body;
    return core::aws::verifySignature(
               received,
               [this](const QString &keyId) -> std::optional<core::aws::AwsCredentials> {
                   if (keyId == m_options.awsAccessKeyId)
                       return core::aws::AwsCredentials {
                           m_options.awsAccessKeyId, m_options.awsSecretAccessKey, {}};
                   if (m_awsKeys.contains(keyId))
                       return m_awsKeys.value(keyId);
                   return std::nullopt;
               })
        .error;
}

bool SimServer::awsThrottles(const QString &kind, const QString &service)
{
    // EC2's buckets (docs/AWS-PROTOCOL.md §6.3): describes, mutating calls, RunInstances, and
    // CloudTrail's own; or a throttle storm from the control API.
    const qint64 nowMs = m_wall.nowMSecs();
    auto bucket = m_awsBuckets.find(kind);
    if (bucket == m_awsBuckets.end()) {
        const core::BudgetConfig config = kind == "describe"_L1 ? m_options.awsDescribeBudget
            : kind == "run"_L1                                  ? m_options.awsRunBudget
            : kind == "cloudtrail"_L1                           ? m_options.awsCloudTrailBudget
                                                                : m_options.awsMutateBudget;
        bucket = m_awsBuckets.insert(kind, core::RateBudget(config));
    }
    // A client that got RequestLimitExceeded must back off (EC2 sends no Retry-After; AWS
    // recommends exponential backoff): a request of the same service before awsMinBackoffMs
    // is throttled again without moving the gate, and counted unless it was already in flight.
    AwsGate &gate = m_awsGates[service];
    if (nowMs < gate.untilWallMs) {
        if (nowMs >= gate.raisedWallMs + kAwsInFlightMs)
            ++m_awsRequestsBeforeBackoff;
        return true;
    }
    if (nowMs < m_awsStormUntilWallMs || !bucket->tryTake(nowMs)) {
        gate = AwsGate {nowMs, nowMs + m_options.awsMinBackoffMs};
        return true;
    }
    return false;
}

http::Response SimServer::stsAssume(const core::aws::BytePairList &form)
{
    const QByteArray roleArn = formValue(form, "RoleArn");
    const QByteArray token = formValue(form, "WebIdentityToken");
    if (!roleArn.startsWith("arn:aws:iam::") || token.isEmpty())
        return http::Response::text(
            400,
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
            "<Message>a role ARN and a web identity token are needed</Message></Error>"
            "<RequestId>sim</RequestId></ErrorResponse>");
    ++m_awsStsIssued;
    core::aws::AwsCredentials keys;
    keys.accessKeyId = u"ASIASIM%1"_s.arg(m_awsStsIssued, 8, 10, QChar(u'0'));
    keys.secretAccessKey = u"sim-sts-secret-%1"_s.arg(m_rng.generate64(), 0, 16);
    keys.sessionToken = u"sim-session-%1"_s.arg(m_rng.generate64(), 0, 16);
    m_awsKeys.insert(keys.accessKeyId, keys);
    const QDateTime expiry = m_wall.nowUtc().addSecs(3600);
    return http::Response::text(
        200,
        "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        "<AssumeRoleWithWebIdentityResult><AssumedRoleUser><Arn>"
            + xmlEscape(QString::fromUtf8(roleArn))
            + "</Arn></AssumedRoleUser><Credentials><SessionToken>" + keys.sessionToken.toLatin1()
            + "</SessionToken><SecretAccessKey>" + keys.secretAccessKey.toLatin1()
            + "</SecretAccessKey><Expiration>" + expiry.toString(Qt::ISODate).toLatin1()
            + "</Expiration><AccessKeyId>" + keys.accessKeyId.toLatin1()
            + "</AccessKeyId></Credentials></AssumeRoleWithWebIdentityResult>"
              "</AssumeRoleWithWebIdentityResponse>");
}

http::Response SimServer::ec2Action(const QByteArray &action, const core::aws::BytePairList &form)
{
    if (action == "DescribeInstances")
        return ec2DescribeInstances(form);
    if (action == "StartInstances" || action == "StopInstances")
        return ec2StartOrStop(action == "StartInstances", form);
    if (action == "DescribeSpotInstanceRequests")
        return ec2DescribeSpotRequests(form);
    if (action == "RunInstances")
        return runInstances(form);
    return ec2Error(400, u"InvalidAction"_s,
                    u"The action %1 is not simulated"_s.arg(QString::fromUtf8(action)));
}

http::Response SimServer::ec2DescribeInstances(const core::aws::BytePairList &form)
{
    const QList<QByteArray> ids = formList(form, "InstanceId");
    QList<int> matches;
    for (const QByteArray &id : ids) {
        const int index = awsVmIndex(m_model, id);
        if (index < 0)
            return unknownInstance(id);
        matches.append(index);
    }
    const QByteArray filter = formValue(form, "Filter.1.Name");
    const QByteArray wanted = formValue(form, "Filter.1.Value.1");
    for (int i = 0; ids.isEmpty() && i < m_model.vmCount(); ++i) {
        const SimVm &vm = m_model.vm(i);
        if (vm.isAws()
            && (!filter.startsWith("tag:")
                || vm.tags.value(QString::fromUtf8(filter.mid(4))) == QLatin1StringView(wanted)))
            matches.append(i);
    }
    const int maxResults = formValue(form, "MaxResults").toInt();
    const int pageSize =
        std::max(5, maxResults > 0 ? std::min(maxResults, m_options.pageSize) : m_options.pageSize);
    const int offset = formValue(form, "NextToken").toInt();
    QByteArray inner = "<reservationSet>";
    for (int i = offset; i < std::min<int>(offset + pageSize, int(matches.size())); ++i) {
        const SimVm &vm = m_model.vm(matches.at(i));
        inner += "<item><reservationId>r-" + vm.vmId.mid(2).toLatin1() + "</reservationId><ownerId>"
            + vm.awsAccount.toLatin1() + "</ownerId><instancesSet>" + instanceXml(vm)
            + "</instancesSet></item>";
    }
    inner += "</reservationSet>";
    if (offset + pageSize < matches.size())
        inner += "<nextToken>" + QByteArray::number(offset + pageSize) + "</nextToken>";
    ++m_awsDescribes;
    return ec2Answer("DescribeInstancesResponse", inner);
}

http::Response SimServer::ec2StartOrStop(bool start, const core::aws::BytePairList &form)
{
    QByteArray items;
    for (const QByteArray &id : formList(form, "InstanceId")) {
        const int index = awsVmIndex(m_model, id);
        if (index < 0)
            return unknownInstance(id);
        const StateCode before = ec2State(m_model.vm(index));
        if (std::optional<http::Response> refused =
                start ? ec2StartOne(index) : ec2StopOne(index)) {
            return *refused;
        }
        const StateCode after = ec2State(m_model.vm(index));
        items += "<item><instanceId>" + id + "</instanceId><currentState><code>"
            + QByteArray::number(after.code) + "</code><name>" + after.name
            + "</name></currentState><previousState><code>" + QByteArray::number(before.code)
            + "</code><name>" + before.name + "</name></previousState></item>";
    }
    return ec2Answer(start ? "StartInstancesResponse" : "StopInstancesResponse",
                     "<instancesSet>" + items + "</instancesSet>");
}

std::optional<http::Response> SimServer::ec2StartOne(int index)
{
    const SimVm &vm = m_model.vm(index);
    if (vm.power == Power::Deleted) {
        ++m_awsStartsRefused;
        return ec2Error(
            400, u"IncorrectInstanceState"_s,
            u"The instance '%1' is not in a state from which it can be started."_s.arg(vm.vmId));
    }
    if (FleetModel::ec2RestartsIt(vm)) {
        ++m_awsStartsRefused;
        return ec2Error(400, u"UnsupportedOperation"_s,
                        u"Only Amazon EC2 can restart an interrupted Spot Instance (simulated)"_s);
    }
    const StartOutcome outcome = m_model.start(index, m_wall.nowMSecs());
    if (outcome.httpStatus >= 400) {
        const bool capacity = outcome.errorCode.contains("Allocation"_L1);
        return ec2Error(capacity ? 500 : 400,
                        capacity ? u"InsufficientInstanceCapacity"_s : u"IncorrectInstanceState"_s,
                        outcome.errorMessage);
    }
    ++m_awsStarts;
    return std::nullopt;
}

std::optional<http::Response> SimServer::ec2StopOne(int index)
{
    const SimVm &vm = m_model.vm(index);
    if (m_model.deallocate(index, u"arn:aws:iam::%1:user/sim-operator"_s.arg(vm.awsAccount)))
        return std::nullopt;
    return ec2Error(400, u"IncorrectInstanceState"_s,
                    u"The instance '%1' is not running"_s.arg(vm.vmId));
}

http::Response SimServer::ec2DescribeSpotRequests(const core::aws::BytePairList &form)
{
    const QList<QByteArray> ids = formList(form, "SpotInstanceRequestId");
    QByteArray items;
    for (int i = 0; i < m_model.vmCount(); ++i) {
        const SimVm &vm = m_model.vm(i);
        if (vm.isAws() && !vm.awsSpotRequestId.isEmpty()
            && (ids.isEmpty() || ids.contains(vm.awsSpotRequestId.toLatin1())))
            items += spotRequestXml(vm);
    }
    if (items.isEmpty() && !ids.isEmpty())
        return ec2Error(400, u"InvalidSpotInstanceRequestID.NotFound"_s,
                        u"The spot instance request ID does not exist"_s);
    return ec2Answer("DescribeSpotInstanceRequestsResponse",
                     "<spotInstanceRequestSet>" + items + "</spotInstanceRequestSet>");
}

http::Response SimServer::runInstances(const core::aws::BytePairList &form)
{
    const QString templateId =
        QString::fromUtf8(formValue(form, "LaunchTemplate.LaunchTemplateId"));
    const QByteArray token = formValue(form, "ClientToken");
    // Idempotent: the same ClientToken answers the instance it launched.
    if (const auto known = m_awsClientTokens.constFind(token);
        !token.isEmpty() && known != m_awsClientTokens.cend()) {
        const SimVm &vm = m_model.vm(*known);
        return ec2Answer("RunInstancesResponse",
                         "<ownerId>" + vm.awsAccount.toLatin1() + "</ownerId><instancesSet>"
                             + instanceXml(vm) + "</instancesSet>");
    }
    // The template: what the instances launched from it are (the first one found).
    int model = -1;
    for (int i = 0; i < m_model.vmCount() && model < 0; ++i) {
        if (m_model.vm(i).isAws() && m_model.vm(i).awsLaunchTemplate == templateId)
            model = i;
    }
    if (model < 0)
        return ec2Error(
            400, u"InvalidLaunchTemplateId.NotFound"_s,
            u"The specified launch template, with template ID %1, does not exist."_s.arg(
                templateId));
    SimVm vm = m_model.vm(model);
    vm.vmId.clear();
    vm.name.clear(); // the Name tag below, else the new instance id (FleetModel::addVm)
    vm.awsSpotRequestId.clear();
    vm.rebalanceAtMs = 0;
    vm.awsStateReason.clear();
    vm.events.clear();
    vm.startOp.clear();
    vm.power = Power::Running;
    vm.nextAtMs = 0;
    vm.evictAtMs = 0;
    vm.evictedAtMs = 0;
    vm.downMs = 0;
    vm.unavoidableDownMs = 0;
    vm.unavoidableEndMs = 0;
    if (const QByteArray type = formValue(form, "InstanceType"); !type.isEmpty())
        vm.size = QString::fromUtf8(type);
    if (const QByteArray zone = formValue(form, "Placement.AvailabilityZone"); !zone.isEmpty())
        vm.zone = QString::fromUtf8(zone);
    vm.tags.clear();
    for (int i = 1;; ++i) {
        const QByteArray prefix = "TagSpecification.1.Tag." + QByteArray::number(i);
        const QByteArray key = formValue(form, prefix + ".Key");
        if (key.isEmpty())
            break;
        vm.tags.insert(QString::fromUtf8(key),
                       QString::fromUtf8(formValue(form, prefix + ".Value")));
    }
    vm.name = vm.tags.take(u"Name"_s);
    // Capacity: a shortage of the region and type refuses the launch.
    if (m_model.capacityFreeAt(vm, m_model.nowMs()) > m_model.nowMs()) {
        ++m_awsRunsRefused;
        return ec2Error(500, u"InsufficientInstanceCapacity"_s,
                        u"We currently do not have sufficient %1 capacity in the Availability "
                        "Zone you requested (%2)."_s.arg(vm.size, vm.zone));
    }
    QString error;
    const int index = m_model.addVm(vm, &error);
    if (index < 0)
        return ec2Error(500, u"InternalError"_s, error);
    if (!token.isEmpty())
        m_awsClientTokens.insert(token, index);
    ++m_awsRuns;
    const SimVm &launched = m_model.vm(index);
    return ec2Answer("RunInstancesResponse",
                     "<reservationId>r-" + launched.vmId.mid(2).toLatin1()
                         + "</reservationId><ownerId>" + launched.awsAccount.toLatin1()
                         + "</ownerId><instancesSet>" + instanceXml(launched) + "</instancesSet>");
}

http::Response SimServer::cloudTrailLookup(const http::Request &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    QString instanceId;
    const QJsonArray attributes = body.value("LookupAttributes"_L1).toArray();
    for (const QJsonValue attribute : attributes) {
        if (attribute.toObject().value("AttributeKey"_L1).toString() == "ResourceName"_L1)
            instanceId = attribute.toObject().value("AttributeValue"_L1).toString();
    }
    const qint64 sinceMs = qint64(body.value("StartTime"_L1).toDouble() * 1000.0);
    QJsonArray events;
    const int index = awsVmIndex(m_model, instanceId.toLatin1());
    const QList<ActivityEntry> entries =
        index < 0 ? QList<ActivityEntry>() : m_model.activity(m_model.vm(index).key(), 0);
    for (const ActivityEntry &entry : entries) {
        const qint64 wallMs = m_model.toWallMs(entry.atMs);
        if (wallMs >= sinceMs)
            events.prepend(trailEvent(entry, wallMs)); // newest first
    }
    ++m_awsTrailReads;
    return http::Response::json(
        200, QJsonDocument(QJsonObject {{u"Events"_s, events}}).toJson(QJsonDocument::Compact));
}

QJsonObject SimServer::awsJson() const
{
    return QJsonObject {{u"describes"_s, m_awsDescribes},
                        {u"starts"_s, m_awsStarts},
                        {u"startsRefused"_s, m_awsStartsRefused},
                        {u"runs"_s, m_awsRuns},
                        {u"runsRefused"_s, m_awsRunsRefused},
                        {u"trailReads"_s, m_awsTrailReads},
                        {u"throttled"_s, m_awsThrottled},
                        {u"requestsBeforeBackoff"_s, m_awsRequestsBeforeBackoff},
                        {u"refusedSignatures"_s, m_awsRefused},
                        {u"stsIssued"_s, m_awsStsIssued},
                        {u"ec2Restarts"_s, m_model.counters().ec2Restarts}};
}

} // namespace spotkeeper::sim
