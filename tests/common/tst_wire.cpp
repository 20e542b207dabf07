// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/common/wire.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

using namespace sotto;

// RFC 9000 Appendix A.1 sample varints.
TEST(Wire, VarintSamplesFromRfc9000)
{
    struct Sample {
        const char *hex;
        uint64_t value;
    } samples[] = {
        {"c2197c5eff14e88c", 151288809941952652ull},
        {"9d7f3e7d", 494878333},
        {"7bbd", 15293},
        {"25", 37},
        {"4025", 37}, // non-minimal two-byte encoding of 37
    };
    for (const auto &s : samples) {
        Bytes b = test::hex(s.hex);
        WireReader r(b);
        auto v = r.varint();
        ASSERT_TRUE(v) << s.hex;
        EXPECT_EQ(*v, s.value) << s.hex;
        EXPECT_TRUE(r.empty());
    }
}

TEST(Wire, VarintRoundTripsAtEveryBoundary)
{
    for (uint64_t v : std::initializer_list<uint64_t>{0, 63, 64, 16383, 16384, 1073741823, 1073741824,
                       kMaxVarint}) {
        WireWriter w;
        w.varint(v);
        EXPECT_EQ(w.size(), varintSize(v));
        WireReader r(w.data());
        EXPECT_EQ(r.varint(), v);
        EXPECT_TRUE(r.empty());
    }
}

TEST(Wire, TruncatedInputIsRefusedAndNothingConsumed)
{
    Bytes b = test::hex("c2197c5eff14e8"); // 8-byte varint missing its last byte
    WireReader r(b);
    EXPECT_FALSE(r.varint());
    EXPECT_EQ(r.position(), 0u);
    EXPECT_FALSE(r.u64());
    EXPECT_TRUE(r.u32());
    EXPECT_FALSE(r.u32());
    EXPECT_FALSE(r.bytes(4));
    EXPECT_TRUE(r.bytes(3));
    EXPECT_FALSE(r.u8());
}

TEST(Wire, LengthPrefixPastTheEndIsRefused)
{
    Bytes b = test::hex("05616263"); // says 5, has 3
    WireReader r(b);
    EXPECT_FALSE(r.varintPrefixed());
    EXPECT_EQ(r.position(), 0u);
}

TEST(Wire, BigEndianIntegers)
{
    WireWriter w;
    w.u16(0x0102);
    w.u32(0x03040506);
    w.u64(0x0708090a0b0c0d0eull);
    EXPECT_EQ(toHex(w.data()), "0102030405060708090a0b0c0d0e");
    WireReader r(w.data());
    EXPECT_EQ(r.u16(), 0x0102);
    EXPECT_EQ(r.u32(), 0x03040506u);
    EXPECT_EQ(r.u64(), 0x0708090a0b0c0d0eull);
}

TEST(Bytes, HexRejectsMalformedInput)
{
    EXPECT_FALSE(fromHex("abc"));
    EXPECT_FALSE(fromHex("zz"));
    EXPECT_EQ(fromHex("ABcd"), (Bytes{0xab, 0xcd}));
    EXPECT_EQ(toHex(Bytes{0x00, 0xff}), "00ff");
}
