// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/engines/summarize.h"

#include "tee-backend/engines/request.h"
#include "tee-backend/engines/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace sotto::engines {
namespace {

using Json = nlohmann::json;

// Each sentence is linked to this many sentences before and after it.
constexpr size_t kWindow = 40;
constexpr double kEdgeThreshold = 0.1;
constexpr double kDamping = 0.85;
constexpr int kPageRankIterations = 30;
constexpr double kMmrLambda = 0.7;
constexpr double kListedFactor = 0.7;
constexpr size_t kCentroidTerms = 100;
constexpr size_t kMaxListItems = 8;
constexpr size_t kMaxPointBytes = 320;

using Vec = std::vector<std::pair<uint32_t, float>>; // sorted by term id, L2-normalised

double dot(const Vec &a, const Vec &b)
{
    double s = 0;
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].first == b[j].first)
            s += double(a[i++].second) * b[j++].second;
        else if (a[i].first < b[j].first)
            ++i;
        else
            ++j;
    }
    return s;
}

struct Sentence {
    size_t message;
    Span span;        // in the message's text
    std::string norm; // " w1 w2 ... " lowercase words, for cue matching
    std::vector<std::string> lowerWords;
    std::vector<Span> wordSpans; // in the message's text, parallel to lowerWords
    std::vector<uint32_t> terms; // stems of content words, with repeats
    Vec vec;
    bool question = false;
    size_t numbers = 0;
    double score = 0;
};

bool isQuestionText(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == ')' || s.back() == '"'))
        s.remove_suffix(1);
    return s.ends_with("?") || s.ends_with("\xEF\xBC\x9F") || s.starts_with("\xC2\xBF");
}

// Blanks out (with spaces, keeping offsets) what should not be summarized:
// quoted lines ("> ...", they repeat an earlier message) and code blocks.
std::string maskForAnalysis(std::string_view text)
{
    std::string out(text);
    size_t lineStart = 0;
    while (lineStart < out.size()) {
        size_t lineEnd = out.find('\n', lineStart);
        if (lineEnd == std::string::npos)
            lineEnd = out.size();
        size_t k = lineStart;
        while (k < lineEnd && (out[k] == ' ' || out[k] == '\t'))
            ++k;
        if (k < lineEnd && out[k] == '>')
            std::fill(out.begin() + long(lineStart), out.begin() + long(lineEnd), ' ');
        lineStart = lineEnd + 1;
    }
    for (size_t p = out.find("```"); p != std::string::npos; p = out.find("```", p)) {
        size_t close = out.find("```", p + 3);
        size_t end = close == std::string::npos ? out.size() : close + 3;
        std::fill(out.begin() + long(p), out.begin() + long(end), ' ');
        p = end;
    }
    return out;
}

std::string cleanPoint(std::string_view s)
{
    std::string out = collapseSpaces(s);
    if (out.size() > kMaxPointBytes) {
        size_t cut = out.rfind(' ', kMaxPointBytes);
        if (cut == std::string::npos || cut < kMaxPointBytes / 2)
            cut = kMaxPointBytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
            --cut; // never cut inside a UTF-8 sequence
        out.resize(cut);
        out += "\xE2\x80\xA6";
    }
    return out;
}

// Cue lists are written with punctuation (" decision:", "peux-tu"); sentences
// are matched as sequences of lowercase words.
std::string cueToWords(std::string_view cue)
{
    std::string out = " ";
    for (char c : cue) {
        if (c == ':' || c == ',' || c == '-')
            c = ' ';
        if (c == ' ' && out.back() == ' ')
            continue;
        out.push_back(c);
    }
    if (out.back() != ' ')
        out.push_back(' ');
    return out;
}

std::vector<std::string> cueWords(std::string_view list)
{
    std::vector<std::string> out;
    forEachCue(list, [&](std::string_view c) { out.push_back(cueToWords(c)); });
    return out;
}

struct CueMatch {
    size_t end = std::string::npos; // word index just after the cue, npos when none
    size_t words = 0;               // words in the cue
};

