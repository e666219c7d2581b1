// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Responder::reset(): the connection is dropped with a TCP RST, so the peer's recv()
// fails with ECONNRESET (an ordinary close gives EOF instead). Read with a raw POSIX
// socket, because Qt reports both as RemoteHostClosedError.
#include "http/httpserver.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace spotkeeper;
using namespace Qt::StringLiterals;

namespace {

struct ReadOutcome
{
    QByteArray bytes; // everything read before the end
    bool eof = false; // recv() returned 0: orderly FIN
    int error = 0; // errno of a failed recv(), e.g. ECONNRESET
};

// Sends `request` on a fresh connection and reads until EOF or an error, spinning the
// event loop (the server lives in this thread).
ReadOutcome exchange(quint16 port, const QByteArray &request)
{
    ReadOutcome out;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        out.error = errno;
        return out;
    }
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0
        || ::send(fd, request.constData(), size_t(request.size()), 0) != request.size()) {
        out.error = errno;
        ::close(fd);
        return out;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    QDeadlineTimer deadline(20'000);
    char buffer[4096];
    while (!deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            out.bytes.append(buffer, n);
        } else if (n == 0) {
            out.eof = true;
            break;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            out.error = errno;
            break;
        } else {
            QTest::qWait(10);
        }
    }
    ::close(fd);
    return out;
}

} // namespace

class TestHttpServerReset : public QObject
{
    Q_OBJECT

private slots:
    void resetGivesThePeerEconnreset()
    {
        http::HttpServer server;
        std::shared_ptr<http::Responder> held;
        int handled = 0;
        server.setHandler([&](const http::Request &r, std::shared_ptr<http::Responder> out) {
            ++handled;
            if (r.path == "/reset") {
                out->reset();
                QVERIFY(!out->isOpen());
                out->send(http::Response::text(200, "too late"_ba)); // a no-op now
                held = out;
            } else {
                out->send(http::Response::text(200, "fine"_ba));
            }
        });
        QString error;
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));

        const ReadOutcome reset =
            exchange(server.serverPort(), "GET /reset HTTP/1.1\r\nHost: x\r\n\r\n"_ba);
        QCOMPARE(handled, 1);
        QCOMPARE(reset.error, ECONNRESET);
        QVERIFY(!reset.eof);
        QVERIFY2(reset.bytes.isEmpty(), reset.bytes.constData()); // nothing was answered
        QTRY_COMPARE(server.openConnections(), 0);
        QVERIFY(held && !held->isOpen());
        held->reset(); // twice: a no-op

        // The contrast that makes the check meaningful: a normal close is EOF, not a reset.
        const ReadOutcome normal = exchange(
            server.serverPort(), "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"_ba);
        QCOMPARE(normal.error, 0);
        QVERIFY(normal.eof);
        QVERIFY(normal.bytes.startsWith("HTTP/1.1 200"));
        QVERIFY(normal.bytes.endsWith("fine"));
    }

    void resetFromAnotherThreadAndAfterTheClientLeft()
    {
        http::HttpServer server;
        std::shared_ptr<http::Responder> held;
        server.setHandler(
            [&](const http::Request &, std::shared_ptr<http::Responder> out) { held = out; });
        QString error;
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        // Reset requested from a worker thread: queued to the connection's thread.
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(server.serverPort());
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QCOMPARE(::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr), 0);
        const QByteArray request = "GET /x HTTP/1.1\r\nHost: x\r\n\r\n"_ba;
        QCOMPARE(::send(fd, request.constData(), size_t(request.size()), 0), request.size());
        QTRY_VERIFY(held != nullptr);
        std::thread worker([held] { held->reset(); });
        worker.join();
        QTRY_COMPARE(server.openConnections(), 0);
        pollfd ready {fd, POLLIN, 0};
        QCOMPARE(::poll(&ready, 1, 10'000), 1); // the RST is there (never blocks forever)
        char byte = 0;
        errno = 0;
        QCOMPARE(::recv(fd, &byte, 1, 0), ssize_t(-1));
        QCOMPARE(errno, ECONNRESET);
        ::close(fd);

        // A responder whose client already went away: reset() does nothing, no crash.
        held.reset();
        {
            const int fd2 = ::socket(AF_INET, SOCK_STREAM, 0);
            QCOMPARE(::connect(fd2, reinterpret_cast<const sockaddr *>(&addr), sizeof addr), 0);
            QCOMPARE(::send(fd2, request.constData(), size_t(request.size()), 0), request.size());
            QTRY_VERIFY(held != nullptr);
            ::close(fd2);
        }
        QTRY_COMPARE(server.openConnections(), 0);
        held->reset();
        QVERIFY(!held->isOpen());
    }
};

QTEST_GUILESS_MAIN(TestHttpServerReset)
#include "tst_httpserverreset.moc"
