// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/echo_engine.h"

#include <nlohmann/json.hpp>

#include <thread>

namespace sotto::gateway {

using engines::EngineError;

Result<std::string, EngineError> EchoEngine::run(
    engines::Feature feature, std::string_view request, engines::Deadline deadline)
{
    using nlohmann::json;
    json in = json::parse(request.begin(), request.end(), nullptr, false);
    if (in.is_discarded() || !in.is_object())
        return fail(EngineError::BadRequest, "the body is not a JSON object");
    if (in.contains("echo_delay_ms")) {
        if (!in["echo_delay_ms"].is_number_unsigned())
            return fail(EngineError::BadRequest, "echo_delay_ms must be a non-negative integer");
        const auto until = std::chrono::steady_clock::now()
            + std::chrono::milliseconds(in["echo_delay_ms"].get<uint32_t>());
        if (until > deadline) {
            std::this_thread::sleep_until(deadline);
            return fail(EngineError::DeadlineExceeded, "the echo delay outlasts the deadline");
        }
        std::this_thread::sleep_until(until);
    }
    json out;
    if (feature == engines::Feature::Summarize) {
        if (!in.contains("messages") || !in["messages"].is_array())
            return fail(EngineError::BadRequest, "\"messages\" must be an array");
        json summary = json::array();
        for (const json &m : in["messages"]) {
            if (!m.is_object() || !m.contains("text") || !m["text"].is_string())
                return fail(EngineError::BadRequest, "every message needs a \"text\" string");
            summary.push_back(m["text"]);
        }
        out = json { { "summary", std::move(summary) }, { "decisions", json::array() },
            { "questions", json::array() }, { "actions", json::array() } };
    } else {
        if (!in.contains("text") || !in["text"].is_string())
            return fail(EngineError::BadRequest, "\"text\" must be a string");
        out = json { { "text", in["text"] }, { "changes", json::array() } };
    }
    out["engine"] = std::string(name());
    return out.dump();
}

} // namespace sotto::gateway
