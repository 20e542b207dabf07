// SPDX-License-Identifier: GPL-3.0-or-later
// Every case of the Wycheproof files in tests/data/crypto/ (see its README).
// "valid" must succeed with the exact output, "invalid" must fail with the
// error we name; each "acceptable" group of flags has its behaviour asserted
// explicitly. Each test counts what it ran, so an empty or truncated file
// cannot pass.
#include "protocol/crypto/aead.h"
#include "protocol/crypto/dh.h"
#include "protocol/crypto/hkdf.h"

#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

namespace sotto::crypto {
namespace {

using nlohmann::json;
using test::hex;

bool hasFlag(const json &tc, const std::string &flag)
{
    const auto &flags = tc.at("flags");
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::string caseName(const json &tc)
{
    return "tcId " + std::to_string(tc.at("tcId").get<int>()) + ": "
        + tc.at("comment").get<std::string>();
}

// Calls `run(group, test)` for every case; returns the number of cases and
// checks it against the file's own numberOfTests.
template <class F> size_t forEachCase(const json &file, F run)
{
    size_t count = 0;
    for (const auto &group : file.at("testGroups")) {
        for (const auto &tc : group.at("tests")) {
            SCOPED_TRACE(caseName(tc));
            run(group, tc);
            ++count;
        }
    }
    EXPECT_EQ(count, file.at("numberOfTests").get<size_t>());
    return count;
}

// Tally of outcomes, compared as a whole at the end of each test.
using Tally = std::map<std::string, size_t>;

// Wycheproof testvectors_v1/hkdf_sha256_test.json.
TEST(Wycheproof, HkdfSha256)
{
    const json file = test::readJson("crypto/hkdf_sha256_test.json");
    ASSERT_EQ(file.at("algorithm"), "HKDF-SHA-256");
    Tally tally;
    const size_t n = forEachCase(file, [&](const json &, const json &tc) {
        const Bytes ikm = hex(tc.at("ikm").get<std::string>());
        const Bytes salt = hex(tc.at("salt").get<std::string>());
        const Bytes info = hex(tc.at("info").get<std::string>());
        const size_t size = tc.at("size").get<size_t>();
        const std::string result = tc.at("result");
        auto okm = hkdf(HashAlg::Sha256, salt, ikm, info, size);
        if (result == "valid") {
            ASSERT_TRUE(okm.ok()) << okm.detail();
            EXPECT_EQ(toHex(okm->reveal()), tc.at("okm").get<std::string>());
            ++tally["valid"];
        } else {
            // The only invalid cases ask for more than 255 * HashLen bytes.
            ASSERT_EQ(result, "invalid");
            ASSERT_TRUE(hasFlag(tc, "SizeTooLarge"));
            ASSERT_FALSE(okm.ok());
            EXPECT_EQ(okm.error(), CryptoError::OutputTooLong);
            ++tally["invalid:OutputTooLong"];
        }
    });
    EXPECT_EQ(n, 86u);
    EXPECT_EQ(tally, (Tally { { "valid", 83 }, { "invalid:OutputTooLong", 3 } }));
}

// One AEAD case: key/iv/aad/msg -> ct || tag, and the reverse.
struct AeadCase {
    Bytes key, iv, aad, msg, ctAndTag;
    std::string result;
};

AeadCase readAeadCase(const json &tc)
{
    AeadCase c { hex(tc.at("key").get<std::string>()), hex(tc.at("iv").get<std::string>()),
        hex(tc.at("aad").get<std::string>()), hex(tc.at("msg").get<std::string>()),
        concat({ hex(tc.at("ct").get<std::string>()), hex(tc.at("tag").get<std::string>()) }),
        tc.at("result").get<std::string>() };
    return c;
}

void expectAeadValid(AeadAlg alg, const AeadCase &c)
{
    auto sealed = aeadSeal(alg, c.key, c.iv, c.aad, c.msg);
    ASSERT_TRUE(sealed.ok()) << sealed.detail();
    EXPECT_EQ(toHex(*sealed), toHex(c.ctAndTag));
    auto opened = aeadOpen(alg, c.key, c.iv, c.aad, c.ctAndTag);
    ASSERT_TRUE(opened.ok()) << opened.detail();
    EXPECT_EQ(toHex(opened->reveal()), toHex(c.msg));
}

void expectAeadRefused(AeadAlg alg, const AeadCase &c, CryptoError code)
{
    auto opened = aeadOpen(alg, c.key, c.iv, c.aad, c.ctAndTag);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error(), code) << errorName(opened.error());
    if (code != CryptoError::AuthenticationFailed) {
        // A parameter problem is refused on both sides.
        auto sealed = aeadSeal(alg, c.key, c.iv, c.aad, c.msg);
        ASSERT_FALSE(sealed.ok());
        EXPECT_EQ(sealed.error(), code);
    }
}

// Wycheproof testvectors_v1/aes_gcm_test.json.
TEST(Wycheproof, AesGcm)
{
    const json file = test::readJson("crypto/aes_gcm_test.json");
    ASSERT_EQ(file.at("algorithm"), "AES-GCM");
    Tally tally;
    const size_t n = forEachCase(file, [&](const json &group, const json &tc) {
        ASSERT_EQ(group.at("tagSize").get<int>(), 128);
        const int keyBits = group.at("keySize").get<int>();
        const AeadCase c = readAeadCase(tc);
        if (keyBits == 192) {
            // AES-192-GCM is not an HPKE/OHTTP AEAD; both GCM variants must
            // refuse a 24-byte key rather than pick some other cipher.
            expectAeadRefused(AeadAlg::Aes128Gcm, c, CryptoError::InvalidKeyLength);
            expectAeadRefused(AeadAlg::Aes256Gcm, c, CryptoError::InvalidKeyLength);
            ++tally["192-bit key:InvalidKeyLength"];
            return;
        }
        ASSERT_TRUE(keyBits == 128 || keyBits == 256);
        const AeadAlg alg = keyBits == 128 ? AeadAlg::Aes128Gcm : AeadAlg::Aes256Gcm;
        if (c.iv.size() > 128) {
            // OpenSSL 3.0 caps GCM IVs at 128 bytes; longer IVs (Wycheproof
            // has 2056-bit ones, all "valid") are refused, never mis-handled.
            ASSERT_EQ(c.result, "valid");
            expectAeadRefused(alg, c, CryptoError::InvalidNonceLength);
            ++tally["valid, IV > 128 bytes:InvalidNonceLength"];
            return;
        }
        if (c.result == "valid") {
            expectAeadValid(alg, c);
            ++tally[c.iv.size() == 12 ? "valid" : "valid, variable IV"];
        } else if (hasFlag(tc, "ZeroLengthIv")) {
            ASSERT_EQ(c.result, "invalid");
            expectAeadRefused(alg, c, CryptoError::InvalidNonceLength);
            ++tally["invalid:InvalidNonceLength"];
        } else {
            ASSERT_EQ(c.result, "invalid");
            ASSERT_TRUE(hasFlag(tc, "ModifiedTag"));
            expectAeadRefused(alg, c, CryptoError::AuthenticationFailed);
            ++tally["invalid:AuthenticationFailed"];
        }
    });
    EXPECT_EQ(n, 316u);
    EXPECT_EQ(tally,
        (Tally { { "valid", 79 }, { "valid, variable IV", 74 },
            { "valid, IV > 128 bytes:InvalidNonceLength", 2 },
            { "192-bit key:InvalidKeyLength", 103 }, { "invalid:InvalidNonceLength", 4 },
            { "invalid:AuthenticationFailed", 54 } }));
}

// Wycheproof testvectors_v1/chacha20_poly1305_test.json (tcId 1 is the
// RFC 8439 Section 2.8.2 example).
TEST(Wycheproof, ChaCha20Poly1305)
{
    const json file = test::readJson("crypto/chacha20_poly1305_test.json");
    ASSERT_EQ(file.at("algorithm"), "CHACHA20-POLY1305");
    Tally tally;
    const size_t n = forEachCase(file, [&](const json &group, const json &tc) {
        ASSERT_EQ(group.at("keySize").get<int>(), 256);
        ASSERT_EQ(group.at("tagSize").get<int>(), 128);
        const AeadCase c = readAeadCase(tc);
        if (c.result == "valid") {
            expectAeadValid(AeadAlg::ChaCha20Poly1305, c);
            ++tally["valid"];
        } else if (hasFlag(tc, "InvalidNonceSize")) {
            ASSERT_EQ(c.result, "invalid");
            expectAeadRefused(AeadAlg::ChaCha20Poly1305, c, CryptoError::InvalidNonceLength);
            ++tally["invalid:InvalidNonceLength"];
        } else {
            ASSERT_EQ(c.result, "invalid");
            ASSERT_TRUE(hasFlag(tc, "ModifiedTag"));
            expectAeadRefused(AeadAlg::ChaCha20Poly1305, c, CryptoError::AuthenticationFailed);
            ++tally["invalid:AuthenticationFailed"];
        }
    });
    EXPECT_EQ(n, 325u);
    EXPECT_EQ(tally,
        (Tally { { "valid", 256 }, { "invalid:InvalidNonceLength", 9 },
            { "invalid:AuthenticationFailed", 60 } }));
}

// Wycheproof testvectors_v1/x25519_test.json. No case is "invalid"; the
// "acceptable" ones are of two kinds:
//  - ZeroSharedSecret (low-order public keys): we refuse them with
//    InvalidSharedSecret, as RFC 9180 Section 7.1.4 requires;
//  - everything else (Twist, NonCanonicalPublic, SmallPublicKey,
//    SpecialPublicKey, EdgeCase*): RFC 7748 Section 5 says to accept any 32
//    bytes as a u-coordinate, so these must give the exact shared secret.
TEST(Wycheproof, X25519)
{
    const json file = test::readJson("crypto/x25519_test.json");
    ASSERT_EQ(file.at("algorithm"), "XDH");
    Tally tally;
    const size_t n = forEachCase(file, [&](const json &group, const json &tc) {
        ASSERT_EQ(group.at("curve"), "curve25519");
        auto key
            = DhPrivateKey::fromBytes(DhGroup::X25519, hex(tc.at("private").get<std::string>()));
        ASSERT_TRUE(key.ok()) << key.detail();
        const Bytes pub = hex(tc.at("public").get<std::string>());
        const std::string result = tc.at("result");
        auto shared = key->dh(pub);
        if (hasFlag(tc, "ZeroSharedSecret")) {
            ASSERT_EQ(result, "acceptable");
            ASSERT_EQ(tc.at("shared").get<std::string>(), std::string(64, '0'));
            ASSERT_FALSE(shared.ok());
            EXPECT_EQ(shared.error(), CryptoError::InvalidSharedSecret);
            ++tally["acceptable ZeroSharedSecret:InvalidSharedSecret"];
            return;
        }
        ASSERT_TRUE(result == "valid" || result == "acceptable") << result;
        ASSERT_TRUE(shared.ok()) << shared.detail();
        EXPECT_EQ(toHex(shared->reveal()), tc.at("shared").get<std::string>());
        // Any 32-byte string is a well-formed X25519 public key.
        EXPECT_TRUE(validatePublicKey(DhGroup::X25519, pub).ok());
        ++tally[result + ":ok"];
    });
    EXPECT_EQ(n, 518u);
    EXPECT_EQ(tally,
        (Tally { { "valid:ok", 264 }, { "acceptable:ok", 223 },
            { "acceptable ZeroSharedSecret:InvalidSharedSecret", 31 } }));
}

// Wycheproof encodes private keys as big-endian integers that may carry a
// leading 0x00 (sign byte) or be shorter than 32 bytes; our API takes the
// 32-byte Nsk form of RFC 9180 Section 7.1.2.
Bytes p256Scalar(const std::string &hexInt)
{
    Bytes raw = hex(hexInt);
    const auto firstNonZero
        = std::find_if(raw.begin(), raw.end(), [](uint8_t b) { return b != 0; });
    raw.erase(raw.begin(), firstNonZero);
    EXPECT_LE(raw.size(), 32u);
    Bytes out(32 - std::min<size_t>(raw.size(), 32), 0);
    out.insert(out.end(), raw.begin(), raw.end());
    return out;
}

// Wycheproof testvectors_v1/ecdh_secp256r1_ecpoint_test.json (public keys as
// bare SEC 1 points, the form HPKE uses).
//  - valid: exact shared secret;
//  - invalid (off-curve "InvalidCurveAttack", "WrongCurve", bad encodings):
//    InvalidPublicKey from both validatePublicKey and dh;
//  - acceptable "CompressedPublic": RFC 9180 Section 7.1.1 serializes P-256
//    keys uncompressed only, so we refuse compressed points (InvalidPublicKey).
TEST(Wycheproof, EcdhP256EcPoint)
{
    const json file = test::readJson("crypto/ecdh_secp256r1_ecpoint_test.json");
    ASSERT_EQ(file.at("algorithm"), "ECDH");
    Tally tally;
    const size_t n = forEachCase(file, [&](const json &group, const json &tc) {
        ASSERT_EQ(group.at("curve"), "secp256r1");
        ASSERT_EQ(group.at("encoding"), "ecpoint");
        const Bytes pub = hex(tc.at("public").get<std::string>());
        const std::string result = tc.at("result");
        auto key = DhPrivateKey::fromBytes(DhGroup::P256, p256Scalar(tc.at("private")));
        ASSERT_TRUE(key.ok()) << key.detail();
        auto shared = key->dh(pub);
        auto validated = validatePublicKey(DhGroup::P256, pub);
        if (result == "valid") {
            ASSERT_TRUE(shared.ok()) << shared.detail();
            EXPECT_EQ(toHex(shared->reveal()), tc.at("shared").get<std::string>());
            EXPECT_TRUE(validated.ok()) << validated.detail();
            ++tally["valid:ok"];
            return;
        }
        ASSERT_TRUE(
            result == "invalid" || (result == "acceptable" && hasFlag(tc, "CompressedPublic")))
            << result;
        ASSERT_FALSE(shared.ok());
        EXPECT_EQ(shared.error(), CryptoError::InvalidPublicKey);
        ASSERT_FALSE(validated.ok());
        EXPECT_EQ(validated.error(), CryptoError::InvalidPublicKey);
        ++tally[result + ":InvalidPublicKey"];
    });
    EXPECT_EQ(n, 355u);
    EXPECT_EQ(tally,
        (Tally { { "valid:ok", 330 }, { "acceptable:InvalidPublicKey", 1 },
            { "invalid:InvalidPublicKey", 24 } }));
}

} // namespace
} // namespace sotto::crypto
