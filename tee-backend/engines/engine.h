// SPDX-License-Identifier: GPL-3.0-or-later
// What the gateway runs on one decrypted request (DESIGN.md "Inner requests").
// An engine gets the JSON body of POST /v1/summarize or /v1/rewrite and
// returns the JSON answer; the gateway does HTTP, tokens, padding and
// encapsulation. Engines keep nothing between calls and never log content.
#pragma once

#include "protocol/common/result.h"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace sotto::engines {

enum class Feature { Summarize, Rewrite };

enum class EngineError {
    BadRequest,       // the JSON does not match the request schema (detail says where)
    Unsupported,      // unknown style or language the engine cannot serve
    TooLarge,         // over the engine's input limits
    DeadlineExceeded, // could not finish before the deadline
    Unavailable,      // a backing model server is down (LlmEngine)
    Internal,         // a bug; detail carries no content
};

std::string_view errorName(EngineError e);

using Deadline = std::chrono::steady_clock::time_point;

class Engine {
public:
    virtual ~Engine() = default;
    // Reported in the answer's "engine" field, e.g. "sotto-builtin/1".
    virtual std::string_view name() const = 0;
    // `request` is the UTF-8 JSON body; the result is the JSON answer
    // (DESIGN.md shapes). Thread-safe: the gateway calls it from its workers.
    // Failure details must not quote the request's text.
    virtual Result<std::string, EngineError> run(
        Feature feature, std::string_view request, Deadline deadline)
        = 0;
};

} // namespace sotto::engines
