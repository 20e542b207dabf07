// SPDX-License-Identifier: GPL-3.0-or-later
// Wycheproof ECDSA P-384/SHA-384 and RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48
// vectors (tests/data/crypto/README.md) through the functions the SEV-SNP
// chain uses (protocol/crypto/signature.h). Every case is run and counted;
// "valid" must verify, "invalid" must fail with AuthenticationFailed. The
// valid ECDSA signatures are also re-encoded as SEV-SNP little-endian R/S
// fields and must verify through that path too.
#include "protocol/crypto/signature.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

namespace sotto::crypto {
namespace {

using nlohmann::json;
using test::hex;
using Tally = std::map<std::string, size_t>;

// A strict-DER ECDSA-Sig-Value (only used on "valid" cases) to the two
// 72-byte little-endian fields of an SEV-SNP report signature.
std::pair<Bytes, Bytes> toSnpFields(const Bytes &der)
{
    size_t at = 2; // 30 len (all P-384 signatures are < 128 bytes)
    EXPECT_EQ(der.at(0), 0x30);
    const auto integer = [&]() {
        EXPECT_EQ(der.at(at), 0x02);
        const size_t len = der.at(at + 1);
        Bytes be(
            der.begin() + static_cast<long>(at + 2), der.begin() + static_cast<long>(at + 2 + len));
        at += 2 + len;
        while (!be.empty() && be.front() == 0)
            be.erase(be.begin());
        Bytes le(be.rbegin(), be.rend());
        le.resize(kSnpEcdsaScalarFieldLength, 0);
        return le;
    };
    Bytes r = integer();
    Bytes s = integer();
    return { r, s };
}

TEST(SignatureWycheproof, EcdsaP384Sha384)
{
    const json file = test::readJson("crypto/ecdsa_secp384r1_sha384_test.json");
    ASSERT_EQ(file.at("algorithm"), "ECDSA");
    Tally tally;
    size_t count = 0;
    for (const auto &group : file.at("testGroups")) {
        ASSERT_EQ(group.at("sha"), "SHA-384");
        const auto key = PublicKey::fromSpki(hex(group.at("publicKeyDer").get<std::string>()));
        ASSERT_RESULT_OK(key);
        ASSERT_EQ(key->type(), PublicKeyType::EcP384);
        for (const auto &tc : group.at("tests")) {
            SCOPED_TRACE("tcId " + std::to_string(tc.at("tcId").get<int>()));
            const Bytes msg = hex(tc.at("msg").get<std::string>());
            const Bytes sig = hex(tc.at("sig").get<std::string>());
            const auto r = verifyEcdsaP384Sha384(*key, msg, sig);
            if (tc.at("result") == "valid") {
                EXPECT_RESULT_OK(r);
                const auto [rLe, sLe] = toSnpFields(sig);
                EXPECT_RESULT_OK(verifyEcdsaP384Sha384LittleEndian(*key, msg, rLe, sLe));
                ++tally["valid"];
            } else {
                ASSERT_EQ(tc.at("result"), "invalid");
                EXPECT_RESULT_ERROR(r, CryptoError::AuthenticationFailed);
                ++tally["invalid"];
            }
            ++count;
        }
    }
    EXPECT_EQ(count, file.at("numberOfTests").get<size_t>());
    EXPECT_EQ(tally, (Tally { { "valid", 194 }, { "invalid", 310 } }));
}

void runPss(const std::string &path, size_t bits)
{
    const json file = test::readJson(path);
    ASSERT_EQ(file.at("algorithm"), "RSASSA-PSS");
    Tally tally;
    size_t count = 0;
    for (const auto &group : file.at("testGroups")) {
        ASSERT_EQ(group.at("sha"), "SHA-384");
        ASSERT_EQ(group.at("mgfSha"), "SHA-384");
        ASSERT_EQ(group.at("sLen"), 48);
        const auto key = PublicKey::fromSpki(hex(group.at("publicKeyDer").get<std::string>()));
        ASSERT_RESULT_OK(key);
        ASSERT_EQ(key->type(), PublicKeyType::Rsa);
        ASSERT_EQ(key->bits(), bits);
        for (const auto &tc : group.at("tests")) {
            SCOPED_TRACE("tcId " + std::to_string(tc.at("tcId").get<int>()));
            const auto r = verifyRsaPssSha384(
                *key, hex(tc.at("msg").get<std::string>()), hex(tc.at("sig").get<std::string>()));
            if (tc.at("result") == "valid") {
                EXPECT_RESULT_OK(r);
                ++tally["valid"];
            } else {
                ASSERT_EQ(tc.at("result"), "invalid");
                EXPECT_RESULT_ERROR(r, CryptoError::AuthenticationFailed);
                ++tally["invalid"];
            }
            ++count;
        }
    }
    EXPECT_EQ(count, file.at("numberOfTests").get<size_t>());
    EXPECT_EQ(tally, (Tally { { "valid", 95 }, { "invalid", 46 } }));
}

TEST(SignatureWycheproof, RsaPss2048Sha384Mgf1Salt48)
{
    runPss("crypto/rsa_pss_2048_sha384_mgf1_48_test.json", 2048);
}

TEST(SignatureWycheproof, RsaPss4096Sha384Mgf1Salt48)
{
    runPss("crypto/rsa_pss_4096_sha384_mgf1_48_test.json", 4096);
}

TEST(Signature, KeyTypeMismatchIsInvalidPublicKey)
{
    const json ec = test::readJson("crypto/ecdsa_secp384r1_sha384_test.json");
    const json rsa = test::readJson("crypto/rsa_pss_2048_sha384_mgf1_48_test.json");
    const auto ecKey
        = PublicKey::fromSpki(hex(ec.at("testGroups").at(0).at("publicKeyDer").get<std::string>()));
    const auto rsaKey = PublicKey::fromSpki(
        hex(rsa.at("testGroups").at(0).at("publicKeyDer").get<std::string>()));
    ASSERT_RESULT_OK(ecKey);
    ASSERT_RESULT_OK(rsaKey);
    EXPECT_RESULT_ERROR(
        verifyRsaPssSha384(*ecKey, Bytes {}, Bytes(256)), CryptoError::InvalidPublicKey);
    EXPECT_RESULT_ERROR(
        verifyEcdsaP384Sha384(*rsaKey, Bytes {}, Bytes(8)), CryptoError::InvalidPublicKey);
    EXPECT_EQ(ecKey->spki(), hex(ec.at("testGroups").at(0).at("publicKeyDer").get<std::string>()));
    Bytes trailing = ecKey->spki();
    trailing.push_back(0);
    EXPECT_RESULT_ERROR(PublicKey::fromSpki(trailing), CryptoError::InvalidPublicKey);
    EXPECT_RESULT_ERROR(PublicKey::fromSpki(Bytes { 0x30, 0x00 }), CryptoError::InvalidPublicKey);
}

TEST(Signature, SnpScalarFields)
{
    Bytes field(kSnpEcdsaScalarFieldLength, 0);
    field[0] = 0x01;
    field[47] = 0xff;
    const auto be = snpScalarToBigEndian(field);
    ASSERT_RESULT_OK(be);
    ASSERT_EQ(be->size(), kP384ScalarLength);
    EXPECT_EQ(be->front(), 0xff);
    EXPECT_EQ(be->back(), 0x01);
    field[48] = 0x01;
    EXPECT_RESULT_ERROR(snpScalarToBigEndian(field), CryptoError::AuthenticationFailed);
    EXPECT_RESULT_ERROR(snpScalarToBigEndian(Bytes(48)), CryptoError::AuthenticationFailed);
}

} // namespace
} // namespace sotto::crypto
