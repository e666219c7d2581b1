// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: the Compute Engine metadata server of each Google Cloud VM under
// /gce/{vmName}/computeMetadata/v1/... (docs/GCP-PROTOCOL.md §1-3, docs/SIMULATOR.md).
#include "base/clock.h"
#include "sim/fleetmodel.h"
#include "sim/simserver.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

namespace {

constexpr int kGceCheckMs = 10; // how often open long polls look for a change
constexpr int kGceMaxWaitSec = 3600;

// The value of a key for a VM, or nullopt for 404. Text except the scheduling directory.
std::optional<QByteArray> gceValue(const SimVm &vm, const QString &key, bool json)
{
    const bool spot = vm.priority.compare("Spot"_L1, Qt::CaseInsensitive) == 0;
    if (key == "project/project-id"_L1)
        return vm.gcpProject.toUtf8();
    if (key == "project/numeric-project-id"_L1 || key == "instance/zone"_L1) {
        // A stable 12-digit project number derived from the project id.
        const QByteArray hash =
            QCryptographicHash::hash(vm.gcpProject.toUtf8(), QCryptographicHash::Sha1);
        quint64 number = 0;
        for (int i = 0; i < 8; ++i)
            number = (number << 8) | quint8(hash.at(i));
        const QByteArray digits =
            QByteArray::number(100'000'000'000ULL + number % 900'000'000'000ULL);
        return key == "instance/zone"_L1 ? "projects/" + digits + "/zones/" + vm.location.toUtf8()
                                         : digits;
    }
    if (key == "instance/id"_L1)
        return vm.vmId.toUtf8();
    if (key == "instance/name"_L1 || key == "instance/hostname"_L1)
        return vm.name.toUtf8();
    if (key == "instance/machine-type"_L1)
        return "projects/0/machineTypes/" + vm.size.toUtf8();
    if (key == "instance/preempted"_L1) {
        // TRUE from the preemption notice until the VM runs again (it is TERMINATED then).
        const bool preempted =
            vm.evictAtMs != 0 || (vm.evictedAtMs != 0 && vm.power != Power::Running);
        return preempted ? QByteArray("TRUE") : QByteArray("FALSE");
    }
    if (key == "instance/maintenance-event"_L1)
        return QByteArray("NONE");
    if (key == "instance/scheduling/"_L1) {
        QJsonObject scheduling {
            {u"automaticRestart"_s, spot ? u"FALSE"_s : u"TRUE"_s},
            {u"onHostMaintenance"_s, spot ? u"TERMINATE"_s : u"MIGRATE"_s},
            {u"preemptible"_s, spot ? u"TRUE"_s : u"FALSE"_s},
            {u"provisioningModel"_s, spot ? u"SPOT"_s : u"STANDARD"_s},
        };
        if (spot)
            scheduling.insert(u"instanceTerminationAction"_s,
                              vm.evictionPolicy == "Delete"_L1 ? u"DELETE"_s : u"STOP"_s);
        if (json)
            return QJsonDocument(scheduling).toJson(QJsonDocument::Compact);
        return QByteArray("automatic-restart\ninstance-termination-action\non-host-maintenance\n"
                          "preemptible\nprovisioning-model\n");
    }
    return std::nullopt;
}

QByteArray gceEtag(const SimVm &vm, const QString &key, const QByteArray &value)
{
    const QByteArray seed = vm.key().toUtf8() + '\n' + key.toUtf8() + '\n' + value;
    return QCryptographicHash::hash(seed, QCryptographicHash::Sha1).toHex().left(16);
}

http::Response gceAnswer(int status, const QByteArray &body, bool json = false)
{
    http::Response response =
        json ? http::Response::json(status, body) : http::Response::text(status, body);
    response.headers.append({QByteArrayLiteral("Metadata-Flavor"), QByteArrayLiteral("Google")});
    return response;
}

} // namespace

void SimServer::handleGce(const http::Request &request, const ResponderPtr &responder)
{
    const auto send = [&](const http::Response &response) {
        reply(request, responder, response, u"gce"_s);
    };
    // /gce/{vm}/computeMetadata/v1/{key}
    const auto [vmName, rest, index] = vmRoute(request.path, 5);
    if (index < 0 || !m_model.vm(index).isGcp())
        return send(gceAnswer(404, "no simulated Google Cloud VM by that name\n"));
    // Like Google's: the header is required and a forwarded request is refused.
    if (request.header("Metadata-Flavor") != "Google"
        || !request.header("X-Forwarded-For").isEmpty())
        return send(gceAnswer(403, "Missing Metadata-Flavor:Google header.\n"));
    if (request.method != "GET")
        return send(gceAnswer(405, "Method not allowed\n"));
    constexpr QLatin1StringView kPrefix("/computeMetadata/v1/");
    if (!rest.startsWith(kPrefix))
        return send(gceAnswer(404, "Not Found\n"));
    const QString key = rest.mid(kPrefix.size());
    const bool json = request.queryItem(u"alt"_s) == "json"_L1;
    const SimVm &vm = m_model.vm(index);
    const auto value = gceValue(vm, key, json);
    if (!value)
        return send(gceAnswer(404, "Not Found\n"));
    const QByteArray etag = gceEtag(vm, key, *value);
    const QByteArray lastEtag = request.queryItem(u"last_etag"_s).toLatin1();
    const bool wait = request.queryItem(u"wait_for_change"_s) == "true"_L1;
    if (!wait || (!lastEtag.isEmpty() && lastEtag != etag)) {
        http::Response response = gceAnswer(200, *value, json);
        response.headers.append({QByteArrayLiteral("ETag"), etag});
        return send(response);
    }
    bool ok = false;
    int timeoutSec = request.queryItem(u"timeout_sec"_s).toInt(&ok);
    if (!ok || timeoutSec <= 0 || timeoutSec > kGceMaxWaitSec)
        timeoutSec = kGceMaxWaitSec;
    m_gceWaiters.push_back(GceWaiter {request, responder, vmName, key, json, etag,
                                      m_wall.nowMSecs() + qint64(timeoutSec) * 1000});
    if (!m_gceTimer.isActive())
        m_gceTimer.start(kGceCheckMs);
}

void SimServer::answerGceWaiters()
{
    m_model.advance();
    const qint64 now = m_wall.nowMSecs();
    std::vector<GceWaiter> open;
    for (GceWaiter &waiter : m_gceWaiters) {
        if (!waiter.responder->isOpen())
            continue; // the client gave up
        const int index = m_model.findByName(waiter.vmName);
        const auto value =
            index < 0 ? std::nullopt : gceValue(m_model.vm(index), waiter.key, waiter.json);
        if (!value) {
            reply(waiter.request, waiter.responder, gceAnswer(404, "Not Found\n"), u"gce"_s);
            continue;
        }
        const QByteArray etag = gceEtag(m_model.vm(index), waiter.key, *value);
        if (etag == waiter.etag && now < waiter.deadlineWallMs) {
            open.push_back(std::move(waiter));
            continue;
        }
        // Changed, or timeout_sec ran out: the current value and its ETag.
        http::Response response = gceAnswer(200, *value, waiter.json);
        response.headers.append({QByteArrayLiteral("ETag"), etag});
        reply(waiter.request, waiter.responder, response, u"gce"_s);
    }
    m_gceWaiters = std::move(open);
    if (m_gceWaiters.empty())
        m_gceTimer.stop();
}

} // namespace spotkeeper::sim
