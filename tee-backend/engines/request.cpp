// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/engines/request.h"

#include <string>

namespace sotto::engines {

Result<nlohmann::json, EngineError> parseRequestObject(std::string_view body, size_t maxBytes)
{
    if (body.size() > maxBytes)
        return fail(EngineError::TooLarge,
            "the request is " + std::to_string(body.size()) + " bytes, over the limit of "
                + std::to_string(maxBytes));
    nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return fail(EngineError::BadRequest, "the request body is not valid JSON (UTF-8)");
    if (!j.is_object())
        return fail(EngineError::BadRequest, "the request body must be a JSON object");
    return j;
}

Result<std::optional<Lang>, EngineError> requestLang(const nlohmann::json &request)
{
    auto it = request.find("lang");
    if (it == request.end() || it->is_null())
        return std::optional<Lang> {};
    if (!it->is_string())
        return fail(EngineError::BadRequest, "\"lang\" must be a string");
    const auto &tag = it->get_ref<const std::string &>();
    if (tag.empty() || tag == "auto")
        return std::optional<Lang> {};
    std::optional<Lang> lang = parseLang(tag);
    if (!lang)
        return fail(EngineError::Unsupported,
            "the builtin engine serves en, de, fr, es, ru and pt; not the requested language");
    return lang;
}

} // namespace sotto::engines
