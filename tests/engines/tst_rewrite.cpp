// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in writing help: each style's typical edits, the change list
// reconstructs the answer from the original, and links, code, numbers and
// names are never touched.
#include "tee-backend/engines/rewrite.h"
#include "tests/engines/engines_test.h"

#include <gtest/gtest.h>

#include <thread>

namespace sotto::engines {
namespace {

using namespace sotto::engines::test;
using nlohmann::json;

json rewriteOk(const std::string &text, const std::string &style, const std::string &lang = "")
{
    json req = { { "text", text }, { "style", style } };
    if (!lang.empty())
        req["lang"] = lang;
    auto r = runJson(Feature::Rewrite, req);
    EXPECT_RESULT_OK(r);
    return r.ok() ? json::parse(*r) : json::object();
}

// Applying the changes to the original must give the answer's text: the
// client relies on it to let the user accept changes one by one.
void expectChangesReconstruct(const std::string &original, const json &out)
{
    std::string rebuilt;
    size_t pos = 0;
    for (const auto &c : out["changes"]) {
        size_t b = c["start"], e = c["end"];
        ASSERT_LE(pos, b);
        ASSERT_LE(b, e);
        ASSERT_LE(e, original.size());
        EXPECT_EQ(original.substr(b, e - b), c["before"].get<std::string>());
        rebuilt += original.substr(pos, b - pos) + c["after"].get<std::string>();
        pos = e;
        EXPECT_FALSE(c["reason"].get<std::string>().empty());
    }
    rebuilt += original.substr(pos);
    EXPECT_EQ(rebuilt, out["text"].get<std::string>());
}

TEST(Proofread, FixesSpellingRepeatsSpacingCapitals)
{
    std::string text = "hi team,i think teh release is is ready . we shoud ship it on friday  as "
                       "planned!!";
    json out = rewriteOk(text, "proofread");
    EXPECT_EQ(out["text"],
        "Hi team, I think the release is ready. We should ship it on Friday as "
        "planned!");
    EXPECT_EQ(out["style"], "proofread");
    expectChangesReconstruct(text, out);
}

// Chat abbreviations are meant, not misspelled: proofreading keeps them
// (hunspell would offer "the" for "thx"); the formal style rewrites them.
TEST(Proofread, LeavesChatAbbreviationsToTheFormalStyle)
{
    std::string text = "can u check the numbers? thx, and pls send them asap";
    json out = rewriteOk(text, "proofread", "en");
    EXPECT_EQ(out["text"], "Can u check the numbers? Thx, and pls send them asap");
    expectChangesReconstruct(text, out);
    json formal = rewriteOk(text, "formal", "en");
    const std::string f = formal["text"];
    EXPECT_NE(f.find("Thank you"), std::string::npos) << f; // a sentence starts there
    EXPECT_NE(f.find("please"), std::string::npos) << f;
    EXPECT_NE(f.find("as soon as possible"), std::string::npos) << f;
}

TEST(Proofread, NeverTouchesLinksCodeNumbersOrNames)
{
    std::string text = "See https://exmaple.org/teh_page and `teh code` or main.cpp, "
                       "mail bbob@exmaple.org, ask @jdoe about 3.14159 and Gwendolynn.";
    json out = rewriteOk(text, "proofread", "en");
    std::string got = out["text"];
    for (const char *keep : { "https://exmaple.org/teh_page", "`teh code`", "main.cpp",
             "bbob@exmaple.org", "@jdoe", "3.14159", "Gwendolynn" })
        EXPECT_NE(got.find(keep), std::string::npos) << keep << " in " << got;
    expectChangesReconstruct(text, out);
}

TEST(Proofread, ChangesCarryUtf16Offsets)
{
    std::string text = "😀 teh end"; // the emoji is 4 bytes, 2 UTF-16 units
    json out = rewriteOk(text, "proofread", "en");
    ASSERT_EQ(out["changes"].size(), 1u) << out.dump();
    EXPECT_EQ(out["changes"][0]["start"], 5);
    EXPECT_EQ(out["changes"][0]["start16"], 3);
    EXPECT_EQ(out["changes"][0]["end16"], 6);
}

TEST(Proofread, GermanAndFrenchDictionaries)
{
    json de
        = rewriteOk("Wir treffen uns morgen im Büro, bitte bringt die Unterlagn mit.", "proofread");
    EXPECT_EQ(de["lang"], "de");
    EXPECT_NE(de["text"].get<std::string>().find("Unterlagen"), std::string::npos) << de.dump();
    // French keeps its space before ';', ':', '!' and '?'.
    json fr = rewriteOk(
        "Est-ce que tu viens demain ? Je prépare le dossier pour la réunoin.", "proofread");
    EXPECT_EQ(fr["lang"], "fr");
    std::string t = fr["text"];
    EXPECT_NE(t.find("demain ?"), std::string::npos) << t;
    EXPECT_NE(t.find("réunion"), std::string::npos) << t;
}

TEST(Proofread, MissingDictionaryIsUnavailable)
{
    auto engine = makeBuiltinEngine("/nonexistent-dictionary-dir");
    auto r
        = engine->run(Feature::Rewrite, R"({"text":"teh end","style":"proofread"})", farDeadline());
    EXPECT_RESULT_ERROR(r, EngineError::Unavailable);
    // The other styles need no dictionary.
    auto c = engine->run(Feature::Rewrite,
        R"({"text":"it is really late","style":"concise","lang":"en"})", farDeadline());
    EXPECT_RESULT_OK(c);
}

TEST(Proofread, ConcurrentFirstUseOfFourDictionaries)
{
    // A fresh engine: the four dictionaries load while the threads race for them.
    auto engine = makeBuiltinEngine();
    const std::pair<const char *, const char *> texts[] = {
        { "en", "We shoud ship it on friday." },
        { "de", "Der Termin beim Artzt ist am Dienstag." },
        { "fr", "Je prépare le dossier pour la réunoin." },
        { "ru", "Отчёт нужно отправить до пятницы , иначе клиент будет недоволен." },
    };
    std::string got[4];
    std::vector<std::thread> threads;
    for (size_t i = 0; i < 4; ++i)
        threads.emplace_back([&, i] {
            json req = { { "text", texts[i].second }, { "style", "proofread" },
                { "lang", texts[i].first } };
            auto r = engine->run(Feature::Rewrite, req.dump(), farDeadline());
            got[i] = r.ok() ? json::parse(*r)["text"].get<std::string>() : "failed";
        });
    for (auto &t : threads)
        t.join();
    EXPECT_EQ(got[0], "We should ship it on Friday.");
    EXPECT_EQ(got[1], "Der Termin beim Arzt ist am Dienstag.");
    EXPECT_EQ(got[2], "Je prépare le dossier pour la réunion.");
    EXPECT_EQ(got[3], "Отчёт нужно отправить до пятницы, иначе клиент будет недоволен.");
}

TEST(Concise, DropsFillerAndRepeats)
{
    std::string text
        = "Basically, I just wanted to let you know that the report is really late due "
          "to the fact that the server was down. The report is late. The report is late.";
    json out = rewriteOk(text, "concise");
    EXPECT_EQ(out["text"], "The report is late because the server was down. The report is late.");
    expectChangesReconstruct(text, out);
}

TEST(Concise, KeepsAWholeSentenceFiller)
{
    json out = rewriteOk("Really? We ship on 12 May.", "concise", "en");
    EXPECT_EQ(out["text"], "Really? We ship on 12 May.");
}

TEST(Formal, ExpandsContractionsAndSlang)
{
    std::string text = "hey Tom, thanks for the update! I can't make it on Friday, gonna send the "
                       "slides asap 😀\nCheers";
    json out = rewriteOk(text, "formal");
    EXPECT_EQ(out["text"],
        "Hello Tom, thank you for the update! I cannot make it on Friday, going "
        "to send the slides as soon as possible\nKind regards");
    expectChangesReconstruct(text, out);
}

// A change of tone also fixes what proofreading fixes; where both touch the
// same words, the tone's change is the one kept.
TEST(Formal, AlsoProofreads)
{
    std::string text = "hi team, i think we should move the the review to thursday. can u let me "
                       "know asap if that dont work? thx";
    json out = rewriteOk(text, "formal", "en");
    EXPECT_EQ(out["text"],
        "Hello team, I think we should move the review to Thursday. Can you let me know as soon "
        "as possible if that don't work? Thank you");
    expectChangesReconstruct(text, out);
}

TEST(Friendly, AlsoProofreadsButKeepsChatWords)
{
    std::string text = "Thank you, i will send teh slides tomorrow tomorrow. thx";
    json out = rewriteOk(text, "friendly", "en");
    EXPECT_EQ(out["text"], "Thanks, I'll send the slides tomorrow. Thx");
    expectChangesReconstruct(text, out);
}

TEST(Friendly, ContractsAndWarmsUp)
{
    std::string text = "Dear Ms. Keller,\nThank you for your message. I would like to confirm that "
                       "we cannot deliver before Monday. It is what it is.\nKind regards,\nJohn";
    json out = rewriteOk(text, "friendly");
    EXPECT_EQ(out["text"],
        "Hi Ms. Keller,\nThanks for your message. I'd like to confirm that we "
        "can't deliver before Monday. It's what it is.\nCheers,\nJohn");
    expectChangesReconstruct(text, out);
}

TEST(Friendly, NoContractionAtTheEndOfAClause)
{
    json out = rewriteOk("I know what it is. You are right.", "friendly", "en");
    EXPECT_EQ(out["text"], "I know what it is. You're right.");
}

TEST(Formal, SpanishAndRussianTables)
{
    json es = rewriteOk("Hola Marta, porfa envía el contrato hoy. Besos", "formal", "es");
    EXPECT_EQ(es["text"], "Buenos días Marta, por favor envía el contrato hoy. Atentamente");
    json ru = rewriteOk("Привет! Спс за отчёт, пжл пришли таблицу.", "formal", "ru");
    EXPECT_EQ(ru["text"], "Здравствуйте! Спасибо за отчёт, пожалуйста пришли таблицу.");
}

// Every style, not only proofreading, leaves what it cannot understand as it
// is: links, code, numbers, addresses, handles, names (issue 8) — even when
// they hold words the style would otherwise change.
TEST(Rewrite, NoStyleTouchesLinksCodeNumbersOrNames)
{
    const std::string text
        = "hey, basically I can't come, gonna check https://example.org/asap/i_cant_go?thx=1 "
          "and `can't_stop(asap)` in main.cpp, then mail bbob@exmaple.org and ask @jdoe about "
          "3.14159 and Gwendolynn asap. thx";
    const char *keep[] = { "https://example.org/asap/i_cant_go?thx=1", "`can't_stop(asap)`",
        "main.cpp", "bbob@exmaple.org", "@jdoe", "3.14159", "Gwendolynn" };
    for (const char *style : { "proofread", "concise", "formal", "friendly" }) {
        json out = rewriteOk(text, style, "en");
        const std::string got = out["text"];
        for (const char *k : keep)
            EXPECT_NE(got.find(k), std::string::npos) << style << ": " << k << " in " << got;
        expectChangesReconstruct(text, out);
        if (std::string(style) == "formal") { // the prose around them did change
            EXPECT_NE(got.find("cannot"), std::string::npos) << got;
        }
    }
}

TEST(Formal, GermanAndFrenchTables)
{
    json de = rewriteOk("Hallo Jan, kannste mir die Folien asap schicken? Danke! LG", "formal", "de");
    EXPECT_EQ(de["text"], "Guten Tag Jan, können Sie mir die Folien so bald wie möglich schicken? "
                          "Vielen Dank! Mit freundlichen Grüßen");
    json fr = rewriteOk(
        "Salut Marie, merci pour le boulot, envoie le dossier asap stp. Bisous", "formal", "fr");
    EXPECT_EQ(fr["text"], "Bonjour Marie, je vous remercie pour le travail, envoie le dossier dès "
                          "que possible s'il vous plaît. Cordialement");
}

TEST(Concise, GermanAndFrenchTables)
{
    json de = rewriteOk("Der Bericht ist eigentlich wirklich fertig, aufgrund der Tatsache, dass "
                        "Anna ihn halt gestern gelesen hat. Eigentlich ist alles gut.",
        "concise", "de");
    // The verb stays second: "Eigentlich ist alles gut" keeps its first word.
    EXPECT_EQ(de["text"], "Der Bericht ist fertig, weil Anna ihn gestern gelesen hat. Eigentlich ist "
                          "alles gut.");
    json fr = rewriteOk("En fait, le rapport est vraiment en retard en raison du fait que le "
                        "serveur était en panne.",
        "concise", "fr");
    EXPECT_EQ(fr["text"], "Le rapport est en retard parce que le serveur était en panne.");
}

TEST(Friendly, GermanAndFrenchTables)
{
    json de = rewriteOk(
        "Sehr geehrte Frau Keller,\nvielen Dank für Ihre Nachricht.\nMit freundlichen Grüßen",
        "friendly", "de");
    // A German letter goes on in lower case after the comma of its salutation.
    EXPECT_EQ(de["text"], "Liebe Frau Keller,\ndanke für Ihre Nachricht.\nViele Grüße");
    json fr = rewriteOk(
        "Madame, Monsieur,\nje vous remercie pour votre message.\nCordialement", "friendly", "fr");
    EXPECT_EQ(fr["text"], "Bonjour,\nMerci pour votre message.\nÀ bientôt");
}

TEST(Rewrite, UnchangedTextHasNoChanges)
{
    json out = rewriteOk("The meeting is at noon.", "proofread", "en");
    EXPECT_EQ(out["text"], "The meeting is at noon.");
    EXPECT_TRUE(out["changes"].empty());
}

TEST(Rewrite, EmptyTextIsFine)
{
    json out = rewriteOk("", "concise", "en");
    EXPECT_EQ(out["text"], "");
}

} // namespace
} // namespace sotto::engines
