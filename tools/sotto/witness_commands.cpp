// SPDX-License-Identifier: GPL-3.0-or-later
// `sotto witness init|cosign`: a C2SP tlog-witness (v1.0.0) run from the
// command line. The witness keeps one state file (0600, JSON):
//
//   {"version":0, "name":NAME, "key":"PRIVATE+KEY+NAME+...",
//    "logs":{ORIGIN:{"log_key":VKEY, "checkpoint":BODY}}}
//
// where BODY is the last checkpoint body it cosigned for that log. `cosign`
// fetches the log's checkpoint, checks the log's signature and consistency
// with BODY (refusing a rollback or a fork), records the new checkpoint
// atomically and only then writes its cosignature/v1 line. FILE.lock (flock)
// keeps two cosign runs on one state apart.
#include "protocol/tlog/log_writer.h"
#include "protocol/tlog/witness.h"
#include "tools/sotto/cli_options.h"
#include "tools/sotto/commands.h"
#include "tools/sotto/http_fetch.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <sys/file.h>
#include <unistd.h>

namespace sotto::cli {
namespace {

using nlohmann::json;

int usage()
{
    std::fprintf(stderr,
        "usage: sotto witness init --state FILE --name NAME\n"
        "           create a witness key (cosignature/v1) and its state; prints the verifier key\n"
        "       sotto witness cosign --log URL --log-key VKEY --state FILE [--out FILE]\n"
        "           fetch the log's checkpoint, check it extends the last one cosigned,\n"
        "           record it, and write the cosignature line (standard output without --out)\n"
        "URL: http://host:port/prefix, file:///dir or a directory\n");
    return kExitUsage;
}

int failed(const char *what, const std::string &detail)
{
    std::fprintf(stderr, "sotto witness %s: %s\n", what, detail.c_str());
    return kExitFailure;
}

template <class R> int failedWith(const char *what, const R &result)
{
    return failed(what, std::string(errorName(result.error())) + ": " + result.detail());
}

tlog::TlogStatus writeState(const std::string &path, const json &state)
{
    const std::string text = state.dump(2) + "\n";
    return tlog::writeFileAtomically(path, asBytes(text), 0600);
}

int init(Args args)
{
    Options opts({ "--state", "--name" }, {});
    if (!opts.parse(args) || !opts.positional().empty() || !opts.value("--state")
        || !opts.value("--name")) {
        if (!opts.error().empty())
            std::fprintf(stderr, "sotto witness init: %s\n", opts.error().c_str());
        return usage();
    }
    const std::string path = *opts.value("--state");
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
        return failed("init", path + " already exists; a witness keeps its key and history");
    auto signer = tlog::NoteSigner::generate(*opts.value("--name"), tlog::KeyType::CosignatureV1);
    if (!signer)
        return failedWith("init", signer);
    const crypto::SecretBytes key = signer->toKeyString();
    json state = { { "version", 0 }, { "name", signer->name() },
        { "key", std::string(asString(key.view())) }, { "logs", json::object() } };
    auto written = writeState(path, state);
    if (!written)
        return failedWith("init", written);
    std::printf("%s\n", signer->verifierKey().c_str());
    return kExitOk;
}

int cosign(Args args)
{
    Options opts({ "--log", "--log-key", "--state", "--out" }, {});
    if (!opts.parse(args) || !opts.positional().empty() || !opts.value("--log")
        || !opts.value("--log-key") || !opts.value("--state")) {
        if (!opts.error().empty())
            std::fprintf(stderr, "sotto witness cosign: %s\n", opts.error().c_str());
        return usage();
    }
    const std::string statePath = *opts.value("--state");
    // One cosign at a time per state: two interleaved runs could each start
    // from the same last checkpoint and cosign two forks of one log. The
    // lock is a separate file because the state itself is replaced by rename.
    const std::string lockPath = statePath + ".lock";
    const int lockFd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockFd < 0)
        return failed("cosign", "cannot open " + lockPath + ": " + std::strerror(errno));
    const std::unique_ptr<int, void (*)(int *)> lock(new int(lockFd), [](int *fd) {
        ::close(*fd);
        delete fd;
    });
    if (::flock(lockFd, LOCK_EX | LOCK_NB) != 0)
        return failed("cosign", "another `sotto witness cosign` holds " + lockPath);
    const auto stateText = readWholeFile(statePath);
    if (!stateText)
        return failed("cosign", "cannot read the state file " + statePath);
    json state = json::parse(*stateText, nullptr, false);
    if (!state.is_object() || !state.contains("key") || !state["key"].is_string()
        || !state.contains("logs") || !state["logs"].is_object())
        return failed("cosign", statePath + " is not a witness state file (sotto witness init)");
    auto signer = tlog::NoteSigner::parse(state["key"].get<std::string>());
    if (!signer)
        return failedWith("cosign", signer);

