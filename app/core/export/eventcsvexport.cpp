// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// exportEvents: the event CSV export, the one export that can be millions of rows.
//
// Reading rows through Qt Sql costs far more than encoding them (every column becomes a
// QVariant), so a large export is split into id ranges ("chunks") that two threads read and
// encode at the same time: the calling thread does the even chunks straight into the file's
// writer, a helper thread with its own read-only connection to the same database does the
// odd ones into memory, one chunk ahead, and the caller appends them in order. The id range
// is fixed when the export starts and events are append-only (AUTOINCREMENT ids), so both
// connections see the same rows. Small exports and in-memory databases stay on one thread.
#include "export/csvexport.h"

#include <QHash>

#include <array>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

namespace spotkeeper::core {

namespace {
constexpr qint64 kMinChunkIds = 8192; // below two of these the second thread is not worth it
constexpr qint64 kChunks = 32; // bounds the memory held by an encoded chunk

struct VmCells
{
    QByteArray name; // CsvWriter::encodeText()
    QByteArray resourceGroup;
};

// Cells that repeat on many rows, escaped and encoded once (shared read-only by both threads).
struct SharedCells
{
    QHash<qint64, VmCells> vms;
    std::array<QByteArray, static_cast<std::size_t>(EventKind::Alert) + 1> kinds;
};

void writeEvent(CsvWriter &writer, const EventRecord &e, const SharedCells &shared)
{
    static const VmCells unknown;
    const auto vm = shared.vms.constFind(e.vmId);
    const VmCells &cells = vm != shared.vms.constEnd() ? *vm : unknown;
    writer.number(e.id).time(e.at).number(e.vmId).encoded(cells.name);
    writer.encoded(cells.resourceGroup);
    const auto kind = static_cast<std::size_t>(e.kind);
    if (kind < shared.kinds.size())
        writer.encoded(shared.kinds.at(kind));
    else
        writer.text(toString(e.kind));
    writer.text(e.source).text(e.eventType).text(e.eventId).text(e.eventStatus);
    if (e.httpStatus != 0)
        writer.number(qint64(e.httpStatus));
    else
        writer.empty();
    writer.text(e.armErrorCode).text(e.correlationId).text(e.message).text(e.evidence);
    writer.endRow();
}

struct IdRange
{
    qint64 first = 0; // inclusive
    qint64 last = -1; // inclusive; last < first = no rows
};

// Events of `filter` with first <= id <= last, encoded into `writer`. False on a store
// error; a raised `stop` ends the read early (then the result does not matter).
bool encodeRange(Store &store, EventFilter filter, IdRange range, const SharedCells &shared,
                 CsvWriter &writer, const std::atomic_bool &stop)
{
    filter.afterId = range.first - 1;
    filter.beforeId = range.last + 1;
    return store.forEachEvent(filter, [&](const EventRecord &e) {
        writeEvent(writer, e, shared);
        return !stop.load(std::memory_order_relaxed);
    });
}

bool isMemoryDatabase(const QString &path)
{
    return path.isEmpty() || path == QLatin1StringView(":memory:")
        || path.startsWith(QLatin1StringView("file::memory:"))
        || path.contains(QLatin1StringView("mode=memory"));
}

struct EncodedChunk
{
    QByteArray bytes;
    qint64 rows = 0;
    bool ok = false;
};

// The helper thread: encodes chunks 1, 3, 5, ... and hands each over through one slot, so
// at most one finished chunk waits while the next is being encoded.
class OddChunkEncoder
{
public:
    OddChunkEncoder(const QString &path, const EventFilter &filter, const SharedCells &shared,
                    const QList<IdRange> &chunks)
        : m_thread([this, path, filter, &shared, chunks] { run(path, filter, shared, chunks); })
    { }
    ~OddChunkEncoder()
    {
        m_stop = true;
        {
            const std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    Q_DISABLE_COPY_MOVE(OddChunkEncoder)

    EncodedChunk take() // blocks until the next odd chunk is done
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_ready.has_value(); });
        EncodedChunk chunk = std::move(*m_ready);
        m_ready.reset();
        m_changed.notify_all();
        return chunk;
    }

private:
    void run(const QString &path, const EventFilter &filter, const SharedCells &shared,
             const QList<IdRange> &chunks)
    {
        StoreOptions options;
        options.path = path;
        options.readOnly = true;
        StoreError error;
        const std::unique_ptr<Store> store = Store::open(options, &error);
        for (qsizetype k = 1; k < chunks.size(); k += 2) {
            EncodedChunk chunk;
            if (store) {
                CsvWriter encoder;
                chunk.ok = encodeRange(*store, filter, chunks.at(k), shared, encoder, m_stop);
                chunk.bytes = encoder.takeEncoded(&chunk.rows);
            }
            const bool ok = chunk.ok;
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_ready.has_value() || m_closed; });
            if (m_closed)
                return;
            m_ready = std::move(chunk);
            m_changed.notify_all();
            if (!ok)
                return; // the caller encodes the rest itself
        }
    }

    std::atomic_bool m_stop = false;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::optional<EncodedChunk> m_ready;
    bool m_closed = false;
    std::thread m_thread; // last: starts after everything it uses exists
};

