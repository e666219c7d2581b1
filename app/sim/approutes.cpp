// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// SimServer: each VM's application health endpoint, GET /app/{vmName}/health
// (docs/SIMULATOR.md "Application health"), what a real agent's --health-url probes.
#include "sim/fleetmodel.h"
#include "sim/simserver.h"

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

void SimServer::handleApp(const http::Request &request, const ResponderPtr &responder)
{
    const auto send = [&](int status, const QByteArray &body) {
        reply(request, responder, http::Response::json(status, body), u"app"_s);
    };
    // /app/{vm}/health
    const VmRoute route = vmRoute(request.path, 5);
    const int index = route.index;
    if (index < 0 || route.rest != "/health"_L1)
        return send(404, R"({"status":"no such application"})");
    if (request.method != "GET")
        return send(405, R"({"status":"GET only"})");
    if (m_model.appAnswersHealthy(index))
        return send(200, R"({"status":"healthy"})");
    send(503,
         m_model.vm(index).power == Power::Running ? R"({"status":"unhealthy"})"
                                                   : R"({"status":"the VM is not running"})");
}

} // namespace spotkeeper::sim
