// SPDX-License-Identifier: GPL-3.0-or-later
// Witnesses (C2SP tlog-witness / tlog-cosignature) and the full audit
// (LogAuditor) against real logs written by LogWriter into temporary
// directories and read back as files. Each fault is made on disk the way a
// misbehaving log would serve it: a fork (two logs under one key), a
// rollback (a log restored from a backup), modified and truncated tiles and
// bundles, forged tiles that agree with forged entries, a huge claimed size,
// cosignatures for another checkpoint or by unknown keys.
#include "protocol/tlog/audit.h"
#include "protocol/tlog/log_writer.h"
#include "protocol/tlog/witness.h"

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

Bytes readAll(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void writeAll(const fs::path &p, ByteView data)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data.data()), std::streamsize(data.size()));
}

LogFetcher fileFetcher(const fs::path &dir)
{
    return [dir](const std::string &path) -> TlogResult<Bytes> {
        std::error_code ec;
        if (!fs::is_regular_file(dir / path, ec))
            return fail(TlogError::FetchFailed, "404 " + path);
        return readAll(dir / path);
    };
}

NoteSigner newSigner(const std::string &name, KeyType type)
{
    auto s = NoteSigner::generate(name, type);
    if (!s)
        std::abort();
    return *s;
}

NoteVerifier verifierOf(const NoteSigner &s)
{
    auto v = NoteVerifier::parse(s.verifierKey());
    if (!v)
        std::abort();
    return *v;
}

std::vector<Bytes> entries(uint64_t begin, uint64_t end, const std::string &prefix = "release")
{
    std::vector<Bytes> out;
    for (uint64_t i = begin; i < end; ++i)
        out.push_back(toBytes(prefix + " " + std::to_string(i)));
    return out;
}

// A log in DIR/log with `size` entries.
struct TestLog {
    TempDir tmp;
    fs::path dir = tmp.path / "log";
    NoteSigner signer = newSigner(kOrigin, KeyType::Ed25519);

    explicit TestLog(uint64_t size)
    {
        auto writer = LogWriter::create(dir, signer);
        EXPECT_RESULT_OK(writer);
        if (size > 0) {
            EXPECT_RESULT_OK(writer->append(entries(0, size)));
        }
    }
    LogWriter open() const
    {
        auto w = LogWriter::open(dir);
        if (!w)
            std::abort();
        return std::move(*w);
    }
    LogClientConfig config(std::vector<NoteVerifier> witnesses = {}, size_t quorum = 0) const
    {
        return LogClientConfig { kOrigin, verifierOf(signer), std::move(witnesses), quorum };
    }
    LogClient client(std::vector<NoteVerifier> witnesses = {}, size_t quorum = 0) const
    {
        return LogClient(config(std::move(witnesses), quorum), fileFetcher(dir));
    }
};

Checkpoint checkpointOf(const TestLog &log)
{
    auto cp = log.client().fetchCheckpoint();
    EXPECT_RESULT_OK(cp);
    return cp->checkpoint;
}

const NoteSigner &witness1()
{
    static const NoteSigner w = newSigner("witness.example/w1", KeyType::CosignatureV1);
    return w;
}
const NoteSigner &witness2()
{
    static const NoteSigner w = newSigner("witness.example/w2", KeyType::CosignatureV1);
    return w;
}

TEST(Witness, TwoWitnessesCosignAndTheLogServesTheirCosignatures)
{
    TestLog log(3);
    const LogClient plain = log.client();
    auto c1 = witnessCheckpoint(plain, witness1(), std::nullopt, 1700000000);
    auto c2 = witnessCheckpoint(plain, witness2(), std::nullopt, 1700000001);
    ASSERT_RESULT_OK(c1);
    ASSERT_RESULT_OK(c2);
    EXPECT_EQ(c1->checkpoint.checkpoint.size, 3u);

    // Through the witness's line format and back, as the CLI passes them.
    const std::string lines
        = formatSignatureLine(c1->cosignature) + formatSignatureLine(c2->cosignature);
    auto parsed = parseSignatureLines(lines);
    ASSERT_RESULT_OK(parsed);
    ASSERT_EQ(parsed->size(), 2u);
    EXPECT_EQ((*parsed)[0], c1->cosignature);

    const std::vector<NoteVerifier> witnesses = { verifierOf(witness1()), verifierOf(witness2()) };
    {
        LogWriter writer = log.open();
        ASSERT_RESULT_OK(writer.addCosignatures(*parsed, witnesses));
    }
    auto cp = log.client(witnesses, 2).fetchCheckpoint();
    ASSERT_RESULT_OK(cp);
    EXPECT_EQ(
        cp->witnesses, (std::vector<std::string> { "witness.example/w1", "witness.example/w2" }));

    // A newer cosignature by the same witness replaces the older line.
    auto again = witnessCheckpoint(plain, witness1(), c1->checkpoint.checkpoint, 1700000100);
    ASSERT_RESULT_OK(again);
    {
        LogWriter writer = log.open();
        auto note = writer.addCosignatures(std::span(&again->cosignature, 1), witnesses);
        ASSERT_RESULT_OK(note);
        auto reparsed = parseNote(*note);
        ASSERT_RESULT_OK(reparsed);
        EXPECT_EQ(reparsed->signatures.size(), 3u);
        // Re-signing the same checkpoint keeps the cosignatures.
        ASSERT_RESULT_OK(writer.resign());
    }
    EXPECT_RESULT_OK(log.client(witnesses, 2).fetchCheckpoint());

    // An append drops them: they vouch for size 3 only.
    {
        LogWriter writer = log.open();
        ASSERT_RESULT_OK(writer.append(entries(3, 4)));
    }
    EXPECT_RESULT_ERROR(log.client(witnesses, 1).fetchCheckpoint(), TlogError::WitnessQuorumNotMet);
    EXPECT_RESULT_OK(log.client(witnesses, 0).fetchCheckpoint());
}

