// SPDX-License-Identifier: GPL-3.0-or-later
// The release transparency log at 1,000,000 entries (canonical release
// statements of ~330 bytes, DESIGN.md "Release statement"):
//
//  - BM_TlogAppendFiles/batch:B: LogWriter appends in batches of B entries to
//    a log directory, every bundle, tile and checkpoint written atomically
//    (temp file, fsync, rename, fsync of the directory), as `sotto log
//    append` does;
//  - BM_TlogAppendMemory: the same tree computed in memory (leaf hashes,
//    tile rows, root), no files: the work Go's x/mod StoredHashes does in
//    `tlogpeer bench-append` (bench/tlog-run runs it beside this);
//  - BM_TlogAudit/validate:V: LogAuditor over the 1M-entry directory (every
//    bundle read and hashed, every tile compared, the root checked); with
//    V=1 every entry is also validated as a canonical release statement, as
//    `sotto audit` does. `tlogpeer bench-audit` does the V=0 work with x/mod.
//  - BM_TlogInclusion{Prove,Verify}, BM_TlogConsistency{Prove,Verify}: one
//    proof in the 1M-entry tree, for 1,000 pseudo-random leaves (or earlier
//    tree sizes), computed from the tree's tile rows in memory with a fresh
//    TileHashSource each time (what LogClient does with the tiles it fetched
//    for one request, without the fetching), then verified against the root.
//    `tlogpeer bench-proofs` does the same with x/mod's ProveRecord /
//    CheckRecord and ProveTree / CheckTree over its stored hashes.
//
// The 1M-entry log is built once, in $SOTTO_BENCH_TLOG_DIR (kept, with its
// verifier key in log.vkey next to it, for the Go peer and hyperfine) or in
// a temporary directory removed at exit.
#include "protocol/formats/release_statement.h"
#include "protocol/tlog/audit.h"
#include "protocol/tlog/log_writer.h"
#include "protocol/tlog/tiles.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace sotto;
using namespace sotto::tlog;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kEntries = 1000000;
const std::string kOrigin = "bench.example/sotto-releases";

Bytes statement(uint64_t i)
{
    char measurement[97];
    std::snprintf(measurement, sizeof measurement, "%096llx", static_cast<unsigned long long>(i));
    return toBytes(std::string("{\"image\":\"sha256:") + std::string(64, 'a')
        + "\",\"issued\":\"2026-11-25T10:00:00Z\",\"measurement\":\"" + measurement
        + "\",\"platform\":\"sev-snp\",\"policy\":\"0x30000\",\"schema\":\"sotto-release/0\","
          "\"source\":\""
        + std::string(40, 'b') + "\",\"version\":\"1.0." + std::to_string(i) + "\"}");
}

