// SPDX-License-Identifier: GPL-3.0-or-later
// LlmEngine against a loopback server replaying hand-written model answers
// (tests/data/engines/llm/README.md): prompts reach the server, valid answers
// are validated and passed on, and every failure falls back to the built-in
// engine (or is reported when there is no fallback).
#include "tee-backend/engines/llm.h"
#include "tests/engines/engines_test.h"
#include "tests/engines/llm_replay_server.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

namespace sotto::engines {
namespace {

using namespace sotto::engines::test;
using nlohmann::json;

json offsiteChat()
{
    return {
        { "messages",
            { msg("alice", "We need to pick a venue for the team offsite in March."),
                msg("bob",
                    "The lake hotel quoted 4,200 EUR for two days including meals. The city hall "
                    "option is cheaper but has no catering."),
                msg("carol", "I'd prefer the lake hotel. Does the quote include the projector?"),
                msg("bob", "Not sure, I'll ask them today."),
                msg("alice",
                    "OK, let's go with the lake hotel if the projector is included. Carol, can "
                    "you draft the agenda by Friday?"),
                msg("carol", "Sure"),
                msg("dave", "Who is handling the train tickets for the remote people?"),
                msg("alice",
                    "The budget owner has to approve the 4,200 EUR before we book anything.") } },
        { "max_points", 3 }
    };
}

const std::string kFormalText = "hey Tom, thanks for the update! I can't make it on Friday, will "
                                "send the slides from https://example.org/deck-7 asap";

std::unique_ptr<Engine> llm(uint16_t port, bool withFallback = true,
    std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    LlmConfig cfg;
    cfg.port = port;
    cfg.model = "test-model";
    cfg.timeout = timeout;
    cfg.fallbackReserve = std::chrono::milliseconds(0);
    auto r = makeLlmEngine(cfg, withFallback ? makeBuiltinEngine() : nullptr);
    EXPECT_RESULT_OK(r);
    return r.ok() ? std::move(r.value()) : nullptr;
}

ReplayServer::Reply recorded(const std::string &name)
{
    return { 200, sotto::test::readFile("engines/llm/" + name), false };
}

TEST(LlmEngine, SummaryFromTheModelIsValidatedAndPassedOn)
{
    ReplayServer server;
    server.queue(recorded("summarize_ok.json"));
    auto engine = llm(server.port());
    auto r = engine->run(Feature::Summarize, offsiteChat().dump(), farDeadline());
    ASSERT_RESULT_OK(r);
    json out = json::parse(*r);
    EXPECT_EQ(out["engine"], "sotto-llm/1");
    ASSERT_EQ(out["summary"].size(), 3u);
    EXPECT_EQ(out["summary"][0]["messages"], json({ 1 }));
    EXPECT_EQ(out["summary"][0]["from"], "bob");
    // Message 42 does not exist: the link is dropped, the point kept.
    EXPECT_EQ(out["summary"][2]["messages"], json({ 7 }));
    EXPECT_EQ(out["actions"][0]["who"], "carol");
    EXPECT_EQ(out["actions"][0]["when"], "by Friday");
    EXPECT_EQ(out["questions"].size(), 1u);

    // What the model server received: the numbered chat and our instructions.
    ASSERT_EQ(server.requests().size(), 1u);
    EXPECT_EQ(server.targets()[0], "/v1/chat/completions");
    json sent = json::parse(server.requests()[0]);
    EXPECT_EQ(sent["model"], "test-model");
    EXPECT_EQ(sent["stream"], false);
    ASSERT_EQ(sent["messages"].size(), 2u);
    EXPECT_EQ(sent["messages"][0]["role"], "system");
    EXPECT_NE(sent["messages"][0]["content"].get<std::string>().find("At most 3 summary points"),
        std::string::npos);
    EXPECT_NE(
        sent["messages"][1]["content"].get<std::string>().find("[6] dave"), std::string::npos);
}

TEST(LlmEngine, AnswerThatIsNotTheJsonAskedForFallsBack)
{
    ReplayServer server;
    server.queue(recorded("summarize_not_json.json"));
    auto r = llm(server.port())->run(Feature::Summarize, offsiteChat().dump(), farDeadline());
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(json::parse(*r)["engine"], "sotto-builtin/1");
}

TEST(LlmEngine, TruncatedAnswerFallsBack)
{
    ReplayServer server;
    server.queue(recorded("summarize_truncated.json"));
    auto r = llm(server.port())->run(Feature::Summarize, offsiteChat().dump(), farDeadline());
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(json::parse(*r)["engine"], "sotto-builtin/1");
}

TEST(LlmEngine, HttpErrorFallsBackOrIsUnavailable)
{
    ReplayServer server;
    server.queue({ 500, R"({"error":{"message":"model is loading"}})", false });
    server.queue({ 500, R"({"error":{"message":"model is loading"}})", false });
    auto r = llm(server.port())->run(Feature::Summarize, offsiteChat().dump(), farDeadline());
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(json::parse(*r)["engine"], "sotto-builtin/1");
    auto alone
        = llm(server.port(), false)->run(Feature::Summarize, offsiteChat().dump(), farDeadline());
    EXPECT_RESULT_ERROR(alone, EngineError::Unavailable);
    EXPECT_NE(alone.detail().find("HTTP 500"), std::string::npos) << alone.detail();
}

TEST(LlmEngine, ServerDownFallsBackOrIsUnavailable)
{
    uint16_t port;
    {
        ReplayServer gone; // a port that was just free and is closed again
        port = gone.port();
    }
    auto r = llm(port)->run(Feature::Rewrite,
        json({ { "text", kFormalText }, { "style", "formal" } }).dump(), farDeadline());
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(json::parse(*r)["engine"], "sotto-builtin/1");
    auto alone = llm(port, false)->run(Feature::Summarize, offsiteChat().dump(), farDeadline());
    EXPECT_RESULT_ERROR(alone, EngineError::Unavailable);
}

TEST(LlmEngine, SilentServerTimesOut)
{
    ReplayServer server;
    server.queue({ 200, "", true });
    auto alone = llm(server.port(), false, std::chrono::milliseconds(200))
                     ->run(Feature::Summarize, offsiteChat().dump(), farDeadline());
    EXPECT_RESULT_ERROR(alone, EngineError::DeadlineExceeded);
}

TEST(LlmEngine, RewriteComesWithAWordDiff)
{
    ReplayServer server;
    server.queue(recorded("rewrite_formal_ok.json"));
    auto r
        = llm(server.port())
              ->run(Feature::Rewrite,
                  json({ { "text", kFormalText }, { "style", "formal" }, { "lang", "en" } }).dump(),
                  farDeadline());
    ASSERT_RESULT_OK(r);
    json out = json::parse(*r);
    EXPECT_EQ(out["engine"], "sotto-llm/1");
    EXPECT_EQ(out["style"], "formal");
    std::string rebuilt;
    size_t pos = 0;
    for (const auto &c : out["changes"]) {
        size_t b = c["start"], e = c["end"];
        ASSERT_LE(pos, b);
        EXPECT_EQ(kFormalText.substr(b, e - b), c["before"].get<std::string>());
        rebuilt += kFormalText.substr(pos, b - pos) + c["after"].get<std::string>();
        pos = e;
    }
    rebuilt += kFormalText.substr(pos);
    EXPECT_EQ(rebuilt, out["text"].get<std::string>());
    EXPECT_NE(rebuilt.find("https://example.org/deck-7"), std::string::npos);
    json sent = json::parse(server.requests()[0]);
    EXPECT_NE(sent["messages"][0]["content"].get<std::string>().find("formal"), std::string::npos);
    EXPECT_EQ(sent["messages"][1]["content"], kFormalText);
}

TEST(LlmEngine, RewriteThatDropsALinkIsRefused)
{
    ReplayServer server;
    server.queue(recorded("rewrite_drops_link.json"));
    auto r
        = llm(server.port())
              ->run(Feature::Rewrite,
                  json({ { "text", kFormalText }, { "style", "formal" }, { "lang", "en" } }).dump(),
                  farDeadline());
    ASSERT_RESULT_OK(r);
    json out = json::parse(*r);
    EXPECT_EQ(out["engine"], "sotto-builtin/1");
    EXPECT_NE(out["text"].get<std::string>().find("https://example.org/deck-7"), std::string::npos);
}

TEST(LlmEngine, BadRequestNeverReachesTheModel)
{
    ReplayServer server;
    auto r = llm(server.port())->run(Feature::Summarize, R"({"messages":"nope"})", farDeadline());
    EXPECT_RESULT_ERROR(r, EngineError::BadRequest);
    EXPECT_TRUE(server.requests().empty());
}

TEST(LlmEngine, OnlyLoopbackModelServers)
{
    LlmConfig cfg;
    cfg.host = "10.0.0.8";
    EXPECT_RESULT_ERROR(makeLlmEngine(cfg, nullptr), EngineError::Unsupported);
    cfg.host = "model.example.org";
    EXPECT_RESULT_ERROR(makeLlmEngine(cfg, nullptr), EngineError::Unsupported);
    cfg.host = "::1";
    EXPECT_RESULT_OK(makeLlmEngine(cfg, nullptr));
    cfg.host = "localhost";
    EXPECT_RESULT_OK(makeLlmEngine(cfg, nullptr));
}

} // namespace
} // namespace sotto::engines