TEST(Witness, RefusesRollbackAndFork)
{
    TestLog log(5);
    // A backup of the log at size 5, then the log grows to 300.
    const fs::path backup = log.tmp.path / "backup";
    fs::copy(log.dir, backup, fs::copy_options::recursive);
    const Checkpoint at5 = checkpointOf(log);
    {
        LogWriter writer = log.open();
        ASSERT_RESULT_OK(writer.append(entries(5, 300)));
    }
    auto grown = witnessCheckpoint(log.client(), witness1(), at5, 1);
    ASSERT_RESULT_OK(grown);
    EXPECT_EQ(grown->checkpoint.checkpoint.size, 300u);

    // Rollback: the log is served from the backup again.
    const LogClient restored(log.config(), fileFetcher(backup));
    EXPECT_RESULT_ERROR(witnessCheckpoint(restored, witness1(), grown->checkpoint.checkpoint, 2),
        TlogError::Rollback);

    // Fork: the backup grows differently under the same key.
    {
        fs::remove(backup / ".lock");
        auto other = LogWriter::open(backup);
        ASSERT_RESULT_OK(other);
        ASSERT_RESULT_OK(other->append(entries(5, 300, "forged")));
    }
    const LogClient forked(log.config(), fileFetcher(backup));
    EXPECT_RESULT_ERROR(
        witnessCheckpoint(forked, witness1(), grown->checkpoint.checkpoint, 3), TlogError::Fork);
    // A witness that had only seen size 5 accepts either branch: a witness
    // protects the clients of its own view, which is why clients want a
    // quorum of independent ones.
    EXPECT_RESULT_OK(witnessCheckpoint(forked, witness2(), at5, 3));
    {
        fs::remove(backup / ".lock");
        auto other = LogWriter::open(backup);
        ASSERT_RESULT_OK(other);
        ASSERT_RESULT_OK(other->append(entries(300, 400, "forged")));
    }
    EXPECT_RESULT_ERROR(
        witnessCheckpoint(forked, witness1(), grown->checkpoint.checkpoint, 4), TlogError::Fork);

    // Ed25519 (type 0x01) keys do not make cosignatures.
    EXPECT_RESULT_ERROR(
        witnessCheckpoint(log.client(), newSigner("w", KeyType::Ed25519), std::nullopt, 5),
        TlogError::UnsupportedKeyType);
}

TEST(Witness, LogRefusesBadCosignatures)
{
    TestLog log(2);
    const std::vector<NoteVerifier> witnesses = { verifierOf(witness1()) };
    auto old = witnessCheckpoint(log.client(), witness1(), std::nullopt, 10);
    ASSERT_RESULT_OK(old);
    {
        LogWriter writer = log.open();
        ASSERT_RESULT_OK(writer.append(entries(2, 3)));
    }
    LogWriter writer = log.open();
    const std::string before = writer.checkpointNote();
    // Made for size 2, the log is at 3.
    EXPECT_RESULT_ERROR(writer.addCosignatures(std::span(&old->cosignature, 1), witnesses),
        TlogError::NoteInvalidSignature);
    // By a witness the log was not told about.
    auto stranger = witnessCheckpoint(log.client(), witness2(), std::nullopt, 11);
    ASSERT_RESULT_OK(stranger);
    EXPECT_RESULT_ERROR(writer.addCosignatures(std::span(&stranger->cosignature, 1), witnesses),
        TlogError::NotWitnessed);
    // A witness key string of the wrong type.
    const NoteSigner ed = newSigner("witness.example/w2", KeyType::Ed25519);
    NoteSignature edSig = ed.sign(formatCheckpoint(writer.checkpoint()));
    const std::vector<NoteVerifier> edKeys = { verifierOf(ed) };
    EXPECT_RESULT_ERROR(
        writer.addCosignatures(std::span(&edSig, 1), edKeys), TlogError::UnsupportedKeyType);
    // A cosignature cut short.
    auto fresh = witnessCheckpoint(log.client(), witness1(), std::nullopt, 12);
    ASSERT_RESULT_OK(fresh);
    NoteSignature cut = fresh->cosignature;
    cut.signature.pop_back();
    EXPECT_RESULT_ERROR(
        writer.addCosignatures(std::span(&cut, 1), witnesses), TlogError::NotACosignature);
    EXPECT_EQ(asString(readAll(log.dir / "checkpoint")), before) << "refusals change nothing";
    EXPECT_RESULT_OK(writer.addCosignatures(std::span(&fresh->cosignature, 1), witnesses));
}

