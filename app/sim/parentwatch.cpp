// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/parentwatch.h"

#include <cerrno>
#include <csignal>
#include <sys/stat.h>
#include <unistd.h>
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

namespace spotkeeper::sim {

ParentWatch::ParentWatch(QObject *parent)
    : QObject(parent)
{
    connect(&m_poll, &QTimer::timeout, this, &ParentWatch::check);
}

bool ParentWatch::arm(qint64 expectedParent, QString *error)
{
#ifdef Q_OS_LINUX
    // The kernel signals us when the parent (thread) exits. Armed before the getppid()
    // check below, so a parent that died in between is caught by that check.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    m_parent = expectedParent > 0 ? expectedParent : qint64(::getppid());
    if (qint64(::getppid()) != m_parent) {
        *error = u"the parent process %1 is already gone"_s.arg(m_parent);
        return false;
    }
    struct stat info
    {
    };
    if (::fstat(STDIN_FILENO, &info) == 0 && S_ISFIFO(info.st_mode)) {
        m_stdin = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
        connect(m_stdin.get(), &QSocketNotifier::activated, this, [this] {
            char buffer[512];
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n > 0)
                return; // the parent wrote something: ignored
            if (n < 0 && errno == EINTR)
                return;
            m_stdin->setEnabled(false);
            if (!m_reported) {
                m_reported = true;
                emit parentGone(u"stdin closed: the parent process has gone"_s);
            }
        });
    }
    m_poll.start(1000);
    return true;
}

void ParentWatch::check()
{
    if (m_reported || qint64(::getppid()) == m_parent)
        return;
    m_reported = true;
    emit parentGone(u"the parent process %1 has gone"_s.arg(m_parent));
}

} // namespace spotkeeper::sim
