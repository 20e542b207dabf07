// SPDX-License-Identifier: GPL-3.0-or-later
// The request parsers: every malformed, truncated, oversized or mistyped body
// is refused with the right error code, and the detail never quotes the text.
#include "tee-backend/engines/rewrite.h"
#include "tee-backend/engines/summarize.h"
#include "tests/engines/engines_test.h"

#include <gtest/gtest.h>

namespace sotto::engines {
namespace {

using namespace sotto::engines::test;
using nlohmann::json;

const std::string kSecret = "Zanzibar-7731";

json validChat()
{
    return { { "messages",
                 { msg("alice", "The secret word is " + kSecret + "."),
                     msg("bob", "Noted, I will keep it safe.") } },
        { "lang", "en" }, { "max_points", 3 } };
}

TEST(SummarizeRequest, ValidParses)
{
    auto r = parseSummarizeRequest(validChat().dump());
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(r->messages.size(), 2u);
    EXPECT_EQ(r->maxPoints, 3u);
    ASSERT_TRUE(r->lang.has_value());
    EXPECT_EQ(*r->lang, Lang::En);
}

TEST(SummarizeRequest, EveryTruncationIsRefused)
{
    std::string body = validChat().dump();
    for (size_t n = 0; n < body.size(); ++n) {
        auto r = parseSummarizeRequest(std::string_view(body).substr(0, n));
        ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes parsed";
        EXPECT_EQ(r.error(), EngineError::BadRequest) << n;
        EXPECT_EQ(r.detail().find(kSecret), std::string::npos);
    }
}

TEST(SummarizeRequest, WrongTypesAreBadRequest)
{
    const json cases[] = {
        json::array(),
        json("text"),
        { { "messages", "hello" } },
        { { "messages", json::array() } },
        { { "messages", { 42 } } },
        { { "messages", { { { "from", "a" } } } } },
        { { "messages", { { { "from", "a" }, { "text", 5 } } } } },
        { { "messages", { { { "from", json::array() }, { "text", "x" } } } } },
        { { "messages", { msg("a", "x") } }, { "max_points", "5" } },
        { { "messages", { msg("a", "x") } }, { "max_points", 0 } },
        { { "messages", { msg("a", "x") } }, { "max_points", 21 } },
        { { "messages", { msg("a", "x") } }, { "max_points", 2.5 } },
        { { "messages", { msg("a", "x") } }, { "lang", 7 } },
    };
    for (const auto &c : cases)
        EXPECT_RESULT_ERROR(parseSummarizeRequest(c.dump()), EngineError::BadRequest) << c.dump();
}

TEST(SummarizeRequest, InvalidUtf8IsBadRequest)
{
    std::string body = R"({"messages":[{"from":"a","text":"caf)";
    body += "\xC3\x28";
    body += R"("}]})";
    EXPECT_RESULT_ERROR(parseSummarizeRequest(body), EngineError::BadRequest);
}

TEST(SummarizeRequest, OversizedIsTooLarge)
{
    json big = { { "messages", { msg("a", std::string(kMaxMessageBytes + 1, 'x')) } } };
    auto r = parseSummarizeRequest(big.dump());
    EXPECT_RESULT_ERROR(r, EngineError::TooLarge);
    EXPECT_NE(r.detail().find("65536"), std::string::npos) << r.detail();
    std::string huge(kMaxRequestBytes + 1, ' ');
    EXPECT_RESULT_ERROR(parseSummarizeRequest(huge), EngineError::TooLarge);
    json many = { { "messages", json::array() } };
    for (size_t i = 0; i <= kMaxMessages; ++i)
        many["messages"].push_back({ { "text", "a" } });
    EXPECT_RESULT_ERROR(parseSummarizeRequest(many.dump()), EngineError::TooLarge);
}

TEST(SummarizeRequest, UnservedLanguageIsUnsupported)
{
    json c = validChat();
    c["lang"] = "ja";
    auto r = parseSummarizeRequest(c.dump());
    EXPECT_RESULT_ERROR(r, EngineError::Unsupported);
    EXPECT_NE(r.detail().find("en, de, fr, es, ru and pt"), std::string::npos);
}

TEST(SummarizeRequest, TimeMayBeUnixSecondsAndFromMayBeMissing)
{
    json c = { { "messages", { { { "text", "hello there" }, { "time", 1764000000 } } } } };
    auto r = parseSummarizeRequest(c.dump());
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(r->messages[0].time, "1764000000");
    EXPECT_EQ(r->messages[0].from, "");
}

