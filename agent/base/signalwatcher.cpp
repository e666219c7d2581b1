// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/signalwatcher.h"

#include <QSocketNotifier>

#ifndef Q_OS_WIN
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace spotkeeper::base {

#ifndef Q_OS_WIN
namespace {
int g_pair[2] = {-1, -1}; // [0] written by the handler, [1] read by the notifier
SignalWatcher *g_owner = nullptr;

extern "C" void forwardSignal(int number)
{
    const int saved = errno;
    const unsigned char byte = static_cast<unsigned char>(number);
    [[maybe_unused]] const auto written = ::write(g_pair[0], &byte, 1);
    errno = saved;
}

QString systemError(const char *call)
{
    return QString::fromLatin1(call) + QStringLiteral(": ")
        + QString::fromLocal8Bit(std::strerror(errno));
}
} // namespace
#endif

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{ }

SignalWatcher::~SignalWatcher()
{
#ifndef Q_OS_WIN
    if (g_owner != this)
        return;
    for (const int number : std::as_const(m_watched))
        std::signal(number, SIG_DFL);
    delete m_notifier;
    ::close(g_pair[0]);
    ::close(g_pair[1]);
    g_pair[0] = g_pair[1] = -1;
    g_owner = nullptr;
#endif
}

bool SignalWatcher::install(const QList<int> &signalNumbers, QString *error)
{
#ifdef Q_OS_WIN
    Q_UNUSED(signalNumbers);
    Q_UNUSED(error);
    return true;
#else
    if (g_owner && g_owner != this) {
        *error = QStringLiteral("another signal watcher is installed");
        return false;
    }
    if (!g_owner) {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_pair) != 0) {
            *error = systemError("socketpair");
            return false;
        }
        // A burst of signals must never block the handler: extra bytes are dropped.
        ::fcntl(g_pair[0], F_SETFL, ::fcntl(g_pair[0], F_GETFL) | O_NONBLOCK);
        g_owner = this;
        m_notifier = new QSocketNotifier(g_pair[1], QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            unsigned char byte = 0;
            if (::read(g_pair[1], &byte, 1) == 1)
                emit received(int(byte));
        });
    }
    struct sigaction action = {};
    action.sa_handler = forwardSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int number : signalNumbers) {
        if (::sigaction(number, &action, nullptr) != 0) {
            *error = systemError("sigaction");
            return false;
        }
        if (!m_watched.contains(number))
            m_watched.append(number);
    }
    return true;
#endif
}

} // namespace spotkeeper::base
