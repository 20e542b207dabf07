// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/hash.h"
#include "protocol/crypto/random.h"

#include "tests/support/testdata.h"

#include <gtest/gtest.h>

namespace sotto::crypto {
namespace {

using test::hex;

// FIPS 180-2 Appendix B.1 / C.1 / D.1: the one-block message "abc".
TEST(Hash, KnownAnswersForAbc)
{
    const ByteView abc = asBytes("abc");
    EXPECT_EQ(toHex(digest(HashAlg::Sha256, abc)),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(toHex(digest(HashAlg::Sha384, abc)),
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
        "8086072ba1e7cc2358baeca134c825a7");
    EXPECT_EQ(toHex(digest(HashAlg::Sha512, abc)),
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(Hash, EmptyInput)
{
    EXPECT_EQ(sha256(ByteView {}),
        hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

TEST(Hash, Lengths)
{
    EXPECT_EQ(hashLength(HashAlg::Sha256), 32u);
    EXPECT_EQ(hashLength(HashAlg::Sha384), 48u);
    EXPECT_EQ(hashLength(HashAlg::Sha512), 64u);
    for (HashAlg alg : { HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512 })
        EXPECT_EQ(digest(alg, asBytes("x")).size(), hashLength(alg));
}

TEST(Random, FillsRequestedLengths)
{
    EXPECT_TRUE(randomBytes(0).empty());
    EXPECT_EQ(randomBytes(33).size(), 33u);
    EXPECT_EQ(randomSecret(17).size(), 17u);
    std::array<uint8_t, 0> none {};
    randomFill(none); // an empty span is fine
}

TEST(Random, ConsecutiveOutputsDiffer)
{
    // 2^-256 chance of a false failure.
    EXPECT_NE(randomBytes(32), randomBytes(32));
    EXPECT_FALSE(randomSecret(32) == randomSecret(32));
    const Bytes r = randomBytes(64);
    EXPECT_NE(r, Bytes(64, 0));
}

} // namespace
} // namespace sotto::crypto
