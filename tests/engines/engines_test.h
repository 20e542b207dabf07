// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the engine tests: one engine for the whole binary (the
// hunspell dictionaries load once) and JSON round trips.
#pragma once

#include "tee-backend/engines/builtin.h"
#include "tests/support/result_assert.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace sotto::engines::test {

inline Engine &builtin()
{
    static auto engine = makeBuiltinEngine();
    return *engine;
}

inline Deadline farDeadline()
{
    return std::chrono::steady_clock::now() + std::chrono::minutes(5);
}

inline Result<std::string, EngineError> runJson(Feature f, const nlohmann::json &request)
{
    return builtin().run(f, request.dump(), farDeadline());
}

// One message of a chat request.
inline nlohmann::json msg(const std::string &from, const std::string &text)
{
    return { { "from", from }, { "time", "2026-11-20T10:00:00Z" }, { "text", text } };
}

} // namespace sotto::engines::test
