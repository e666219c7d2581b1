// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httpserver.h"

// Internal helpers of spotkeeper_http: response serialization and canned texts.
namespace spotkeeper::http {

QByteArray reasonPhrase(int status);
// IMF-fixdate of the current second, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
QByteArray httpDate();
// Status line, the handler's headers (minus framing headers we own), Date,
// Content-Length, and "Connection: close" when closing ("keep-alive" when an HTTP/1.0
// client asked for it). HEAD keeps the length, drops the body.
QByteArray serializeResponse(const Response &response, bool closing, bool headRequest,
                             bool http10KeepAlive = false);
QString defaultRejectMessage(int status, const Limits &limits);

} // namespace spotkeeper::http
