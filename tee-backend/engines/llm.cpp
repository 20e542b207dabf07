// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/engines/llm.h"

#include "tee-backend/engines/rewrite.h"
#include "tee-backend/engines/summarize.h"
#include "tee-backend/engines/text.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace sotto::engines {
namespace {

using Json = nlohmann::json;
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr size_t kMaxListItems = 8;
constexpr size_t kMaxItemBytes = 1000;

bool isLoopback(const std::string &host)
{
    if (host == "localhost")
        return true;
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    return !ec && addr.is_loopback();
}

// One POST on a fresh connection; the whole exchange must finish by `until`.
Result<std::string, EngineError> postJson(
    const LlmConfig &cfg, const std::string &body, std::chrono::steady_clock::time_point until)
{
    asio::io_context io;
    beast::tcp_stream stream(io);
    tcp::resolver resolver(io);
    beast::flat_buffer buffer;
    http::request<http::string_body> req { http::verb::post, cfg.path, 11 };
    req.set(http::field::host, cfg.host);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::response_parser<http::string_body> parser;
    parser.body_limit(cfg.maxResponseBytes);
    std::optional<Failure<EngineError>> failure;
    bool done = false;
    auto failWith = [&](EngineError code, std::string detail) {
        // Whatever step the deadline cut short (connect, write, read), it is a timeout.
        if (std::chrono::steady_clock::now() >= until) {
            code = EngineError::DeadlineExceeded;
            detail = "the model server did not answer before the deadline";
        }
        if (!failure)
            failure = Failure<EngineError> { code, std::move(detail) };
        beast::error_code ignored;
        stream.socket().close(ignored);
    };
    auto remaining = [&] {
        auto left = until - std::chrono::steady_clock::now();
        return std::max<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(1));
    };
    stream.expires_after(remaining());
    resolver.async_resolve(cfg.host, std::to_string(cfg.port),
        [&](beast::error_code ec, tcp::resolver::results_type results) {
            if (ec)
                return failWith(
                    EngineError::Unavailable, "the model server's address does not resolve");
            stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint &) {
                if (ec2)
                    return failWith(
                        EngineError::Unavailable, "the model server refused the connection");
                http::async_write(stream, req, [&](beast::error_code ec3, size_t) {
                    if (ec3)
                        return failWith(
                            EngineError::Unavailable, "sending to the model server failed");
                    http::async_read(stream, buffer, parser, [&](beast::error_code ec4, size_t) {
                        if (ec4 == beast::error::timeout)
                            return failWith(EngineError::DeadlineExceeded,
                                "the model server did not answer before the deadline");
                        if (ec4)
                            return failWith(EngineError::Unavailable,
                                "the model server's HTTP answer is malformed or too large");
                        done = true;
                    });
                });
            });
        });
    io.run_for(remaining() + std::chrono::milliseconds(50));
    if (failure)
        return *failure;
    if (!done)
        return fail(
            EngineError::DeadlineExceeded, "the model server did not answer before the deadline");
    const auto &res = parser.get();
    if (res.result() != http::status::ok)
        return fail(EngineError::Unavailable,
            "the model server answered HTTP " + std::to_string(res.result_int()));
    return res.body();
}

// The assistant message's content of a chat-completions answer.
Result<std::string, EngineError> completionContent(const std::string &body)
{
    Json j = Json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return fail(EngineError::Unavailable, "the model server's answer is not JSON");
    auto choices = j.find("choices");
    if (choices == j.end() || !choices->is_array() || choices->empty()
        || !(*choices)[0].is_object())
        return fail(EngineError::Unavailable, "the model server's answer has no choices");
    const Json &c = (*choices)[0];
    if (c.value("finish_reason", "") == "length")
        return fail(EngineError::Unavailable, "the model's answer was cut off at the token limit");
    auto msg = c.find("message");
    if (msg == c.end() || !msg->is_object() || !msg->contains("content")
        || !(*msg)["content"].is_string())
        return fail(EngineError::Unavailable, "the model server's answer has no message content");
    return (*msg)["content"].get<std::string>();
}

// Models like to wrap JSON in a Markdown fence; take the outermost object.
Json parseModelJson(std::string_view content)
{
    auto b = content.find('{');
    auto e = content.rfind('}');
    if (b == std::string_view::npos || e == std::string_view::npos || e < b)
        return Json(Json::value_t::discarded);
    return Json::parse(content.substr(b, e - b + 1), nullptr, false);
}

std::optional<std::string> boundedString(const Json &obj, const char *key)
{
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string())
        return std::nullopt;
    std::string s = collapseSpaces(it->get<std::string>());
    if (s.size() > kMaxItemBytes)
        return std::nullopt;
    return s;
}