// The first cue found in the sentence.
CueMatch matchCue(const Sentence &s, const std::vector<std::string> &cues)
{
    size_t best = std::string::npos;
    CueMatch m;
    for (const auto &cue : cues) {
        size_t p = s.norm.find(cue);
        if (p == std::string::npos || (best != std::string::npos && p >= best))
            continue;
        best = p;
        // Words before the end of the cue = spaces in norm[0, p + cue.size() - 1).
        m.end = static_cast<size_t>(
            std::count(s.norm.begin(), s.norm.begin() + long(p + cue.size() - 1), ' '));
        m.words = static_cast<size_t>(std::count(cue.begin(), cue.end(), ' ')) - 1;
    }
    return m;
}

size_t findCue(const Sentence &s, const std::vector<std::string> &cues)
{
    return matchCue(s, cues).end;
}

// Words of a commitment cue that are not the action itself ("I'll", "going
// to", "je m'en occupe"): the action's "what" starts after them; any other
// last cue word is the action's verb ("je prépare", "я подготовлю").
bool isCueFrame(std::string_view w)
{
    static const std::unordered_set<std::string_view> kFrame = { "i'll", "will", "to", "me", "it",
        "going", "am", "let", "mich", "werde", "ich", "occupe", "vais", "je", "encargo", "voy",
        "vou", "eu", "comigo", "я", "займусь", "себя", "on", "with", "con", "com" };
    return kFrame.count(w) != 0;
}

// A leading preposition left over from a cue ("me encargo de", "to").
bool isLinkWord(std::string_view w)
{
    return w == "de" || w == "d'" || w == "to" || w == "zu" || w == "à" || w == "a" || w == "of";
}

bool isPeriodWord(std::string_view w)
{
    static const std::unordered_set<std::string_view> kPeriods
        = { "week", "month", "weekend", "morning", "afternoon", "evening", "noon", "woche", "monat",
              "wochenende", "abend", "mittag", "früh", "semaine", "mois", "soir", "matin", "midi",
              "week-end", "semana", "mes", "tarde", "noche", "finde", "неделе", "неделю", "месяц",
              "вечером", "утром", "mês", "manhã", "noite" };
    return kPeriods.count(w) != 0;
}

bool addressesSomeone(const Sentence &s)
{
    static const std::unordered_set<std::string_view> kSecondPerson
        = { "you", "du", "dir", "dich", "sie", "tu", "te", "vous", "usted", "ustedes", "puedes",
              "podrías", "ты", "вы", "тебя", "вас", "можешь", "можете", "сможешь", "você", "vocês",
              "podes", "podias", "kannst", "könntest", "peux", "pourrais", "pouvez", "pourriez" };
    return std::any_of(s.lowerWords.begin(), s.lowerWords.end(),
        [](const std::string &w) { return kSecondPerson.count(w) != 0; });
}

struct Participant {
    std::string key; // lowercase first name or JID local part
    size_t author;   // index into the authors list
};

std::string trimPunct(std::string_view s)
{
    while (!s.empty() && std::string_view(" .,;:!?").find(s.back()) != std::string_view::npos)
        s.remove_suffix(1);
    while (!s.empty() && std::string_view(" ,;:").find(s.front()) != std::string_view::npos)
        s.remove_prefix(1);
    return collapseSpaces(s);
}

bool looksLikeTime(std::string_view lw)
{
    // 5pm, 10am, 17:00, 9h30, 3/12, 2026-12-01, 12.5.: digits and separators only.
    if (lw.empty() || lw[0] < '0' || lw[0] > '9')
        return false;
    bool marked = false;
    for (std::string_view suffix : { "am", "pm" })
        if (lw.ends_with(suffix)) {
            lw.remove_suffix(2);
            marked = true;
        }
    for (char c : lw) {
        if (c >= '0' && c <= '9')
            continue;
        if (c != ':' && c != '/' && c != '-' && c != '.' && c != 'h')
            return false;
        marked = true;
    }
    return marked;
}

class Summarizer {
public:
    Summarizer(const SummarizeRequest &req, Lang lang, TextAnalyzer &ta, Deadline deadline)
        : m_req(req)
        , m_lang(lang)
        , m_data(langData(lang))
        , m_ta(ta)
        , m_deadline(deadline)
    { }

