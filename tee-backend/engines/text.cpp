// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/engines/text.h"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubrk.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <unordered_set>

namespace sotto::engines {
namespace {

struct UTextCloser {
    void operator()(UText *t) const { utext_close(t); }
};
using UTextPtr = std::unique_ptr<UText, UTextCloser>;

struct StemmerDeleter {
    void operator()(sb_stemmer *s) const { sb_stemmer_delete(s); }
};

bool isSpaceByte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool isAsciiAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool allAscii(std::string_view s)
{
    return std::all_of(
        s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

} // namespace

struct TextAnalyzer::Impl {
    icu::Locale locale;
    std::unique_ptr<icu::BreakIterator> sentence;
    std::unique_ptr<icu::BreakIterator> word;
    std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer;
    std::unordered_set<std::string_view> stop;
};

TextAnalyzer::TextAnalyzer(Lang lang)
    : m_lang(lang)
    , m_impl(std::make_unique<Impl>())
{ }
TextAnalyzer::~TextAnalyzer() = default;

Result<std::unique_ptr<TextAnalyzer>, EngineError> TextAnalyzer::create(Lang lang)
{
    const auto &d = langData(lang);
    std::unique_ptr<TextAnalyzer> a(new TextAnalyzer(lang));
    a->m_impl->locale = icu::Locale(std::string(d.icuLocale).c_str());
    // "@ss=standard": ICU's abbreviation list ("Mr.", "z.B.", "p.ex.") does
    // not end a sentence.
    icu::Locale breakLocale((std::string(d.icuLocale) + "@ss=standard").c_str());
    UErrorCode status = U_ZERO_ERROR;
    a->m_impl->sentence.reset(icu::BreakIterator::createSentenceInstance(breakLocale, status));
    if (U_FAILURE(status) || !a->m_impl->sentence)
        return fail(EngineError::Internal, "ICU has no sentence break rules for this language");
    status = U_ZERO_ERROR;
    a->m_impl->word.reset(icu::BreakIterator::createWordInstance(a->m_impl->locale, status));
    if (U_FAILURE(status) || !a->m_impl->word)
        return fail(EngineError::Internal, "ICU has no word break rules for this language");
    a->m_impl->stemmer.reset(sb_stemmer_new(std::string(d.snowball).c_str(), "UTF_8"));
    if (!a->m_impl->stemmer)
        return fail(EngineError::Internal, "libstemmer has no stemmer for this language");
    std::string_view list = d.stopwords;
    while (!list.empty()) {
        auto sp = list.find(' ');
        if (sp != 0)
            a->m_impl->stop.insert(list.substr(0, sp));
        if (sp == std::string_view::npos)
            break;
        list.remove_prefix(sp + 1);
    }
    return a;
}

std::vector<Span> TextAnalyzer::sentences(std::string_view text)
{
    std::vector<Span> out;
    UErrorCode status = U_ZERO_ERROR;
    UTextPtr ut(utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    if (U_FAILURE(status))
        return out;
    m_impl->sentence->setText(ut.get(), status);
    if (U_FAILURE(status))
        return out;
    int32_t start = m_impl->sentence->first();
    for (int32_t end = m_impl->sentence->next(); end != icu::BreakIterator::DONE;
         start = end, end = m_impl->sentence->next()) {
        auto b = static_cast<size_t>(start), e = static_cast<size_t>(end);
        // German ordinals ("ab dem 1. März") are not sentence ends.
        while (m_lang == Lang::De && e >= 2 && e < text.size() && isSpaceByte(text[e - 1])) {
            size_t k = e;
            while (k > b && isSpaceByte(text[k - 1]))
                --k;
            if (k < 2 || text[k - 1] != '.' || text[k - 2] < '0' || text[k - 2] > '9')
                break;
            int32_t more = m_impl->sentence->next();
            if (more == icu::BreakIterator::DONE)
                break;
            end = more;
            e = static_cast<size_t>(more);
        }
        // ICU does not break at a line break without punctuation; chat users end
        // sentences with a line break, so split there too.
        size_t piece = b;
        for (size_t i = b; i <= e; ++i) {
            if (i == e || text[i] == '\n') {
                size_t pb = piece, pe = i;
                while (pb < pe && isSpaceByte(text[pb]))
                    ++pb;
                while (pe > pb && isSpaceByte(text[pe - 1]))
                    --pe;
                if (pe > pb)
                    out.push_back({ pb, pe });
                piece = i + 1;
            }
        }
    }
    return out;
}

std::vector<Token> TextAnalyzer::words(std::string_view text)
{
    std::vector<Token> out;
    UErrorCode status = U_ZERO_ERROR;
    UTextPtr ut(utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    if (U_FAILURE(status))
        return out;
    m_impl->word->setText(ut.get(), status);
    if (U_FAILURE(status))
        return out;
    int32_t start = m_impl->word->first();
    for (int32_t end = m_impl->word->next(); end != icu::BreakIterator::DONE;
         start = end, end = m_impl->word->next()) {
        int32_t rule = m_impl->word->getRuleStatus();
        TokenKind kind;
        if (rule >= UBRK_WORD_NUMBER && rule < UBRK_WORD_NUMBER_LIMIT)
            kind = TokenKind::Number;
        else if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_IDEO_LIMIT)
            kind = TokenKind::Word;
        else
            continue;
        out.push_back({ { static_cast<size_t>(start), static_cast<size_t>(end) }, kind });
    }
    return out;
}

std::string TextAnalyzer::lower(std::string_view word) const
{
    if (allAscii(word)) {
        std::string out(word);
        for (auto &c : out)
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        return out;
    }
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())))
        .toLower(m_impl->locale)
        .toUTF8String(out);
    // Typographic apostrophes compare equal to ASCII ones in our word lists.
    if (out.find("\xE2\x80\x99") == std::string::npos)
        return out;
    std::string plain;
    plain.reserve(out.size());
    for (size_t i = 0; i < out.size(); ++i) {
        if (out.compare(i, 3, "\xE2\x80\x99") == 0) {
            plain.push_back('\'');
            i += 2;
        } else {
            plain.push_back(out[i]);
        }
    }
    return plain;
}

std::string TextAnalyzer::stem(std::string_view lowerWord)
{
    const sb_symbol *s = sb_stemmer_stem(m_impl->stemmer.get(),
        reinterpret_cast<const sb_symbol *>(lowerWord.data()), static_cast<int>(lowerWord.size()));
    if (!s)
        return std::string(lowerWord);
    return std::string(reinterpret_cast<const char *>(s),
        static_cast<size_t>(sb_stemmer_length(m_impl->stemmer.get())));
}

bool TextAnalyzer::isStopword(std::string_view lowerWord) const
{
    return m_impl->stop.count(lowerWord) != 0;
}

std::vector<Span> protectedSpans(std::string_view text)
{
    std::vector<Span> out;
    auto tokenEnd = [&](size_t i) {
        while (i < text.size() && !isSpaceByte(text[i]))
            ++i;
        // Trailing sentence punctuation belongs to the sentence, not the link.
        while (
            i > 0 && std::string_view(".,;:!?)]}\"'").find(text[i - 1]) != std::string_view::npos)
            --i;
        return i;
    };
    size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        bool wordStart
            = i == 0 || isSpaceByte(text[i - 1]) || text[i - 1] == '(' || text[i - 1] == '<';
        if (c == '`') {
            bool block = text.substr(i, 3) == "```";
            auto close = text.find(block ? "```" : "`", i + (block ? 3 : 1));
            size_t end = close == std::string_view::npos ? text.size() : close + (block ? 3 : 1);
            out.push_back({ i, end });
            i = end;
            continue;
        }
        if (wordStart) {
            auto rest = text.substr(i);
            bool link = rest.starts_with("http://") || rest.starts_with("https://")
                || rest.starts_with("www.") || rest.starts_with("ftp://")
                || rest.starts_with("xmpp:") || rest.starts_with("mailto:");
            size_t end = tokenEnd(i);
            auto tok = text.substr(i, end - i);
            bool mention = c == '@' && end > i + 1;
            bool email = !mention && tok.find('@') != std::string_view::npos
                && tok.find('.', tok.find('@')) != std::string_view::npos;
            // Paths and file names: a slash, or a dot between letters with no space ("main.cpp").
            // (Digits and slashes only is a date, "3/12", not a path.)
            bool path = tok.find('/') != std::string_view::npos && tok.size() > 1
                && std::any_of(tok.begin(), tok.end(),
                    [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); });
            bool dotted = false;
            for (size_t k = 1; k + 1 < tok.size(); ++k)
                if (tok[k] == '.' && isAsciiAlnum(tok[k - 1]) && isAsciiAlnum(tok[k + 1])
                    && !(tok[k + 1] >= 'A' && tok[k + 1] <= 'Z'))
                    dotted = true;
            if (link || mention || email || path || dotted) {
                if (end > i)
                    out.push_back({ i, end });
                i = std::max(end, i + 1);
                continue;
            }
        }
        ++i;
    }
    return out;
}

