// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/engines/rewrite.h"

#include "tee-backend/engines/request.h"

#include <hunspell/hunspell.hxx>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

namespace sotto::engines {
namespace {

using Json = nlohmann::json;

// Suggestions are the slow part of hunspell (milliseconds per word with the
// large dictionaries): a text with more unknown words than this gets the rest
// left as they are.
constexpr size_t kMaxSuggestions = 150;

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}
bool isAsciiUpper(char c)
{
    return c >= 'A' && c <= 'Z';
}
bool isAsciiLower(char c)
{
    return c >= 'a' && c <= 'z';
}
bool isLetterStart(char c)
{
    auto b = static_cast<unsigned char>(c);
    return isAsciiUpper(c) || isAsciiLower(c) || b >= 0xC3;
}

// Code points of a UTF-8 string (invalid bytes become U+FFFD): spelling
// distances count letters, not bytes ("помощ" is one letter from "помощь").
std::u32string codePoints(std::string_view s)
{
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? b : (b & (0x7F >> len));
        for (size_t k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += len;
    }
    return out;
}

// Optimal string alignment distance (Damerau-Levenshtein with adjacent
// transpositions) in letters; small words only.
size_t editDistance(std::string_view utf8a, std::string_view utf8b)
{
    std::u32string a = codePoints(utf8a), b = codePoints(utf8b);
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({ d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost });
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

bool isSubsequence(std::string_view utf8Small, std::string_view utf8Big)
{
    std::u32string small = codePoints(utf8Small), big = codePoints(utf8Big);
    size_t j = 0;
    for (size_t i = 0; i < big.size() && j < small.size(); ++i)
        if (big[i] == small[j])
            ++j;
    return j == small.size();
}

struct Edit {
    Span span;
    std::string after;
    std::string reason;
};

struct CompiledRule {
    std::vector<std::string> words;
    std::vector<bool> commaAfter;
    bool atStart = false;
    std::string to;
};

std::vector<CompiledRule> compile(std::span<const PhraseRule> rules)
{
    std::vector<CompiledRule> out;
    for (const auto &r : rules) {
        CompiledRule c;
        std::string_view from = r.from;
        if (from.starts_with("^")) {
            c.atStart = true;
            from.remove_prefix(1);
        }
        while (!from.empty()) {
            auto sp = from.find(' ');
            std::string w(from.substr(0, sp));
            bool comma = !w.empty() && w.back() == ',';
            if (comma)
                w.pop_back();
            if (!w.empty()) {
                c.words.push_back(w);
                c.commaAfter.push_back(comma);
            }
            if (sp == std::string_view::npos)
                break;
            from.remove_prefix(sp + 1);
        }
        c.to = r.to;
        out.push_back(std::move(c));
    }
    std::stable_sort(out.begin(), out.end(), [](const CompiledRule &a, const CompiledRule &b) {
        return a.words.size() > b.words.size();
    });
    return out;
}

bool isEmoji(char32_t cp)
{
    return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0xFE0F
        || cp == 0x200D;
}

class Rewriter {
public:
    Rewriter(const RewriteRequest &req, Lang lang, TextAnalyzer &ta, SpellChecker &speller,
        Deadline deadline)
        : m_text(req.text)
        , m_style(req.style)
        , m_lang(lang)
        , m_data(langData(lang))
        , m_ta(ta)
        , m_speller(speller)
        , m_deadline(deadline)
    {
        m_protected = protectedSpans(m_text);
        for (const Token &t : m_ta.words(m_text)) {
            if (overlapsAny(m_protected, t.span))
                continue;
            m_tokens.push_back(t);
            m_lower.push_back(m_ta.lower(slice(t.span)));
        }
    }

    Result<Rewrite, EngineError> run()
    {
        switch (m_style) {
        case Style::Proofread:
            if (auto st = spelling(); !st.ok())
                return Failure<EngineError> { st.error(), st.detail() };
            repeatedWords();
            spacing();
            punctuation();
            break;
        case Style::Concise:
            repeatedSentences();
            phrases(m_data.concise, "filler", "wordy phrase");
            repeatedWords();
            punctuation();
            break;
        case Style::Formal:
            phrases(m_data.formal, "formal tone", "formal tone");
            emoji();
            if (auto st = mechanicalFixes(); !st.ok())
                return Failure<EngineError> { st.error(), st.detail() };
            punctuation();
            break;
        case Style::Friendly:
            phrases(m_data.friendly, "friendly tone", "friendly tone");
            if (auto st = mechanicalFixes(); !st.ok())
                return Failure<EngineError> { st.error(), st.detail() };
            break;
        }
        return apply();
    }

private:
    std::string_view slice(Span s) const
    {
        return std::string_view(m_text).substr(s.begin, s.size());
    }

    bool atSentenceStart(size_t pos) const
    {
        while (pos > 0) {
            char c = m_text[pos - 1];
            if (isSpace(c) || c == '"' || c == '(' || c == '*' || c == '-')
                --pos;
            else
                break;
        }
        if (pos == 0)
            return true;
        char c = m_text[pos - 1];
        if (c == '\n' || c == '\r') {
            // A German letter goes on in lower case after the comma of its
            // salutation ("Sehr geehrte Frau Keller,\nvielen Dank ...").
            size_t q = pos - 1;
            while (q > 0 && (m_text[q - 1] == ' ' || m_text[q - 1] == '\t' || m_text[q - 1] == '\r'))
                --q;
            return !(m_lang == Lang::De && q > 0 && m_text[q - 1] == ',');
        }
        if (c == '!' || c == '?')
            return true;
        if (c != '.')
            return false;
        if (pos >= 2 && m_text[pos - 2] == '.')
            return false; // an ellipsis
        // "e.g." and "z.B.": a period after a one-letter word is an abbreviation.
        if (pos >= 3 && !isSpace(m_text[pos - 3]) && m_text[pos - 3] != '.')
            return true;
        return pos < 3;
    }

    bool spacesOnly(size_t b, size_t e) const
    {
        for (size_t i = b; i < e; ++i)
            if (!isSpace(m_text[i]))
                return false;
        return true;
    }

    void add(Span s, std::string after, std::string reason)
    {
        if (slice(s) == after)
            return;
        m_edits.push_back({ s, std::move(after), std::move(reason) });
    }

    // "thx", "pls", "u": chat words the formal style's table knows. They are
    // meant, not misspelled: proofreading leaves them (formal rewrites them).
    bool isKnownInformalWord(std::string_view lw) const
    {
        return std::any_of(m_data.formal.begin(), m_data.formal.end(),
            [&](const PhraseRule &r) { return r.from == lw; });
    }

    // A change of tone also fixes what proofreading would (a formal "i think"
    // is still wrong), where the tone's own changes leave room: an edit that
    // overlaps a phrase change is dropped, the phrase wins. Without a
    // dictionary for the language only the spelling is left out.
    Status<EngineError> mechanicalFixes()
    {
        const size_t toneEdits = m_edits.size();
        if (m_speller.available(m_lang)) {
            if (auto st = spelling(); !st.ok())
                return st; // the deadline passed
        }
        repeatedWords();
        spacing();
        auto overlapsTone = [&](const Edit &e) {
            return std::any_of(m_edits.begin(), m_edits.begin() + toneEdits, [&](const Edit &t) {
                return e.span.begin < t.span.end && t.span.begin < e.span.end;
            });
        };
        m_edits.erase(std::remove_if(m_edits.begin() + toneEdits, m_edits.end(), overlapsTone),
            m_edits.end());
        return Done {};
    }

    Status<EngineError> spelling()
    {
        bool haveDictionary = m_speller.available(m_lang);
        if (!haveDictionary)
            return fail(EngineError::Unavailable,
                "the hunspell dictionary for " + std::string(m_data.name) + " ("
                    + std::string(m_data.dictionary) + ") is not installed");
        size_t suggestions = 0;
        for (size_t i = 0; i < m_tokens.size(); ++i) {
            if ((i & 63) == 63 && std::chrono::steady_clock::now() > m_deadline)
                return fail(
                    EngineError::DeadlineExceeded, "the deadline passed while spell checking");
            const Token &t = m_tokens[i];
            if (t.kind != TokenKind::Word)
                continue;
            std::string word(slice(t.span));
            const std::string &lw = m_lower[i];
            bool start = atSentenceStart(t.span.begin);
            bool capitalised = lw != word;
            bool onlyFirstUpper = capitalised && capitalizeFirst(lw, m_lang) == word;
            // English "i", "i'm", "i'll": the pronoun is always capitalised.
            bool pronounI = m_lang == Lang::En && (lw == "i" || lw.starts_with("i'"));
            std::string fixed = word;
            std::string reason;
            // A capitalised word inside a sentence is a name, left alone; in
            // German it is also every noun, so there those are checked too.
            bool checkCapital = start || m_lang == Lang::De;
            if (word.size() >= 2 && word.size() <= 40
                && (!capitalised || (checkCapital && onlyFirstUpper)) && !pronounI
                && !isKnownInformalWord(lw)) {
                // One hunspell lookup per distinct word: chats repeat their names and slips.
                if (auto c = m_spellCache.find(word); c != m_spellCache.end()) {
                    fixed = c->second.first;
                    reason = c->second.second;
                } else {
                    auto ok = m_speller.spell(m_lang, word);
                    if (ok && !*ok && !(capitalised && m_speller.spell(m_lang, lw).value_or(false))
                        && suggestions < kMaxSuggestions) {
                        ++suggestions;
                        // The closest suggestion wins; hunspell's order breaks ties.
                        size_t best = 3;
                        int bestRank = 5;
                        // German nouns are only suggested capitalised: ask as typed.
                        for (const auto &s : m_speller.suggest(m_lang, capitalised ? word : lw)) {
                            std::string ls = m_ta.lower(s);
                            if (ls == lw) { // "friday" -> "Friday": a proper noun
                                fixed = s;
                                reason = "capitalisation";
                                break;
                            }
                            std::string joined = ls;
                            joined.erase(
                                std::remove(joined.begin(), joined.end(), ' '), joined.end());
                            if (ls != s && !capitalised)
                                continue; // never turn a common word into a name
                            size_t d = joined == lw ? 1 : editDistance(lw, ls);
                            // Ties: a common word (our stop-word list) wins ("shoud":
                            // should, not shroud), then swapped letters ("teh": the,
                            // not teth), then a dropped letter, then an extra one
                            // ("Artzt": Arzt, not Artet); then hunspell's order.
                            std::string sl = ls, wl = lw;
                            std::sort(sl.begin(), sl.end());
                            std::sort(wl.begin(), wl.end());
                            int rank = m_ta.isStopword(ls) ? 0
                                : sl == wl                 ? 1
                                : isSubsequence(lw, ls)    ? 2
                                : isSubsequence(ls, lw)    ? 3
                                                           : 4;
                            if (d < best || (d == best && rank < bestRank)) {
                                best = d;
                                bestRank = rank;
                                fixed = capitalised ? capitalizeFirst(s, m_lang) : s;
                                reason = "spelling";
                            }
                        }
                    }
                    m_spellCache.emplace(word, std::make_pair(fixed, reason));
                }
            }
            if (pronounI && word[0] == 'i') {
                fixed[0] = 'I';
                reason = reason.empty() ? "capitalisation" : reason;
            } else if (start && !capitalised && t.span.begin < m_text.size()) {
                std::string cap = capitalizeFirst(fixed, m_lang);
                if (cap != fixed) {
                    fixed = cap;
                    reason = reason.empty() ? "capitalisation" : reason + ", capitalisation";
                }
            }
            if (fixed != word)
                add(t.span, fixed, reason);
        }
        return Done {};
    }

    void repeatedWords()
    {
        std::unordered_set<std::string> allowed;
        forEachCue(m_data.repeatAllowed, [&](std::string_view w) { allowed.emplace(w); });
        for (size_t i = 0; i + 1 < m_tokens.size(); ++i) {
            const Token &a = m_tokens[i], &b = m_tokens[i + 1];
            if (a.kind != TokenKind::Word || b.kind != TokenKind::Word
                || m_lower[i] != m_lower[i + 1] || allowed.count(m_lower[i])
                || !spacesOnly(a.span.end, b.span.begin))
                continue;
            add({ a.span.end, b.span.end }, "", "repeated word");
            ++i;
        }
    }

    void spacing()
    {
        const std::string_view punct = m_data.spaceBeforeHighPunct ? ",." : ",.;:!?";
        for (size_t i = 0; i < m_text.size(); ++i) {
            if (overlapsAny(m_protected, { i, i + 1 }))
                continue;
            char c = m_text[i];
            if (c == ' ' && i > 0 && !isSpace(m_text[i - 1]) && m_text[i - 1] != '\n') {
                size_t e = i;
                while (e < m_text.size() && isSpace(m_text[e]))
                    ++e;
                if (e >= m_text.size() || m_text[e] == '\n' || m_text[e] == '\r') {
                    i = e;
                    continue;
                }
                char next = m_text[e];
                char after = e + 1 < m_text.size() ? m_text[e + 1] : ' ';
                bool emoticon
                    = std::string_view(")(DPpO3/|*-").find(after) != std::string_view::npos;
                bool ellipsis = next == '.' && after == '.';
                if (punct.find(next) != std::string_view::npos && !emoticon && !ellipsis
                    && !overlapsAny(m_protected, { e, e + 1 }))
                    add({ i, e }, "", "spacing");
                else if (e - i >= 2)
                    add({ i, e }, " ", "spacing");
                i = e - 1;
                continue;
            }
            if ((c == ',' || c == ';') && i > 0 && i + 1 < m_text.size()
                && isLetterStart(m_text[i + 1]) && isLetterStart(m_text[i - 1])
                && !overlapsAny(m_protected, { i + 1, i + 2 }))
                add({ i + 1, i + 1 }, " ", "spacing");
            if ((c == '.' || c == '!' || c == '?') && i >= 2 && i + 2 < m_text.size()
                && isAsciiLower(m_text[i - 1]) && isAsciiLower(m_text[i - 2])
                && isAsciiUpper(m_text[i + 1]) && isAsciiLower(m_text[i + 2])
                && !overlapsAny(m_protected, { i + 1, i + 2 }))
                add({ i + 1, i + 1 }, " ", "spacing");
        }
    }

    void punctuation()
    {
        for (size_t i = 0; i + 1 < m_text.size(); ++i) {
            char c = m_text[i];
            if ((c != ',' && c != '!' && c != '?' && c != '.') || m_text[i + 1] != c
                || overlapsAny(m_protected, { i, i + 1 }))
                continue;
            size_t e = i;
            while (e < m_text.size() && m_text[e] == c)
                ++e;
            if (c == '.' && e - i != 2) {
                i = e;
                continue; // an ellipsis is punctuation too
            }
            add({ i, e }, std::string(1, c), "punctuation");
            i = e;
        }
    }

    void repeatedSentences()
    {
        std::unordered_set<std::string> seen;
        for (Span s : m_ta.sentences(m_text)) {
            std::string key;
            for (const Token &t : m_ta.words(slice(s)))
                key += m_ta.lower(slice({ s.begin + t.span.begin, s.begin + t.span.end })) + " ";
            if (key.size() < 8)
                continue; // "ok", "thanks": repeating them is style, not redundancy
            if (!seen.insert(key).second) {
                size_t b = s.begin;
                while (b > 0 && (isSpace(m_text[b - 1]) || m_text[b - 1] == '\n'))
                    --b;
                add({ b, s.end }, "", "repeated sentence");
            }
        }
    }

    void phrases(
        std::span<const PhraseRule> table, const char *dropReason, const char *replaceReason)
    {
        auto rules = compile(table);
        for (size_t i = 0; i < m_tokens.size(); ++i) {
            if (m_tokens[i].kind != TokenKind::Word)
                continue;
            bool pending = m_pendingCap == i;
            bool start = pending || atSentenceStart(m_tokens[i].span.begin);
            bool matched = false;
            for (const auto &r : rules) {
                size_t n = r.words.size();
                if ((r.atStart && !start) || i + n > m_tokens.size())
                    continue;
                bool match = true;
                for (size_t k = 0; k < n && match; ++k) {
                    match = m_lower[i + k] == r.words[k];
                    if (match && k + 1 < n) {
                        std::string_view gap(
                            slice({ m_tokens[i + k].span.end, m_tokens[i + k + 1].span.begin }));
                        match = r.commaAfter[k] ? (gap == ", " || gap == ",") : (gap == " ");
                    }
                }
                if (!match)
                    continue;
                const Token &first = m_tokens[i], &last = m_tokens[i + n - 1];
                bool hasNext = i + n < m_tokens.size();
                size_t nextBegin = hasNext ? m_tokens[i + n].span.begin : m_text.size();
                // A contraction needs a word after it: "I know what it is." stays.
                // Only the replacement's last word counts: "s'il vous plaît"
                // may end a sentence.
                const std::string_view lastWord = std::string_view(r.to).substr(
                    r.to.find_last_of(' ') == std::string::npos ? 0 : r.to.find_last_of(' ') + 1);
                if (lastWord.find('\'') != std::string_view::npos
                    && (!hasNext || !spacesOnly(last.span.end, nextBegin)))
                    continue;
                if (r.to.empty()) {
                    if (!drop(i, n, start, dropReason))
                        continue;
                } else {
                    std::string after = r.to;
                    bool upper = slice(first.span) != m_lower[i]
                        && capitalizeFirst(m_lower[i], m_lang).substr(0, 4)
                            == std::string(slice(first.span)).substr(0, 4);
                    if (upper || start)
                        after = capitalizeFirst(after, m_lang);
                    add({ first.span.begin, last.span.end }, after, replaceReason);
                }
                i += n - 1;
                matched = true;
                break;
            }
            if (pending && !matched) {
                // The word after a dropped opener starts the sentence now.
                const Token &t = m_tokens[i];
                add(t.span, capitalizeFirst(slice(t.span), m_lang), "capitalisation");
            }
        }
    }

    // Removes tokens [i, i+n) with the spaces and commas around them.
    bool drop(size_t i, size_t n, bool start, const char *reason)
    {
        const Token &first = m_tokens[i], &last = m_tokens[i + n - 1];
        size_t b = first.span.begin, e = last.span.end;
        size_t f = e;
        while (f < m_text.size() && isSpace(m_text[f]))
            ++f;
        bool hasNext = i + n < m_tokens.size();
        const Token *next = hasNext ? &m_tokens[i + n] : nullptr;
        if (f < m_text.size() && m_text[f] == ',') {
            size_t c = b;
            while (c > 0 && isSpace(m_text[c - 1]))
                --c;
            if (c > 0 && m_text[c - 1] == ',') {
                add({ c - 1, f + 1 }, "", reason); // "we are, actually, done"
                return true;
            }
            size_t g = f + 1;
            while (g < m_text.size() && isSpace(m_text[g]))
                ++g;
            if (!next || next->span.begin != g)
                return false;
            return dropBefore(b, *next, start, reason, i + n);
        }
        // German main clauses put the verb second: "Eigentlich ist der Bericht
        // fertig" without its first word would read as a question. A filler
        // opening a German sentence stays unless a comma sets it apart.
        if (start && m_lang == Lang::De)
            return false;
        if (next && next->span.begin == f && f > e)
            return dropBefore(b, *next, start, reason, i + n);
        if (start)
            return false; // "Really?" is the whole sentence
        size_t c = b;
        while (c > 0 && isSpace(m_text[c - 1]))
            --c;
        add({ c, e }, "", reason);
        return true;
    }

    bool dropBefore(size_t b, const Token &next, bool start, const char *reason, size_t nextIndex)
    {
        add({ b, next.span.begin }, "", reason);
        // At the start of a sentence the next word takes the capital letter.
        if (start)
            m_pendingCap = nextIndex;
        return true;
    }

    void emoji()
    {
        static constexpr std::string_view kEmoticons[]
            = { ":)", ":-)", ";)", ";-)", ":D", ":-D", ":(", ":-(", ":P", ":p", "xD", "XD", "<3" };
        for (size_t i = 0; i < m_text.size();) {
            size_t start = i;
            auto b = static_cast<unsigned char>(m_text[i]);
            size_t len = b < 0x80 ? 1
                : (b >> 5) == 6   ? 2
                : (b >> 4) == 14  ? 3
                : (b >> 3) == 30  ? 4
                                  : 1;
            char32_t cp = b < 0x80 ? b : (b & (0x7F >> len));
            for (size_t k = 1; k < len && i + k < m_text.size(); ++k)
                cp = (cp << 6) | (static_cast<unsigned char>(m_text[i + k]) & 0x3F);
            size_t end = std::min(m_text.size(), i + len);
            bool hit = isEmoji(cp);
            if (!hit && (i == 0 || isSpace(m_text[i - 1]))) {
                for (auto e : kEmoticons)
                    if (std::string_view(m_text).substr(i).starts_with(e)
                        && (i + e.size() == m_text.size() || isSpace(m_text[i + e.size()])
                            || m_text[i + e.size()] == '\n')) {
                        hit = true;
                        end = i + e.size();
                    }
            }
            if (hit && !overlapsAny(m_protected, { start, end })) {
                // Swallow a run of emoji and the space before it.
                size_t e = end;
                size_t s = start;
                while (s > 0 && isSpace(m_text[s - 1]))
                    --s;
                if (s == 0)
                    while (e < m_text.size() && isSpace(m_text[e]))
                        ++e;
                add({ s, e }, "", "emoji");
            }
            i = end;
        }
    }

    Result<Rewrite, EngineError> apply()
    {
        std::stable_sort(m_edits.begin(), m_edits.end(), [](const Edit &a, const Edit &b) {
            return a.span.begin != b.span.begin ? a.span.begin < b.span.begin
                                                : a.span.end < b.span.end;
        });
        Rewrite out;
        out.lang = m_lang;
        out.style = m_style;
        size_t pos = 0;
        bool lastWasInsert = false;
        for (auto &e : m_edits) {
            if (e.span.begin < pos || (lastWasInsert && e.span.begin == pos && e.span.size() == 0))
                continue; // overlaps a change already taken
            out.text.append(m_text, pos, e.span.begin - pos);
            out.text += e.after;
            pos = e.span.end;
            lastWasInsert = e.span.size() == 0;
            out.changes.push_back({ e.span, std::string(slice(e.span)), e.after, e.reason });
        }
        out.text.append(m_text, pos, std::string::npos);
        return out;
    }

    const std::string &m_text;
    Style m_style;
    Lang m_lang;
    const LangData &m_data;
    TextAnalyzer &m_ta;
    SpellChecker &m_speller;
    Deadline m_deadline;
    std::vector<Span> m_protected;
    std::vector<Token> m_tokens;
    std::vector<std::string> m_lower;
    std::vector<Edit> m_edits;
    size_t m_pendingCap = SIZE_MAX;
    std::unordered_map<std::string, std::pair<std::string, std::string>> m_spellCache;
};

} // namespace

std::string_view styleName(Style s)
{
    switch (s) {
    case Style::Proofread:
        return "proofread";
    case Style::Concise:
        return "concise";
    case Style::Formal:
        return "formal";
    case Style::Friendly:
        return "friendly";
    }
    return "?";
}

SpellChecker::SpellChecker(std::string dictionaryDir)
    : m_dir(std::move(dictionaryDir))
{ }
SpellChecker::~SpellChecker() = default;

Hunspell *SpellChecker::load(Slot &slot, Lang lang)
{
    if (!slot.tried) {
        slot.tried = true;
        std::string base = m_dir + "/" + std::string(langData(lang).dictionary);
        std::error_code ec;
        // Loading a UTF-8 dictionary initialises hunspell's process-wide character
        // table (csutil's utf_tbl) without a lock: one load at a time.
        static std::mutex loadMutex;
        std::lock_guard loadLock(loadMutex);
        if (std::filesystem::exists(base + ".aff", ec)
            && std::filesystem::exists(base + ".dic", ec))
            slot.hunspell
                = std::make_unique<Hunspell>((base + ".aff").c_str(), (base + ".dic").c_str());
    }
    return slot.hunspell.get();
}

bool SpellChecker::available(Lang lang)
{
    auto &slot = m_slots[static_cast<size_t>(lang)];
    std::lock_guard lock(slot.mutex);
    return load(slot, lang) != nullptr;
}

std::optional<bool> SpellChecker::spell(Lang lang, const std::string &word)
{
    auto &slot = m_slots[static_cast<size_t>(lang)];
    std::lock_guard lock(slot.mutex);
    Hunspell *h = load(slot, lang);
    if (!h)
        return std::nullopt;
    return h->spell(word);
}

std::vector<std::string> SpellChecker::suggest(Lang lang, const std::string &word)
{
    auto &slot = m_slots[static_cast<size_t>(lang)];
    std::lock_guard lock(slot.mutex);
    Hunspell *h = load(slot, lang);
    if (!h)
        return {};
    return h->suggest(word);
}

Result<RewriteRequest, EngineError> parseRewriteRequest(std::string_view body)
{
    SOTTO_TRY(Json j, parseRequestObject(body, 4 * kMaxRewriteBytes));
    RewriteRequest req;
    auto text = j.find("text");
    if (text == j.end() || !text->is_string())
        return fail(EngineError::BadRequest, "\"text\" must be a string");
    req.text = text->get<std::string>();
    if (req.text.size() > kMaxRewriteBytes)
        return fail(EngineError::TooLarge,
            "\"text\" is " + std::to_string(req.text.size()) + " bytes, over the limit of "
                + std::to_string(kMaxRewriteBytes));
    auto style = j.find("style");
    if (style != j.end() && !style->is_null()) {
        if (!style->is_string())
            return fail(EngineError::BadRequest, "\"style\" must be a string");
        const auto &s = style->get_ref<const std::string &>();
        if (s == "proofread")
            req.style = Style::Proofread;
        else if (s == "concise")
            req.style = Style::Concise;
        else if (s == "formal")
            req.style = Style::Formal;
        else if (s == "friendly")
            req.style = Style::Friendly;
        else
            return fail(EngineError::Unsupported,
                "unknown \"style\"; the builtin engine has proofread, concise, formal, friendly");
    }
    SOTTO_TRY(req.lang, requestLang(j));
    return req;
}

Result<Rewrite, EngineError> rewrite(
    const RewriteRequest &request, SpellChecker &speller, Deadline deadline)
{
    Lang lang;
    if (request.lang) {
        lang = *request.lang;
    } else {
        auto detected = detectLang(request.text);
        if (!detected)
            return fail(EngineError::Unsupported,
                "the text is mostly in a script the builtin engine does not serve (it serves en, "
                "de, fr, es, ru and pt)");
        lang = *detected;
    }
    SOTTO_TRY(auto ta, TextAnalyzer::create(lang));
    Rewriter r(request, lang, *ta, speller, deadline);
    return r.run();
}

std::string rewriteToJson(const Rewrite &rw, std::string_view original, std::string_view engineName)
{
    Json changes = Json::array();
    for (const auto &c : rw.changes)
        changes.push_back({ { "start", c.span.begin }, { "end", c.span.end },
            { "start16", utf16Offset(original, c.span.begin) },
            { "end16", utf16Offset(original, c.span.end) }, { "before", c.before },
            { "after", c.after }, { "reason", c.reason } });
    Json out = { { "text", rw.text }, { "changes", changes }, { "lang", langData(rw.lang).code },
        { "style", styleName(rw.style) }, { "engine", engineName } };
    return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace sotto::engines