    Result<Summary, EngineError> run()
    {
        if (auto st = analyse(); !st.ok())
            return Failure<EngineError> { st.error(), st.detail() };
        Summary out;
        out.lang = m_lang;
        if (m_sentences.empty())
            return out;
        weigh();
        if (std::chrono::steady_clock::now() > m_deadline)
            return fail(
                EngineError::DeadlineExceeded, "the deadline passed while ranking sentences");
        rank();
        out.points = selectPoints();
        out.decisions = findDecisions();
        out.questions = findOpenQuestions();
        out.actions = findActions();
        return out;
    }

private:
    Status<EngineError> analyse()
    {
        std::unordered_map<std::string, uint32_t> stemIds; // lowercase word -> term id
        std::unordered_map<std::string, uint32_t> byStem;
        for (size_t m = 0; m < m_req.messages.size(); ++m) {
            if ((m & 255) == 255 && std::chrono::steady_clock::now() > m_deadline)
                return fail(EngineError::DeadlineExceeded,
                    "the deadline passed while reading the messages");
            const auto &text = m_req.messages[m].text;
            std::string masked = maskForAnalysis(text);
            auto links = protectedSpans(masked);
            for (Span sp : m_ta.sentences(masked)) {
                Sentence s;
                s.message = m;
                s.span = sp;
                std::string_view st = std::string_view(masked).substr(sp.begin, sp.size());
                s.question = isQuestionText(st);
                s.norm = " ";
                for (const Token &t : m_ta.words(st)) {
                    Span abs { sp.begin + t.span.begin, sp.begin + t.span.end };
                    if (overlapsAny(links, abs))
                        continue;
                    std::string lw
                        = m_ta.lower(std::string_view(masked).substr(abs.begin, abs.size()));
                    s.norm += lw;
                    s.norm += ' ';
                    s.lowerWords.push_back(lw);
                    s.wordSpans.push_back(abs);
                    if (t.kind == TokenKind::Number)
                        ++s.numbers;
                    if (t.kind == TokenKind::Word && (lw.size() < 2 || m_ta.isStopword(lw)))
                        continue;
                    auto it = stemIds.find(lw);
                    if (it == stemIds.end()) {
                        std::string stem = t.kind == TokenKind::Word ? m_ta.stem(lw) : lw;
                        auto [bs, added] = byStem.emplace(stem, uint32_t(byStem.size()));
                        (void)added;
                        it = stemIds.emplace(lw, bs->second).first;
                    }
                    s.terms.push_back(it->second);
                }
                if (s.lowerWords.empty())
                    continue; // emoji or punctuation only
                m_sentences.push_back(std::move(s));
            }
        }
        m_termCount = byStem.size();
        return Done {};
    }

    void weigh()
    {
        std::vector<uint32_t> df(m_termCount, 0);
        for (auto &s : m_sentences) {
            std::sort(s.terms.begin(), s.terms.end());
            for (size_t i = 0; i < s.terms.size(); ++i)
                if (i == 0 || s.terms[i] != s.terms[i - 1])
                    ++df[s.terms[i]];
        }
        const double n = double(m_sentences.size());
        std::vector<double> centroid(m_termCount, 0.0);
        for (auto &s : m_sentences) {
            double norm2 = 0;
            for (size_t i = 0; i < s.terms.size();) {
                size_t j = i;
                while (j < s.terms.size() && s.terms[j] == s.terms[i])
                    ++j;
                double idf = std::log((n + 1) / (df[s.terms[i]] + 0.5));
                double w = (1 + std::log(double(j - i))) * idf;
                s.vec.emplace_back(s.terms[i], float(w));
                norm2 += w * w;
                i = j;
            }
            double norm = std::sqrt(norm2);
            for (auto &[t, w] : s.vec) {
                w = norm > 0 ? float(w / norm) : 0.0f;
                centroid[t] += w;
            }
        }
        // The centroid keeps its strongest terms only (MEAD).
        std::vector<uint32_t> ids(m_termCount);
        std::iota(ids.begin(), ids.end(), 0);
        size_t keep = std::min(kCentroidTerms, ids.size());
        std::partial_sort(ids.begin(), ids.begin() + long(keep), ids.end(),
            [&](uint32_t a, uint32_t b) { return centroid[a] > centroid[b]; });
        ids.resize(keep);
        std::sort(ids.begin(), ids.end());
        double cn = 0;
        for (auto t : ids)
            cn += centroid[t] * centroid[t];
        cn = std::sqrt(cn);
        for (auto t : ids)
            m_centroid.emplace_back(t, float(cn > 0 ? centroid[t] / cn : 0));
    }