// Ids of the first and last event matching `filter`.
std::optional<IdRange> matchingIds(Store &store, const EventFilter &filter)
{
    EventFilter probe = filter;
    probe.afterId = 0;
    probe.beforeId = 0;
    probe.limit = 1;
    const QList<EventRecord> first = store.events(probe);
    if (store.lastError().code != StoreError::Code::None)
        return std::nullopt;
    if (first.isEmpty())
        return IdRange {};
    probe.beforeId = std::numeric_limits<qint64>::max(); // newest first
    const QList<EventRecord> last = store.events(probe);
    if (last.isEmpty())
        return std::nullopt;
    return IdRange {first.constFirst().id, last.constFirst().id};
}

QList<IdRange> splitIds(IdRange all)
{
    const qint64 span = qMax(kMinChunkIds, (all.last - all.first + kChunks) / kChunks);
    QList<IdRange> chunks;
    for (qint64 first = all.first; first <= all.last; first += span)
        chunks.append(IdRange {first, qMin(all.last, first + span - 1)});
    return chunks;
}
} // namespace

bool exportEvents(Store &store, const EventFilter &filter, const QString &path,
                  const CsvOptions &options, QString *error, ExportProgress *progress)
{
    CsvWriter writer(path, options);
    if (!writer.open(error))
        return false;
    auto storeFailed = [&store, error] {
        if (error)
            *error = exportStoreError(store, QStringLiteral("events"));
        return false; // the writer's QSaveFile is discarded: no partial file
    };
    SharedCells shared;
    const QList<VmRecord> vms = store.vms();
    if (vms.isEmpty() && store.lastError().code != StoreError::Code::None)
        return storeFailed();
    shared.vms.reserve(vms.size());
    for (const VmRecord &vm : vms) {
        shared.vms.insert(
            vm.id,
            VmCells {CsvWriter::encodeText(vm.name), CsvWriter::encodeText(vm.resourceGroup)});
    }
    for (std::size_t k = 0; k < shared.kinds.size(); ++k)
        shared.kinds[k] = CsvWriter::encodeText(toString(static_cast<EventKind>(k)));
    writer.writeRow(eventCsvColumns());

    const std::optional<IdRange> ids = matchingIds(store, filter);
    if (!ids)
        return storeFailed();
    const QList<IdRange> chunks = ids->last < ids->first ? QList<IdRange> {} : splitIds(*ids);
    const qint64 steps = qMax<qint64>(1, chunks.size());
    auto done = [&writer, error, progress] {
        if (!writer.commit(error))
            return false;
        if (progress)
            progress->rows = writer.rowsWritten() - 1; // without the header
        return true;
    };
    // Rows written so far (without the header) and whether to go on after `step` chunks.
    auto carryOn = [&writer, error, progress, steps](qint64 step) {
        return continueExport(progress, writer.rowsWritten() - 1, step, steps, error);
    };
    if (!carryOn(0))
        return false;
    if (chunks.isEmpty())
        return done(); // nothing matches: the header alone
    const std::atomic_bool neverStop = false;
    if (chunks.size() < 2 || isMemoryDatabase(store.path())) {
        for (qsizetype k = 0; k < chunks.size(); ++k) {
            if (!encodeRange(store, filter, chunks.at(k), shared, writer, neverStop))
                return storeFailed();
            if (!carryOn(k + 1))
                return false;
        }
        return done();
    }
    std::optional<OddChunkEncoder> helper;
    helper.emplace(store.path(), filter, shared, chunks);
    bool helperFailed = false;
    for (qsizetype k = 0; k < chunks.size(); ++k) {
        if (k % 2 == 1 && !helperFailed) {
            const EncodedChunk chunk = helper->take();
            if (chunk.ok) {
                writer.appendEncodedRows(chunk.bytes, chunk.rows);
                if (!carryOn(k + 1))
                    return false; // ~OddChunkEncoder stops and joins the helper
                continue;
            }
            helperFailed = true; // e.g. its connection did not open: go on alone
        }
        if (!encodeRange(store, filter, chunks.at(k), shared, writer, neverStop))
            return storeFailed(); // ~OddChunkEncoder stops and joins the helper
        if (!carryOn(k + 1))
            return false;
    }
    helper.reset();
    return done();
}

} // namespace spotkeeper::core
