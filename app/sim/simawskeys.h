// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The simulated AWS account's static keys (SigV4): fake, accepted only by spotkeeper-sim on
// 127.0.0.1 (ServerOptions' defaults), and what the demo's engine signs with (DemoSimulator).
namespace spotkeeper::sim {

inline constexpr auto kSimAwsAccessKeyId = "AKIASIMULATOR0000001";
inline constexpr auto kSimAwsSecretAccessKey = "sim-aws-secret-access-key";

} // namespace spotkeeper::sim
