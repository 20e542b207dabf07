// SPDX-License-Identifier: GPL-3.0-or-later
// LogClient against an in-memory tlog-tiles log: a checkpoint signed by the
// log and cosigned by two witnesses, tiles and entry bundles as files. Each
// fault (wrong origin, missing log signature, missing quorum, unknown
// witness, rollback, fork, modified or truncated tiles and bundles, missing
// files) must give its own error.
#include "protocol/tlog/log_client.h"

#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <map>

namespace sotto::tlog {
namespace {

const std::string kOrigin = "log.example/sotto-releases";

struct Keys {
    NoteSigner log;
    NoteSigner w1;
    NoteSigner w2;
};

const Keys &keys()
{
    static const Keys k = [] {
        auto log = NoteSigner::generate(kOrigin, KeyType::Ed25519);
        auto w1 = NoteSigner::generate("witness.example/w1", KeyType::CosignatureV1);
        auto w2 = NoteSigner::generate("witness.example/w2", KeyType::CosignatureV1);
        if (!log || !w1 || !w2)
            std::abort();
        return Keys { *log, *w1, *w2 };
    }();
    return k;
}

NoteVerifier verifierOf(const NoteSigner &s)
{
    auto v = NoteVerifier::parse(s.verifierKey());
    EXPECT_TRUE(v.ok());
    return *v;
}

// A log of `size` entries "<prefix> <i>", served from a map of paths.
struct TestLog {
    std::map<std::string, Bytes> files;
    Checkpoint checkpoint;
    MemoryTree tree;

    TestLog(uint64_t size, const std::string &prefix = "release", bool cosign = true)
    {
        std::vector<Bytes> entries;
        for (uint64_t i = 0; i < size; ++i) {
            entries.push_back(toBytes(prefix + " " + std::to_string(i)));
            tree.append(leafHash(entries.back()));
        }
        for (const Tile &t : tilesOfTree(size)) {
            std::vector<Hash> hashes;
            const uint64_t span = uint64_t { 1 } << (kTileHeight * t.level);
            for (uint64_t j = 0; j < t.width; ++j) {
                const uint64_t node = t.index * kTileWidth + j;
                hashes.push_back(tree.subtreeHash(node * span, (node + 1) * span));
            }
            files[tilePath(t)] = encodeHashTile(hashes);
            if (t.level == 0) {
                const auto first = entries.begin() + ptrdiff_t(t.index * kTileWidth);
                const std::vector<Bytes> bundle(first, first + t.width);
                files[entryBundlePath(t)] = *encodeEntryBundle(bundle);
            }
        }
        checkpoint = Checkpoint { kOrigin, size, tree.root(), {} };
        std::vector<NoteSigner> signers = { keys().log };
        if (cosign) {
            signers.push_back(keys().w1);
            signers.push_back(keys().w2);
        }
        files["checkpoint"] = toBytes(*signNote(formatCheckpoint(checkpoint), signers, 1700000000));
    }