TEST(Witness, SignatureLineParsing)
{
    auto c = witnessCheckpoint(TestLog(1).client(), witness1(), std::nullopt, 7);
    ASSERT_RESULT_OK(c);
    std::string line = formatSignatureLine(c->cosignature);
    EXPECT_TRUE(line.starts_with("\xe2\x80\x94 witness.example/w1 "));
    EXPECT_RESULT_ERROR(
        parseSignatureLines(line.substr(0, line.size() - 1)), TlogError::NoteMissingNewline);
    EXPECT_RESULT_ERROR(parseSignatureLines(""), TlogError::NoteNoSignatures);
    EXPECT_RESULT_ERROR(parseSignatureLines("- witness AAAA\n"), TlogError::NoteMalformedSignature);
    EXPECT_RESULT_ERROR(
        parseSignatureLines("\xe2\x80\x94 witness.example/w1 !!!!\n"), TlogError::NoteBadBase64);
    EXPECT_RESULT_ERROR(parseSignatureLines("\xe2\x80\x94 w \xff\xfe\n"), TlogError::NoteNotUtf8);
    std::string many;
    for (int i = 0; i < 101; ++i) {
        NoteSignature s = c->cosignature;
        s.name = "w" + std::to_string(i);
        many += formatSignatureLine(s);
    }
    EXPECT_RESULT_ERROR(parseSignatureLines(many), TlogError::NoteTooManySignatures);
}

// ---- LogAuditor ----

struct AuditCase {
    TestLog log { 600 };
    std::vector<uint64_t> seen;
    AuditOptions options()
    {
        AuditOptions o;
        o.onEntry = [this](uint64_t index, ByteView entry) -> TlogStatus {
            if (asString(entry) != "release " + std::to_string(index))
                return fail(TlogError::InvalidEntry, "entry " + std::to_string(index));
            seen.push_back(index);
            return Done {};
        };
        return o;
    }
    TlogResult<AuditReport> run(const AuditOptions &o)
    {
        return LogAuditor(log.config(), fileFetcher(log.dir)).run(o);
    }
    TlogResult<AuditReport> run() { return run(options()); }
};

TEST(LogAuditor, VerifiesEveryEntryAndTile)
{
    AuditCase a;
    uint64_t lastProgress = 0;
    AuditOptions o = a.options();
    o.onProgress = [&](uint64_t done, uint64_t total) {
        EXPECT_EQ(total, 600u);
        EXPECT_GT(done, lastProgress);
        lastProgress = done;
    };
    auto report = a.run(o);
    ASSERT_RESULT_OK(report);
    EXPECT_EQ(report->entries, 600u);
    // tile/0/000, 001, 002.p/88 and tile/1/000.p/2.
    EXPECT_EQ(report->tiles, 4u);
    EXPECT_EQ(lastProgress, 600u);
    ASSERT_EQ(a.seen.size(), 600u);
    for (uint64_t i = 0; i < 600; ++i)
        ASSERT_EQ(a.seen[i], i);

    TestLog empty(0);
    EXPECT_RESULT_OK(LogAuditor(empty.config(), fileFetcher(empty.dir)).run({}));
    // Exactly 65536 entries: 256 full level-0 tiles, one full level-1 tile
    // and the level-2 tile holding the single hash of its row.
    TestLog big(65536);
    auto bigReport = LogAuditor(big.config(), fileFetcher(big.dir)).run({});
    ASSERT_RESULT_OK(bigReport);
    EXPECT_EQ(bigReport->tiles, 256u + 1u + 1u);
}