std::vector<size_t> messageLinks(const Json &item, size_t messageCount)
{
    std::vector<size_t> out;
    auto it = item.find("messages");
    if (it == item.end() || !it->is_array())
        return out;
    for (const auto &v : *it)
        if (v.is_number_integer() && v.get<long long>() >= 0
            && static_cast<size_t>(v.get<long long>()) < messageCount && out.size() < 16)
            out.push_back(static_cast<size_t>(v.get<long long>()));
    return out;
}

std::string linkedFrom(const SummarizeRequest &req, const std::vector<size_t> &links)
{
    return links.empty() ? std::string() : req.messages[links.front()].from;
}

Result<std::vector<SummaryPoint>, EngineError> points(
    const Json &out, const char *key, const SummarizeRequest &req, size_t limit)
{
    std::vector<SummaryPoint> v;
    auto it = out.find(key);
    if (it == out.end())
        return v;
    if (!it->is_array())
        return fail(
            EngineError::Unavailable, std::string("the model's \"") + key + "\" is not a list");
    for (const auto &item : *it) {
        std::optional<std::string> text;
        if (item.is_string())
            text = collapseSpaces(item.get<std::string>());
        else if (item.is_object())
            text = boundedString(item, "text");
        if (!text || text->empty() || text->size() > kMaxItemBytes)
            return fail(EngineError::Unavailable,
                std::string("an item of the model's \"") + key + "\" is not a short text");
        auto links
            = item.is_object() ? messageLinks(item, req.messages.size()) : std::vector<size_t> {};
        if (v.size() < limit)
            v.push_back({ *text, linkedFrom(req, links), links });
    }
    return v;
}

Result<Summary, EngineError> summaryFromModel(
    const Json &out, const SummarizeRequest &req, Lang lang)
{
    if (!out.is_object() || !out.contains("summary"))
        return fail(
            EngineError::Unavailable, "the model's answer is not the summary object asked for");
    Summary s;
    s.lang = lang;
    SOTTO_TRY(s.points, points(out, "summary", req, req.maxPoints));
    SOTTO_TRY(s.decisions, points(out, "decisions", req, kMaxListItems));
    SOTTO_TRY(s.questions, points(out, "questions", req, kMaxListItems));
    if (auto it = out.find("actions"); it != out.end()) {
        if (!it->is_array())
            return fail(EngineError::Unavailable, "the model's \"actions\" is not a list");
        for (const auto &item : *it) {
            if (!item.is_object())
                return fail(EngineError::Unavailable, "an action of the model is not an object");
            auto what = boundedString(item, "what");
            if (!what || what->empty())
                return fail(EngineError::Unavailable, "an action of the model has no \"what\"");
            ActionItem a;
            a.what = *what;
            a.text = boundedString(item, "text").value_or(*what);
            a.who = boundedString(item, "who").value_or("");
            a.when = boundedString(item, "when").value_or("");
            a.messages = messageLinks(item, req.messages.size());
            a.from = linkedFrom(req, a.messages);
            if (s.actions.size() < 2 * kMaxListItems)
                s.actions.push_back(std::move(a));
        }
    }
    return s;
}