    LogFetcher fetcher()
    {
        return [this](const std::string &path) -> TlogResult<Bytes> {
            auto it = files.find(path);
            if (it == files.end())
                return fail(TlogError::FetchFailed, "404 " + path);
            return it->second;
        };
    }
};

LogClientConfig config(size_t quorum = 2)
{
    return LogClientConfig { kOrigin, verifierOf(keys().log),
        { verifierOf(keys().w1), verifierOf(keys().w2) }, quorum };
}

TEST(LogClient, VerifiesCheckpointEntriesAndProofs)
{
    TestLog log(600);
    LogClient client(config(), log.fetcher());
    auto cp = client.fetchCheckpoint();
    ASSERT_RESULT_OK(cp);
    EXPECT_EQ(cp->checkpoint, log.checkpoint);
    EXPECT_EQ(
        cp->witnesses, (std::vector<std::string> { "witness.example/w1", "witness.example/w2" }));
    for (uint64_t i : { 0u, 255u, 256u, 511u, 512u, 599u }) {
        auto entry = client.fetchEntry(i, cp->checkpoint);
        ASSERT_RESULT_OK(entry);
        EXPECT_EQ(*entry, toBytes("release " + std::to_string(i)));
    }
    EXPECT_RESULT_ERROR(client.fetchEntry(600, cp->checkpoint), TlogError::EntryNotInLog);
}

TEST(LogClient, CheckpointFaults)
{
    TestLog log(10);
    EXPECT_RESULT_ERROR(
        LogClient(config(3), log.fetcher()).fetchCheckpoint(), TlogError::WitnessQuorumNotMet);

    auto otherOrigin = config();
    otherOrigin.origin = "log.example/other";
    EXPECT_RESULT_ERROR(
        LogClient(otherOrigin, log.fetcher()).fetchCheckpoint(), TlogError::WrongOrigin);

    // The witness we trust is not among the cosigners, whose keys we do not
    // have: the quorum fails because the witness keys are unknown.
    auto stranger = NoteSigner::generate("witness.example/w3", KeyType::CosignatureV1);
    ASSERT_RESULT_OK(stranger);
    auto unknownWitness = config(1);
    unknownWitness.witnesses = { verifierOf(*stranger) };
    const auto unknown = LogClient(unknownWitness, log.fetcher()).fetchCheckpoint();
    EXPECT_RESULT_ERROR(unknown, TlogError::WitnessUnknown);
    EXPECT_NE(unknown.detail().find("0 valid witness cosignatures, 1 required"), std::string::npos)
        << unknown.detail();

    // Another key under the log's name: the log signature is missing.
    auto impostor = NoteSigner::generate(kOrigin, KeyType::Ed25519);
    ASSERT_RESULT_OK(impostor);
    auto wrongLogKey = config();
    wrongLogKey.logKey = verifierOf(*impostor);
    EXPECT_RESULT_ERROR(
        LogClient(wrongLogKey, log.fetcher()).fetchCheckpoint(), TlogError::LogSignatureMissing);

    // A modified tree size invalidates every signature.
    std::string note(asString(log.files["checkpoint"]));
    note.replace(note.find("\n10\n"), 4, "\n11\n");
    EXPECT_RESULT_ERROR(
        LogClient(config(), log.fetcher()).openCheckpoint(note), TlogError::NoteInvalidSignature);

    TestLog uncosigned(10, "release", false);
    EXPECT_RESULT_ERROR(LogClient(config(1), uncosigned.fetcher()).fetchCheckpoint(),
        TlogError::WitnessQuorumNotMet);
    EXPECT_RESULT_OK(LogClient(config(0), uncosigned.fetcher()).fetchCheckpoint());

    log.files.erase("checkpoint");
    EXPECT_RESULT_ERROR(
        LogClient(config(), log.fetcher()).fetchCheckpoint(), TlogError::FetchFailed);
}

TEST(LogClient, ConsistencyRollbackAndFork)
{
    TestLog before(300);
    TestLog after(600);
    TestLog forked(600, "forged");
    TestLog forkedBefore(300, "forged");
    LogClient client(config(), after.fetcher());

    EXPECT_RESULT_OK(client.checkConsistency(before.checkpoint, after.checkpoint));
    EXPECT_RESULT_OK(client.checkConsistency(after.checkpoint, after.checkpoint));
    EXPECT_RESULT_ERROR(
        client.checkConsistency(after.checkpoint, before.checkpoint), TlogError::Rollback);
    EXPECT_RESULT_ERROR(
        client.checkConsistency(forked.checkpoint, after.checkpoint), TlogError::Fork);
    EXPECT_RESULT_ERROR(
        client.checkConsistency(forkedBefore.checkpoint, after.checkpoint), TlogError::Fork);
}

TEST(LogClient, ModifiedOrMissingTilesAndBundles)
{
    TestLog log(600);
    const Checkpoint cp = log.checkpoint;
    {
        TestLog modified(600);
        // Leaf 0's path uses MTH(D[256:512]), the second hash of this tile.
        modified.files["tile/1/000.p/2"][32 + 5] ^= 1;
        EXPECT_RESULT_ERROR(
            LogClient(config(), modified.fetcher()).fetchEntry(0, cp), TlogError::RootMismatch);
    }
    {
        TestLog modified(600);
        // Entry 513 starts at byte 15: 2 + len("release 512") + 2.
        modified.files["tile/entries/002.p/88"][16] ^= 1;
        EXPECT_RESULT_ERROR(
            LogClient(config(), modified.fetcher()).fetchEntry(513, cp), TlogError::RootMismatch);
    }
    {
        TestLog truncated(600);
        truncated.files["tile/entries/002.p/88"].pop_back();
        EXPECT_RESULT_ERROR(LogClient(config(), truncated.fetcher()).fetchEntry(513, cp),
            TlogError::MalformedEntryBundle);
    }
    {
        TestLog shortTile(600);
        shortTile.files["tile/1/000.p/2"].pop_back();
        EXPECT_RESULT_ERROR(
            LogClient(config(), shortTile.fetcher()).fetchEntry(599, cp), TlogError::MalformedTile);
    }
    {
        TestLog missing(600);
        missing.files.erase("tile/0/000");
        EXPECT_RESULT_ERROR(
            LogClient(config(), missing.fetcher()).fetchEntry(5, cp), TlogError::FetchFailed);
    }
    // Partial tiles and bundles that the log has since replaced by full ones.
    {
        // The log at 700 entries, then grown to 768: tile/0/002 and the bundle
        // are full now and their .p/188 versions deleted; the level-1 tile is
        // still partial and both widths remain.
        TestLog older700(700);
        TestLog grown(768);
        const Checkpoint older = older700.checkpoint;
        for (const auto &[path, body] : older700.files) {
            if (path.find(".p/188") == std::string::npos)
                grown.files.emplace(path, body);
        }
        EXPECT_EQ(grown.files.count("tile/0/002.p/188"), 0u);
        EXPECT_EQ(grown.files.count("tile/entries/002.p/188"), 0u);
        LogClient client(config(), grown.fetcher());
        auto entry = client.fetchEntry(650, older);
        ASSERT_RESULT_OK(entry);
        EXPECT_EQ(*entry, toBytes("release 650"));
    }
    // A huge tree size: the tiles do not exist.
    Checkpoint huge = cp;
    huge.size = uint64_t { 1 } << 62;
    EXPECT_RESULT_ERROR(
        LogClient(config(), log.fetcher()).fetchEntry(5, huge), TlogError::FetchFailed);
}

} // namespace
} // namespace sotto::tlog