    void rank()
    {
        const size_t n = m_sentences.size();
        // Windowed similarity graph (continuous LexRank weights above a threshold).
        std::vector<std::vector<std::pair<uint32_t, float>>> edges(n);
        std::vector<double> degree(n, 0.0);
        for (size_t i = 0; i < n; ++i) {
            for (size_t j = i + 1; j < std::min(n, i + kWindow + 1); ++j) {
                double sim = dot(m_sentences[i].vec, m_sentences[j].vec);
                if (sim < kEdgeThreshold)
                    continue;
                edges[i].emplace_back(uint32_t(j), float(sim));
                edges[j].emplace_back(uint32_t(i), float(sim));
                degree[i] += sim;
                degree[j] += sim;
            }
        }
        std::vector<double> pr(n, 1.0 / double(n)), next(n);
        for (int it = 0; it < kPageRankIterations; ++it) {
            double dangling = 0;
            for (size_t i = 0; i < n; ++i)
                if (degree[i] == 0)
                    dangling += pr[i];
            double base = (1 - kDamping) / double(n) + kDamping * dangling / double(n);
            std::fill(next.begin(), next.end(), base);
            for (size_t i = 0; i < n; ++i) {
                if (degree[i] == 0)
                    continue;
                double share = kDamping * pr[i] / degree[i];
                for (auto [j, w] : edges[i])
                    next[j] += share * w;
            }
            pr.swap(next);
        }
        double prMax = *std::max_element(pr.begin(), pr.end());
        std::vector<double> cent(n);
        for (size_t i = 0; i < n; ++i)
            cent[i] = dot(m_sentences[i].vec, m_centroid);
        double centMax = std::max(1e-9, *std::max_element(cent.begin(), cent.end()));
        auto decisionCues = cueWords(m_data.decisionCues);
        auto selfCues = cueWords(m_data.actionSelfCues);
        for (size_t i = 0; i < n; ++i) {
            auto &s = m_sentences[i];
            double content = double(s.vec.size());
            double lengthFactor = std::min(1.0, content / 8.0);
            if (content > 30)
                lengthFactor *= 30.0 / content; // a wall of text is not a key point
            double score = (0.5 * pr[i] / prMax + 0.5 * cent[i] / centMax) * lengthFactor;
            if (s.question)
                score *= 0.8; // open questions have their own list
            // Figures (amounts, dates, doses) are what a reader of a digest needs.
            score *= 1.0 + 0.15 * double(std::min<size_t>(s.numbers, 2));
            // Decisions and commitments have their own lists; the digest is
            // for the facts around them.
            if (findCue(s, decisionCues) != std::string::npos)
                score *= kListedFactor;
            if (findCue(s, selfCues) != std::string::npos)
                score *= kListedFactor;
            s.score = score;
        }
    }

    std::string sentenceText(const Sentence &s) const
    {
        const auto &text = m_req.messages[s.message].text;
        return cleanPoint(std::string_view(text).substr(s.span.begin, s.span.size()));
    }

    SummaryPoint point(const Sentence &s) const
    {
        return { sentenceText(s), m_req.messages[s.message].from, { s.message } };
    }

