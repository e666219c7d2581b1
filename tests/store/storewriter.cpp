// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// Helper process of tst_storecrash (not a test): opens the store and inserts notices in
// batches forever (or up to a maximum), printing "ack <webhook-id>" for each notice only
// after insertNotices() returned, i.e. after the commit. The test SIGKILLs it mid-stream.
// Usage: storewriter <db path> <tag> [max notices]
#include "support/store/storetestutil.h"

#include <QCoreApplication>

#include <array>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace spotkeeper::core;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: storewriter <db path> <tag> [max notices]\n");
        return 2;
    }
    const QString tag = args.at(2);
    const qint64 maxNotices = args.size() > 3 ? args.at(3).toLongLong() : 1'000'000;
    StoreError error;
    auto store = Store::open(testutil::options(args.at(1)), &error);
    if (!store) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(error.message));
        return 1;
    }
    std::fprintf(stdout, "ready\n");
    std::fflush(stdout);
    // Batch sizes cycle so kills land in small and in large transactions.
    constexpr std::array kSizes {1, 5, 23, 64};
    const QByteArray filler(400, 'x'); // some payload weight per row
    qint64 written = 0;
    for (int batchNo = 0; written < maxNotices; ++batchNo) {
        const int size = kSizes[std::size_t(batchNo) % kSizes.size()];
        QList<IncomingNotice> batch;
        for (int i = 0; i < size; ++i) {
            const QString id = u"%1-b%2-n%3"_s.arg(tag).arg(batchNo).arg(i);
            IncomingNotice notice = testutil::notice(int(written + i) % 50, id, id);
            notice.event.payload += filler;
            batch << notice;
        }
        const QList<NoticeOutcome> outcomes = store->insertNotices(batch);
        for (int i = 0; i < size; ++i) {
            if (outcomes.at(i).status != NoticeOutcome::Status::Inserted) {
                std::fprintf(stderr, "insert failed: %s\n", qPrintable(store->lastError().message));
                return 1;
            }
        }
        for (const IncomingNotice &notice : std::as_const(batch))
            std::fprintf(stdout, "ack %s\n", qPrintable(notice.webhookId));
        std::fflush(stdout);
        written += size;
    }
    return 0;
}
