// SPDX-License-Identifier: GPL-3.0-or-later
// Property tests with random messages from a fixed seed (so a failure
// reproduces): every valid message encodes, in every framing with every
// option, to bytes that decode to the same message; and randomly damaged
// encodings either fail with an error or decode to a message that itself
// round-trips (decode(encode(decode(x))) == decode(x)).
#include "tests/bhttp/bhttp_test_util.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

using namespace sotto;
using namespace sotto::bhttp;
using namespace sotto::bhttp::test;

namespace {

class MessageGenerator {
public:
    explicit MessageGenerator(uint64_t seed)
        : m_rng(seed)
    { }

    size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(m_rng); }
    bool chance(int percent) { return below(100) < static_cast<size_t>(percent); }

    std::string pick(std::string_view alphabet, size_t minLen, size_t maxLen)
    {
        std::string s(minLen + below(maxLen - minLen + 1), '\0');
        for (auto &c : s)
            c = alphabet[below(alphabet.size())];
        return s;
    }

    // RFC 9110 5.6.2 tchar without uppercase (RFC 9113 8.2.1).
    std::string fieldName()
    {
        return pick("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz", 1, 16);
    }

    // RFC 9110 5.5: VCHAR / obs-text, with SP and HTAB only inside.
    std::string fieldValue()
    {
        const size_t n = below(40);
        std::string v;
        for (size_t i = 0; i < n; ++i) {
            uint8_t c;
            if (i > 0 && i + 1 < n && chance(15))
                c = chance(50) ? ' ' : '\t';
            else if (chance(10))
                c = static_cast<uint8_t>(0x80 + below(0x80));
            else
                c = static_cast<uint8_t>(0x21 + below(0x7e - 0x21 + 1));
            v.push_back(static_cast<char>(c));
        }
        return v;
    }

    FieldSection fields(size_t maxCount)
    {
        FieldSection out(chance(30) ? 0 : below(maxCount + 1));
        for (size_t i = 0; i < out.size(); ++i) {
            // Repeated names happen (Section 3.6 keeps them as separate lines).
            out[i].name = i > 0 && chance(10) ? out[0].name : fieldName();
            out[i].value = fieldValue();
        }
        // Section 3.6: no pseudo-fields; fieldName() never makes one.
        return out;
    }

    Bytes content()
    {
        if (chance(35))
            return {};
        Bytes b(below(chance(10) ? 5000 : 300) + 1);
        for (auto &x : b)
            x = static_cast<uint8_t>(below(256));
        return b;
    }

    std::string host()
    {
        switch (below(4)) {
        case 0:
            return "[2001:db8::" + pick("0123456789abcdef", 1, 4) + "]";
        case 1:
            return std::to_string(below(256)) + "." + std::to_string(below(256)) + ".0.1";
        default:
            return pick("abcdefghijklmnopqrstuvwxyz0123456789-", 1, 12) + ".example";
        }
    }

    Request request()
    {
        Request r;
        if (chance(5)) {
            // RFC 9113 8.5 CONNECT: no scheme or path.
            r.method = "CONNECT";
            r.authority = host() + ":" + std::to_string(below(65536));
        } else {
            static const char *kMethods[]
                = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" };
            r.method
                = chance(80) ? kMethods[below(7)] : pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ-_!", 1, 10);
            static const char *kSchemes[] = { "https", "http", "HTTPS", "coap+tcp", "urn" };
            r.scheme = kSchemes[below(5)];
            if (chance(70))
                r.authority = host() + (chance(40) ? ":" + std::to_string(below(65536)) : "");
            if (r.method == "OPTIONS" && chance(30)) {
                r.path = "*";
            } else {
                r.path
                    = "/" + pick("abcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/", 0, 30);
                if (chance(30))
                    r.path += "?" + pick("abcdefghijklmnopqrstuvwxyz0123456789=&/?%2F", 0, 20);
                // Keep pct-encoding well formed: '%' is always followed by "2F".
                std::string fixed;
                for (size_t i = 0; i < r.path.size(); ++i) {
                    fixed += r.path[i];
                    if (r.path[i] == '%')
                        fixed += "2F";
                }
                r.path = fixed;
            }
        }
        r.headers = fields(12);
        const bool http = r.scheme == "https" || r.scheme == "http" || r.scheme == "HTTPS";
        if (http && r.authority.empty())
            r.headers.push_back({ "host", host() }); // RFC 9113 8.3.1
        r.content = content();
        r.trailers = chance(70) ? FieldSection {} : fields(4);
        return r;
    }

