// SPDX-License-Identifier: GPL-3.0-or-later
// LogWriter writes a tlog-tiles log into a directory; LogClient, reading the
// files back through a plain file fetcher, is the independent check: the
// checkpoint's signature, inclusion of every entry, consistency between
// successive checkpoints, and that a crash before the checkpoint rename
// leaves the previous log readable.
#include "protocol/tlog/log_client.h"
#include "protocol/tlog/log_writer.h"

#include "tests/support/result_assert.h"
#include "tests/tlog/tlog_test_util.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace sotto::tlog {
namespace {
namespace fs = std::filesystem;

using test_util::kOrigin;
using test_util::TempDir;

LogFetcher fileFetcher(const fs::path &dir)
{
    return [dir](const std::string &path) -> TlogResult<Bytes> {
        std::ifstream in(dir / path, std::ios::binary);
        if (!in)
            return fail(TlogError::FetchFailed, "no " + path);
        return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
}

LogClient clientFor(const fs::path &dir, const std::string &verifierKey)
{
    auto key = NoteVerifier::parse(verifierKey);
    EXPECT_TRUE(key.ok());
    return LogClient(LogClientConfig { kOrigin, *key, {}, 0 }, fileFetcher(dir));
}

Bytes entryFor(uint64_t i)
{
    return toBytes("release statement " + std::to_string(i));
}

std::vector<Bytes> entriesFor(uint64_t begin, uint64_t end)
{
    std::vector<Bytes> out;
    for (uint64_t i = begin; i < end; ++i)
        out.push_back(entryFor(i));
    return out;
}

LogWriter newLog(const TempDir &dir)
{
    auto signer = NoteSigner::generate(kOrigin, KeyType::Ed25519);
    EXPECT_TRUE(signer.ok());
    auto writer = LogWriter::create(dir.log(), *signer);
    EXPECT_TRUE(writer.ok()) << describe(writer);
    return std::move(*writer);
}

// Every entry of the checkpoint is fetched from its bundle and proven.
void expectWholeLog(const LogClient &client, const Checkpoint &checkpoint)
{
    for (uint64_t i = 0; i < checkpoint.size; ++i) {
        auto entry = client.fetchEntry(i, checkpoint);
        ASSERT_RESULT_OK(entry);
        ASSERT_EQ(*entry, entryFor(i)) << "entry " << i;
        ASSERT_RESULT_OK(client.proveInclusion(i, leafHash(entryFor(i)), checkpoint));
    }
}

TEST(LogWriter, EmptyLogHasASignedCheckpoint)
{
    TempDir dir;
    LogWriter writer = newLog(dir);
    auto cp = clientFor(dir.log(), writer.verifierKey()).fetchCheckpoint();
    ASSERT_RESULT_OK(cp);
    EXPECT_EQ(cp->checkpoint.size, 0u);
    EXPECT_EQ(cp->checkpoint.root, emptyTreeHash());
    EXPECT_EQ(fs::status(dir.log() / kSignerKeyFile).permissions() & fs::perms::all,
        fs::perms::owner_read | fs::perms::owner_write);
}

TEST(LogWriter, OneBatchOfEachSize)
{
    for (uint64_t size : { 1u, 2u, 255u, 256u, 257u, 1000u }) {
        SCOPED_TRACE(size);
        TempDir dir;
        LogWriter writer = newLog(dir);
        auto entries = entriesFor(0, size);
        auto first = writer.append(entries);
        ASSERT_RESULT_OK(first);
        EXPECT_EQ(*first, 0u);
        auto client = clientFor(dir.log(), writer.verifierKey());
        auto cp = client.fetchCheckpoint();
        ASSERT_RESULT_OK(cp);
        EXPECT_EQ(cp->checkpoint.size, size);
        MemoryTree tree;
        for (const Bytes &e : entries)
            tree.append(leafHash(e));
        EXPECT_EQ(cp->checkpoint.root, tree.root());
        expectWholeLog(client, cp->checkpoint);
    }
}

TEST(LogWriter, GrowsConsistently)
{
    TempDir dir;
    LogWriter writer = newLog(dir);
    auto client = clientFor(dir.log(), writer.verifierKey());
    std::vector<Checkpoint> seen;
    uint64_t size = 0;
    for (uint64_t target : { 1u, 2u, 255u, 256u, 257u, 511u, 512u, 1000u }) {
        SCOPED_TRACE(target);
        auto first = writer.append(entriesFor(size, target));
        ASSERT_RESULT_OK(first);
        EXPECT_EQ(*first, size);
        size = target;
        auto cp = client.fetchCheckpoint();
        ASSERT_RESULT_OK(cp);
        ASSERT_EQ(cp->checkpoint.size, size);
        expectWholeLog(client, cp->checkpoint);
        for (const Checkpoint &old : seen)
            EXPECT_RESULT_OK(client.checkConsistency(old, cp->checkpoint)) << old.size;
        seen.push_back(cp->checkpoint);
    }
    // One at a time across a tile boundary, reopening the log each time.
    for (uint64_t i = 1000; i < 1030; ++i) {
        auto reopened = LogWriter::open(dir.log());
        ASSERT_RESULT_OK(reopened);
        ASSERT_EQ(reopened->checkpoint(), seen.back());
        auto entry = entryFor(i);
        ASSERT_RESULT_OK(reopened->append(std::span(&entry, 1)));
        auto cp = client.fetchCheckpoint();
        ASSERT_RESULT_OK(cp);
        EXPECT_RESULT_OK(client.checkConsistency(seen.front(), cp->checkpoint));
        EXPECT_RESULT_OK(client.checkConsistency(seen.back(), cp->checkpoint));
        seen.push_back(cp->checkpoint);
    }
    expectWholeLog(client, seen.back());
}

TEST(LogWriter, CrashBeforeCheckpointRenameLeavesThePreviousLog)
{
    TempDir dir;
    LogWriter writer = newLog(dir);
    ASSERT_RESULT_OK(writer.append(entriesFor(0, 300)));
    const std::string oldNote = writer.checkpointNote();
    const Checkpoint oldCheckpoint = writer.checkpoint();
    ASSERT_RESULT_OK(writer.append(entriesFor(300, 800)));
    const Checkpoint fullCheckpoint = writer.checkpoint();

    // The crash: all tiles for 800 were written, the checkpoint was not
    // renamed, and temporaries are left behind.
    std::ofstream(dir.log() / "checkpoint", std::ios::trunc) << oldNote;
    std::ofstream(dir.log() / "checkpoint.tmp-99999") << "half a checkp";
    std::ofstream(dir.log() / "tile/0/001.tmp-99999") << "garbage";

    auto client = clientFor(dir.log(), writer.verifierKey());
    auto cp = client.fetchCheckpoint();
    ASSERT_RESULT_OK(cp);
    ASSERT_EQ(cp->checkpoint, oldCheckpoint);
    expectWholeLog(client, cp->checkpoint);

    // The writer recovers from the old checkpoint and redoes the append.
    auto reopened = LogWriter::open(dir.log());
    ASSERT_RESULT_OK(reopened);
    EXPECT_EQ(reopened->checkpoint(), oldCheckpoint);
    ASSERT_RESULT_OK(reopened->append(entriesFor(300, 800)));
    EXPECT_EQ(reopened->checkpoint(), fullCheckpoint);
    auto again = client.fetchCheckpoint();
    ASSERT_RESULT_OK(again);
    EXPECT_RESULT_OK(client.checkConsistency(oldCheckpoint, again->checkpoint));
    expectWholeLog(client, again->checkpoint);
}

TEST(LogWriter, OneWriterAtATime)
{
    TempDir dir;
    newLog(dir);
    auto first = LogWriter::open(dir.log());
    ASSERT_RESULT_OK(first);
    EXPECT_RESULT_ERROR(LogWriter::open(dir.log()), TlogError::StorageFailed);
    first = fail(TlogError::StorageFailed, "released");
    EXPECT_RESULT_OK(LogWriter::open(dir.log()));
}

TEST(LogWriter, RefusesOversizeEntries)
{
    TempDir dir;
    LogWriter writer = newLog(dir);
    std::vector<Bytes> entries { toBytes("fine"), Bytes(kMaxEntrySize + 1, 'x') };
    EXPECT_RESULT_ERROR(writer.append(entries), TlogError::EntryTooLarge);
    EXPECT_EQ(writer.checkpoint().size, 0u);
    std::vector<Bytes> largest { Bytes(kMaxEntrySize, 'y') };
    ASSERT_RESULT_OK(writer.append(largest));
    auto client = clientFor(dir.log(), writer.verifierKey());
    auto cp = client.fetchCheckpoint();
    ASSERT_RESULT_OK(cp);
    auto entry = client.fetchEntry(0, cp->checkpoint);
    ASSERT_RESULT_OK(entry);
    EXPECT_EQ(entry->size(), kMaxEntrySize);
}

TEST(LogWriter, RefusesAnExistingLogAndDetectsCorruptTiles)
{
    TempDir dir;
    LogWriter writer = newLog(dir);
    ASSERT_RESULT_OK(writer.append(entriesFor(0, 10)));
    auto signer = NoteSigner::generate(kOrigin, KeyType::Ed25519);
    ASSERT_RESULT_OK(signer);
    EXPECT_RESULT_ERROR(LogWriter::create(dir.log(), *signer), TlogError::LogExists);

    auto resigned = writer.resign();
    ASSERT_RESULT_OK(resigned);
    EXPECT_RESULT_OK(clientFor(dir.log(), writer.verifierKey()).openCheckpoint(*resigned));

    // Swap two leaf hashes in the partial level-0 tile: the root no longer matches.
    const fs::path tile = dir.log() / tilePath(Tile { 0, 0, 10 });
    std::ifstream in(tile, std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), {});
    in.close();
    std::swap_ranges(body.begin(), body.begin() + 32, body.begin() + 32);
    std::ofstream(tile, std::ios::trunc | std::ios::binary) << body;
    EXPECT_RESULT_ERROR(LogWriter::open(dir.log()), TlogError::LogCorrupt);
}

} // namespace
} // namespace sotto::tlog
