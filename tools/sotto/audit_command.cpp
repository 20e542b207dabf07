// SPDX-License-Identifier: GPL-3.0-or-later
// `sotto audit`: the researcher's audit of the release transparency log. It
// checks the checkpoint (log signature, a quorum of witness cosignatures),
// downloads every entry bundle and tile, recomputes the whole Merkle tree
// (LogAuditor), validates every entry as a canonical release statement
// (DESIGN.md "Release statement"), checks consistency with a checkpoint the
// auditor kept from an earlier run, and lists the releases.
#include "protocol/formats/release_statement.h"
#include "protocol/tlog/audit.h"
#include "protocol/tlog/base64.h"
#include "tools/sotto/cli_options.h"
#include "tools/sotto/commands.h"
#include "tools/sotto/http_fetch.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <unistd.h>

namespace sotto::cli {
namespace {

using nlohmann::json;

int usage()
{
    std::fprintf(stderr,
        "usage: sotto audit --log URL --log-key VKEY [--witness-key VKEY]... [--quorum N]\n"
        "                   [--since CHECKPOINT_FILE] [--json]\n"
        "  verifies the checkpoint, every tile and entry, lists the releases;\n"
        "  --quorum defaults to the number of --witness-key given;\n"
        "  --since: a checkpoint saved earlier (e.g. the log's checkpoint file) the log must "
        "extend;\n"
        "  URL: http://host:port/prefix, file:///dir or a directory\n");
    return kExitUsage;
}

// Renders "[#####.....]  42% 1234/2900 entries" on stderr, in place.
class ProgressBar {
public:
    explicit ProgressBar(bool enabled)
        : m_enabled(enabled)
    { }
    ~ProgressBar() { finish(); }
    void update(uint64_t done, uint64_t total)
    {
        if (!m_enabled || total == 0)
            return;
        const unsigned percent = unsigned(done * 100 / total);
        if (percent == m_last && done != total)
            return;
        m_last = percent;
        constexpr unsigned kWidth = 40;
        const unsigned filled = unsigned(done * kWidth / total);
        std::string bar(filled, '#');
        bar.append(kWidth - filled, '.');
        std::fprintf(stderr, "\r[%s] %3u%% %llu/%llu entries", bar.c_str(), percent,
            static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
        std::fflush(stderr);
        m_drawn = true;
    }
    void finish()
    {
        if (m_drawn)
            std::fputc('\n', stderr);
        m_drawn = false;
    }

private:
    bool m_enabled;
    bool m_drawn = false;
    unsigned m_last = 101;
};

struct Outcome {
    bool verified = false;
    std::string origin;
    uint64_t size = 0;
    std::string root;
    std::vector<std::string> witnesses;
    // The verified entries: canonical release statements, kept as text (a
    // million entries as parsed JSON objects would take gigabytes).
    std::vector<std::pair<uint64_t, std::string>> releases;
    std::string error;
    std::string detail;
};

int report(const Outcome &o, bool asJson)
{
    if (asJson) {
        json head = { { "verified", o.verified }, { "origin", o.origin }, { "size", o.size },
            { "root", o.root }, { "witnesses", o.witnesses } };
        if (!o.verified) {
            head["error"] = o.error;
            head["detail"] = o.detail;
        }
        // {"index":N, <the statement's members>}: each entry is a canonical
        // JSON object, so its members are spliced in after "index".
        std::string text = head.dump(-1, ' ', false, json::error_handler_t::replace);
        text.pop_back();
        text += ",\"releases\":[";
        for (size_t i = 0; i < o.releases.size(); ++i) {
            text += i ? ",\n" : "\n";
            text += "{\"index\":" + std::to_string(o.releases[i].first) + ","
                + o.releases[i].second.substr(1);
        }
        text += "]}\n";
        std::fwrite(text.data(), 1, text.size(), stdout);
    } else if (o.verified) {
        std::printf("verified %s: %llu entries, root %s\n", o.origin.c_str(),
            static_cast<unsigned long long>(o.size), o.root.c_str());
        std::printf("cosigned by %zu witness(es)", o.witnesses.size());
        for (const auto &w : o.witnesses)
            std::printf(" %s", w.c_str());
        std::printf("\n");
        for (const auto &[index, statement] : o.releases) {
            const json r = json::parse(statement);
            std::printf("%llu %s %s measurement %s issued %s\n",
                static_cast<unsigned long long>(index), r["version"].get<std::string>().c_str(),
                r["source"].get<std::string>().c_str(), r["measurement"].get<std::string>().c_str(),
                r["issued"].get<std::string>().c_str());
        }
    }
    if (!o.verified) {
        std::fprintf(stderr, "sotto audit: %s: %s\n", o.error.c_str(), o.detail.c_str());
        return kExitFailure;
    }
    return kExitOk;
}

template <class R> int failedWith(Outcome &o, bool asJson, const R &result)
{
    o.error = std::string(errorName(result.error()));
    o.detail = result.detail();
    return report(o, asJson);
}

} // namespace

int runAudit(Args args)
{
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        usage();
        return kExitOk;
    }
    Options opts({ "--log", "--log-key", "--witness-key", "--quorum", "--since" }, { "--json" },
        { "--witness-key" });
    if (!opts.parse(args) || !opts.positional().empty() || !opts.value("--log")
        || !opts.value("--log-key")) {
        if (!opts.error().empty())
            std::fprintf(stderr, "sotto audit: %s\n", opts.error().c_str());
        return usage();
    }
    const bool asJson = opts.has("--json");
    Outcome outcome;

