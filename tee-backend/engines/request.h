// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the engines: the parts of a request body that summarize and
// rewrite read the same way.
#pragma once

#include "tee-backend/engines/engine.h"
#include "tee-backend/engines/lang.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace sotto::engines {

// The body as a JSON object: TooLarge over maxBytes, BadRequest when it is not
// valid JSON or not an object.
Result<nlohmann::json, EngineError> parseRequestObject(std::string_view body, size_t maxBytes);

// The request's optional "lang": nullopt (detect it) when absent, null, empty
// or "auto"; Unsupported for a language the builtin engine does not serve.
Result<std::optional<Lang>, EngineError> requestLang(const nlohmann::json &request);

} // namespace sotto::engines