    std::vector<SummaryPoint> selectPoints()
    {
        std::vector<size_t> order;
        for (size_t i = 0; i < m_sentences.size(); ++i)
            if (m_sentences[i].vec.size() >= 2)
                order.push_back(i);
        if (order.empty())
            for (size_t i = 0; i < m_sentences.size(); ++i)
                order.push_back(i);
        // A short chat gets a short digest: about one point per three sentences.
        size_t k = std::min(m_req.maxPoints, std::max<size_t>(1, (m_sentences.size() + 2) / 3));
        size_t pool = std::min(order.size(), std::max<size_t>(k * 20, 60));
        std::partial_sort(order.begin(), order.begin() + long(pool), order.end(),
            [&](size_t a, size_t b) { return m_sentences[a].score > m_sentences[b].score; });
        order.resize(pool);
        double top = std::max(1e-12, m_sentences[order.front()].score);
        std::vector<size_t> chosen;
        std::vector<double> maxSim(pool, 0.0);
        std::vector<bool> used(pool, false);
        while (chosen.size() < k) {
            double best = -1e9;
            size_t bi = pool;
            for (size_t c = 0; c < pool; ++c) {
                if (used[c])
                    continue;
                double mmr
                    = kMmrLambda * m_sentences[order[c]].score / top - (1 - kMmrLambda) * maxSim[c];
                if (mmr > best) {
                    best = mmr;
                    bi = c;
                }
            }
            if (bi == pool)
                break;
            used[bi] = true;
            if (maxSim[bi] > 0.8)
                continue; // a near-duplicate of a chosen point
            chosen.push_back(order[bi]);
            for (size_t c = 0; c < pool; ++c)
                if (!used[c])
                    maxSim[c] = std::max(
                        maxSim[c], dot(m_sentences[order[c]].vec, m_sentences[order[bi]].vec));
        }
        std::sort(chosen.begin(), chosen.end());
        std::vector<SummaryPoint> out;
        for (size_t i : chosen)
            out.push_back(point(m_sentences[i]));
        return out;
    }

    // The newest `kMaxListItems` of a list found in chat order.
    template <class T> static void keepNewest(std::vector<T> &v)
    {
        if (v.size() > kMaxListItems)
            v.erase(v.begin(), v.end() - long(kMaxListItems));
    }

    // All sentences of a message, as one point text.
    std::string messageText(size_t message) const
    {
        std::string t;
        for (const auto &x : m_sentences)
            if (x.message == message)
                t += (t.empty() ? "" : " ") + sentenceText(x);
        return cleanPoint(t);
    }

    // "Should we ...?", "On part sur ...?", "¿Cancelamos ...?": a question that
    // proposes something for the group.
    bool proposesForGroup(const Sentence &q) const
    {
        static const std::unordered_set<std::string_view> kWe[] = {
            { "we", "us", "let's", "shall" },    // en
            { "wir", "uns" },                    // de
            { "on", "nous" },                    // fr
            { "nosotros", "nosotras", "vamos" }, // es
            { "мы", "нам", "давайте" },          // ru
            { "nós", "vamos" },                  // pt
        };
        const auto &we = kWe[static_cast<size_t>(m_lang)];
        return std::any_of(q.lowerWords.begin(), q.lowerWords.end(), [&](const std::string &w) {
            // Spanish and Portuguese say "we" with the verb: "¿cancelamos?", "ficamos?".
            bool firstPlural
                = (m_lang == Lang::Es || m_lang == Lang::Pt) && w.size() > 4 && w.ends_with("mos");
            return we.count(w) != 0 || firstPlural;
        });
    }

    std::vector<SummaryPoint> findDecisions()
    {
        static const std::unordered_set<std::string_view> kAssent
            = { "yes", "yeah", "yep", "ok", "okay", "sure", "agreed", "ja", "jo", "genau", "klar",
                  "oui", "ouais", "sí", "vale", "claro", "да", "ага", "конечно", "sim" };
        auto cues = cueWords(m_data.decisionCues);
        std::vector<SummaryPoint> out;
        for (size_t i = 0; i < m_sentences.size(); ++i) {
            const auto &s = m_sentences[i];
            if (s.question)
                continue;
            bool cue = findCue(s, cues) != std::string::npos;
            // The sentence of another message just before this one.
            const Sentence *prev = nullptr;
            for (size_t j = i; j-- > 0;)
                if (m_sentences[j].message != s.message) {
                    if (m_req.messages[m_sentences[j].message].from
                        != m_req.messages[s.message].from)
                        prev = &m_sentences[j];
                    break;
                }
            // "Yes, fixed for 10 years." after "So we take the fixed rate?" decides it.
            bool assent = !cue && prev && prev->question && !s.lowerWords.empty()
                && kAssent.count(s.lowerWords[0]) && proposesForGroup(*prev);
            if (!cue && !assent)
                continue;
            SummaryPoint p = point(s);
            if (assent) {
                p.text += " (re: " + sentenceText(*prev) + ")";
                p.messages.insert(p.messages.begin(), prev->message);
            } else if (s.vec.size() < 3 && prev && prev->vec.size() >= 2) {
                // "Agreed, let's do that." carries its content in the message it answers.
                p.text += " (re: " + messageText(prev->message) + ")";
                p.messages.insert(p.messages.begin(), prev->message);
            }
            if (!out.empty() && out.back().messages == p.messages)
                out.back().text += " " + p.text;
            else
                out.push_back(std::move(p));
        }
        keepNewest(out);
        return out;
    }

