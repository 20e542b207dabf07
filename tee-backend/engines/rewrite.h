// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in writing help (POST /v1/rewrite). Every change is a replacement
// of one span of the original text, with a reason, so the client can show a
// diff and let the user accept each change. Links, e-mail addresses,
// mentions, code, numbers and (mid-sentence) capitalised names are never
// changed.
#pragma once

#include "tee-backend/engines/engine.h"
#include "tee-backend/engines/lang.h"
#include "tee-backend/engines/text.h"

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

class Hunspell;

namespace sotto::engines {

enum class Style { Proofread, Concise, Formal, Friendly };

std::string_view styleName(Style s);

inline constexpr size_t kMaxRewriteBytes = 64 * 1024;

struct RewriteRequest {
    std::string text;
    Style style = Style::Proofread;
    std::optional<Lang> lang;
};

struct Change {
    Span span; // bytes of the original text
    std::string before;
    std::string after;
    std::string reason; // spelling, repeated word, spacing, capitalisation, punctuation, ...
};

struct Rewrite {
    Lang lang = Lang::En;
    Style style = Style::Proofread;
    std::string text;
    std::vector<Change> changes;
};

// Hunspell dictionaries, loaded on first use and kept for the process's life
// (they hold no user data). Thread-safe: one lock per language.
class SpellChecker {
public:
    explicit SpellChecker(std::string dictionaryDir);
    ~SpellChecker();
    SpellChecker(const SpellChecker &) = delete;
    SpellChecker &operator=(const SpellChecker &) = delete;

    // Whether the language's .aff and .dic files exist and load.
    bool available(Lang lang);
    // nullopt when the dictionary is not available.
    std::optional<bool> spell(Lang lang, const std::string &word);
    std::vector<std::string> suggest(Lang lang, const std::string &word);

private:
    struct Slot {
        std::mutex mutex;
        bool tried = false;
        std::unique_ptr<Hunspell> hunspell;
    };
    Hunspell *load(Slot &slot, Lang lang); // slot.mutex held
    std::string m_dir;
    std::array<Slot, 6> m_slots;
};

Result<RewriteRequest, EngineError> parseRewriteRequest(std::string_view json);

Result<Rewrite, EngineError> rewrite(
    const RewriteRequest &request, SpellChecker &speller, Deadline deadline);

// The answer body: {"text","changes":[{"start","end","start16","end16","before",
// "after","reason"}],"lang","style","engine"}; start/end are UTF-8 byte offsets
// into the original text, start16/end16 UTF-16 code units.
std::string rewriteToJson(
    const Rewrite &rewrite, std::string_view original, std::string_view engineName);

} // namespace sotto::engines