    Response response()
    {
        Response r;
        r.informational.resize(chance(70) ? 0 : below(4));
        for (auto &i : r.informational) {
            i.status = static_cast<uint16_t>(100 + below(100));
            i.headers = fields(4);
        }
        r.status = static_cast<uint16_t>(200 + below(400));
        r.headers = fields(12);
        r.content = content();
        r.trailers = chance(70) ? FieldSection {} : fields(4);
        return r;
    }

    EncodeOptions options()
    {
        EncodeOptions o;
        o.framing = chance(50) ? Framing::KnownLength : Framing::IndeterminateLength;
        o.truncate = chance(50);
        o.padding = chance(60) ? 0 : below(40);
        o.chunkSize = chance(50) ? 0 : below(64) + 1;
        return o;
    }

    // Damage: flip a byte, cut the end, insert or delete a byte, or overwrite
    // with a random varint-ish byte.
    Bytes damage(Bytes b)
    {
        const int edits = 1 + static_cast<int>(below(3));
        for (int e = 0; e < edits && !b.empty(); ++e) {
            const size_t at = below(b.size());
            switch (below(5)) {
            case 0:
                b[at] = static_cast<uint8_t>(b[at] ^ (1u << below(8)));
                break;
            case 1:
                b.resize(at);
                break;
            case 2:
                b.insert(
                    b.begin() + static_cast<std::ptrdiff_t>(at), static_cast<uint8_t>(below(256)));
                break;
            case 3:
                b.erase(b.begin() + static_cast<std::ptrdiff_t>(at));
                break;
            default:
                b[at] = static_cast<uint8_t>(below(256));
                break;
            }
        }
        return b;
    }

private:
    std::mt19937_64 m_rng;
};

constexpr int kIterations = 3000;

} // namespace

TEST(BhttpRoundTrip, RandomRequests)
{
    MessageGenerator gen(0x5077'0b47'7001ull);
    size_t bytes = 0;
    for (int i = 0; i < kIterations; ++i) {
        SCOPED_TRACE(i);
        const Request r = gen.request();
        ASSERT_TRUE(validateRequest(r).ok()) << describe(validateRequest(r));
        const EncodeOptions o = gen.options();
        auto wire = encodeRequest(r, o);
        ASSERT_TRUE(wire.ok()) << describe(wire);
        bytes += wire->size();
        MessageLayout layout;
        auto back = decodeRequest(*wire, {}, &layout);
        ASSERT_TRUE(back.ok()) << describe(back);
        ASSERT_EQ(*back, r);
        EXPECT_EQ(layout.framing, o.framing);
        if (!o.truncate) {
            EXPECT_EQ(layout.sectionsPresent, 3);
            EXPECT_EQ(layout.paddingLength, o.padding);
        }
        // The encoding is a function of message and options.
        auto again = encodeRequest(*back, o);
        ASSERT_TRUE(again.ok());
        EXPECT_EQ(*again, *wire);
    }
    EXPECT_GT(bytes, size_t { kIterations } * 20); // the generator made real messages
}

