// SPDX-License-Identifier: GPL-3.0-or-later
// The languages the built-in engines serve, and what they know about each:
// stop words, the cue phrases that mark decisions, questions and action items,
// the phrase tables of the rewrite styles. Every list here was written for
// Sotto (see docs/ENGINES.md); none is copied from another project.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace sotto::engines {

enum class Lang { En, De, Fr, Es, Ru, Pt };

inline constexpr Lang kAllLangs[] = { Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Ru, Lang::Pt };

// A phrase replacement of a rewrite style: lowercase words separated by single
// spaces, matched on word boundaries; `to` may be empty (drop the phrase).
// A leading "^" matches only at the start of a sentence or line (greetings,
// closings); a word ending in "," needs a comma after it in the text.
struct PhraseRule {
    std::string_view from;
    std::string_view to;
};

struct LangData {
    Lang lang;
    std::string_view code;       // BCP 47 primary subtag: "en"
    std::string_view name;       // English name, for error details
    std::string_view snowball;   // libstemmer algorithm name
    std::string_view icuLocale;  // locale for ICU break iterators and case mapping
    std::string_view dictionary; // hunspell dictionary base name in /usr/share/hunspell
    std::string_view stopwords;  // space-separated, lowercase
    // Lowercase word sequences (space-separated alternatives separated by '|').
    std::string_view decisionCues;
    std::string_view actionSelfCues;    // "i'll", "i will": the author commits
    std::string_view actionRequestCues; // "can you", "please": someone is asked
    std::string_view deadlineCues;      // "by", "until", "before": introduce a due date
    std::string_view timeWords;         // weekdays, "tomorrow", "today", months
    std::string_view answerCues;        // words that open a reply to a question
    std::string_view questionWords;     // for languages where "?" can be missing
    std::string_view repeatAllowed;     // words that may legitimately repeat ("had had")
    std::span<const PhraseRule> concise;
    std::span<const PhraseRule> formal;
    std::span<const PhraseRule> friendly;
    bool spaceBeforeHighPunct; // French: a space before ; : ! ?
};

const LangData &langData(Lang lang);

// "en", "en-US", "de_DE", "pt-BR" -> the language; nullopt for anything else.
std::optional<Lang> parseLang(std::string_view tag);

// Picks the served language of a text from its stop words and script.
// nullopt when the text is mostly in a script none of them uses (CJK, Arabic, ...).
std::optional<Lang> detectLang(std::string_view utf8);

// Calls f(piece) for each '|'-separated piece of a cue list.
template <class F> void forEachCue(std::string_view list, F &&f)
{
    while (!list.empty()) {
        auto bar = list.find('|');
        auto piece = list.substr(0, bar);
        if (!piece.empty())
            f(piece);
        if (bar == std::string_view::npos)
            break;
        list.remove_prefix(bar + 1);
    }
}

} // namespace sotto::engines
