// SPDX-License-Identifier: GPL-3.0-or-later
// HKDF against RFC 5869 Appendix A (test cases 1-3, SHA-256) and its limits.
#include "protocol/crypto/hkdf.h"

#include "tests/support/testdata.h"

#include <gtest/gtest.h>

namespace sotto::crypto {
namespace {

using test::hex;

Bytes range(uint8_t first, uint8_t last)
{
    Bytes out;
    for (unsigned v = first; v <= last; ++v)
        out.push_back(static_cast<uint8_t>(v));
    return out;
}

struct Rfc5869Case {
    const char *name;
    Bytes ikm, salt, info;
    size_t length;
    const char *prk, *okm;
};

// RFC 5869 Appendix A.1-A.3 (the SHA-256 cases).
std::vector<Rfc5869Case> rfc5869Cases()
{
    return {
        { "A.1 basic", Bytes(22, 0x0b), range(0x00, 0x0c), range(0xf0, 0xf9), 42,
            "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
            "34007208d5b887185865" },
        { "A.2 longer inputs", range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82,
            "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            "cc30c58179ec3e87c14c01d5c1f3434f1d87" },
        { "A.3 zero-length salt and info", Bytes(22, 0x0b), Bytes {}, Bytes {}, 42,
            "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
            "9d201395faa4b61a96c8" },
    };
}

TEST(Hkdf, Rfc5869TestCases)
{
    for (const auto &tc : rfc5869Cases()) {
        SCOPED_TRACE(tc.name);
        const SecretBytes prk = hkdfExtract(HashAlg::Sha256, tc.salt, tc.ikm);
        EXPECT_EQ(prk.reveal(), hex(tc.prk));

        auto okm = hkdfExpand(HashAlg::Sha256, prk, tc.info, tc.length);
        ASSERT_TRUE(okm.ok()) << okm.detail();
        EXPECT_EQ(okm->reveal(), hex(tc.okm));

        auto oneShot = hkdf(HashAlg::Sha256, tc.salt, tc.ikm, tc.info, tc.length);
        ASSERT_TRUE(oneShot.ok()) << oneShot.detail();
        EXPECT_EQ(oneShot->reveal(), hex(tc.okm));
    }
}

// RFC 5869 Section 2.2: an absent salt is HashLen zero bytes.
TEST(Hkdf, EmptySaltEqualsHashLenZeros)
{
    const Bytes ikm = hex("0102030405");
    for (HashAlg alg : { HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512 }) {
        const SecretBytes a = hkdfExtract(alg, Bytes {}, ikm);
        const SecretBytes b = hkdfExtract(alg, Bytes(hashLength(alg), 0), ikm);
        EXPECT_EQ(a.size(), hashLength(alg));
        EXPECT_TRUE(a == b);
    }
}

TEST(Hkdf, EmptyIkmIsAccepted)
{
    const SecretBytes prk = hkdfExtract(HashAlg::Sha256, Bytes {}, Bytes {});
    EXPECT_EQ(prk.size(), 32u);
}

TEST(Hkdf, ExpandLengthLimits)
{
    for (HashAlg alg : { HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512 }) {
        const SecretBytes prk = hkdfExtract(alg, Bytes {}, asBytes("ikm"));
        const size_t max = 255 * hashLength(alg);

        auto atMax = hkdfExpand(alg, prk, Bytes {}, max);
        ASSERT_TRUE(atMax.ok()) << atMax.detail();
        EXPECT_EQ(atMax->size(), max);

        auto over = hkdfExpand(alg, prk, Bytes {}, max + 1);
        ASSERT_FALSE(over.ok());
        EXPECT_EQ(over.error(), CryptoError::OutputTooLong);

        auto empty = hkdfExpand(alg, prk, Bytes {}, 0);
        ASSERT_TRUE(empty.ok());
        EXPECT_TRUE(empty->empty());
    }
}

// Expand output is a prefix-consistent stream: T(1) | T(2) | ...
TEST(Hkdf, ShorterOutputIsAPrefix)
{
    const SecretBytes prk = hkdfExtract(HashAlg::Sha256, asBytes("salt"), asBytes("ikm"));
    auto full = hkdfExpand(HashAlg::Sha256, prk, asBytes("info"), 100);
    auto part = hkdfExpand(HashAlg::Sha256, prk, asBytes("info"), 33);
    ASSERT_TRUE(full.ok() && part.ok());
    const Bytes f = full->reveal();
    EXPECT_EQ(part->reveal(), Bytes(f.begin(), f.begin() + 33));
}

TEST(Hkdf, ShortPrkIsRejected)
{
    auto r = hkdfExpand(HashAlg::Sha256, Bytes(31, 1), Bytes {}, 16);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), CryptoError::InvalidKeyLength);
    EXPECT_TRUE(hkdfExpand(HashAlg::Sha256, Bytes(32, 1), Bytes {}, 16).ok());
    EXPECT_TRUE(hkdfExpand(HashAlg::Sha256, Bytes(64, 1), Bytes {}, 16).ok());
}

TEST(Hkdf, InfoLengthLimit)
{
    const SecretBytes prk = hkdfExtract(HashAlg::Sha256, Bytes {}, asBytes("ikm"));
    EXPECT_TRUE(hkdfExpand(HashAlg::Sha256, prk, Bytes(1024, 7), 32).ok());
    auto r = hkdfExpand(HashAlg::Sha256, prk, Bytes(1025, 7), 32);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), CryptoError::InputTooLong);
}

} // namespace
} // namespace sotto::crypto
