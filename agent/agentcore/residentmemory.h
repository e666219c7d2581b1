// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// Keeps the idle agent's resident set small (docs/BENCHMARKS.md "Agent"). Most of it is
// clean pages of Debian's shared libraries (Qt, ICU, libstdc++) that only the dynamic
// loader and start-up code touch: symbol tables and relocation records read once at
// load, initialisation code. They stay mapped in the process until memory gets short.
// releaseIdlePages() drops them from this process's page tables, like Windows'
// EmptyWorkingSet: only clean, read-only, private file mappings without a single
// copy-on-write page are advised (MADV_DONTNEED), so nothing can be lost; a page that is
// needed again is mapped back from the page cache (a minor fault). The heap's free
// memory goes back to the kernel too (malloc_trim). Linux only; a no-op elsewhere.
namespace spotkeeper::agent {

struct PageRelease
{
    qint64 mappings = 0; // mappings advised
    qint64 residentKb = 0; // their resident size before the advice
    bool ok = false; // false if /proc/self/smaps could not be read (or not Linux)
};

PageRelease releaseIdlePages();

// Start-up choices that lower the footprint; call first thing in main(), before
// QCoreApplication: malloc keeps to one arena (the agent has one busy thread).
void prepareSmallFootprint();

} // namespace spotkeeper::agent