    auto logKey = tlog::NoteVerifier::parse(*opts.value("--log-key"));
    if (!logKey)
        return failedWith(outcome, asJson, logKey);
    tlog::LogClientConfig config { logKey->name(), *logKey, {}, 0 };
    outcome.origin = config.origin;
    for (const std::string &w : opts.values("--witness-key")) {
        auto key = tlog::NoteVerifier::parse(w);
        if (!key)
            return failedWith(outcome, asJson, key);
        config.witnesses.push_back(*key);
    }
    config.witnessQuorum = config.witnesses.size();
    if (auto q = opts.value("--quorum")) {
        char *end = nullptr;
        const unsigned long n = std::strtoul(q->c_str(), &end, 10);
        if (q->empty() || *end != '\0' || n > config.witnesses.size()) {
            std::fprintf(stderr, "sotto audit: --quorum must be 0..%zu (the witness keys given)\n",
                config.witnesses.size());
            return kExitUsage;
        }
        config.witnessQuorum = n;
    }

    auto fetcher = HttpFetcher::create(*opts.value("--log"));
    if (!fetcher)
        return failedWith(outcome, asJson, fetcher);

    tlog::AuditOptions options;
    if (auto since = opts.value("--since")) {
        const auto text = readWholeFile(*since);
        if (!text) {
            outcome.error = "ReadFailed";
            outcome.detail = "cannot read " + *since;
            return report(outcome, asJson);
        }
        // The earlier checkpoint must be the log's own (its signature), not
        // any text: only then is a mismatch evidence against the log.
        auto sinceConfig = config;
        sinceConfig.witnesses.clear();
        sinceConfig.witnessQuorum = 0;
        auto earlier = tlog::LogClient(sinceConfig, fetcher->logFetcher()).openCheckpoint(*text);
        if (!earlier) {
            outcome.error = std::string(errorName(earlier.error()));
            outcome.detail = "--since " + *since + ": " + earlier.detail();
            return report(outcome, asJson);
        }
        options.since = earlier->checkpoint;
    }

    options.onEntry = [&](uint64_t index, ByteView entry) -> tlog::TlogStatus {
        auto canonical = formats::canonicalReleaseStatement(asString(entry));
        if (!canonical)
            return fail(tlog::TlogError::InvalidEntry,
                "entry " + std::to_string(index)
                    + " is not a release statement: " + canonical.detail());
        if (*canonical != asString(entry))
            return fail(tlog::TlogError::InvalidEntry,
                "entry " + std::to_string(index)
                    + " is a release statement but not in canonical form (sorted keys, no spaces)");
        outcome.releases.emplace_back(index, std::move(*canonical));
        return Done {};
    };
    ProgressBar progress(::isatty(STDERR_FILENO) == 1);
    options.onProgress = [&](uint64_t done, uint64_t total) { progress.update(done, total); };

    const tlog::LogAuditor auditor(config, fetcher->logFetcher());
    auto result = auditor.run(options);
    progress.finish();
    if (!result) {
        outcome.releases.clear();
        return failedWith(outcome, asJson, result);
    }
    const tlog::Checkpoint &cp = result->checkpoint.checkpoint;
    outcome.verified = true;
    outcome.size = cp.size;
    outcome.root = tlog::base64Encode(cp.root);
    outcome.witnesses = result->checkpoint.witnesses;
    return report(outcome, asJson);
}

} // namespace sotto::cli