    std::vector<SummaryPoint> findOpenQuestions()
    {
        std::unordered_set<std::string> answerStarts;
        forEachCue(m_data.answerCues, [&](std::string_view c) { answerStarts.emplace(c); });
        std::vector<SummaryPoint> out;
        for (size_t i = 0; i < m_sentences.size(); ++i) {
            const auto &q = m_sentences[i];
            if (!q.question || q.vec.size() < 2)
                continue;
            const auto &asker = m_req.messages[q.message].from;
            bool answered = false;
            bool firstReply = true;
            std::unordered_set<uint32_t> qTerms;
            for (auto &[t, w] : q.vec)
                qTerms.insert(t);
            size_t need = std::max<size_t>(1, (qTerms.size() + 2) / 3);
            for (size_t j = i + 1; j < m_sentences.size() && !answered; ++j) {
                const auto &r = m_sentences[j];
                if (r.message == q.message)
                    continue;
                if (r.message > q.message + 8)
                    break;
                if (m_req.messages[r.message].from == asker)
                    continue;
                if (r.question) {
                    firstReply = false;
                    continue;
                }
                if (firstReply && !r.lowerWords.empty() && answerStarts.count(r.lowerWords[0]))
                    answered = true;
                firstReply = false;
                size_t shared = 0;
                for (auto &[t, w] : r.vec)
                    shared += qTerms.count(t);
                if (shared >= need)
                    answered = true;
            }
            if (!answered)
                out.push_back(point(q));
        }
        keepNewest(out);
        return out;
    }

