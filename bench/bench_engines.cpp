// SPDX-License-Identifier: GPL-3.0-or-later
// Throughput of the built-in engines (issue 8) against chat size: the
// summarizer on synthetic chats of 100 to 30,000 messages (the target is a
// 10,000-message chat in under 1 s on one core, and linear growth), and the
// rewrite styles on texts of 1 to 64 KiB. `sotto_bench_engines --dump-chat=N`
// prints the N-message chat as a /v1/summarize body, so bench/run-engines can
// time the npm summarizers on exactly the same input in the same run.
#include "tee-backend/engines/builtin.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace {

using namespace sotto::engines;

// A deterministic work chat: people, topics, figures and the usual mix of
// statements, questions, decisions, commitments and small talk.
class ChatGenerator {
public:
    std::string chat(size_t messages)
    {
        std::string out = "{\"messages\":[";
        for (size_t i = 0; i < messages; ++i) {
            if (i)
                out += ',';
            out += "{\"from\":\"";
            out += pick(kPeople);
            out += "\",\"time\":\"2026-11-20T09:00:00Z\",\"text\":\"";
            out += message();
            out += "\"}";
        }
        out += "],\"lang\":\"en\",\"max_points\":10}";
        return out;
    }

    std::string text(size_t bytes)
    {
        std::string out;
        while (out.size() < bytes) {
            out += message();
            out += ' ';
        }
        return out;
    }

private:
    static constexpr const char *kPeople[] = { "alice", "bob", "carol", "dave", "erin", "frank" };
    static constexpr const char *kThings[]
        = { "invoice", "release", "budget", "server", "contract", "offsite", "report", "migration",
              "design review", "hiring plan", "customer call", "security audit" };
    static constexpr const char *kDays[]
        = { "Monday", "Tuesday", "Friday", "tomorrow", "next week" };
    static constexpr const char *kFillers[]
        = { "ok", "thanks!", "sounds good 👍", "lol", "on my way" };

    uint64_t next()
    {
        m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
        return m_state >> 33;
    }
    template <size_t N> const char *pick(const char *const (&list)[N]) { return list[next() % N]; }
    std::string num() { return std::to_string(100 + next() % 9900); }

    std::string message()
    {
        std::string t = pick(kThings), d = pick(kDays);
        switch (next() % 8) {
        case 0:
            return "The " + t + " for the " + pick(kThings) + " is " + num() + " EUR, about "
                + num() + " more than planned.";
        case 1:
            return "Can we move the " + t + " to " + d + "? The team needs " + num()
                + " more hours.";
        case 2:
            return "I'll update the " + t + " by " + d + " and send it to " + pick(kPeople) + ".";
        case 3:
            return "Let's go with the second option for the " + t + ", it saves " + num() + " EUR.";
        case 4:
            return pick(kFillers);
        case 5:
            return "Who owns the " + t + " after the " + pick(kThings) + " is done?";
        case 6:
            return "The " + t + " failed twice this week, see https://example.org/" + num()
                + " for the logs.";
        default:
            return "We should review the " + t + " numbers with " + pick(kPeople) + " on " + d
                + ".";
        }
    }

    uint64_t m_state = 42;
};

Engine &engine()
{
    static auto e = makeBuiltinEngine();
    return *e;
}

void BM_Summarize(benchmark::State &state)
{
    auto messages = static_cast<size_t>(state.range(0));
    std::string body = ChatGenerator().chat(messages);
    for (auto _ : state) {
        auto r = engine().run(
            Feature::Summarize, body, std::chrono::steady_clock::now() + std::chrono::minutes(10));
        if (!r.ok()) {
            state.SkipWithError("summarize failed");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(messages));
    state.counters["messages"] = double(messages);
}
BENCHMARK(BM_Summarize)
    ->ArgName("messages")
    ->Arg(100)
    ->Arg(1000)
    ->Arg(3000)
    ->Arg(10000)
    ->Arg(30000)
    ->Unit(benchmark::kMillisecond);

void BM_Rewrite(benchmark::State &state)
{
    const char *styles[] = { "proofread", "concise", "formal", "friendly" };
    std::string style = styles[state.range(0)];
    auto bytes = static_cast<size_t>(state.range(1));
    std::string text = ChatGenerator().text(bytes);
    // A few slips for the proofreader to find.
    for (size_t p = text.find(" the "); p != std::string::npos && p < text.size();
         p = text.find(" the ", p + 400))
        text.replace(p, 5, " teh ");
    std::string body = "{\"text\":\"" + text + "\",\"style\":\"" + style + "\",\"lang\":\"en\"}";
    // Load the dictionary before timing.
    (void)engine().run(
        Feature::Rewrite, body, std::chrono::steady_clock::now() + std::chrono::minutes(1));
    for (auto _ : state) {
        auto r = engine().run(
            Feature::Rewrite, body, std::chrono::steady_clock::now() + std::chrono::minutes(10));
        if (!r.ok()) {
            state.SkipWithError("rewrite failed");
            break;
        }
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}
BENCHMARK(BM_Rewrite)
    ->ArgNames({ "style", "bytes" })
    ->ArgsProduct({ { 0, 1, 2, 3 }, { 1024, 8192, 65000 } })
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], "--dump-chat=", 12) == 0) {
            std::cout << ChatGenerator().chat(std::strtoul(argv[i] + 12, nullptr, 10)) << "\n";
            return 0;
        }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