bool overlapsAny(const std::vector<Span> &spans, Span s)
{
    auto it = std::lower_bound(spans.begin(), spans.end(), s.begin,
        [](const Span &a, size_t pos) { return a.end <= pos; });
    return it != spans.end() && it->begin < s.end;
}

size_t utf16Offset(std::string_view text, size_t byteOffset)
{
    size_t units = 0;
    for (size_t i = 0; i < byteOffset && i < text.size(); ++i) {
        auto b = static_cast<unsigned char>(text[i]);
        if ((b & 0xC0) != 0x80)
            units += (b >= 0xF0) ? 2 : 1;
    }
    return units;
}

std::string collapseSpaces(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char c : text) {
        if (isSpaceByte(c)) {
            space = !out.empty();
            continue;
        }
        if (space)
            out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

std::string capitalizeFirst(std::string_view word, Lang lang)
{
    if (word.empty())
        return {};
    auto first = static_cast<unsigned char>(word[0]);
    if (first < 0x80) {
        std::string out(word);
        if (out[0] >= 'a' && out[0] <= 'z')
            out[0] = static_cast<char>(out[0] - 'a' + 'A');
        return out;
    }
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
    int32_t len = u.moveIndex32(0, 1);
    icu::UnicodeString head(u, 0, len);
    head.toUpper(icu::Locale(std::string(langData(lang).icuLocale).c_str()));
    icu::UnicodeString rest(u, len);
    std::string out;
    (head + rest).toUTF8String(out);
    return out;
}

} // namespace sotto::engines