    std::vector<ActionItem> findActions()
    {
        auto selfCues = cueWords(m_data.actionSelfCues);
        auto requestCues = cueWords(m_data.actionRequestCues);
        std::unordered_set<std::string> timeWords, deadlineWords;
        forEachCue(m_data.timeWords, [&](std::string_view c) { timeWords.emplace(c); });
        forEachCue(m_data.deadlineCues, [&](std::string_view c) { deadlineWords.emplace(c); });
        // Participants by lowercase first name and JID local part.
        std::vector<std::pair<std::string, std::string>> people; // key -> "from"
        std::unordered_set<std::string> seen;
        for (const auto &msg : m_req.messages) {
            if (!seen.insert(msg.from).second)
                continue;
            std::string lf = m_ta.lower(msg.from);
            auto cut = lf.find_first_of(" @/");
            std::string key = lf.substr(0, cut);
            if (key.size() >= 2)
                people.emplace_back(key, msg.from);
            if (seen.size() > 200)
                break;
        }
        auto personIn = [&](const Sentence &s) -> std::string {
            for (const auto &w : s.lowerWords) {
                std::string_view k = w;
                if (k.starts_with("@"))
                    k.remove_prefix(1);
                for (const auto &[key, from] : people)
                    if (k == key)
                        return from;
            }
            return {};
        };
        std::vector<ActionItem> out;
        for (size_t i = 0; i < m_sentences.size(); ++i) {
            const auto &s = m_sentences[i];
            const auto &msg = m_req.messages[s.message];
            CueMatch self = matchCue(s, selfCues);
            size_t at = self.end;
            std::string who;
            if (at != std::string::npos && !s.question) {
                who = msg.from;
                if (!isCueFrame(s.lowerWords[at - 1]))
                    --at; // the cue ends with the action's verb
                if (at < s.lowerWords.size() && isLinkWord(s.lowerWords[at]))
                    ++at;
            } else {
                at = findCue(s, requestCues);
                // "Do we need to ...?" is an open question, "Can you ...?" a request.
                if (at == std::string::npos || (s.question && !addressesSomeone(s)))
                    continue;
                who = personIn(s);
                if (who == msg.from)
                    who.clear();
                if (who.empty() && addressesSomeone(s)) {
                    // "Can you ...": the person this message answers.
                    for (size_t m = s.message; m-- > 0;)
                        if (m_req.messages[m].from != msg.from) {
                            who = m_req.messages[m].from;
                            break;
                        }
                }
            }
            if (at >= s.wordSpans.size())
                continue; // the cue is all there is
            const auto &text = m_req.messages[s.message].text;
            ActionItem a;
            a.text = sentenceText(s);
            a.who = who;
            a.from = msg.from;
            a.messages = { s.message };
            a.what = trimPunct(std::string_view(text).substr(
                s.wordSpans[at].begin, s.span.end - s.wordSpans[at].begin));
            for (size_t w = at; w < s.lowerWords.size(); ++w) {
                const auto &lw = s.lowerWords[w];
                // ICU splits "17:00" and "2026-12-01" into numbers: look at the
                // whole run of non-space characters.
                size_t runEnd = s.wordSpans[w].begin;
                while (runEnd < s.span.end && text[runEnd] != ' ' && text[runEnd] != '\n')
                    ++runEnd;
                while (runEnd > s.wordSpans[w].end
                    && std::string_view(".,;!?)").find(text[runEnd - 1]) != std::string_view::npos)
                    --runEnd;
                std::string run = m_ta.lower(std::string_view(text).substr(
                    s.wordSpans[w].begin, runEnd - s.wordSpans[w].begin));
                size_t end = s.wordSpans[w].end;
                if (looksLikeTime(run))
                    end = runEnd;
                else if (!timeWords.count(lw))
                    continue;
                size_t b = w;
                while (b > at && w - b < 3 && deadlineWords.count(s.lowerWords[b - 1]))
                    --b;
                // "a month", "three days a week", "the afternoon bloods": a period
                // word is a due date only after "by", "next", "this", "bis"...
                if (b == w && isPeriodWord(lw))
                    continue;
                // "by December 12", "le 15 mars": a day number right after the word.
                if (end == s.wordSpans[w].end && w + 1 < s.lowerWords.size()
                    && !s.lowerWords[w + 1].empty() && s.lowerWords[w + 1][0] >= '0'
                    && s.lowerWords[w + 1][0] <= '9' && s.lowerWords[w + 1].size() <= 4
                    && s.wordSpans[w + 1].begin == s.wordSpans[w].end + 1)
                    end = s.wordSpans[w + 1].end;
                a.when = collapseSpaces(std::string_view(text).substr(
                    s.wordSpans[b].begin, end - s.wordSpans[b].begin));
                break;
            }
            // "what" stops before a link ("... anything: https://...").
            for (Span link : protectedSpans(a.what))
                if (link.begin > 0
                    && std::string_view(a.what).substr(link.begin).find("://")
                        != std::string_view::npos) {
                    a.what = trimPunct(std::string_view(a.what).substr(0, link.begin));
                    break;
                }
            if (a.what.size() < 3)
                continue;
            bool dup = std::any_of(out.begin(), out.end(),
                [&](const ActionItem &o) { return o.what == a.what && o.who == a.who; });
            if (!dup)
                out.push_back(std::move(a));
        }
        if (out.size() > 2 * kMaxListItems)
            out.erase(out.begin(), out.end() - long(2 * kMaxListItems));
        return out;
    }

    const SummarizeRequest &m_req;
    Lang m_lang;
    const LangData &m_data;
    TextAnalyzer &m_ta;
    Deadline m_deadline;
    std::vector<Sentence> m_sentences;
    size_t m_termCount = 0;
    Vec m_centroid;
};

