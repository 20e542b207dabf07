// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the built-in engine's request handling: the JSON
// parsers of /v1/summarize and /v1/rewrite and everything behind them (ICU
// segmentation, stemming, ranking, hunspell, the change list). The first
// byte picks the feature (even: summarize, odd: rewrite); the rest is the
// body. Besides "no crash, no leak, no UB", it checks:
//   - a failure is one of the codes a request can cause (never Internal);
//   - a success is a JSON object with the contract's keys and an "engine";
//   - every rewrite change's span lies inside the original text, in order.
//
// Seeds (corpus/engines_request/): requests written for this target, one per
// style and a few chats in the six languages, each prefixed with its byte.
#include "tee-backend/engines/builtin.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace sotto::engines;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static auto engine = makeBuiltinEngine();
    // Large inputs only repeat what small ones reach, at hunspell's pace.
    if (size == 0 || size > 16 * 1024)
        return 0;
    Feature f = (data[0] & 1) ? Feature::Rewrite : Feature::Summarize;
    std::string_view body(reinterpret_cast<const char *>(data + 1), size - 1);
    auto r = engine->run(f, body, std::chrono::steady_clock::now() + std::chrono::seconds(10));
    if (!r.ok()) {
        switch (r.error()) {
        case EngineError::BadRequest:
        case EngineError::Unsupported:
        case EngineError::TooLarge:
        case EngineError::DeadlineExceeded:
            return 0;
        default:
            std::abort();
        }
    }
    auto out = nlohmann::json::parse(*r, nullptr, false);
    if (!out.is_object() || !out.contains("engine"))
        std::abort();
    if (f == Feature::Summarize) {
        for (const char *k : {"summary", "decisions", "questions", "actions"})
            if (!out[k].is_array())
                std::abort();
        return 0;
    }
    auto req = nlohmann::json::parse(body, nullptr, false);
    size_t len = req["text"].get<std::string>().size();
    size_t pos = 0;
    for (const auto &c : out["changes"]) {
        size_t b = c["start"], e = c["end"];
        if (b < pos || e < b || e > len)
            std::abort();
        pos = e;
    }
    return 0;
}