TEST(LogAuditor, SinceRollbackAndFork)
{
    AuditCase a;
    const Checkpoint now = checkpointOf(a.log);
    AuditOptions o = a.options();
    Checkpoint earlier = now;
    earlier.size = 300;
    TestLog prefix(300);
    earlier.root = checkpointOf(prefix).root;
    o.since = earlier;
    EXPECT_RESULT_OK(a.run(o));
    o.since = now;
    EXPECT_RESULT_OK(a.run(o));

    Checkpoint later = now;
    later.size = 601;
    o.since = later;
    EXPECT_RESULT_ERROR(a.run(o), TlogError::Rollback);
    Checkpoint forked = earlier;
    forked.root[0] ^= 1;
    o.since = forked;
    EXPECT_RESULT_ERROR(a.run(o), TlogError::Fork);
    forked = now;
    forked.root[0] ^= 1;
    o.since = forked;
    EXPECT_RESULT_ERROR(a.run(o), TlogError::Fork);
}

TEST(LogAuditor, ModifiedTruncatedAndMissingFiles)
{
    const auto corrupt = [](const std::string &file, auto edit, TlogError want) {
        AuditCase a;
        Bytes body = readAll(a.log.dir / file);
        edit(body);
        writeAll(a.log.dir / file, body);
        // No entry validator: the hashes alone must catch every change.
        EXPECT_RESULT_ERROR(a.run(AuditOptions {}), want) << file;
    };
    const auto flip = [](size_t at) { return [at](Bytes &b) { b.at(at) ^= 1; }; };
    const auto truncate = [](Bytes &b) { b.pop_back(); };
    const auto extend = [](Bytes &b) { b.push_back(0); };
    corrupt("tile/0/001", flip(40), TlogError::TileMismatch);
    corrupt("tile/0/002.p/88", flip(0), TlogError::TileMismatch);
    corrupt("tile/1/000.p/2", flip(33), TlogError::TileMismatch);
    corrupt("tile/0/000", truncate, TlogError::MalformedTile);
    corrupt("tile/1/000.p/2", extend, TlogError::MalformedTile);
    // Byte 2 of bundle 1 is the first byte of "release 256": an entry
    // changed in its bundle no longer matches the level-0 tile.
    corrupt("tile/entries/001", flip(2), TlogError::TileMismatch);
    corrupt("tile/entries/002.p/88", truncate, TlogError::MalformedEntryBundle);
    corrupt("tile/entries/000", extend, TlogError::MalformedEntryBundle);
    corrupt("checkpoint", flip(28), TlogError::NoteInvalidSignature); // "600" -> "610"
    {
        AuditCase a;
        fs::remove(a.log.dir / "tile/entries/001");
        EXPECT_RESULT_ERROR(a.run(), TlogError::FetchFailed);
    }
    {
        AuditCase a;
        fs::remove(a.log.dir / "tile/1/000.p/2");
        EXPECT_RESULT_ERROR(a.run(), TlogError::FetchFailed);
    }
    {
        // The validator refuses an entry: its own error stops the audit.
        AuditCase a;
        AuditOptions o = a.options();
        o.onEntry = [](uint64_t index, ByteView) -> TlogStatus {
            if (index == 257)
                return fail(TlogError::InvalidEntry, "not a release statement");
            return Done {};
        };
        EXPECT_RESULT_ERROR(a.run(o), TlogError::InvalidEntry);
    }
}

TEST(LogAuditor, ForgedTilesThatAgreeWithForgedEntries)
{
    // Another log with one entry changed: its tiles and bundles are
    // consistent among themselves, but not with the original checkpoint.
    AuditCase a;
    TestLog forged(0);
    {
        LogWriter writer = forged.open();
        auto list = entries(0, 600);
        list[599] = toBytes("forged");
        ASSERT_RESULT_OK(writer.append(list));
    }
    fs::copy(forged.dir / "tile", a.log.dir / "tile",
        fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    AuditOptions o; // no validator: the hashes alone must catch it
    EXPECT_RESULT_ERROR(a.run(o), TlogError::RootMismatch);
}

TEST(LogAuditor, CheckpointFaults)
{
    AuditCase a;
    const std::vector<NoteVerifier> witnesses = { verifierOf(witness1()) };
    EXPECT_RESULT_ERROR(LogAuditor(a.log.config(witnesses, 1), fileFetcher(a.log.dir)).run({}),
        TlogError::WitnessQuorumNotMet);
    auto other = a.log.config();
    other.origin = "log.example/other";
    EXPECT_RESULT_ERROR(LogAuditor(other, fileFetcher(a.log.dir)).run({}), TlogError::WrongOrigin);

    // A checkpoint, properly signed, that claims 2^62 entries: the audit
    // fails at the first bundle it cannot find, without allocating for the
    // claimed size.
    const Checkpoint huge { kOrigin, uint64_t { 1 } << 62, checkpointOf(a.log).root, {} };
    auto note = signNote(formatCheckpoint(huge), std::span(&a.log.signer, 1));
    ASSERT_RESULT_OK(note);
    writeAll(a.log.dir / "checkpoint", asBytes(*note));
    EXPECT_RESULT_ERROR(a.run(), TlogError::FetchFailed);
}

} // namespace
} // namespace sotto::tlog