// Word-level changes between the original and the model's text (longest
// common subsequence on words and the spaces between them), so the client
// can show the model's rewrite as a diff like the built-in one.
std::vector<Change> diffChanges(std::string_view a, std::string_view b, const std::string &reason)
{
    auto split = [](std::string_view s) {
        std::vector<Span> out;
        size_t i = 0;
        while (i < s.size()) {
            size_t j = i;
            bool space = std::isspace(static_cast<unsigned char>(s[i])) != 0;
            while (j < s.size() && (std::isspace(static_cast<unsigned char>(s[j])) != 0) == space)
                ++j;
            out.push_back({ i, j });
            i = j;
        }
        return out;
    };
    auto ta = split(a), tb = split(b);
    auto tok = [](std::string_view s, Span sp) { return s.substr(sp.begin, sp.size()); };
    size_t pre = 0;
    while (pre < ta.size() && pre < tb.size() && tok(a, ta[pre]) == tok(b, tb[pre]))
        ++pre;
    size_t suf = 0;
    while (suf < ta.size() - pre && suf < tb.size() - pre
        && tok(a, ta[ta.size() - 1 - suf]) == tok(b, tb[tb.size() - 1 - suf]))
        ++suf;
    size_t n = ta.size() - pre - suf, m = tb.size() - pre - suf;
    std::vector<Change> out;
    auto emit = [&](size_t ai, size_t aj, size_t bi, size_t bj) {
        size_t ab = ai < ta.size() ? ta[ai].begin : a.size();
        size_t ae = aj > ai ? ta[aj - 1].end : ab;
        size_t bb = bi < tb.size() ? tb[bi].begin : b.size();
        size_t be = bj > bi ? tb[bj - 1].end : bb;
        out.push_back({ { ab, ae }, std::string(a.substr(ab, ae - ab)),
            std::string(b.substr(bb, be - bb)), reason });
    };
    if (n == 0 && m == 0)
        return out;
    if (n * m > 4'000'000 || n == 0 || m == 0) {
        emit(pre, pre + n, pre, pre + m);
        return out;
    }
    std::vector<std::vector<uint32_t>> L(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L[i][j] = tok(a, ta[pre + i]) == tok(b, tb[pre + j])
                ? L[i + 1][j + 1] + 1
                : std::max(L[i + 1][j], L[i][j + 1]);
    size_t i = 0, j = 0, si = 0, sj = 0;
    while (i < n || j < m) {
        if (i < n && j < m && tok(a, ta[pre + i]) == tok(b, tb[pre + j])) {
            if (si < i || sj < j)
                emit(pre + si, pre + i, pre + sj, pre + j);
            ++i;
            ++j;
            si = i;
            sj = j;
        } else if (j < m && (i == n || L[i][j + 1] >= L[i + 1][j])) {
            ++j;
        } else {
            ++i;
        }
    }
    if (si < n || sj < m)
        emit(pre + si, pre + n, pre + sj, pre + m);
    return out;
}

// A rewrite must keep every link, code span, mention, address and number.
bool keepsProtected(std::string_view original, std::string_view rewritten)
{
    for (Span s : protectedSpans(original))
        if (rewritten.find(original.substr(s.begin, s.size())) == std::string_view::npos)
            return false;
    std::set<std::string> numbers;
    for (size_t i = 0; i < original.size();) {
        if (original[i] < '0' || original[i] > '9') {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < original.size() && ((original[j] >= '0' && original[j] <= '9')))
            ++j;
        numbers.emplace(original.substr(i, j - i));
        i = j;
    }
    return std::all_of(numbers.begin(), numbers.end(),
        [&](const std::string &n) { return rewritten.find(n) != std::string_view::npos; });
}

std::string styleInstruction(Style s)
{
    switch (s) {
    case Style::Proofread:
        return "Correct spelling, grammar, spacing, capitalisation and punctuation. Change nothing "
               "else: same words, same tone, same order.";
    case Style::Concise:
        return "Make the text shorter and clearer: remove filler words and repetition, keep every "
               "fact, name, number, date and request.";
    case Style::Formal:
        return "Rewrite the text in a polite, formal register suitable for a business e-mail: no "
               "contractions, slang or emoji; a formal greeting and closing if it has any.";
    case Style::Friendly:
        return "Rewrite the text in a warm, friendly, informal register: contractions are fine, "
               "a friendly greeting and closing if it has any.";
    }
    return {};
}

class LlmEngine final : public Engine {
public:
    LlmEngine(LlmConfig cfg, std::unique_ptr<Engine> fallback)
        : m_cfg(std::move(cfg))
        , m_fallback(std::move(fallback))
    { }

    std::string_view name() const override { return "sotto-llm/1"; }

    Result<std::string, EngineError> run(
        Feature feature, std::string_view request, Deadline deadline) override
    {
        if (std::chrono::steady_clock::now() > deadline)
            return fail(EngineError::DeadlineExceeded, "the request arrived after its deadline");
        try {
            auto r = feature == Feature::Summarize ? summarizeWithModel(request, deadline)
                                                   : rewriteWithModel(request, deadline);
            if (r.ok() || !m_fallback || isRequestError(r.error()))
                return r;
            // A request the model never saw is answered as the built-in engine would.
            return m_fallback->run(feature, request, deadline);
        } catch (const std::exception &) {
            if (m_fallback)
                return m_fallback->run(feature, request, deadline);
            return fail(EngineError::Internal, "the model adapter failed on this request");
        }
    }

private:
    // Errors of the request itself are final: the fallback would refuse it too.
    static bool isRequestError(EngineError e)
    {
        return e == EngineError::BadRequest || e == EngineError::Unsupported
            || e == EngineError::TooLarge;
    }

    std::chrono::steady_clock::time_point modelDeadline(Deadline deadline) const
    {
        auto byTimeout = std::chrono::steady_clock::now() + m_cfg.timeout;
        auto byDeadline = m_fallback ? deadline - m_cfg.fallbackReserve : deadline;
        return std::min(byTimeout, byDeadline);
    }

    Result<std::string, EngineError> complete(
        const std::string &system, const std::string &user, Deadline deadline)
    {
        Json body = { { "model", m_cfg.model }, { "temperature", m_cfg.temperature },
            { "max_tokens", m_cfg.maxTokens }, { "stream", false },
            { "response_format", { { "type", "json_object" } } },
            { "messages",
                { { { "role", "system" }, { "content", system } },
                    { { "role", "user" }, { "content", user } } } } };
        auto until = modelDeadline(deadline);
        if (until <= std::chrono::steady_clock::now())
            return fail(
                EngineError::DeadlineExceeded, "no time is left for the model before the deadline");
        SOTTO_TRY(auto raw,
            postJson(m_cfg, body.dump(-1, ' ', false, Json::error_handler_t::replace), until));
        return completionContent(raw);
    }

    Result<std::string, EngineError> summarizeWithModel(std::string_view request, Deadline deadline)
    {
        SOTTO_TRY(const auto req, parseSummarizeRequest(request));
        Lang lang = req.lang.value_or(Lang::En);
        if (!req.lang) {
            std::string sample;
            for (const auto &m : req.messages) {
                sample += m.text + "\n";
                if (sample.size() > 64 * 1024)
                    break;
            }
            lang = detectLang(sample).value_or(Lang::En);
        }
        std::string system
            = "You summarize a group chat for one of its participants. Reply with "
              "one JSON object and nothing else: {\"summary\":[{\"text\":\"...\","
              "\"messages\":[0]}],\"decisions\":[...same shape],\"questions\":[...same "
              "shape, only questions still open at the end],\"actions\":[{\"who\":\"...\","
              "\"what\":\"...\",\"when\":\"...\",\"messages\":[0]}]}. Write in "
            + std::string(langData(lang).name) + ". At most " + std::to_string(req.maxPoints)
            + " summary points, each one short sentence. \"messages\" lists the numbers of the "
              "messages a point comes from. Use only facts stated in the chat.";
        std::string user;
        for (size_t i = 0; i < req.messages.size(); ++i) {
            const auto &m = req.messages[i];
            user += "[" + std::to_string(i) + "] " + m.from;
            if (!m.time.empty())
                user += " (" + m.time + ")";
            user += ": " + m.text + "\n";
        }
        SOTTO_TRY(auto content, complete(system, user, deadline));
        SOTTO_TRY(auto summary, summaryFromModel(parseModelJson(content), req, lang));
        return summaryToJson(summary, name());
    }

    Result<std::string, EngineError> rewriteWithModel(std::string_view request, Deadline deadline)
    {
        SOTTO_TRY(const auto req, parseRewriteRequest(request));
        Lang lang = req.lang.value_or(detectLang(req.text).value_or(Lang::En));
        std::string system = "You are a writing assistant. " + styleInstruction(req.style)
            + " The text is in " + std::string(langData(lang).name)
            + "; answer in the same language. Keep names, numbers, links, e-mail addresses, "
              "@mentions and anything in backticks exactly as they are. Reply with one JSON "
              "object and nothing else: {\"text\":\"the rewritten text\"}.";
        SOTTO_TRY(auto content, complete(system, req.text, deadline));
        Json out = parseModelJson(content);
        if (!out.is_object() || !out.contains("text") || !out["text"].is_string())
            return fail(EngineError::Unavailable,
                "the model's answer is not the {\"text\"} object asked for");
        std::string text = out["text"].get<std::string>();
        if (text.size() > 2 * req.text.size() + 1024)
            return fail(
                EngineError::Unavailable, "the model's rewrite is far longer than the text");
        if (!keepsProtected(req.text, text))
            return fail(EngineError::Unavailable,
                "the model's rewrite dropped or changed a link, code, mention or number");
        Rewrite rw;
        rw.lang = lang;
        rw.style = req.style;
        rw.changes = diffChanges(req.text, text, "model: " + std::string(styleName(req.style)));
        rw.text = std::move(text);
        return rewriteToJson(rw, req.text, name());
    }

    LlmConfig m_cfg;
    std::unique_ptr<Engine> m_fallback;
};

} // namespace

Result<std::unique_ptr<Engine>, EngineError> makeLlmEngine(
    LlmConfig config, std::unique_ptr<Engine> fallback)
{
    if (!isLoopback(config.host))
        return fail(EngineError::Unsupported,
            "the model server must listen on a loopback address (127.0.0.1, ::1 or localhost): "
            "chats must not leave the confidential VM");
    if (config.path.empty() || config.path[0] != '/')
        return fail(EngineError::BadRequest, "the model server path must start with '/'");
    return std::unique_ptr<Engine>(new LlmEngine(std::move(config), std::move(fallback)));
}

} // namespace sotto::engines
