// SPDX-License-Identifier: GPL-3.0-or-later
// X25519 against RFC 7748 Sections 5.2 and 6.1; P-256 key handling and ECDH.
#include "protocol/crypto/dh.h"

#include "tests/support/testdata.h"

#include <gtest/gtest.h>

namespace sotto::crypto {
namespace {

using test::hex;

DhPrivateKey mustLoad(DhGroup g, ByteView sk)
{
    auto key = DhPrivateKey::fromBytes(g, sk);
    EXPECT_TRUE(key.ok()) << key.detail();
    return std::move(key).value();
}

Bytes x25519(ByteView scalar, ByteView u)
{
    auto shared = mustLoad(DhGroup::X25519, scalar).dh(u);
    EXPECT_TRUE(shared.ok()) << shared.detail();
    return shared.ok() ? shared->reveal() : Bytes {};
}

TEST(Dh, Lengths)
{
    EXPECT_EQ(dhPublicKeyLength(DhGroup::X25519), 32u);
    EXPECT_EQ(dhPublicKeyLength(DhGroup::P256), 65u);
    for (DhGroup g : { DhGroup::X25519, DhGroup::P256 }) {
        EXPECT_EQ(dhPrivateKeyLength(g), 32u);
        EXPECT_EQ(dhSharedLength(g), 32u);
    }
}

// RFC 7748 Section 5.2, the two single-call vectors.
TEST(X25519, Rfc7748Section5_2Vectors)
{
    EXPECT_EQ(x25519(hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                  hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")),
        hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
    EXPECT_EQ(x25519(hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                  hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493")),
        hex("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"));
}

// RFC 7748 Section 5.2, the iterated test: k = u = 9, then k, u = X25519(k, u), k.
// The 1,000,000-iteration value is left out: it takes minutes.
TEST(X25519, Rfc7748Section5_2Iterations)
{
    Bytes k(32, 0);
    k[0] = 9;
    Bytes u = k;
    for (int i = 1; i <= 1000; ++i) {
        Bytes next = x25519(k, u);
        u = k;
        k = next;
        if (i == 1) {
            EXPECT_EQ(k, hex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"));
        }
    }
    EXPECT_EQ(k, hex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"));
}

// RFC 7748 Section 6.1: key pairs and the shared secret of Alice and Bob.
TEST(X25519, Rfc7748Section6_1KeyAgreement)
{
    const Bytes alicePriv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    const Bytes alicePub = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    const Bytes bobPriv = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    const Bytes bobPub = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    const Bytes shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    const DhPrivateKey alice = mustLoad(DhGroup::X25519, alicePriv);
    const DhPrivateKey bob = mustLoad(DhGroup::X25519, bobPriv);
    EXPECT_EQ(alice.group(), DhGroup::X25519);
    EXPECT_EQ(alice.publicKey(), alicePub);
    EXPECT_EQ(bob.publicKey(), bobPub);
    // The private key serializes back to the bytes it was made from.
    EXPECT_EQ(alice.privateKeyBytes().reveal(), alicePriv);

    auto ab = alice.dh(bobPub);
    auto ba = bob.dh(alicePub);
    ASSERT_TRUE(ab.ok() && ba.ok());
    EXPECT_EQ(ab->reveal(), shared);
    EXPECT_EQ(ba->reveal(), shared);
}

TEST(X25519, UnclampedPrivateKeyIsKeptAsGiven)
{
    const Bytes raw(32, 0xff); // clamping would change the first and last byte
    const DhPrivateKey key = mustLoad(DhGroup::X25519, raw);
    EXPECT_EQ(key.privateKeyBytes().reveal(), raw);
    Bytes clamped = raw;
    clamped[0] &= 248;
    clamped[31] &= 127;
    clamped[31] |= 64;
    // Same scalar after clamping, so the same public key.
    EXPECT_EQ(mustLoad(DhGroup::X25519, clamped).publicKey(), key.publicKey());
}

// RFC 7748 Section 6.1 / RFC 9180 Section 7.1.4: a small-order peer key gives
// the all-zero output, which must be refused.
TEST(X25519, AllZeroSharedSecretIsRejected)
{
    const DhPrivateKey key = mustLoad(DhGroup::X25519, Bytes(32, 0x42));
    Bytes one(32, 0);
    one[0] = 1;
    for (const Bytes &lowOrder : { Bytes(32, 0), one }) {
        auto r = key.dh(lowOrder);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error(), CryptoError::InvalidSharedSecret);
    }
}

TEST(X25519, WrongLengthsAreRejected)
{
    for (size_t len : { 0u, 31u, 33u, 65u }) {
        auto key = DhPrivateKey::fromBytes(DhGroup::X25519, Bytes(len, 1));
        ASSERT_FALSE(key.ok());
        EXPECT_EQ(key.error(), CryptoError::InvalidPrivateKey);

        auto dh = mustLoad(DhGroup::X25519, Bytes(32, 1)).dh(Bytes(len, 9));
        ASSERT_FALSE(dh.ok());
        EXPECT_EQ(dh.error(), CryptoError::InvalidPublicKey);

        auto valid = validatePublicKey(DhGroup::X25519, Bytes(len, 9));
        ASSERT_FALSE(valid.ok());
        EXPECT_EQ(valid.error(), CryptoError::InvalidPublicKey);
    }
    EXPECT_TRUE(validatePublicKey(DhGroup::X25519, Bytes(32, 9)).ok());
}

TEST(X25519, GeneratedKeysAgree)
{
    auto a = DhPrivateKey::generate(DhGroup::X25519);
    auto b = DhPrivateKey::generate(DhGroup::X25519);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->publicKey().size(), 32u);
    EXPECT_NE(a->publicKey(), b->publicKey());
    auto ab = a->dh(b->publicKey());
    auto ba = b->dh(a->publicKey());
    ASSERT_TRUE(ab.ok() && ba.ok());
    EXPECT_TRUE(*ab == *ba);
    // Reloading the serialized private key gives the same key pair.
    EXPECT_EQ(mustLoad(DhGroup::X25519, a->privateKeyBytes()).publicKey(), a->publicKey());
}

// SEC 2 Section 2.4.2: the P-256 base point G and order n.
const char *const kP256G = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                           "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
const char *const kP256N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
// -G = (Gx, p - Gy).
const char *const kP256MinusG = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                                "b01cbd1c01e58065711814b583f061e9d431cca994cea1313449bf97c840ae0a";

Bytes scalar(uint8_t last)
{
    Bytes s(32, 0);
    s[31] = last;
    return s;
}

TEST(P256, ScalarOneGivesTheBasePoint)
{
    const DhPrivateKey one = mustLoad(DhGroup::P256, scalar(1));
    EXPECT_EQ(one.group(), DhGroup::P256);
    EXPECT_EQ(one.publicKey(), hex(kP256G));
    EXPECT_EQ(one.privateKeyBytes().reveal(), scalar(1)); // padded to 32 bytes
}

TEST(P256, ScalarNMinusOneGivesMinusG)
{
    Bytes nMinus1 = hex(kP256N);
    nMinus1[31] -= 1;
    const DhPrivateKey key = mustLoad(DhGroup::P256, nMinus1);
    EXPECT_EQ(key.publicKey(), hex(kP256MinusG));
    EXPECT_EQ(key.privateKeyBytes().reveal(), nMinus1);
}

TEST(P256, OutOfRangeScalarsAreRejected)
{
    Bytes nPlus1 = hex(kP256N);
    nPlus1[31] += 1;
    for (const Bytes &bad : { Bytes(32, 0), hex(kP256N), nPlus1, Bytes(32, 0xff) }) {
        auto key = DhPrivateKey::fromBytes(DhGroup::P256, bad);
        ASSERT_FALSE(key.ok()) << toHex(bad);
        EXPECT_EQ(key.error(), CryptoError::InvalidPrivateKey);
    }
    for (size_t len : { 0u, 31u, 33u }) {
        auto key = DhPrivateKey::fromBytes(DhGroup::P256, Bytes(len, 1));
        ASSERT_FALSE(key.ok());
        EXPECT_EQ(key.error(), CryptoError::InvalidPrivateKey);
    }
}

TEST(P256, DhWithScalarOneReturnsThePeerX)
{
    // d = 1: the shared secret is the x-coordinate of the peer's point.
    const DhPrivateKey one = mustLoad(DhGroup::P256, scalar(1));
    const DhPrivateKey peer = mustLoad(DhGroup::P256, scalar(7));
    const Bytes peerPub = peer.publicKey();
    auto shared = one.dh(peerPub);
    ASSERT_TRUE(shared.ok()) << shared.detail();
    EXPECT_EQ(shared->reveal(), Bytes(peerPub.begin() + 1, peerPub.begin() + 33));
}

TEST(P256, GeneratedKeysAgree)
{
    auto a = DhPrivateKey::generate(DhGroup::P256);
    auto b = DhPrivateKey::generate(DhGroup::P256);
    ASSERT_TRUE(a.ok() && b.ok());
    const Bytes aPub = a->publicKey();
    ASSERT_EQ(aPub.size(), 65u);
    EXPECT_EQ(aPub[0], 0x04);
    EXPECT_TRUE(validatePublicKey(DhGroup::P256, aPub).ok());

    auto ab = a->dh(b->publicKey());
    auto ba = b->dh(aPub);
    ASSERT_TRUE(ab.ok() && ba.ok());
    EXPECT_EQ(ab->size(), 32u);
    EXPECT_TRUE(*ab == *ba);

    // The serialized scalar reloads to the same key pair and the same secret.
    const SecretBytes sk = a->privateKeyBytes();
    ASSERT_EQ(sk.size(), 32u);
    const DhPrivateKey reloaded = mustLoad(DhGroup::P256, sk);
    EXPECT_EQ(reloaded.publicKey(), aPub);
    auto again = reloaded.dh(b->publicKey());
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(*again == *ab);
}

TEST(P256, MalformedPublicKeysAreRejected)
{
    const Bytes g = hex(kP256G);
    Bytes offCurve = g;
    offCurve[64] ^= 1;
    Bytes hybrid = g; // SEC 1 hybrid form 0x06/0x07 is not accepted
    hybrid[0] = 0x07;
    Bytes compressed(g.begin(), g.begin() + 33);
    compressed[0] = 0x02 | (g[64] & 1); // a valid compressed encoding of G
    Bytes xTooLarge(65, 0xff);          // x = 2^256 - 1 >= p
    xTooLarge[0] = 0x04;
    Bytes zeros(65, 0);
    zeros[0] = 0x04;

    const DhPrivateKey key = mustLoad(DhGroup::P256, scalar(5));
    for (const Bytes &bad : { offCurve, hybrid, compressed, xTooLarge, zeros, Bytes { 0x00 },
             Bytes {}, Bytes(64, 1), Bytes(66, 4) }) {
        SCOPED_TRACE(toHex(bad));
        auto v = validatePublicKey(DhGroup::P256, bad);
        ASSERT_FALSE(v.ok());
        EXPECT_EQ(v.error(), CryptoError::InvalidPublicKey);
        auto dh = key.dh(bad);
        ASSERT_FALSE(dh.ok());
        EXPECT_EQ(dh.error(), CryptoError::InvalidPublicKey);
    }
    EXPECT_TRUE(validatePublicKey(DhGroup::P256, g).ok());
}

TEST(Dh, KeysOfOneGroupDoNotFitTheOther)
{
    const DhPrivateKey x = mustLoad(DhGroup::X25519, Bytes(32, 3));
    const DhPrivateKey p = mustLoad(DhGroup::P256, scalar(3));
    auto a = x.dh(p.publicKey());
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error(), CryptoError::InvalidPublicKey);
    auto b = p.dh(x.publicKey());
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error(), CryptoError::InvalidPublicKey);
}

TEST(Dh, CopiesShareTheKey)
{
    const DhPrivateKey a = mustLoad(DhGroup::P256, scalar(9));
    const DhPrivateKey copy = a; // NOLINT(performance-unnecessary-copy-initialization)
    EXPECT_EQ(copy.publicKey(), a.publicKey());
}

} // namespace
} // namespace sotto::crypto