TEST(BhttpRoundTrip, RandomResponses)
{
    MessageGenerator gen(0x5077'0b47'7002ull);
    size_t withInformational = 0;
    for (int i = 0; i < kIterations; ++i) {
        SCOPED_TRACE(i);
        const Response r = gen.response();
        const EncodeOptions o = gen.options();
        auto wire = encodeResponse(r, o);
        ASSERT_TRUE(wire.ok()) << describe(wire);
        MessageLayout layout;
        auto back = decodeResponse(*wire, {}, &layout);
        ASSERT_TRUE(back.ok()) << describe(back);
        ASSERT_EQ(*back, r);
        EXPECT_EQ(layout.framing, o.framing);
        if (!o.truncate) {
            EXPECT_EQ(layout.paddingLength, o.padding);
        }
        withInformational += r.informational.empty() ? 0 : 1;
    }
    EXPECT_GT(withInformational, size_t { kIterations / 10 });
}

// Every message encoded in all eight (framing, truncate, padding) variants
// decodes to the same thing.
TEST(BhttpRoundTrip, AllOptionCombinations)
{
    MessageGenerator gen(0x5077'0b47'7003ull);
    for (int i = 0; i < 300; ++i) {
        SCOPED_TRACE(i);
        const Request req = gen.request();
        const Response resp = gen.response();
        for (auto framing : { Framing::KnownLength, Framing::IndeterminateLength }) {
            for (bool truncate : { false, true }) {
                for (size_t padding : { 0, 7 }) {
                    EncodeOptions o;
                    o.framing = framing;
                    o.truncate = truncate;
                    o.padding = padding;
                    auto a = encodeRequest(req, o);
                    ASSERT_TRUE(a.ok()) << describe(a);
                    auto ad = decodeRequest(*a);
                    ASSERT_TRUE(ad.ok()) << describe(ad);
                    EXPECT_EQ(*ad, req);
                    auto b = encodeResponse(resp, o);
                    ASSERT_TRUE(b.ok()) << describe(b);
                    auto bd = decodeResponse(*b);
                    ASSERT_TRUE(bd.ok()) << describe(bd);
                    EXPECT_EQ(*bd, resp);
                }
            }
        }
    }
}

// Damaged encodings: never a crash (the sanitizer build checks memory), and
// whatever still decodes is a valid message that round-trips.
TEST(BhttpRoundTrip, DamagedEncodings)
{
    MessageGenerator gen(0x5077'0b47'7004ull);
    size_t stillValid = 0;
    size_t rejected = 0;
    for (int i = 0; i < kIterations; ++i) {
        SCOPED_TRACE(i);
        const EncodeOptions o = gen.options();
        auto req = encodeRequest(gen.request(), o);
        auto resp = encodeResponse(gen.response(), o);
        ASSERT_TRUE(req.ok() && resp.ok());
        const Bytes badReq = gen.damage(*req);
        const Bytes badResp = gen.damage(*resp);

        auto r = decodeRequest(badReq);
        if (r.ok()) {
            ++stillValid;
            ASSERT_TRUE(validateRequest(*r).ok()) << describe(validateRequest(*r));
            for (auto framing : { Framing::KnownLength, Framing::IndeterminateLength }) {
                EncodeOptions again;
                again.framing = framing;
                auto e = encodeRequest(*r, again);
                ASSERT_TRUE(e.ok()) << describe(e);
                auto d = decodeRequest(*e);
                ASSERT_TRUE(d.ok()) << describe(d);
                EXPECT_EQ(*d, *r);
            }
        } else {
            ++rejected;
            EXPECT_NE(errorName(r.error()), "Unknown");
            EXPECT_FALSE(r.detail().empty());
        }

        auto s = decodeResponse(badResp);
        if (s.ok()) {
            ++stillValid;
            ASSERT_TRUE(validateResponse(*s).ok()) << describe(validateResponse(*s));
            auto e = encodeResponse(*s);
            ASSERT_TRUE(e.ok()) << describe(e);
            auto d = decodeResponse(*e);
            ASSERT_TRUE(d.ok()) << describe(d);
            EXPECT_EQ(*d, *s);
        } else {
            ++rejected;
            EXPECT_FALSE(s.detail().empty());
        }
    }
    // Both outcomes happen, so both paths were exercised.
    EXPECT_GT(stillValid, size_t { 50 });
    EXPECT_GT(rejected, size_t { kIterations });
}