struct TempDir {
    fs::path path;
    explicit TempDir(const char *name)
    {
        std::string tmpl = (fs::temp_directory_path() / name).string() + ".XXXXXX";
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Appends kEntries in batches of `batch` to a new log in `dir`.
std::string buildLog(const fs::path &dir, uint64_t batch)
{
    auto signer = NoteSigner::generate(kOrigin, KeyType::Ed25519);
    auto writer = LogWriter::create(dir, *signer);
    if (!writer)
        std::abort();
    std::vector<Bytes> entries;
    for (uint64_t i = 0; i < kEntries; i += batch) {
        entries.clear();
        for (uint64_t j = i; j < std::min(kEntries, i + batch); ++j)
            entries.push_back(statement(j));
        if (!writer->append(entries)) {
            std::fprintf(stderr, "append failed\n");
            std::abort();
        }
    }
    return writer->verifierKey();
}

struct SharedLog {
    fs::path dir;
    std::string vkey;
    std::unique_ptr<TempDir> temp;
};

const SharedLog &sharedLog()
{
    static const SharedLog log = [] {
        SharedLog l;
        if (const char *env = std::getenv("SOTTO_BENCH_TLOG_DIR")) {
            l.dir = env;
            std::error_code ec;
            fs::remove_all(l.dir, ec);
        } else {
            l.temp = std::make_unique<TempDir>("sotto-bench-tlog");
            l.dir = l.temp->path / "log";
        }
        l.vkey = buildLog(l.dir, 100000);
        std::ofstream(l.dir.string() + ".vkey") << l.vkey << "\n";
        return l;
    }();
    return log;
}

void BM_TlogAppendFiles(benchmark::State &state)
{
    const auto batch = uint64_t(state.range(0));
    for (auto _ : state) {
        TempDir tmp("sotto-bench-append");
        benchmark::DoNotOptimize(buildLog(tmp.path / "log", batch));
    }
    state.counters["entries_per_s"] = benchmark::Counter(
        double(kEntries) * double(state.iterations()), benchmark::Counter::kIsRate);
}

// The tile rows of a tree: rows[0] the leaf hashes, rows[l + 1] the roots of
// every complete 256-hash group of rows[l].
using TileRows = std::vector<std::vector<Hash>>;

TileRows tileRows(const std::vector<Bytes> &entries)
{
    TileRows rows(1);
    for (const Bytes &e : entries) {
        rows[0].push_back(leafHash(e));
        for (size_t level = 0; rows[level].size() % kTileWidth == 0; ++level) {
            if (rows.size() == level + 1)
                rows.emplace_back();
            rows[level + 1].push_back(rootFromLeafHashes(
                std::span(rows[level]).subspan(rows[level].size() - kTileWidth)));
        }
    }
    return rows;
}

// Serves the tiles of a tree of `treeSize` leaves from its rows, as a log's
// tile files would (the partial tile at the right edge included).
TileHashSource rowSource(const TileRows &rows, uint64_t treeSize)
{
    return TileHashSource(treeSize, [&rows](const Tile &t) -> TlogResult<std::vector<Hash>> {
        const auto first = ptrdiff_t(t.index * kTileWidth);
        return std::vector<Hash>(
            rows[t.level].begin() + first, rows[t.level].begin() + first + t.width);
    });
}

void BM_TlogAppendMemory(benchmark::State &state)
{
    std::vector<Bytes> entries;
    for (uint64_t i = 0; i < kEntries; ++i)
        entries.push_back(statement(i));
    for (auto _ : state) {
        const TileRows rows = tileRows(entries);
        auto root = rowSource(rows, kEntries).subtreeHash(0, kEntries);
        benchmark::DoNotOptimize(root);
    }
    state.counters["entries_per_s"] = benchmark::Counter(
        double(kEntries) * double(state.iterations()), benchmark::Counter::kIsRate);
}

// The 1M-entry tree for the proof benchmarks, and 1,000 pseudo-random
// indices in it (a fixed LCG, the same sequence as tlogpeer bench-proofs).
struct ProofTree {
    TileRows rows;
    Hash root;
    std::vector<uint64_t> picks;
};

const ProofTree &proofTree()
{
    static const ProofTree tree = [] {
        ProofTree t;
        std::vector<Bytes> entries;
        for (uint64_t i = 0; i < kEntries; ++i)
            entries.push_back(statement(i));
        t.rows = tileRows(entries);
        t.root = *rowSource(t.rows, kEntries).subtreeHash(0, kEntries);
        uint64_t x = 1;
        for (int i = 0; i < 1000; ++i) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            t.picks.push_back((x >> 33) % kEntries);
        }
        return t;
    }();
    return tree;
}

std::vector<Bytes> asBytesList(const std::vector<Hash> &hashes)
{
    std::vector<Bytes> out;
    for (const Hash &h : hashes)
        out.emplace_back(h.begin(), h.end());
    return out;
}

void BM_TlogInclusionProve(benchmark::State &state)
{
    const ProofTree &t = proofTree();
    size_t i = 0;
    for (auto _ : state) {
        auto source = rowSource(t.rows, kEntries);
        auto proof = inclusionProof(t.picks[i++ % t.picks.size()], kEntries, source.source());
        if (!proof)
            return state.SkipWithError("inclusionProof failed");
        benchmark::DoNotOptimize(proof);
    }
}

void BM_TlogInclusionVerify(benchmark::State &state)
{
    const ProofTree &t = proofTree();
    std::vector<std::vector<Bytes>> proofs;
    for (uint64_t index : t.picks) {
        auto source = rowSource(t.rows, kEntries);
        proofs.push_back(asBytesList(*inclusionProof(index, kEntries, source.source())));
    }
    size_t i = 0;
    for (auto _ : state) {
        const size_t k = i++ % t.picks.size();
        const Hash &leaf = t.rows[0][t.picks[k]];
        if (!verifyInclusion(t.picks[k], kEntries, leaf, proofs[k], t.root))
            return state.SkipWithError("verifyInclusion failed");
    }
}

void BM_TlogConsistencyProve(benchmark::State &state)
{
    const ProofTree &t = proofTree();
    size_t i = 0;
    for (auto _ : state) {
        auto source = rowSource(t.rows, kEntries);
        auto proof = consistencyProof(t.picks[i++ % t.picks.size()] + 1, kEntries, source.source());
        if (!proof)
            return state.SkipWithError("consistencyProof failed");
        benchmark::DoNotOptimize(proof);
    }
}

void BM_TlogConsistencyVerify(benchmark::State &state)
{
    const ProofTree &t = proofTree();
    std::vector<std::vector<Bytes>> proofs;
    std::vector<Hash> oldRoots;
    for (uint64_t pick : t.picks) {
        const uint64_t size = pick + 1;
        auto source = rowSource(t.rows, kEntries);
        proofs.push_back(asBytesList(*consistencyProof(size, kEntries, source.source())));
        oldRoots.push_back(*rowSource(t.rows, size).subtreeHash(0, size));
    }
    size_t i = 0;
    for (auto _ : state) {
        const size_t k = i++ % t.picks.size();
        if (!verifyConsistency(t.picks[k] + 1, kEntries, oldRoots[k], t.root, proofs[k]))
            return state.SkipWithError("verifyConsistency failed");
    }
}

LogFetcher fileFetcher(const fs::path &dir)
{
    return [dir](const std::string &path) -> TlogResult<Bytes> {
        std::ifstream in(dir / path, std::ios::binary);
        if (!in)
            return fail(TlogError::FetchFailed, "no " + path);
        return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
}

void BM_TlogAudit(benchmark::State &state)
{
    const SharedLog &log = sharedLog();
    const bool validate = state.range(0) != 0;
    auto key = NoteVerifier::parse(log.vkey);
    const LogAuditor auditor(LogClientConfig { kOrigin, *key, {}, 0 }, fileFetcher(log.dir));
    AuditOptions options;
    if (validate)
        options.onEntry = [](uint64_t index, ByteView entry) -> TlogStatus {
            auto canonical = formats::canonicalReleaseStatement(asString(entry));
            if (!canonical || *canonical != asString(entry))
                return fail(TlogError::InvalidEntry, "entry " + std::to_string(index));
            return Done {};
        };
    for (auto _ : state) {
        auto report = auditor.run(options);
        if (!report || report->entries != kEntries) {
            state.SkipWithError("audit failed");
            return;
        }
    }
    state.counters["entries_per_s"] = benchmark::Counter(
        double(kEntries) * double(state.iterations()), benchmark::Counter::kIsRate);
}

} // namespace

BENCHMARK(BM_TlogAppendFiles)
    ->ArgName("batch")
    ->Arg(1000)
    ->Arg(100000)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK(BM_TlogAppendMemory)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_TlogAudit)
    ->ArgName("validate")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK(BM_TlogInclusionProve)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TlogInclusionVerify)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TlogConsistencyProve)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TlogConsistencyVerify)->Unit(benchmark::kMicrosecond);
