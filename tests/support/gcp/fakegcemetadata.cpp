// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/gcp/fakegcemetadata.h"

#include <QCryptographicHash>
#include <QTimer>

namespace spotkeeper::testsupport {

using namespace Qt::StringLiterals;

namespace {
constexpr QByteArrayView kPrefix = "/computeMetadata/v1/";
}

struct FakeGceMetadata::Waiter
{
    QString key;
    QByteArray etag; // the ETag the client already has
    bool json = false;
    std::shared_ptr<http::Responder> responder;
    std::unique_ptr<QTimer> timer;
};

FakeGceMetadata::FakeGceMetadata()
{
    set(u"project/project-id"_s, "spot-fleet-1");
    set(u"instance/id"_s, "8230498714093811747");
    set(u"instance/name"_s, "worker-7");
    set(u"instance/zone"_s, "projects/123456789012/zones/europe-west1-b");
    set(u"instance/scheduling/"_s,
        R"({"automaticRestart":"FALSE","instanceTerminationAction":"STOP",)"
        R"("onHostMaintenance":"TERMINATE","preemptible":"TRUE","provisioningModel":"SPOT"})");
    set(u"instance/preempted"_s, "FALSE");
    set(u"instance/maintenance-event"_s, "NONE");
    m_server.routePrefix("GET", kPrefix.toByteArray())
        .respondAsync([this](const RecordedRequest &request, std::shared_ptr<http::Responder> r) {
            handle(request, std::move(r));
        });
}

FakeGceMetadata::~FakeGceMetadata() = default;

bool FakeGceMetadata::start(QString *error)
{
    return m_server.start(error);
}

QByteArray FakeGceMetadata::etag(const QString &key) const
{
    // Like the real server's: an opaque hex string that changes with the value.
    const QByteArray seed = key.toUtf8() + '\0' + m_values.value(key) + '\0'
        + QByteArray::number(m_versions.value(key));
    return QCryptographicHash::hash(seed, QCryptographicHash::Sha1).toHex().left(16);
}

void FakeGceMetadata::set(const QString &key, const QByteArray &value)
{
    m_values.insert(key, value);
    m_versions[key] += 1;
    // Answer the long polls on this key; keep the others.
    std::vector<std::unique_ptr<Waiter>> still;
    for (auto &waiter : m_waiters) {
        if (waiter->key == key)
            waiter->responder->send(answer(key, waiter->json));
        else
            still.push_back(std::move(waiter));
    }
    m_waiters = std::move(still);
}

void FakeGceMetadata::remove(const QString &key)
{
    m_values.remove(key);
    m_versions[key] += 1;
}

int FakeGceMetadata::requests(const QString &key) const
{
    return m_server.count("GET", kPrefix.toByteArray() + key.toUtf8());
}

int FakeGceMetadata::waitRequests(const QString &key) const
{
    int n = 0;
    for (const RecordedRequest &request :
         m_server.requests("GET", kPrefix.toByteArray() + key.toUtf8()))
        n += request.queryItem(u"wait_for_change"_s) == "true"_L1 ? 1 : 0;
    return n;
}

int FakeGceMetadata::waiting() const
{
    int n = 0;
    for (const auto &waiter : m_waiters)
        n += waiter->responder->isOpen() ? 1 : 0;
    return n;
}

http::Response FakeGceMetadata::answer(const QString &key, bool json) const
{
    http::Response response;
    if (!m_values.contains(key)) {
        response = http::Response::text(404, "Not Found\n");
    } else {
        response = json ? http::Response::json(200, m_values.value(key))
                        : http::Response::text(200, m_values.value(key));
        response.headers.append({QByteArrayLiteral("ETag"), etag(key)});
    }
    if (flavorHeader)
        response.headers.append(
            {QByteArrayLiteral("Metadata-Flavor"), QByteArrayLiteral("Google")});
    return response;
}

void FakeGceMetadata::handle(const RecordedRequest &request,
                             std::shared_ptr<http::Responder> responder)
{
    if (request.header("Metadata-Flavor") != "Google"
        || !request.header("X-Forwarded-For").isEmpty()) {
        ++refusedWithoutHeader;
        http::Response refused =
            http::Response::text(403, "Missing Metadata-Flavor:Google header.\n");
        refused.headers.append({QByteArrayLiteral("Metadata-Flavor"), QByteArrayLiteral("Google")});
        responder->send(refused);
        return;
    }
    if (!script.isEmpty()) {
        const int status = script.takeFirst();
        if (status == 0) {
            m_hung.append(responder);
            return;
        }
        http::Response scripted = http::Response::text(status, "scripted\n");
        if (flavorHeader)
            scripted.headers.append(
                {QByteArrayLiteral("Metadata-Flavor"), QByteArrayLiteral("Google")});
        responder->send(scripted);
        return;
    }
    const QString key = QString::fromUtf8(request.path.mid(kPrefix.size()));
    const bool json = request.queryItem(u"alt"_s) == "json"_L1;
    const bool wait = honourWait && request.queryItem(u"wait_for_change"_s) == "true"_L1;
    const QByteArray lastEtag = request.queryItem(u"last_etag"_s).toLatin1();
    // A stale last_etag answers at once: the client has not seen the current value yet.
    if (!wait || !m_values.contains(key) || (!lastEtag.isEmpty() && lastEtag != etag(key))) {
        responder->send(answer(key, json));
        return;
    }
    bool ok = false;
    int timeoutSec = request.queryItem(u"timeout_sec"_s).toInt(&ok);
    if (!ok || timeoutSec <= 0)
        timeoutSec = 60;
    auto waiter = std::make_unique<Waiter>();
    waiter->key = key;
    waiter->etag = lastEtag;
    waiter->json = json;
    waiter->responder = responder;
    waiter->timer = std::make_unique<QTimer>();
    waiter->timer->setSingleShot(true);
    Waiter *raw = waiter.get();
    QObject::connect(raw->timer.get(), &QTimer::timeout, &m_server, [this, raw] {
        // timeout_sec ran out: the current (unchanged) value and ETag.
        raw->responder->send(answer(raw->key, raw->json));
        raw->timer.release()->deleteLater(); // not deleted inside its own signal
        std::erase_if(m_waiters, [raw](const auto &w) { return w.get() == raw; });
    });
    raw->timer->start(timeoutSec * 1000);
    m_waiters.push_back(std::move(waiter));
}

} // namespace spotkeeper::testsupport
