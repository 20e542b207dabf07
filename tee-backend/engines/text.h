// SPDX-License-Identifier: GPL-3.0-or-later
// Text analysis shared by the engines: ICU sentence and word boundaries on
// UTF-8 (offsets are byte offsets into the caller's string), case mapping,
// Snowball stemming, and the spans a rewrite must never touch (links, e-mail
// addresses, mentions, code, numbers).
#pragma once

#include "tee-backend/engines/engine.h"
#include "tee-backend/engines/lang.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace sotto::engines {

struct Span {
    size_t begin = 0;
    size_t end = 0;
    size_t size() const { return end - begin; }
    bool contains(size_t pos) const { return pos >= begin && pos < end; }
};

enum class TokenKind { Word, Number, Other };

struct Token {
    Span span;
    TokenKind kind;
};

// One per request (not shared between threads): ICU break iterators are
// stateful. Creating one costs microseconds; ICU caches the rule data.
class TextAnalyzer {
public:
    static Result<std::unique_ptr<TextAnalyzer>, EngineError> create(Lang lang);
    ~TextAnalyzer();
    TextAnalyzer(const TextAnalyzer &) = delete;
    TextAnalyzer &operator=(const TextAnalyzer &) = delete;

    Lang lang() const { return m_lang; }
    // Sentences of `text` (trimmed of surrounding white space; empty ones dropped).
    std::vector<Span> sentences(std::string_view text);
    // Words and numbers of `text`; punctuation, spaces and emoji are left out.
    std::vector<Token> words(std::string_view text);
    // Lowercase (full Unicode case mapping in the language's locale).
    std::string lower(std::string_view word) const;
    // Snowball stem of a lowercase word.
    std::string stem(std::string_view lowerWord);
    bool isStopword(std::string_view lowerWord) const;

private:
    struct Impl;
    explicit TextAnalyzer(Lang lang);
    Lang m_lang;
    std::unique_ptr<Impl> m_impl;
};

// Links, e-mail addresses, @mentions, `code` and ```code blocks```, in order,
// not overlapping. A rewrite leaves them exactly as they are.
std::vector<Span> protectedSpans(std::string_view text);

// Whether a span overlaps any of the sorted, disjoint `spans`.
bool overlapsAny(const std::vector<Span> &spans, Span s);

// Offset in UTF-16 code units of byte offset `byteOffset` (what Qt and
// JavaScript index strings by).
size_t utf16Offset(std::string_view text, size_t byteOffset);

// Collapses runs of white space into one space and trims.
std::string collapseSpaces(std::string_view text);

// Uppercases the first letter of `word` (locale-aware).
std::string capitalizeFirst(std::string_view word, Lang lang);

} // namespace sotto::engines
