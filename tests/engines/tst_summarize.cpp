// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in summarizer on small chats written for these tests: key points
// come from the messages, decisions/questions/actions are found with who and
// when, quotes and code are not summarized, and every point links back.
#include "tests/engines/engines_test.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

namespace sotto::engines {
namespace {

using namespace sotto::engines::test;
using nlohmann::json;

json offsiteChat()
{
    return { { "messages",
                 { msg("alice", "Morning! We need to pick a venue for the team offsite in March."),
                     msg("bob",
                         "The lake hotel quoted 4,200 EUR for two days including meals. The "
                         "city hall option is cheaper but has no catering."),
                     msg("carol",
                         "I'd prefer the lake hotel, the city hall room is tiny. Does the "
                         "quote include the projector rental?"),
                     msg("bob", "Not sure, I'll ask them today."),
                     msg("alice",
                         "OK, let's go with the lake hotel if the projector is included. "
                         "Carol, can you draft the agenda by Friday?"),
                     msg("carol", "Sure 👍"),
                     msg("dave", "Who is handling the train tickets for the remote people?"),
                     msg("alice",
                         "The budget owner has to approve the 4,200 EUR before we book "
                         "anything: https://wiki.example.org/offsite") } },
        { "max_points", 4 } };
}

json summarizeOk(const json &request)
{
    auto r = runJson(Feature::Summarize, request);
    EXPECT_RESULT_OK(r);
    return r.ok() ? json::parse(*r) : json::object();
}

bool anyTextContains(const json &list, const std::string &needle)
{
    for (const auto &p : list)
        if (p["text"].get<std::string>().find(needle) != std::string::npos)
            return true;
    return false;
}

TEST(Summarize, AnswerHasTheContractShape)
{
    json out = summarizeOk(offsiteChat());
    for (const char *key : { "summary", "decisions", "questions", "actions" })
        ASSERT_TRUE(out[key].is_array()) << key;
    EXPECT_EQ(out["engine"], "sotto-builtin/1");
    EXPECT_EQ(out["lang"], "en");
    ASSERT_FALSE(out["summary"].empty());
    EXPECT_LE(out["summary"].size(), 4u);
    for (const auto &p : out["summary"]) {
        ASSERT_EQ(p["messages"].size(), 1u);
        size_t m = p["messages"][0];
        ASSERT_LT(m, offsiteChat()["messages"].size());
        // A key point is a sentence of the message it links to.
        std::string source = offsiteChat()["messages"][m]["text"];
        EXPECT_NE(source.find(p["text"].get<std::string>()), std::string::npos) << p.dump();
        EXPECT_EQ(p["from"], offsiteChat()["messages"][m]["from"]);
    }
}

TEST(Summarize, KeyPointsCarryTheFactsNotTheSmallTalk)
{
    json out = summarizeOk(offsiteChat());
    EXPECT_TRUE(anyTextContains(out["summary"], "4,200 EUR")) << out["summary"].dump();
    EXPECT_FALSE(anyTextContains(out["summary"], "Sure")) << out["summary"].dump();
}

TEST(Summarize, FindsTheDecision)
{
    json out = summarizeOk(offsiteChat());
    ASSERT_EQ(out["decisions"].size(), 1u) << out["decisions"].dump();
    EXPECT_NE(out["decisions"][0]["text"].get<std::string>().find("lake hotel"), std::string::npos);
    EXPECT_EQ(out["decisions"][0]["messages"], json({ 4 }));
}

TEST(Summarize, OpenQuestionsAreTheUnansweredOnes)
{
    json out = summarizeOk(offsiteChat());
    EXPECT_TRUE(anyTextContains(out["questions"], "train tickets")) << out["questions"].dump();
}

TEST(Summarize, ActionItemsHaveWhoWhatWhen)
{
    json out = summarizeOk(offsiteChat());
    bool agenda = false, ask = false;
    for (const auto &a : out["actions"]) {
        if (a["what"] == "draft the agenda by Friday") {
            agenda = true;
            EXPECT_EQ(a["who"], "carol");
            EXPECT_EQ(a["when"], "by Friday");
            EXPECT_EQ(a["from"], "alice");
            EXPECT_EQ(a["messages"], json({ 4 }));
        }
        if (a["what"] == "ask them today") {
            ask = true;
            EXPECT_EQ(a["who"], "bob");
            EXPECT_EQ(a["when"], "today");
        }
    }
    EXPECT_TRUE(agenda) << out["actions"].dump();
    EXPECT_TRUE(ask) << out["actions"].dump();
}

TEST(Summarize, DueDatesInTheirUsualShapes)
{
    json chat = { { "messages",
                      { msg("ana", "Ben, can you send the slides by 17:00 today?"),
                          msg("ben", "I will call the bank at 5pm."),
                          msg("cem", "I will pay the invoice on 3/12 at the latest."),
                          msg("dia", "I will renew the HbA1c test by 2026-12-01."),
                          msg("eli", "I will order the HbA1c test."),
                          msg("fay", "I will send the plan to the auditors by December 12."),
                          msg("gus", "I will take the bike three days a week.") } },
        { "lang", "en" } };
    json out = summarizeOk(chat);
    std::map<std::string, std::string> when;
    for (const auto &a : out["actions"])
        when[a["from"].get<std::string>()] = a["when"];
    EXPECT_EQ(when["ana"], "by 17:00");
    EXPECT_EQ(when["ben"], "at 5pm");
    EXPECT_EQ(when["cem"], "on 3/12");
    EXPECT_EQ(when["dia"], "by 2026-12-01");
    EXPECT_EQ(when["eli"], "") << "HbA1c is not a time";
    EXPECT_EQ(when["fay"], "by December 12");
    EXPECT_EQ(when["gus"], "") << "a rate is not a due date";
}

TEST(Summarize, AgreementPointsBackToWhatWasAgreed)
{
    json chat = { { "messages",
        { msg("ana", "Should we move the release to Thursday so QA gets two more days?"),
            msg("ben", "Agreed, let's do that.") } } };
    json out = summarizeOk(chat);
    ASSERT_EQ(out["decisions"].size(), 1u) << out.dump();
    EXPECT_EQ(out["decisions"][0]["messages"], json({ 0, 1 }));
    EXPECT_NE(out["decisions"][0]["text"].get<std::string>().find("Thursday"), std::string::npos);
}

TEST(Summarize, AssentToAProposalIsADecision)
{
    json chat = { { "messages",
                      { msg("lena", "The variable rate is 3.4% now. So we take the fixed rate?"),
                          msg("max", "Yes, fixed for 10 years."),
                          msg("lena", "Is the printer on the second floor broken again?"),
                          msg("max", "Yes, since Monday.") } },
        { "lang", "en" } };
    json out = summarizeOk(chat);
    ASSERT_EQ(out["decisions"].size(), 1u) << out["decisions"].dump();
    EXPECT_EQ(out["decisions"][0]["messages"], json({ 0, 1 }));
    EXPECT_EQ(
        out["decisions"][0]["text"], "Yes, fixed for 10 years. (re: So we take the fixed rate?)");
}

TEST(Summarize, QuotesAndCodeAreNotSummarized)
{
    json chat = {
        { "messages",
            { msg("dev1",
                  "The nightly build fails on the ARM runners since yesterday's compiler update."),
                msg("dev2",
                    "> The nightly build fails on the ARM runners\nI pinned the compiler to "
                    "version 12 on the ARM runners as a workaround.\n```\nset(CMAKE_CXX_COMPILER "
                    "g++-12) # pinned compiler for ARM runners build nightly\n```"),
                msg("dev1", "Thanks, the nightly build is green again.") } },
        { "max_points", 5 }
    };
    json out = summarizeOk(chat);
    for (const auto &p : out["summary"]) {
        EXPECT_EQ(p["text"].get<std::string>().find("CMAKE_CXX_COMPILER"), std::string::npos);
        EXPECT_NE(p["text"].get<std::string>().rfind(">", 0), 0u) << "a quoted line was used";
    }
}

TEST(Summarize, GermanChatIsSummarizedInGerman)
{
    json chat = { { "messages",
        { msg("Jonas", "Hallo zusammen, die Heizung im Büro ist seit Montag kaputt."),
            msg("Mia",
                "Der Techniker kann erst am Donnerstag kommen, vorher ist kein Termin frei."),
            msg("Jonas", "Dann machen wir so: bis Donnerstag arbeiten alle im Homeoffice."),
            msg("Lea", "Ich schicke heute noch eine Mail an das ganze Team."),
            msg("Mia", "Wer bezahlt eigentlich die Reparatur, der Vermieter oder wir?") } } };
    json out = summarizeOk(chat);
    EXPECT_EQ(out["lang"], "de");
    EXPECT_TRUE(anyTextContains(out["decisions"], "Homeoffice")) << out.dump();
    EXPECT_TRUE(anyTextContains(out["questions"], "Reparatur")) << out.dump();
    bool mail = false;
    for (const auto &a : out["actions"])
        if (a["who"] == "Lea" && a["when"] == "heute")
            mail = true;
    EXPECT_TRUE(mail) << out["actions"].dump();
}

TEST(Summarize, RussianChatIsDetectedAndSummarized)
{
    json chat = { { "messages",
        { msg("Ольга", "Коллеги, отчёт для клиента нужно сдать до пятницы."),
            msg("Игорь", "Я подготовлю раздел с расходами завтра."),
            msg("Ольга", "Договорились, презентацию делаем в новом шаблоне."),
            msg("Анна", "А кто будет согласовывать бюджет с финансовым отделом?") } } };
    json out = summarizeOk(chat);
    EXPECT_EQ(out["lang"], "ru");
    EXPECT_TRUE(anyTextContains(out["decisions"], "шаблоне")) << out.dump();
    EXPECT_TRUE(anyTextContains(out["questions"], "бюджет")) << out.dump();
    EXPECT_FALSE(out["summary"].empty());
}

TEST(Summarize, ExplicitLanguageWinsOverDetection)
{
    json chat = offsiteChat();
    chat["lang"] = "de";
    json out = summarizeOk(chat);
    EXPECT_EQ(out["lang"], "de");
}

TEST(Summarize, UnservedScriptIsUnsupported)
{
    json chat = { { "messages",
        { msg("a", "会議を木曜日に移動する必要があります。"), msg("b", "わかりました。") } } };
    EXPECT_RESULT_ERROR(runJson(Feature::Summarize, chat), EngineError::Unsupported);
}

TEST(Summarize, EmojiOnlyChatGivesEmptyLists)
{
    json chat = { { "messages", { msg("a", "👍"), msg("b", "🎉🎉"), msg("c", "...") } } };
    json out = summarizeOk(chat);
    EXPECT_TRUE(out["summary"].empty());
    EXPECT_TRUE(out["actions"].empty());
}

TEST(Summarize, SameInputSameOutput)
{
    auto a = runJson(Feature::Summarize, offsiteChat());
    auto b = runJson(Feature::Summarize, offsiteChat());
    ASSERT_RESULT_OK(a);
    ASSERT_RESULT_OK(b);
    EXPECT_EQ(*a, *b);
}

TEST(Summarize, ConcurrentCallsAgree)
{
    auto expected = runJson(Feature::Summarize, offsiteChat());
    ASSERT_RESULT_OK(expected);
    std::string got[4];
    std::vector<std::thread> threads;
    for (auto &g : got)
        threads.emplace_back([&g] {
            auto r = runJson(Feature::Summarize, offsiteChat());
            g = r.ok() ? *r : "failed";
        });
    for (auto &t : threads)
        t.join();
    for (const auto &g : got)
        EXPECT_EQ(g, *expected);
}

TEST(Summarize, PastDeadlineIsDeadlineExceeded)
{
    auto past = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    auto r = builtin().run(Feature::Summarize, offsiteChat().dump(), past);
    EXPECT_RESULT_ERROR(r, EngineError::DeadlineExceeded);
}

TEST(Summarize, LongChatKeepsMaxPoints)
{
    json chat = { { "messages", json::array() }, { "max_points", 7 } };
    const char *topics[] = { "invoice", "deployment", "holiday", "printer", "budget", "hiring" };
    for (int i = 0; i < 600; ++i)
        chat["messages"].push_back(msg(i % 2 ? "x" : "y",
            std::string("Update number ") + std::to_string(i) + " about the " + topics[i % 6]
                + " and the " + topics[(i / 6) % 6] + " plan."));
    json out = summarizeOk(chat);
    EXPECT_EQ(out["summary"].size(), 7u);
}

} // namespace
} // namespace sotto::engines
