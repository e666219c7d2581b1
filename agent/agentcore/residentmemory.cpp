// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcore/residentmemory.h"

#ifdef Q_OS_LINUX
#include <cstdio>
#include <cstring>
#include <malloc.h>
#include <sys/mman.h>
#endif

namespace spotkeeper::agent {

#ifdef Q_OS_LINUX
namespace {

struct Mapping
{
    unsigned long start = 0;
    unsigned long end = 0;
    char perms[8] = {};
    unsigned long inode = 0;
    bool pseudo = false; // [vdso], [heap], ...
    long rssKb = -1;
    long anonymousKb = -1;
};

// A mapping whose every page is, and stays, a copy of its file: advising it away loses
// nothing. Writable or shared mappings and any mapping with a copy-on-write (anonymous)
// page, such as a library's relocated RELRO segment, are left alone.
bool releasable(const Mapping &m, const char *vmFlags)
{
    return m.inode != 0 && !m.pseudo && m.perms[1] != 'w' && m.perms[3] == 'p' && m.anonymousKb == 0
        && m.rssKb > 0 && std::strstr(vmFlags, " lo") == nullptr;
}

} // namespace

PageRelease releaseIdlePages()
{
    PageRelease result;
    malloc_trim(0);
    std::FILE *smaps = std::fopen("/proc/self/smaps", "re");
    if (!smaps)
        return result;
    char line[1024];
    Mapping current;
    while (std::fgets(line, sizeof line, smaps)) {
        Mapping header;
        char path[512] = {};
        // "7f6b..-7f6b.. r--p 00000000 08:01 1234   /usr/lib/...": field lines start with
        // a capitalised name ("Rss:") and never parse as two hex numbers and a dash.
        if (std::sscanf(line, "%lx-%lx %7s %*x %*s %lu %511s", &header.start, &header.end,
                        header.perms, &header.inode, path)
            >= 4) {
            header.pseudo = path[0] == '[';
            current = header;
            continue;
        }
        long kb = 0;
        if (std::sscanf(line, "Rss: %ld kB", &kb) == 1)
            current.rssKb = kb;
        else if (std::sscanf(line, "Anonymous: %ld kB", &kb) == 1)
            current.anonymousKb = kb;
        else if (std::strncmp(line, "VmFlags:", 8) == 0 && releasable(current, line)) {
            // NOLINTNEXTLINE(performance-no-int-to-ptr): addresses come from the kernel
            void *address = reinterpret_cast<void *>(current.start);
            if (::madvise(address, current.end - current.start, MADV_DONTNEED) == 0) {
                ++result.mappings;
                result.residentKb += current.rssKb;
            }
        }
    }
    std::fclose(smaps);
    result.ok = true;
    return result;
}

void prepareSmallFootprint()
{
    mallopt(M_ARENA_MAX, 1);
}

#else

PageRelease releaseIdlePages()
{
    return {};
}

void prepareSmallFootprint() { }

#endif

} // namespace spotkeeper::agent