    auto logKey = tlog::NoteVerifier::parse(*opts.value("--log-key"));
    if (!logKey)
        return failedWith("cosign", logKey);
    // The log's key name is its origin (signed-note + tlog-checkpoint).
    const std::string origin = logKey->name();

    std::optional<tlog::Checkpoint> previous;
    json &logs = state["logs"];
    if (logs.contains(origin)) {
        const json &entry = logs[origin];
        if (!entry.is_object() || !entry.contains("log_key") || !entry.contains("checkpoint")
            || !entry["log_key"].is_string() || !entry["checkpoint"].is_string())
            return failed("cosign", statePath + ": malformed record for " + origin);
        if (entry["log_key"].get<std::string>() != logKey->toString())
            return failed("cosign",
                "the log " + origin + " was witnessed under another key ("
                    + entry["log_key"].get<std::string>() + "); refusing a key change");
        auto body = tlog::parseCheckpoint(entry["checkpoint"].get<std::string>());
        if (!body)
            return failedWith("cosign", body);
        previous = *body;
    }

    auto fetcher = HttpFetcher::create(*opts.value("--log"));
    if (!fetcher)
        return failedWith("cosign", fetcher);
    const tlog::LogClient client(
        tlog::LogClientConfig { origin, *logKey, {}, 0 }, fetcher->logFetcher());
    const auto now = uint64_t(std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch())
                                  .count());
    auto witnessed = tlog::witnessCheckpoint(client, *signer, previous, now);
    if (!witnessed) {
        if (witnessed.error() == tlog::TlogError::Rollback)
            return failed("cosign", "refusing a rollback: " + witnessed.detail());
        if (witnessed.error() == tlog::TlogError::Fork)
            return failed("cosign", "refusing a fork: " + witnessed.detail());
        return failedWith("cosign", witnessed);
    }

    // Persist first: a cosignature released before the state is durable
    // could be contradicted by this witness after a crash.
    const tlog::Checkpoint &cp = witnessed->checkpoint.checkpoint;
    logs[origin]
        = json { { "log_key", logKey->toString() }, { "checkpoint", tlog::formatCheckpoint(cp) } };
    if (auto ok = writeState(statePath, state); !ok)
        return failedWith("cosign", ok);

    const std::string line = tlog::formatSignatureLine(witnessed->cosignature);
    if (auto out = opts.value("--out")) {
        if (auto ok = tlog::writeFileAtomically(*out, asBytes(line)); !ok)
            return failedWith("cosign", ok);
    } else {
        std::fputs(line.c_str(), stdout);
    }
    std::fprintf(stderr, "cosigned %s at size %llu\n", origin.c_str(),
        static_cast<unsigned long long>(cp.size));
    return kExitOk;
}

} // namespace

int runWitness(Args args)
{
    return runSubcommand(args, usage, { { "init", init }, { "cosign", cosign } });
}

} // namespace sotto::cli
