// SPDX-License-Identifier: GPL-3.0-or-later
// protocol/common/base64: the RFC 4648 Section 10 test vectors in both
// alphabets, with and without padding; the two padding rules; and the
// rejections (wrong alphabet, misplaced or surplus '=', a lone last
// character, non-zero unused bits, whitespace), each for every alphabet.
#include "protocol/common/base64.h"

#include <gtest/gtest.h>

namespace sotto {
namespace {

using A = Base64Alphabet;
using P = Base64Padding;
using R = Base64PaddingRule;

TEST(Base64, Rfc4648Section10Vectors)
{
    const struct {
        const char *in;
        const char *out;
    } vectors[] = { { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
        { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" } };
    for (const auto &v : vectors) {
        SCOPED_TRACE(v.in);
        const std::string padded = v.out;
        const std::string bare = padded.substr(0, padded.find('='));
        for (A a : { A::Standard, A::Url }) {
            EXPECT_EQ(base64Encode(asBytes(v.in), a, P::Include), padded);
            EXPECT_EQ(base64Encode(asBytes(v.in), a, P::Omit), bare);
            EXPECT_EQ(base64Decode(padded, a, R::Required), toBytes(v.in));
            EXPECT_EQ(base64Decode(padded, a, R::Optional), toBytes(v.in));
            EXPECT_EQ(base64Decode(bare, a, R::Optional), toBytes(v.in));
            if (bare != padded) {
                EXPECT_FALSE(base64Decode(bare, a, R::Required));
            }
        }
    }
}

TEST(Base64, AlphabetsDiffer)
{
    const Bytes b { 0xfb, 0xff, 0xbf };
    EXPECT_EQ(base64Encode(b, A::Standard, P::Include), "+/+/");
    EXPECT_EQ(base64Encode(b, A::Url, P::Include), "-_-_");
    EXPECT_EQ(base64Decode("+/+/", A::Standard, R::Required), b);
    EXPECT_EQ(base64Decode("-_-_", A::Url, R::Required), b);
    EXPECT_FALSE(base64Decode("-_-_", A::Standard, R::Required));
    EXPECT_FALSE(base64Decode("+/+/", A::Url, R::Required));
    EXPECT_FALSE(base64Decode("+_+_", A::Url, R::Optional));
}

TEST(Base64, Rejections)
{
    for (A a : { A::Standard, A::Url }) {
        for (R r : { R::Required, R::Optional }) {
            SCOPED_TRACE(static_cast<int>(a) * 2 + static_cast<int>(r));
            EXPECT_FALSE(base64Decode("Zg=", a, r));      // padding short of a quantum
            EXPECT_FALSE(base64Decode("Zg===", a, r));    // too much padding
            EXPECT_FALSE(base64Decode("Zm9v=", a, r));    // padding after a full quantum
            EXPECT_FALSE(base64Decode("Zm9v====", a, r)); // a quantum of padding
            EXPECT_FALSE(base64Decode("Zm=v", a, r));     // '=' inside
            EXPECT_FALSE(base64Decode("=", a, r));
            EXPECT_FALSE(base64Decode("Z", a, r));      // a lone last character
            EXPECT_FALSE(base64Decode("Zm9vY", a, r));  // likewise after a quantum
            EXPECT_FALSE(base64Decode("Zh==", a, r));   // unused bits not zero
            EXPECT_FALSE(base64Decode("Zm9=", a, r));   // unused bits not zero
            EXPECT_FALSE(base64Decode("Zm9v\n", a, r)); // whitespace
            EXPECT_FALSE(base64Decode(" Zm9v", a, r));
            EXPECT_FALSE(base64Decode("Zm9*", a, r));
            EXPECT_FALSE(base64Decode(std::string_view("Zm\0v", 4), a, r));
            EXPECT_FALSE(base64Decode("Zm9\xc3\xa9", a, r));
        }
    }
}

TEST(Base64, RoundTripsEveryLengthAndByte)
{
    Bytes data;
    for (int i = 0; i < 300; ++i) {
        for (A a : { A::Standard, A::Url }) {
            EXPECT_EQ(base64Decode(base64Encode(data, a, P::Include), a, R::Required), data);
            EXPECT_EQ(base64Decode(base64Encode(data, a, P::Omit), a, R::Optional), data);
        }
        data.push_back(static_cast<uint8_t>(i * 37 + 11));
    }
}

} // namespace
} // namespace sotto
