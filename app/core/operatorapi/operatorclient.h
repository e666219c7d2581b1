// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

// The HTTP client of spotkeeperd's operator API (the routes of app/core/listener/operatorapi.h),
// GUI-free: one request at a time per call, answered by callback on the caller's thread,
// never a nested event loop. The bearer token goes only to an https:// URL or to http:// on
// a loopback host, and never across a redirect to another origin. Answers are classified
// (unreachable, 401, not JSON, an HTTP error with the server's message) so the caller words
// them for its operator; the token never appears in any of them. Decoding the bodies is
// operatorapijson.h's job.
namespace spotkeeper::core {

struct OperatorClientOptions
{
    QUrl baseUrl; // http(s)://host:port of spotkeeperd (its listener)
    QByteArray token; // operator bearer token; never logged
    QString caFile; // PEM CA certificate(s) for a server with a private certificate
    int requestTimeoutMs = 10'000;
};

class OperatorClient final : public QObject
{
    Q_OBJECT
public:
    struct Reply
    {
        enum class Failure { None, Unreachable, Unauthorized, NotJson, Http };
        int status = 0; // 0 = no HTTP answer
        QByteArray body;
        QJsonObject json; // the parsed body of a JSON answer
        Failure failure = Failure::None;
        QString detail; // the network error, the JSON parse error or the server's message
        bool ok() const { return failure == Failure::None && status >= 200 && status < 300; }
    };
    using Done = std::function<void(const Reply &)>;

    explicit OperatorClient(OperatorClientOptions options, QObject *parent = nullptr);
    ~OperatorClient() override;
    Q_DISABLE_COPY_MOVE(OperatorClient)

    const OperatorClientOptions &options() const { return m_options; }
    static bool isLoopbackHost(const QString &host);
    // Whether the token may be sent to url: https://, or http:// to a loopback host.
    static bool mayCarryToken(const QUrl &url);

    // GET pathAndQuery ("/api/v1/vms?limit=10"); expectJson=false for text (/metrics).
    void get(const QString &pathAndQuery, Done done, bool expectJson = true);
    // Any method with a JSON body (empty for a GET: no body).
    void call(const QByteArray &method, const QString &pathAndQuery, const QJsonObject &body,
              Done done);

private:
    QNetworkReply *send(const QByteArray &method, const QString &pathAndQuery,
                        const QByteArray &body);
    static Reply finish(QNetworkReply *reply, bool expectJson);
    void whenFinished(QNetworkReply *reply, bool expectJson, Done done);

    OperatorClientOptions m_options;
    QNetworkAccessManager *m_network = nullptr;
    QSslConfiguration m_ssl;
};

} // namespace spotkeeper::core
