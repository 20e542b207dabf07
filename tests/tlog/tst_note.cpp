// SPDX-License-Identifier: GPL-3.0-or-later
// signed-note, tlog-checkpoint and tlog-cosignature against every case of
// tests/data/tlog/signednote/signed-note-vectors.json (see its README), plus
// malformed notes, each with its own error code, and sign/open round trips.
#include "protocol/tlog/base64.h"
#include "protocol/tlog/checkpoint.h"
#include "protocol/tlog/note.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <map>

namespace sotto::tlog {
namespace {

using nlohmann::json;
using test::hex;

const json &vectors()
{
    static const json file = test::readJson("tlog/signednote/signed-note-vectors.json");
    return file;
}

std::string noteOf(const json &c)
{
    if (c.contains("note_hex")) {
        const Bytes b = hex(c.at("note_hex").get<std::string>());
        return std::string(asString(b));
    }
    return c.at("note").get<std::string>();
}

std::vector<std::string> labels(const std::vector<NoteSignature> &sigs)
{
    std::vector<std::string> out;
    for (const auto &s : sigs)
        out.push_back(s.keyLabel());
    return out;
}

// The error each failing open case must give (ids from the JSON).
const std::map<std::string, TlogError> kOpenErrors = {
    { "gomod-open-no-verifiers", TlogError::NoteUnverified },
    { "gomod-open-duplicated-verifier-used", TlogError::NoteAmbiguousKey },
    { "gomod-open-101-sigs-known", TlogError::NoteTooManySignatures },
    { "gomod-open-101-sigs-unknown", TlogError::NoteTooManySignatures },
    { "gomod-open-invalid-signature", TlogError::NoteInvalidSignature },
    { "gomod-open-malformed-0", TlogError::NoteNoSignatures },
    { "gomod-open-malformed-1", TlogError::NoteNoSignatures },
    { "gomod-open-malformed-2", TlogError::NoteMissingNewline },
    { "gomod-open-malformed-3", TlogError::NoteControlCharacter },
    { "gomod-open-malformed-4", TlogError::NoteNotUtf8 },
    { "gomod-open-malformed-5", TlogError::NoteMissingNewline },
    { "gomod-open-malformed-6", TlogError::NoteMalformedSignature },
    { "real-ct-checkpoint-clobbered-size", TlogError::NoteInvalidSignature },
    { "real-ct-checkpoint-clobbered-size-cosig", TlogError::NoteInvalidSignature },
    { "real-ct-checkpoint-missing-key", TlogError::NoteUnverified },
};

TEST(SignedNote, VerifierKeys)
{
    size_t count = 0;
    for (const auto &k : vectors().at("verifier_keys")) {
        const auto vkey = k.at("vkey").get<std::string>();
        SCOPED_TRACE(vkey.substr(0, 60));
        auto v = NoteVerifier::parse(vkey);
        if (k.at("type") == "0x06") {
            // ML-DSA-44 cosignatures are not implemented.
            EXPECT_RESULT_ERROR(v, TlogError::UnsupportedKeyType);
        } else {
            ASSERT_RESULT_OK(v);
            EXPECT_EQ(v->name(), k.at("name").get<std::string>());
            EXPECT_EQ(toHex(v->publicKey()), k.at("public_key_hex").get<std::string>());
            EXPECT_EQ(v->toString(), vkey);
            EXPECT_EQ(computeKeyId(v->name(), v->type(), v->publicKey()), v->keyId());
        }
        ++count;
    }
    EXPECT_EQ(count, 10u);
}

TEST(SignedNote, OpenCases)
{
    size_t count = 0;
    size_t skipped = 0;
    for (const auto &c : vectors().at("open_cases")) {
        const auto id = c.at("id").get<std::string>();
        SCOPED_TRACE(id);
        ++count;
        std::vector<NoteVerifier> verifiers;
        bool unsupported = false;
        for (const auto &k : c.at("verifier_keys")) {
            auto v = NoteVerifier::parse(k.get<std::string>());
            if (!v && v.error() == TlogError::UnsupportedKeyType) {
                unsupported = true;
                continue;
            }
            ASSERT_RESULT_OK(v);
            verifiers.push_back(*v);
        }
        if (unsupported) {
            EXPECT_EQ(id, "real-mldsa44-cosignature");
            ++skipped;
            continue;
        }
        const auto result = openNote(noteOf(c), verifiers);
        if (c.at("expected_result") == "ok") {
            ASSERT_RESULT_OK(result);
            EXPECT_EQ(labels(result->verified), c.at("expected_verified_sigs"));
            if (c.contains("expected_unverified_sigs")) {
                EXPECT_EQ(labels(result->unverified), c.at("expected_unverified_sigs"));
            }
            EXPECT_EQ(kOpenErrors.count(id), 0u);
        } else {
            ASSERT_EQ(kOpenErrors.count(id), 1u) << "no expected error code for this case";
            EXPECT_RESULT_ERROR(result, kOpenErrors.at(id));
        }
    }
    EXPECT_EQ(count, 27u);
    EXPECT_EQ(skipped, 1u);
}

TEST(SignedNote, ParseOnlyExamples)
{
    size_t count = 0;
    for (const auto &c : vectors().at("parse_only_examples")) {
        SCOPED_TRACE(c.at("id").get<std::string>());
        const std::string message = c.at("note").get<std::string>();
        auto note = parseNote(message);
        ASSERT_RESULT_OK(note);
        EXPECT_EQ(note->text, c.at("expected_text").get<std::string>());
        const auto &want = c.at("expected_signatures");
        ASSERT_EQ(note->signatures.size(), want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            const auto &sig = note->signatures[i];
            EXPECT_EQ(sig.name, want[i].at("name").get<std::string>());
            EXPECT_EQ(sig.keyLabel(), sig.name + "+" + want[i].at("key_id").get<std::string>());
            EXPECT_EQ(sig.signature.size(), want[i].at("sig_len").get<size_t>());
            if (want[i].contains("cosig_v1_timestamp_if_type_0x04")) {
                auto ts = cosignatureTimestamp(sig.signature);
                ASSERT_RESULT_OK(ts);
                EXPECT_EQ(*ts, want[i].at("cosig_v1_timestamp_if_type_0x04").get<uint64_t>());
            }
        }
        // The encoder gives back the same bytes.
        EXPECT_EQ(formatNote(*note), message);
        ++count;
    }
    EXPECT_EQ(count, 3u);
}

TEST(SignedNote, SigningCases)
{
    size_t count = 0;
    for (const auto &c : vectors().at("signing_cases")) {
        SCOPED_TRACE(c.at("id").get<std::string>());
        auto signer = NoteSigner::parse(c.at("signer_key").get<std::string>());
        ASSERT_RESULT_OK(signer);
        const NoteSigner signers[] = { *signer };
        const auto result = signNote(c.at("text").get<std::string>(), signers);
        if (c.contains("expected_signed_note")) {
            ASSERT_RESULT_OK(result);
            EXPECT_EQ(*result, c.at("expected_signed_note").get<std::string>());
            const auto keyString = signer->toKeyString().reveal();
            EXPECT_EQ(std::string(asString(keyString)), c.at("signer_key").get<std::string>());
            EXPECT_EQ(signer->verifierKey(),
                "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
        } else {
            EXPECT_RESULT_ERROR(result, TlogError::NoteMissingNewline);
        }
        ++count;
    }
    EXPECT_EQ(count, 2u);
}

TEST(SignedNote, VerifierKeyParseCases)
{
    // In file order: wrong key length, unknown type 0x65, two parts, bad
    // base64, type 0x03, and one valid key.
    const TlogError want[] = { TlogError::MalformedKey, TlogError::UnsupportedKeyType,
        TlogError::MalformedKey, TlogError::MalformedKey, TlogError::UnsupportedKeyType };
    size_t i = 0;
    for (const auto &c : vectors().at("vkey_parse_cases")) {
        const auto vkey = c.at("vkey").get<std::string>();
        SCOPED_TRACE(vkey);
        auto v = NoteVerifier::parse(vkey);
        if (c.at("expected") == "accept") {
            ASSERT_RESULT_OK(v);
            EXPECT_EQ(v->toString(), vkey);
        } else {
            ASSERT_LT(i, std::size(want));
            EXPECT_RESULT_ERROR(v, want[i]);
        }
        ++i;
    }
    EXPECT_EQ(i, 6u);

    // golang/mod's TestNewVerifier: every proper prefix of a valid key and
    // every single-byte increment is refused.
    const std::string good = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    ASSERT_RESULT_OK(NoteVerifier::parse(good));
    for (size_t n = 0; n < good.size(); ++n)
        EXPECT_FALSE(NoteVerifier::parse(good.substr(0, n)).ok()) << good.substr(0, n);
    for (size_t n = 0; n < good.size(); ++n) {
        std::string bad = good;
        ++bad[n];
        EXPECT_FALSE(NoteVerifier::parse(bad).ok()) << bad;
    }
    EXPECT_RESULT_ERROR(
        NoteVerifier::parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        TlogError::KeyIdMismatch);
    EXPECT_RESULT_ERROR(
        NoteVerifier::parse("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        TlogError::InvalidKeyName);
}

TEST(Cosignature, TimestampCases)
{
    size_t count = 0;
    for (const auto &c : vectors().at("cosignature_timestamp_cases")) {
        auto raw = base64Decode(c.at("signature_b64").get<std::string>());
        ASSERT_TRUE(raw.has_value());
        // The vector includes the 4-byte key ID of the signature line.
        const ByteView sig = ByteView(*raw).subspan(4);
        auto ts = cosignatureTimestamp(sig);
        if (c.contains("expected_timestamp")) {
            ASSERT_RESULT_OK(ts);
            EXPECT_EQ(*ts, c.at("expected_timestamp").get<uint64_t>());
        } else {
            EXPECT_RESULT_ERROR(ts, TlogError::NotACosignature);
        }
        ++count;
    }
    EXPECT_EQ(count, 2u);
    EXPECT_EQ(cosignatureMessage(1679315147, "example.com/behind-the-sofa\n20852163\nroot\n"),
        "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nroot\n");
}

TEST(Checkpoint, BodyCases)
{
    size_t count = 0;
    for (const auto &c : vectors().at("checkpoint_body_cases")) {
        const auto text = c.at("text").get<std::string>();
        SCOPED_TRACE(text);
        auto cp = parseCheckpoint(text);
        if (c.at("expected") == "ok") {
            ASSERT_RESULT_OK(cp);
            if (c.contains("origin")) {
                EXPECT_EQ(cp->origin, c.at("origin").get<std::string>());
                EXPECT_EQ(cp->size, c.at("size").get<uint64_t>());
                EXPECT_EQ(toHex(cp->root), c.at("root_hash_hex").get<std::string>());
            }
            EXPECT_EQ(formatCheckpoint(*cp), text);
        } else {
            EXPECT_RESULT_ERROR(cp, TlogError::MalformedCheckpoint);
        }
        ++count;
    }
    EXPECT_EQ(count, 4u);
}

TEST(Checkpoint, Malformed)
{
    const std::string root = "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=";
    EXPECT_RESULT_OK(parseCheckpoint("o\n0\n" + root + "\n"));
    EXPECT_RESULT_OK(parseCheckpoint("o\n18446744073709551615\n" + root + "\n"));
    EXPECT_RESULT_ERROR(
        parseCheckpoint("o\n18446744073709551616\n" + root + "\n"), TlogError::MalformedCheckpoint);
    EXPECT_RESULT_ERROR(parseCheckpoint("o\n012\n" + root + "\n"), TlogError::MalformedCheckpoint);
    EXPECT_RESULT_ERROR(parseCheckpoint("o\n-1\n" + root + "\n"), TlogError::MalformedCheckpoint);
    EXPECT_RESULT_ERROR(parseCheckpoint("o\n+1\n" + root + "\n"), TlogError::MalformedCheckpoint);
    EXPECT_RESULT_ERROR(parseCheckpoint("o\n\n" + root + "\n"), TlogError::MalformedCheckpoint);
    EXPECT_RESULT_ERROR(parseCheckpoint("\n1\n" + root + "\n"), TlogError::MalformedCheckpoint);
    EXPECT_RESULT_ERROR(parseCheckpoint("o\n1\n"), TlogError::MalformedCheckpoint);
    EXPECT_RESULT_ERROR(
        parseCheckpoint("o\n1\n" + root + "\n\next\n"), TlogError::MalformedCheckpoint);
    EXPECT_RESULT_ERROR(parseCheckpoint("o\n1\n" + root), TlogError::NoteMissingNewline);
    EXPECT_RESULT_ERROR(parseCheckpoint("o\n1\n" + root + " \n"), TlogError::MalformedCheckpoint);
}

// The checkpoint -> log signature -> witness cosignature flow, with fresh keys.
TEST(Cosignature, SignAndOpenRoundTrip)
{
    auto log = NoteSigner::generate("log.example/release", KeyType::Ed25519);
    auto witness = NoteSigner::generate("witness.example/w1", KeyType::CosignatureV1);
    ASSERT_RESULT_OK(log);
    ASSERT_RESULT_OK(witness);
    Checkpoint cp;
    cp.origin = "log.example/release";
    cp.size = 3;
    cp.root = leafHash(asBytes("x"));
    cp.extensions = { "ext one" };
    const std::string body = formatCheckpoint(cp);
    auto parsed = parseCheckpoint(body);
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(*parsed, cp);

    const NoteSigner signers[] = { *log, *witness };
    auto note = signNote(body, signers, 1700000000);
    ASSERT_RESULT_OK(note);

    auto logKey = NoteVerifier::parse(log->verifierKey());
    auto witnessKey = NoteVerifier::parse(witness->verifierKey());
    ASSERT_RESULT_OK(logKey);
    ASSERT_RESULT_OK(witnessKey);
    EXPECT_EQ(witnessKey->type(), KeyType::CosignatureV1);
    const NoteVerifier both[] = { *logKey, *witnessKey };
    auto opened = openNote(*note, both);
    ASSERT_RESULT_OK(opened);
    EXPECT_EQ(opened->text, body);
    ASSERT_EQ(opened->verified.size(), 2u);
    auto ts = cosignatureTimestamp(opened->verified[1].signature);
    ASSERT_RESULT_OK(ts);
    EXPECT_EQ(*ts, 1700000000u);

    // Only the witness configured: the log's signature is ignored, not an error.
    const NoteVerifier witnessOnly[] = { *witnessKey };
    auto w = openNote(*note, witnessOnly);
    ASSERT_RESULT_OK(w);
    EXPECT_EQ(w->unverified.size(), 1u);

    // A cosignature whose timestamp was changed no longer verifies.
    auto tampered = parseNote(*note);
    ASSERT_RESULT_OK(tampered);
    tampered->signatures[1].signature[7] ^= 1;
    EXPECT_RESULT_ERROR(
        openNote(formatNote(*tampered), witnessOnly), TlogError::NoteInvalidSignature);
    // A cosignature cut to the plain 64-byte form is refused too.
    tampered->signatures[1].signature.erase(
        tampered->signatures[1].signature.begin(), tampered->signatures[1].signature.begin() + 8);
    EXPECT_RESULT_ERROR(
        openNote(formatNote(*tampered), witnessOnly), TlogError::NoteInvalidSignature);

    // Key strings round-trip.
    const auto skey = witness->toKeyString().reveal();
    auto again = NoteSigner::parse(asString(skey));
    ASSERT_RESULT_OK(again);
    EXPECT_EQ(again->verifierKey(), witness->verifierKey());
}

TEST(SignedNote, MalformedNotes)
{
    const std::string text = "hello\n";
    const std::string sig = "\xe2\x80\x94 name "
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                            "AAAAAAAAAAAAAAAAAA\n";
    EXPECT_RESULT_OK(parseNote(text + "\n" + sig));
    EXPECT_RESULT_ERROR(
        parseNote(text + "\n" + "\xe2\x80\x94 name AAA*\n"), TlogError::NoteBadBase64);
    EXPECT_RESULT_ERROR(parseNote(text + "\n" + "\xe2\x80\x94 name AAAA\n"),
        TlogError::NoteMalformedSignature); // 3 bytes: shorter than a key ID
    EXPECT_RESULT_ERROR(
        parseNote(text + "\n" + "\xe2\x80\x94 nameonly\n"), TlogError::NoteMalformedSignature);
    EXPECT_RESULT_ERROR(
        parseNote(text + "\n" + "- name AAAAAAAA\n"), TlogError::NoteMalformedSignature);
    EXPECT_RESULT_ERROR(
        parseNote(text + "\n" + "\xe2\x80\x94 na+me AAAAAAAA\n"), TlogError::InvalidKeyName);
    EXPECT_RESULT_ERROR(
        parseNote(text + "\n" + "\xe2\x80\x94  AAAAAAAA\n"), TlogError::InvalidKeyName);
    EXPECT_RESULT_ERROR(parseNote("hel\xc0\xafo\n\n" + sig), TlogError::NoteNotUtf8); // overlong
    EXPECT_RESULT_ERROR(
        parseNote("hel\xed\xa0\x80o\n\n" + sig), TlogError::NoteNotUtf8); // surrogate
    EXPECT_RESULT_ERROR(parseNote("hello\r\n\n" + sig), TlogError::NoteControlCharacter);
    EXPECT_RESULT_ERROR(parseNote(text + "\n" + sig + "\n"), TlogError::NoteNoSignatures);
    std::string many = text + "\n";
    for (size_t i = 0; i <= kMaxNoteSignatures; ++i)
        many += "\xe2\x80\x94 n" + std::to_string(i)
            + " AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
              "AAAAA\n";
    EXPECT_RESULT_ERROR(parseNote(many), TlogError::NoteTooManySignatures);
    EXPECT_RESULT_ERROR(openNote(text + "\n" + sig, {}), TlogError::NoteUnverified);
}

TEST(Base64, StrictRoundTrip)
{
    for (size_t n = 0; n < 10; ++n) {
        Bytes b(n);
        for (size_t i = 0; i < n; ++i)
            b[i] = uint8_t(i * 37 + 200);
        const auto enc = base64Encode(b);
        EXPECT_EQ(base64Decode(enc), b);
    }
    EXPECT_EQ(base64Encode(asBytes("foobar")), "Zm9vYmFy"); // RFC 4648 Section 10
    EXPECT_EQ(base64Encode(asBytes("fo")), "Zm8=");
    EXPECT_FALSE(base64Decode("Zm9=").has_value()); // non-zero unused bits
    EXPECT_FALSE(base64Decode("Zm8").has_value());  // no padding
    EXPECT_FALSE(base64Decode("Zm8=Zm8=").has_value());
    EXPECT_FALSE(base64Decode("Zm 8=").has_value());
    EXPECT_FALSE(base64Decode("Z===").has_value());
}

} // namespace
} // namespace sotto::tlog