Result<std::string, EngineError> stringField(
    const Json &obj, const char *key, size_t maxBytes, const std::string &where, bool required)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required)
            return fail(EngineError::BadRequest, where + " has no \"" + key + "\"");
        return std::string {};
    }
    if (it->is_number() && std::string_view(key) == "time")
        return it->dump(); // Unix seconds
    if (!it->is_string())
        return fail(EngineError::BadRequest, where + "." + key + " must be a string");
    const auto &s = it->get_ref<const std::string &>();
    if (s.size() > maxBytes)
        return fail(EngineError::TooLarge,
            where + "." + key + " is " + std::to_string(s.size()) + " bytes, over the limit of "
                + std::to_string(maxBytes));
    return s;
}

} // namespace

Result<SummarizeRequest, EngineError> parseSummarizeRequest(std::string_view body)
{
    SOTTO_TRY(Json j, parseRequestObject(body, kMaxRequestBytes));
    SummarizeRequest req;
    auto msgs = j.find("messages");
    if (msgs == j.end() || !msgs->is_array())
        return fail(EngineError::BadRequest, "\"messages\" must be an array");
    if (msgs->empty())
        return fail(
            EngineError::BadRequest, "\"messages\" is empty: there is nothing to summarize");
    if (msgs->size() > kMaxMessages)
        return fail(EngineError::TooLarge,
            "the chat has " + std::to_string(msgs->size()) + " messages, over the limit of "
                + std::to_string(kMaxMessages));
    req.messages.reserve(msgs->size());
    for (size_t i = 0; i < msgs->size(); ++i) {
        const Json &m = (*msgs)[i];
        std::string where = "messages[" + std::to_string(i) + "]";
        if (!m.is_object())
            return fail(EngineError::BadRequest, where + " must be an object");
        ChatMessage cm;
        SOTTO_TRY(cm.text, stringField(m, "text", kMaxMessageBytes, where, true));
        SOTTO_TRY(cm.from, stringField(m, "from", 1024, where, false));
        SOTTO_TRY(cm.time, stringField(m, "time", 64, where, false));
        req.messages.push_back(std::move(cm));
    }
    SOTTO_TRY(req.lang, requestLang(j));
    if (auto it = j.find("max_points"); it != j.end() && !it->is_null()) {
        if (!it->is_number_integer())
            return fail(EngineError::BadRequest, "\"max_points\" must be an integer");
        auto v = it->get<long long>();
        if (v < 1 || v > static_cast<long long>(kMaxPoints))
            return fail(EngineError::BadRequest,
                "\"max_points\" must be between 1 and " + std::to_string(kMaxPoints));
        req.maxPoints = static_cast<size_t>(v);
    }
    return req;
}

Result<Summary, EngineError> summarize(const SummarizeRequest &request, Deadline deadline)
{
    Lang lang;
    if (request.lang) {
        lang = *request.lang;
    } else {
        std::string sample;
        for (const auto &m : request.messages) {
            sample += m.text;
            sample += '\n';
            if (sample.size() > 64 * 1024)
                break;
        }
        auto detected = detectLang(sample);
        if (!detected)
            return fail(EngineError::Unsupported,
                "the chat is mostly in a script the builtin engine does not serve (it serves en, "
                "de, fr, es, ru and pt)");
        lang = *detected;
    }
    SOTTO_TRY(auto ta, TextAnalyzer::create(lang));
    Summarizer s(request, lang, *ta, deadline);
    return s.run();
}

std::string summaryToJson(const Summary &summary, std::string_view engineName)
{
    auto points = [](const std::vector<SummaryPoint> &v) {
        Json a = Json::array();
        for (const auto &p : v)
            a.push_back({ { "text", p.text }, { "from", p.from }, { "messages", p.messages } });
        return a;
    };
    Json actions = Json::array();
    for (const auto &a : summary.actions)
        actions.push_back({ { "text", a.text }, { "who", a.who }, { "what", a.what },
            { "when", a.when }, { "from", a.from }, { "messages", a.messages } });
    Json out = { { "summary", points(summary.points) }, { "decisions", points(summary.decisions) },
        { "questions", points(summary.questions) }, { "actions", actions },
        { "lang", langData(summary.lang).code }, { "engine", engineName } };
    // Replace, never throw, on text that was cut inside a character.
    return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace sotto::engines
