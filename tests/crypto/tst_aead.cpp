// SPDX-License-Identifier: GPL-3.0-or-later
// AEAD round trips, length checks and tamper detection. Known answers are in
// tst_wycheproof.cpp (which includes the RFC 8439 Section 2.8.2 vector).
#include "protocol/crypto/aead.h"

#include "tests/support/testdata.h"

#include <gtest/gtest.h>

namespace sotto::crypto {
namespace {

const AeadAlg kAllAeads[] = { AeadAlg::Aes128Gcm, AeadAlg::Aes256Gcm, AeadAlg::ChaCha20Poly1305 };

Bytes patterned(size_t n, uint8_t seed)
{
    Bytes out(n);
    for (size_t i = 0; i < n; ++i)
        out[i] = static_cast<uint8_t>(seed + i * 7);
    return out;
}

TEST(Aead, Lengths)
{
    EXPECT_EQ(aeadKeyLength(AeadAlg::Aes128Gcm), 16u);
    EXPECT_EQ(aeadKeyLength(AeadAlg::Aes256Gcm), 32u);
    EXPECT_EQ(aeadKeyLength(AeadAlg::ChaCha20Poly1305), 32u);
    for (AeadAlg alg : kAllAeads)
        EXPECT_EQ(aeadNonceLength(alg), 12u);
    EXPECT_EQ(kAeadTagLength, 16u);
}

TEST(Aead, RoundTripIncludingEmptyPlaintextAndAad)
{
    for (AeadAlg alg : kAllAeads) {
        const Bytes key = patterned(aeadKeyLength(alg), 1);
        const Bytes nonce = patterned(aeadNonceLength(alg), 2);
        for (size_t ptLen : { 0u, 1u, 15u, 16u, 17u, 1000u }) {
            for (size_t aadLen : { 0u, 5u, 64u }) {
                SCOPED_TRACE(testing::Message()
                    << "alg " << static_cast<int>(alg) << " pt " << ptLen << " aad " << aadLen);
                const Bytes pt = patterned(ptLen, 3);
                const Bytes aad = patterned(aadLen, 4);
                auto ct = aeadSeal(alg, key, nonce, aad, pt);
                ASSERT_TRUE(ct.ok()) << ct.detail();
                EXPECT_EQ(ct->size(), ptLen + kAeadTagLength);
                auto opened = aeadOpen(alg, key, nonce, aad, *ct);
                ASSERT_TRUE(opened.ok()) << opened.detail();
                EXPECT_EQ(opened->reveal(), pt);
            }
        }
    }
}

TEST(Aead, TamperingFailsAuthentication)
{
    for (AeadAlg alg : kAllAeads) {
        SCOPED_TRACE(static_cast<int>(alg));
        const Bytes key = patterned(aeadKeyLength(alg), 9);
        const Bytes nonce = patterned(12, 8);
        const Bytes aad = toBytes("header");
        const Bytes pt = toBytes("attack at dawn");
        auto sealed = aeadSeal(alg, key, nonce, aad, pt);
        ASSERT_TRUE(sealed.ok());
        const Bytes ct = *sealed;

        // Every single-bit flip of ciphertext or tag is caught.
        for (size_t bit = 0; bit < ct.size() * 8; ++bit) {
            Bytes bad = ct;
            bad[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
            auto r = aeadOpen(alg, key, nonce, aad, bad);
            ASSERT_FALSE(r.ok()) << "bit " << bit;
            EXPECT_EQ(r.error(), CryptoError::AuthenticationFailed);
        }
        const auto expectAuthFailure = [&](ByteView k, ByteView n, ByteView a, ByteView c) {
            auto r = aeadOpen(alg, k, n, a, c);
            ASSERT_FALSE(r.ok());
            EXPECT_EQ(r.error(), CryptoError::AuthenticationFailed);
        };
        expectAuthFailure(key, nonce, toBytes("heades"), ct);                  // altered aad
        expectAuthFailure(key, nonce, Bytes {}, ct);                           // dropped aad
        expectAuthFailure(key, patterned(12, 9), aad, ct);                     // other nonce
        expectAuthFailure(patterned(key.size(), 10), nonce, aad, ct);          // other key
        expectAuthFailure(key, nonce, aad, ByteView(ct).first(ct.size() - 1)); // truncated
        Bytes extended = ct;
        extended.push_back(0);
        expectAuthFailure(key, nonce, aad, extended);
    }
}

TEST(Aead, CiphertextShorterThanTagFailsAuthentication)
{
    for (AeadAlg alg : kAllAeads) {
        const Bytes key(aeadKeyLength(alg), 1);
        for (size_t n : { 0u, 1u, 15u }) {
            auto r = aeadOpen(alg, key, Bytes(12, 0), Bytes {}, Bytes(n, 0));
            ASSERT_FALSE(r.ok());
            EXPECT_EQ(r.error(), CryptoError::AuthenticationFailed);
        }
    }
}

TEST(Aead, WrongKeyLengthIsRejected)
{
    for (AeadAlg alg : kAllAeads) {
        for (size_t len : { 0u, 15u, 17u, 24u, 31u, 33u }) {
            if (len == aeadKeyLength(alg))
                continue;
            const Bytes key(len, 1);
            auto sealed = aeadSeal(alg, key, Bytes(12, 0), Bytes {}, Bytes { 1 });
            ASSERT_FALSE(sealed.ok());
            EXPECT_EQ(sealed.error(), CryptoError::InvalidKeyLength);
            auto opened = aeadOpen(alg, key, Bytes(12, 0), Bytes {}, Bytes(17, 0));
            ASSERT_FALSE(opened.ok());
            EXPECT_EQ(opened.error(), CryptoError::InvalidKeyLength);
        }
    }
    // The 16/32 confusion between the two GCM variants is caught too.
    auto r = aeadSeal(AeadAlg::Aes128Gcm, Bytes(32, 0), Bytes(12, 0), Bytes {}, Bytes {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), CryptoError::InvalidKeyLength);
}

TEST(Aead, ChaChaNonceMustBe12Bytes)
{
    const Bytes key(32, 1);
    for (size_t len : { 0u, 8u, 11u, 13u, 24u }) {
        auto sealed = aeadSeal(AeadAlg::ChaCha20Poly1305, key, Bytes(len, 0), Bytes {}, Bytes {});
        ASSERT_FALSE(sealed.ok());
        EXPECT_EQ(sealed.error(), CryptoError::InvalidNonceLength);
        auto opened
            = aeadOpen(AeadAlg::ChaCha20Poly1305, key, Bytes(len, 0), Bytes {}, Bytes(16, 0));
        ASSERT_FALSE(opened.ok());
        EXPECT_EQ(opened.error(), CryptoError::InvalidNonceLength);
    }
}

// NIST SP 800-38D Section 5.2.1.1: GCM takes IVs of any non-zero length; we
// support 1..128 bytes (OpenSSL 3.0's limit).
TEST(Aead, GcmVariableNonceLengths)
{
    for (AeadAlg alg : { AeadAlg::Aes128Gcm, AeadAlg::Aes256Gcm }) {
        const Bytes key(aeadKeyLength(alg), 3);
        for (size_t len : { 1u, 8u, 12u, 16u, 64u, 128u }) {
            SCOPED_TRACE(len);
            const Bytes nonce = patterned(len, 5);
            auto ct = aeadSeal(alg, key, nonce, Bytes {}, toBytes("gcm"));
            ASSERT_TRUE(ct.ok()) << ct.detail();
            auto pt = aeadOpen(alg, key, nonce, Bytes {}, *ct);
            ASSERT_TRUE(pt.ok()) << pt.detail();
            EXPECT_EQ(pt->reveal(), toBytes("gcm"));
        }
        // A 16-byte nonce is not the 12-byte nonce padded: different J0.
        auto a = aeadSeal(alg, key, Bytes(12, 0), Bytes {}, Bytes {});
        auto b = aeadSeal(alg, key, Bytes(16, 0), Bytes {}, Bytes {});
        ASSERT_TRUE(a.ok() && b.ok());
        EXPECT_NE(*a, *b);

        for (size_t len : { 0u, 129u, 257u }) {
            auto r = aeadSeal(alg, key, Bytes(len, 0), Bytes {}, Bytes {});
            ASSERT_FALSE(r.ok());
            EXPECT_EQ(r.error(), CryptoError::InvalidNonceLength);
        }
    }
}

TEST(Aead, KeyLengthIsCheckedBeforeNonceLength)
{
    auto r = aeadSeal(AeadAlg::ChaCha20Poly1305, Bytes(16, 0), Bytes(5, 0), Bytes {}, Bytes {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), CryptoError::InvalidKeyLength);
}

} // namespace
} // namespace sotto::crypto
