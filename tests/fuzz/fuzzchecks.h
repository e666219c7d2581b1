// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/messagecodec.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

// What the fuzzers of the agent's metadata parsers check alike (fuzz_gce_metadata,
// fuzz_ec2_metadata): a broken property aborts, so libFuzzer reports it like a crash; an
// event built from a parsed answer must survive the dashboard's strict decoder unchanged.
namespace spotkeeper::fuzz {

[[noreturn]] inline void broken(const char *fuzzer, const char *property)
{
    std::fprintf(stderr, "%s: property broken: %s\n", fuzzer, property);
    std::abort();
}

// The input of a fuzzer with several checks: the first byte picks one of `modes`, the rest is
// what that check parses. Nothing for an empty input.
struct ModeInput
{
    unsigned mode = 0;
    QByteArrayView rest;
};

inline std::optional<ModeInput> modeInput(const std::uint8_t *data, std::size_t size,
                                          unsigned modes)
{
    if (size == 0)
        return std::nullopt;
    return ModeInput {
        data[0] % modes,
        QByteArrayView(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1))};
}

// A parser's answer (Parsed<T>) holds exactly one of a value and an error.
template<typename Parsed>
void exactlyOne(const char *fuzzer, const Parsed &parsed, const char *property)
{
    if (parsed.value.has_value() == !parsed.error.isEmpty())
        broken(fuzzer, property);
}

inline const QDateTime &sentAt()
{
    static const QDateTime time = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    return time;
}

inline void noticeRoundTrip(const char *fuzzer, const protocol::VmIdentity &vm,
                            const protocol::ScheduledEvent &event)
{
    protocol::Notice notice;
    notice.vm = vm;
    notice.event = event;
    notice.documentIncarnation = 1;
    notice.agentVersion = QStringLiteral("0.1.0");
    notice.sentAt = sentAt();
    const auto decoded = protocol::decodeNotice(protocol::encodeNotice(notice));
    if (!decoded.ok())
        broken(fuzzer, "a notice built from a parsed answer is refused by the decoder");
    // NotBefore travels in whole seconds (RFC 1123): compare what the wire can carry.
    if (notice.event.notBefore.isValid())
        notice.event.notBefore =
            QDateTime::fromSecsSinceEpoch(notice.event.notBefore.toSecsSinceEpoch(), Qt::UTC);
    if (!(*decoded.value == notice))
        broken(fuzzer, "a notice built from a parsed answer changes on the wire");
}

// A heartbeat with an identity a parser accepted must pass the protocol's checks unchanged.
inline void heartbeatRoundTrip(const char *fuzzer, const protocol::VmIdentity &vm)
{
    protocol::Heartbeat heartbeat;
    heartbeat.vm = vm;
    heartbeat.agentVersion = QStringLiteral("0.1.0");
    heartbeat.lastPoll = {sentAt(), true, {}};
    heartbeat.sentAt = sentAt();
    const auto decoded = protocol::decodeHeartbeat(protocol::encodeHeartbeat(heartbeat));
    if (!decoded.ok())
        broken(fuzzer, "an identity the parser accepts is refused by the protocol");
    if (!(*decoded.value == heartbeat))
        broken(fuzzer, "an identity the parser accepts changes on the wire");
}

} // namespace spotkeeper::fuzz
