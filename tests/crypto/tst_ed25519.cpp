// SPDX-License-Identifier: GPL-3.0-or-later
// Ed25519 against RFC 8032 Section 7.1 (TEST 1-3), plus the rejections the
// signed-note verifier relies on.
#include "protocol/crypto/ed25519.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

namespace sotto::crypto {
namespace {

using test::hex;

struct Rfc8032Vector {
    const char *name;
    const char *secretKey;
    const char *publicKey;
    const char *message;
    const char *signature;
};

// RFC 8032 Section 7.1, TEST 1, TEST 2 and TEST 3 (hex as printed there).
const Rfc8032Vector kVectors[] = {
    { "TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
    { "TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
    { "TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
        "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
};

TEST(Ed25519, Rfc8032Section7_1Vectors)
{
    for (const auto &v : kVectors) {
        SCOPED_TRACE(v.name);
        auto key = Ed25519PrivateKey::fromSeed(hex(v.secretKey));
        ASSERT_RESULT_OK(key);
        EXPECT_EQ(key->publicKey(), hex(v.publicKey));
        EXPECT_EQ(key->seed().reveal(), hex(v.secretKey));
        const Bytes message = hex(v.message);
        EXPECT_EQ(key->sign(message), hex(v.signature));
        EXPECT_RESULT_OK(ed25519Verify(hex(v.publicKey), message, hex(v.signature)));
    }
}

TEST(Ed25519, RejectsTamperedMessageAndSignature)
{
    const auto &v = kVectors[2];
    const Bytes pk = hex(v.publicKey);
    const Bytes sig = hex(v.signature);
    EXPECT_RESULT_ERROR(ed25519Verify(pk, hex("af83"), sig), CryptoError::AuthenticationFailed);
    for (size_t i : { size_t { 0 }, size_t { 31 }, size_t { 32 }, size_t { 63 } }) {
        Bytes bad = sig;
        bad[i] ^= 0x01;
        EXPECT_RESULT_ERROR(ed25519Verify(pk, hex("af82"), bad), CryptoError::AuthenticationFailed);
    }
    // Another key's public key.
    EXPECT_RESULT_ERROR(ed25519Verify(hex(kVectors[0].publicKey), hex("af82"), sig),
        CryptoError::AuthenticationFailed);
}

TEST(Ed25519, RejectsWrongLengths)
{
    const auto &v = kVectors[1];
    const Bytes pk = hex(v.publicKey);
    const Bytes sig = hex(v.signature);
    EXPECT_RESULT_ERROR(
        ed25519Verify(ByteView(pk).first(31), hex("72"), sig), CryptoError::InvalidPublicKey);
    EXPECT_RESULT_ERROR(
        ed25519Verify(pk, hex("72"), ByteView(sig).first(63)), CryptoError::AuthenticationFailed);
    Bytes longSig = sig;
    longSig.push_back(0);
    EXPECT_RESULT_ERROR(ed25519Verify(pk, hex("72"), longSig), CryptoError::AuthenticationFailed);
    EXPECT_RESULT_ERROR(Ed25519PrivateKey::fromSeed(Bytes(31, 1)), CryptoError::InvalidPrivateKey);
    EXPECT_RESULT_ERROR(Ed25519PrivateKey::fromSeed(Bytes(33, 1)), CryptoError::InvalidPrivateKey);
}

// RFC 8032 Section 5.1.7 step 1: S must be below the group order L. Adding
// L to S of a valid signature gives the same point equation but must fail.
TEST(Ed25519, RejectsNonCanonicalS)
{
    const auto &v = kVectors[0];
    Bytes sig = hex(v.signature);
    // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    const Bytes order = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    unsigned carry = 0;
    for (size_t i = 0; i < 32; ++i) {
        const unsigned sum = unsigned { sig[32 + i] } + order[i] + carry;
        sig[32 + i] = static_cast<uint8_t>(sum);
        carry = sum >> 8;
    }
    EXPECT_RESULT_ERROR(
        ed25519Verify(hex(v.publicKey), {}, sig), CryptoError::AuthenticationFailed);
}

TEST(Ed25519, GeneratedKeySignsAndVerifies)
{
    auto key = Ed25519PrivateKey::generate();
    ASSERT_RESULT_OK(key);
    const Bytes msg = toBytes("cosignature/v1\ntime 1\n");
    const Bytes sig = key->sign(msg);
    EXPECT_EQ(sig.size(), kEd25519SignatureLength);
    EXPECT_RESULT_OK(ed25519Verify(key->publicKey(), msg, sig));
    // Deterministic: same key, same message, same signature.
    EXPECT_EQ(key->sign(msg), sig);
    auto again = Ed25519PrivateKey::fromSeed(key->seed());
    ASSERT_RESULT_OK(again);
    EXPECT_EQ(again->publicKey(), key->publicKey());
}

} // namespace
} // namespace sotto::crypto

namespace sotto::crypto {
namespace {

// Wycheproof testvectors_v1/ed25519_test.json (tests/data/crypto/README.md):
// every "valid" case verifies, every "invalid" one (malleable S, truncated or
// padded signatures, bad encodings) is refused with AuthenticationFailed.
TEST(Wycheproof, Ed25519Verify)
{
    const nlohmann::json file = test::readJson("crypto/ed25519_test.json");
    ASSERT_EQ(file.at("algorithm"), "EDDSA");
    size_t valid = 0;
    size_t invalid = 0;
    for (const auto &group : file.at("testGroups")) {
        ASSERT_EQ(group.at("publicKey").at("curve"), "edwards25519");
        const Bytes pk = test::hex(group.at("publicKey").at("pk").get<std::string>());
        for (const auto &tc : group.at("tests")) {
            SCOPED_TRACE("tcId " + std::to_string(tc.at("tcId").get<int>()) + ": "
                + tc.at("comment").get<std::string>());
            const auto result = ed25519Verify(pk, test::hex(tc.at("msg").get<std::string>()),
                test::hex(tc.at("sig").get<std::string>()));
            if (tc.at("result") == "valid") {
                EXPECT_RESULT_OK(result);
                ++valid;
            } else {
                ASSERT_EQ(tc.at("result"), "invalid");
                EXPECT_RESULT_ERROR(result, CryptoError::AuthenticationFailed);
                ++invalid;
            }
        }
    }
    EXPECT_EQ(valid, 88u);
    EXPECT_EQ(invalid, 63u);
    EXPECT_EQ(valid + invalid, file.at("numberOfTests").get<size_t>());
}

} // namespace
} // namespace sotto::crypto
