// SPDX-License-Identifier: GPL-3.0-or-later
// LlmEngine: the same two features served by a large language model that runs
// in the same confidential VM behind an OpenAI-compatible chat-completions
// endpoint on loopback (llama.cpp's server, vLLM). The request is checked by
// the built-in engine's parsers first; the model's answer must be the JSON the
// prompt asks for, with message links in range and (for rewrites) every link,
// code span, mention, e-mail address and number of the original kept verbatim.
// Anything else -- server down, HTTP error, timeout, truncated or invalid
// output -- falls back to the built-in engine, whose answer says so in its
// "engine" field. Nothing is logged and nothing is kept between calls.
#pragma once

#include "tee-backend/engines/engine.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace sotto::engines {

struct LlmConfig {
    // Loopback only: the plaintext must not leave the VM.
    std::string host = "127.0.0.1";
    uint16_t port = 8080;
    std::string path = "/v1/chat/completions";
    std::string model = "default";
    // Upper bound per request; the request's own deadline may be earlier.
    std::chrono::milliseconds timeout { 30000 };
    // Time kept back from the deadline for the built-in fallback.
    std::chrono::milliseconds fallbackReserve { 1000 };
    int maxTokens = 1024;
    double temperature = 0.2;
    size_t maxResponseBytes = 1024 * 1024;
};

// Unsupported when `config.host` is not a loopback address. `fallback` may be
// null: failures are then returned (Unavailable, DeadlineExceeded).
Result<std::unique_ptr<Engine>, EngineError> makeLlmEngine(
    LlmConfig config, std::unique_ptr<Engine> fallback);

} // namespace sotto::engines
