// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Throughput of the bare HTTP layer (no store, no signature): runs an HttpServer on
// 127.0.0.1 and drives it with Debian's `wrk` as a child process.
//   bench_httpserver [seconds=5] [connections=64] [sync|async] [plain|tls]
#include "http/httpserver.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <cstdio>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int seconds = args.size() > 1 ? args.at(1).toInt() : 5;
    const int connections = args.size() > 2 ? args.at(2).toInt() : 64;
    const bool async = args.size() > 3 && args.at(3) == u"async"_s;
    const bool tls = args.size() > 4 && args.at(4) == u"tls"_s;

    http::HttpServer server;
    qint64 handled = 0;
    const QByteArray body = R"({"accepted":true,"duplicate":false})"_ba;
    server.setHandler([&](const http::Request &, std::shared_ptr<http::Responder> out) {
        ++handled;
        if (!async) {
            out->send(http::Response::json(200, body));
            return;
        }
        // Answer from the event loop, like a handler waiting for a group commit.
        QTimer::singleShot(0, [out, &body] { out->send(http::Response::json(200, body)); });
    });
    if (tls) {
        QString error;
        const QString dir = QStringLiteral(SPOTKEEPER_SOURCE_DIR "/tests/data/tls/");
        if (!server.setTls({dir + u"server.pem"_s, dir + u"server.key"_s, {}}, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
    }
    QString error;
    if (!server.listen(QHostAddress::LocalHost, 0, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const QString url = u"%1://127.0.0.1:%2/api/v1/heartbeats"_s.arg(tls ? u"https"_s : u"http"_s)
                            .arg(server.serverPort());
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::ForwardedChannels);
    QObject::connect(&wrk, &QProcess::finished, &app, [&] {
        std::printf("server: %lld requests handled, peak per-connection buffer %lld bytes\n",
                    static_cast<long long>(handled),
                    static_cast<long long>(server.peakConnectionBufferedBytes()));
        app.exit(wrk.exitCode());
    });
    QObject::connect(&wrk, &QProcess::errorOccurred, &app, [&] {
        std::fprintf(stderr, "cannot run wrk (apt install wrk)\n");
        app.exit(1);
    });
    std::printf("wrk -t1 -c%d -d%ds --latency %s (%s handler)\n", connections, seconds,
                qPrintable(url), async ? "async" : "sync");
    std::fflush(stdout);
    wrk.start(u"wrk"_s,
              {u"-t1"_s, u"-c%1"_s.arg(connections), u"-d%1s"_s.arg(seconds), u"--latency"_s, url});
    return app.exec();
}