json validRewrite()
{
    return { { "text", "Please send " + kSecret + " today." }, { "style", "formal" } };
}

TEST(RewriteRequest, ValidParses)
{
    auto r = parseRewriteRequest(validRewrite().dump());
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(r->style, Style::Formal);
    EXPECT_FALSE(r->lang.has_value());
}

TEST(RewriteRequest, EveryTruncationIsRefused)
{
    std::string body = validRewrite().dump();
    for (size_t n = 0; n < body.size(); ++n) {
        auto r = parseRewriteRequest(std::string_view(body).substr(0, n));
        ASSERT_FALSE(r.ok()) << n;
        EXPECT_EQ(r.error(), EngineError::BadRequest) << n;
        EXPECT_EQ(r.detail().find(kSecret), std::string::npos);
    }
}

TEST(RewriteRequest, WrongTypesAndValues)
{
    EXPECT_RESULT_ERROR(parseRewriteRequest(R"({"style":"formal"})"), EngineError::BadRequest);
    EXPECT_RESULT_ERROR(parseRewriteRequest(R"({"text":3})"), EngineError::BadRequest);
    EXPECT_RESULT_ERROR(parseRewriteRequest(R"({"text":"a","style":1})"), EngineError::BadRequest);
    EXPECT_RESULT_ERROR(parseRewriteRequest(R"({"text":"a","lang":[]})"), EngineError::BadRequest);
    EXPECT_RESULT_ERROR(parseRewriteRequest(R"(["text"])"), EngineError::BadRequest);
    auto r = parseRewriteRequest(R"({"text":"a","style":"pirate"})");
    EXPECT_RESULT_ERROR(r, EngineError::Unsupported);
    EXPECT_NE(r.detail().find("proofread, concise, formal, friendly"), std::string::npos);
    EXPECT_RESULT_ERROR(
        parseRewriteRequest(R"({"text":"a","lang":"zh-CN"})"), EngineError::Unsupported);
}

TEST(RewriteRequest, OversizedIsTooLarge)
{
    json big = { { "text", std::string(kMaxRewriteBytes + 1, 'a') }, { "style", "concise" } };
    EXPECT_RESULT_ERROR(parseRewriteRequest(big.dump()), EngineError::TooLarge);
}

TEST(RewriteRequest, StyleDefaultsToProofread)
{
    auto r = parseRewriteRequest(R"({"text":"hello","lang":"de-AT"})");
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(r->style, Style::Proofread);
    EXPECT_EQ(*r->lang, Lang::De);
}

TEST(Lang, TagsParse)
{
    EXPECT_EQ(parseLang("pt-BR"), Lang::Pt);
    EXPECT_EQ(parseLang("RU"), Lang::Ru);
    EXPECT_EQ(parseLang("fr_CA"), Lang::Fr);
    EXPECT_FALSE(parseLang("english").has_value());
    EXPECT_FALSE(parseLang("").has_value());
}

TEST(Lang, DetectsTheSixLanguages)
{
    EXPECT_EQ(detectLang("We should move the meeting to Thursday, is that ok for you?"), Lang::En);
    EXPECT_EQ(detectLang("Wir müssen das Treffen auf Donnerstag verschieben, ist das für dich ok?"),
        Lang::De);
    EXPECT_EQ(detectLang("On doit déplacer la réunion à jeudi, est-ce que ça te va ?"), Lang::Fr);
    EXPECT_EQ(detectLang("Tenemos que mover la reunión al jueves, ¿te parece bien?"), Lang::Es);
    EXPECT_EQ(detectLang("Нам нужно перенести встречу на четверг, тебе удобно?"), Lang::Ru);
    EXPECT_EQ(detectLang("Temos de passar a reunião para quinta, está bem para ti?"), Lang::Pt);
    EXPECT_FALSE(detectLang("会議を木曜日に移動する必要があります").has_value());
}

TEST(Engine, ErrorNamesAreDistinct)
{
    EXPECT_EQ(errorName(EngineError::BadRequest), "BadRequest");
    EXPECT_EQ(errorName(EngineError::DeadlineExceeded), "DeadlineExceeded");
    EXPECT_EQ(errorName(EngineError::Unavailable), "Unavailable");
}

} // namespace
} // namespace sotto::engines
