// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/engines/builtin.h"

#include "tee-backend/engines/rewrite.h"
#include "tee-backend/engines/summarize.h"

#include <exception>

namespace sotto::engines {
namespace {

class BuiltinEngine final : public Engine {
public:
    explicit BuiltinEngine(std::string dictionaryDir)
        : m_speller(std::move(dictionaryDir))
    { }

    std::string_view name() const override { return "sotto-builtin/1"; }

    Result<std::string, EngineError> run(
        Feature feature, std::string_view request, Deadline deadline) override
    {
        // Nothing below throws by design; this is the boundary that keeps a
        // std::bad_alloc or an ICU surprise from crossing into the gateway.
        if (std::chrono::steady_clock::now() > deadline)
            return fail(EngineError::DeadlineExceeded, "the request arrived after its deadline");
        try {
            if (feature == Feature::Summarize) {
                SOTTO_TRY(auto req, parseSummarizeRequest(request));
                SOTTO_TRY(auto summary, summarize(req, deadline));
                return summaryToJson(summary, name());
            }
            SOTTO_TRY(auto req, parseRewriteRequest(request));
            SOTTO_TRY(auto rw, rewrite(req, m_speller, deadline));
            return rewriteToJson(rw, req.text, name());
        } catch (const std::bad_alloc &) {
            return fail(EngineError::TooLarge, "the request needs more memory than is available");
        } catch (const std::exception &) {
            return fail(EngineError::Internal, "the builtin engine failed on this request");
        }
    }

private:
    SpellChecker m_speller;
};

} // namespace

std::string_view errorName(EngineError e)
{
    switch (e) {
    case EngineError::BadRequest:
        return "BadRequest";
    case EngineError::Unsupported:
        return "Unsupported";
    case EngineError::TooLarge:
        return "TooLarge";
    case EngineError::DeadlineExceeded:
        return "DeadlineExceeded";
    case EngineError::Unavailable:
        return "Unavailable";
    case EngineError::Internal:
        return "Internal";
    }
    return "Unknown";
}

std::unique_ptr<Engine> makeBuiltinEngine(std::string dictionaryDir)
{
    return std::make_unique<BuiltinEngine>(std::move(dictionaryDir));
}

} // namespace sotto::engines
