// SPDX-License-Identifier: GPL-3.0-or-later
// Interop with Go's golang.org/x/mod/sumdb/note and sumdb/tlog (through
// tests/tlog/go/tlogpeer, built by the tlog.go_build fixture): Go verifies
// the checkpoints LogWriter signs (with witness cosignatures it does not
// know, which it must leave unverified), reads our tiles through its sumdb
// tile paths to recompute the tree and prove every entry and consistency
// with an older checkpoint; and we verify notes Go signs. Tampering on
// either side must make the other refuse.
#include "protocol/tlog/log_client.h"
#include "protocol/tlog/log_writer.h"
#include "protocol/tlog/witness.h"

#include "tests/support/result_assert.h"
#include "tests/tlog/tlog_test_util.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

namespace sotto::tlog {
namespace {
namespace fs = std::filesystem;

using test_util::kOrigin;
using test_util::TempDir;

struct PeerRun {
    int status = -1;
    std::string out;
};

// Runs the Go peer with arguments that are paths and keys (no shell
// metacharacters: the temporary paths and key strings are [A-Za-z0-9+/=._-]).
PeerRun peer(const std::vector<std::string> &args)
{
    std::string cmd = SOTTO_TLOG_GO_PEER;
    for (const auto &a : args)
        cmd += " '" + a + "'";
    cmd += " 2>&1";
    PeerRun r;
    FILE *p = ::popen(cmd.c_str(), "r");
    if (!p)
        return r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string readText(const fs::path &p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class GoInterop : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!fs::exists(SOTTO_TLOG_GO_PEER))
            GTEST_SKIP() << "Go peer not built (no go toolchain): " << SOTTO_TLOG_GO_PEER;
    }
};

std::vector<Bytes> entries(uint64_t begin, uint64_t end)
{
    std::vector<Bytes> out;
    for (uint64_t i = begin; i < end; ++i)
        out.push_back(toBytes("{\"release\":" + std::to_string(i) + "}"));
    return out;
}

TEST_F(GoInterop, GoVerifiesOurCheckpointsTilesAndProofs)
{
    TempDir tmp;
    const fs::path dir = tmp.path / "log";
    auto signer = NoteSigner::generate(kOrigin, KeyType::Ed25519);
    ASSERT_RESULT_OK(signer);
    auto writer = LogWriter::create(dir, *signer);
    ASSERT_RESULT_OK(writer);
    const std::string vkey = writer->verifierKey();

    // Sizes that exercise partial tiles at two levels, a full level-1 tile,
    // and growth across them: 1, 255, 256, 257, 700, 65536 + 300.
    uint64_t size = 0;
    std::string previousCheckpoint;
    for (uint64_t next : { 1u, 255u, 256u, 257u, 700u, 65836u }) {
        ASSERT_RESULT_OK(writer->append(entries(size, next)));
        size = next;
        PeerRun v = peer({ "verify-checkpoint", vkey, (dir / "checkpoint").string() });
        EXPECT_EQ(v.status, 0) << v.out;
        EXPECT_NE(v.out.find(kOrigin + " " + std::to_string(size) + " "), std::string::npos)
            << v.out;
        // Every entry up to 700, then every 97th (and the last): Go's
        // TileHashReader re-reads and re-hashes tiles for every proof.
        PeerRun p = peer({ "prove", dir.string(), vkey, size > 700 ? "97" : "1" });
        EXPECT_EQ(p.status, 0) << "size " << size << ": " << p.out;
        if (!previousCheckpoint.empty()) {
            PeerRun c = peer({ "consistency", dir.string(), vkey, previousCheckpoint });
            EXPECT_EQ(c.status, 0) << c.out;
        }
        previousCheckpoint = (tmp.path / ("checkpoint." + std::to_string(size))).string();
        fs::copy_file(dir / "checkpoint", previousCheckpoint);
    }

    // A witness cosignature: Go knows only the log key and must keep the
    // cosignature as unverified, not fail.
    auto witness = NoteSigner::generate("witness.example/w1", KeyType::CosignatureV1);
    ASSERT_RESULT_OK(witness);
    auto verifier = NoteVerifier::parse(witness->verifierKey());
    ASSERT_RESULT_OK(verifier);
    const LogClient client(LogClientConfig { kOrigin, *NoteVerifier::parse(vkey), {}, 0 },
        [&](const std::string &path) -> TlogResult<Bytes> {
            return toBytes(readText(dir / path));
        });
    auto cosigned = witnessCheckpoint(client, *witness, std::nullopt, 1700000000);
    ASSERT_RESULT_OK(cosigned);
    ASSERT_RESULT_OK(writer->addCosignatures(
        std::span(&cosigned->cosignature, 1), std::span<const NoteVerifier>(&*verifier, 1)));
    PeerRun v = peer({ "verify-checkpoint", vkey, (dir / "checkpoint").string() });
    EXPECT_EQ(v.status, 0) << v.out;
    EXPECT_NE(v.out.find("unverified=1"), std::string::npos) << v.out;

    // Go must refuse what we would refuse: a modified level-1 tile, a
    // checkpoint under another key.
    const fs::path tile = dir / "tile/1/000";
    Bytes body = toBytes(readText(tile));
    body[100] ^= 1;
    std::ofstream(tile, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char *>(body.data()), std::streamsize(body.size()));
    PeerRun bad = peer({ "prove", dir.string(), vkey });
    EXPECT_EQ(bad.status, 1) << bad.out;
    auto other = NoteSigner::generate(kOrigin, KeyType::Ed25519);
    ASSERT_RESULT_OK(other);
    PeerRun wrongKey
        = peer({ "verify-checkpoint", other->verifierKey(), (dir / "checkpoint").string() });
    EXPECT_EQ(wrongKey.status, 1) << wrongKey.out;
}

TEST_F(GoInterop, WeVerifyNotesGoSigns)
{
    TempDir tmp;
    // A checkpoint body, signed by Go with a key it generates.
    Checkpoint cp { "go.example/log", 42, leafHash(toBytes("x")), { "extension line" } };
    const std::string body = formatCheckpoint(cp);
    std::ofstream(tmp.path / "text", std::ios::binary) << body;
    PeerRun s = peer({ "sign", "go.example/log", (tmp.path / "text").string(), tmp.path.string() });
    ASSERT_EQ(s.status, 0) << s.out;
    std::string vkey = readText(tmp.path / "vkey");
    vkey.pop_back(); // the newline
    const std::string note = readText(tmp.path / "note");

    auto key = NoteVerifier::parse(vkey);
    ASSERT_RESULT_OK(key);
    auto opened = openNote(note, std::span(&*key, 1));
    ASSERT_RESULT_OK(opened);
    EXPECT_EQ(opened->text, body);
    const LogClient client(LogClientConfig { "go.example/log", *key, {}, 0 },
        [](const std::string &) -> TlogResult<Bytes> { return fail(TlogError::FetchFailed, ""); });
    auto verified = client.openCheckpoint(note);
    ASSERT_RESULT_OK(verified);
    EXPECT_EQ(verified->checkpoint, cp);

    // Tampered text, a stranger's key: refused with their own errors.
    std::string altered = note;
    altered.replace(altered.find("\n42\n"), 4, "\n43\n");
    EXPECT_RESULT_ERROR(openNote(altered, std::span(&*key, 1)), TlogError::NoteInvalidSignature);
    auto stranger = NoteSigner::generate("go.example/log", KeyType::Ed25519);
    ASSERT_RESULT_OK(stranger);
    auto strangerKey = NoteVerifier::parse(stranger->verifierKey());
    ASSERT_RESULT_OK(strangerKey);
    EXPECT_RESULT_ERROR(openNote(note, std::span(&*strangerKey, 1)), TlogError::NoteUnverified);

    // Go signs an arbitrary multi-line note with a non-ASCII name, too
    // (a new key: the peer reuses a key only within one directory).
    const fs::path other = tmp.path / "other";
    fs::create_directory(other);
    std::ofstream(other / "text", std::ios::binary) << "héllo\n\nwörld\n";
    PeerRun s2 = peer({ "sign", "prüfer", (other / "text").string(), other.string() });
    ASSERT_EQ(s2.status, 0) << s2.out;
    std::string vkey2 = readText(other / "vkey");
    vkey2.pop_back();
    EXPECT_TRUE(vkey2.starts_with("prüfer+")) << vkey2;
    auto key2 = NoteVerifier::parse(vkey2);
    ASSERT_RESULT_OK(key2);
    auto opened2 = openNote(readText(other / "note"), std::span(&*key2, 1));
    ASSERT_RESULT_OK(opened2);
    EXPECT_EQ(opened2->text, "héllo\n\nwörld\n");
}

} // namespace
} // namespace sotto::tlog
