// SPDX-License-Identifier: GPL-3.0-or-later
// `sotto log init|append|checkpoint|cosign`: the release transparency log's
// writer (C2SP tlog-tiles in a directory, served as static files). The signer
// key stays in DIR/signer.key (0600); serve only DIR/checkpoint and DIR/tile/
// (deploy/nginx/log.conf). `cosign` adds witnesses' cosignatures to the
// served checkpoint (C2SP tlog-cosignature).
#include "protocol/formats/release_statement.h"
#include "protocol/tlog/log_writer.h"
#include "protocol/tlog/witness.h"
#include "tools/sotto/cli_options.h"
#include "tools/sotto/commands.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace sotto::cli {
namespace {

int usage()
{
    std::fprintf(stderr,
        "usage: sotto log init DIR --origin NAME     create a log and its Ed25519 key\n"
        "       sotto log append DIR STATEMENT.json  validate a release statement and append it\n"
        "       sotto log checkpoint DIR             re-sign and print the current checkpoint\n"
        "       sotto log cosign DIR FILE --witness-key VKEY [--witness-key VKEY]...\n"
        "           verify the cosignature line(s) in FILE (from `sotto witness cosign`)\n"
        "           against the current checkpoint and serve them with it\n");
    return kExitUsage;
}

template <class R> int failed(const char *what, const R &result)
{
    std::fprintf(stderr, "sotto log %s: %s\n", what, result.detail().c_str());
    return kExitFailure;
}

int init(Args args)
{
    if (args.size() != 3 || args[1] != "--origin")
        return usage();
    // signed-note: the log's key name is its origin (tlog-checkpoint's first line).
    auto signer = tlog::NoteSigner::generate(args[2], tlog::KeyType::Ed25519);
    if (!signer)
        return failed("init", signer);
    auto writer = tlog::LogWriter::create(std::string(args[0]), std::move(*signer));
    if (!writer)
        return failed("init", writer);
    std::printf("%s\n", writer->verifierKey().c_str());
    return kExitOk;
}

int append(Args args)
{
    if (args.size() != 2)
        return usage();
    const std::string file(args[1]);
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "sotto log append: cannot read %s\n", file.c_str());
        return kExitFailure;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto statement = formats::canonicalReleaseStatement(text);
    if (!statement) {
        std::fprintf(
            stderr, "sotto log append: %s: %s\n", file.c_str(), statement.detail().c_str());
        return kExitFailure;
    }
    auto writer = tlog::LogWriter::open(std::string(args[0]));
    if (!writer)
        return failed("append", writer);
    const Bytes entry = toBytes(*statement);
    auto index = writer->append(std::span(&entry, 1));
    if (!index)
        return failed("append", index);
    std::printf("index %llu\ntree size %llu\n", static_cast<unsigned long long>(*index),
        static_cast<unsigned long long>(writer->checkpoint().size));
    return kExitOk;
}

int checkpoint(Args args)
{
    if (args.size() != 1)
        return usage();
    auto writer = tlog::LogWriter::open(std::string(args[0]));
    if (!writer)
        return failed("checkpoint", writer);
    auto note = writer->resign();
    if (!note)
        return failed("checkpoint", note);
    std::fputs(note->c_str(), stdout);
    return kExitOk;
}

int cosign(Args args)
{
    Options opts({ "--witness-key" }, {}, { "--witness-key" });
    if (!opts.parse(args) || opts.positional().size() != 2
        || opts.values("--witness-key").empty()) {
        if (!opts.error().empty())
            std::fprintf(stderr, "sotto log cosign: %s\n", opts.error().c_str());
        return usage();
    }
    std::vector<tlog::NoteVerifier> witnesses;
    for (const std::string &w : opts.values("--witness-key")) {
        auto key = tlog::NoteVerifier::parse(w);
        if (!key)
            return failed("cosign", key);
        witnesses.push_back(*key);
    }
    const std::string file = opts.positional()[1];
    const auto lines = readWholeFile(file);
    if (!lines) {
        std::fprintf(stderr, "sotto log cosign: cannot read %s\n", file.c_str());
        return kExitFailure;
    }
    auto cosignatures = tlog::parseSignatureLines(*lines);
    if (!cosignatures) {
        std::fprintf(
            stderr, "sotto log cosign: %s: %s\n", file.c_str(), cosignatures.detail().c_str());
        return kExitFailure;
    }
    auto writer = tlog::LogWriter::open(opts.positional()[0]);
    if (!writer)
        return failed("cosign", writer);
    auto note = writer->addCosignatures(*cosignatures, witnesses);
    if (!note)
        return failed("cosign", note);
    std::fputs(note->c_str(), stdout);
    return kExitOk;
}

} // namespace

int runLog(Args args)
{
    return runSubcommand(args, usage,
        { { "init", init }, { "append", append }, { "checkpoint", checkpoint },
            { "cosign", cosign } });
}

} // namespace sotto::cli
