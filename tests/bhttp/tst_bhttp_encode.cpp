// SPDX-License-Identifier: GPL-3.0-or-later
// Binary HTTP encoding (RFC 9292): exact bytes for small messages in both
// framings, the truncation/padding/chunking options, and the encoder's refusal
// to produce anything the decoder would reject (same error codes).
#include "tests/bhttp/bhttp_test_util.h"

#include <gtest/gtest.h>

#include <string>

using namespace sotto;
using namespace sotto::bhttp;
using namespace sotto::bhttp::test;

namespace {

Request simpleRequest()
{
    Request r;
    r.method = "POST";
    r.scheme = "https";
    r.authority = "a.example";
    r.path = "/p";
    r.headers = { { "x", "1" } };
    r.content = toBytes("hello");
    r.trailers = { { "t", "2" } };
    return r;
}

EncodeOptions opts(Framing framing, bool truncate = false, size_t padding = 0, size_t chunk = 0)
{
    EncodeOptions o;
    o.framing = framing;
    o.truncate = truncate;
    o.padding = padding;
    o.chunkSize = chunk;
    return o;
}

const Bytes kControl = cat({ lp("POST"), lp("https"), lp("a.example"), lp("/p") });

} // namespace

// Section 3.1: framing 0, control data, then length-prefixed header section,
// content and trailer section.
TEST(BhttpEncode, KnownLengthRequestBytes)
{
    auto e = encodeRequest(simpleRequest());
    ASSERT_TRUE(e.ok()) << describe(e);
    const Bytes expected = cat({ Bytes { 0x00 }, kControl, Bytes { 0x04, 0x01, 'x', 0x01, '1' },
        Bytes { 0x05, 'h', 'e', 'l', 'l', 'o' }, Bytes { 0x04, 0x01, 't', 0x01, '2' } });
    EXPECT_EQ(toHex(*e), toHex(expected));
}

// Section 3.2: framing 2, field sections ended by 0, content in non-empty
// chunks ended by 0.
TEST(BhttpEncode, IndeterminateLengthRequestBytes)
{
    auto e = encodeRequest(simpleRequest(), opts(Framing::IndeterminateLength));
    ASSERT_TRUE(e.ok()) << describe(e);
    EXPECT_EQ(toHex(*e),
        toHex(cat({ Bytes { 0x02 }, kControl, Bytes { 0x01, 'x', 0x01, '1', 0x00 },
            Bytes { 0x05, 'h', 'e', 'l', 'l', 'o', 0x00 },
            Bytes { 0x01, 't', 0x01, '2', 0x00 } })));

    auto chunked = encodeRequest(simpleRequest(), opts(Framing::IndeterminateLength, false, 0, 2));
    ASSERT_TRUE(chunked.ok()) << describe(chunked);
    EXPECT_EQ(toHex(*chunked),
        toHex(cat({ Bytes { 0x02 }, kControl, Bytes { 0x01, 'x', 0x01, '1', 0x00 },
            Bytes { 0x02, 'h', 'e', 0x02, 'l', 'l', 0x01, 'o', 0x00 },
            Bytes { 0x01, 't', 0x01, '2', 0x00 } })));
    auto back = decodeRequest(*chunked);
    ASSERT_TRUE(back.ok()) << describe(back);
    EXPECT_EQ(*back, simpleRequest());

    // Empty content is the terminator alone, never a zero-length chunk.
    Request empty = simpleRequest();
    empty.content.clear();
    auto e2 = encodeRequest(empty, opts(Framing::IndeterminateLength, false, 0, 3));
    ASSERT_TRUE(e2.ok()) << describe(e2);
    EXPECT_EQ(toHex(*e2),
        toHex(cat({ Bytes { 0x02 }, kControl, Bytes { 0x01, 'x', 0x01, '1', 0x00 }, Bytes { 0x00 },
            Bytes { 0x01, 't', 0x01, '2', 0x00 } })));
}

// Section 3.8: truncation drops empty parts from the end only.
TEST(BhttpEncode, Truncation)
{
    for (auto framing : { Framing::KnownLength, Framing::IndeterminateLength }) {
        SCOPED_TRACE(static_cast<int>(framing));
        const Bytes fi { static_cast<uint8_t>(framing == Framing::KnownLength ? 0 : 2) };
        const bool known = framing == Framing::KnownLength;
        const Bytes headerX
            = known ? Bytes { 0x04, 0x01, 'x', 0x01, '1' } : Bytes { 0x01, 'x', 0x01, '1', 0x00 };

        Request r = simpleRequest();
        // Trailers present: nothing can go.
        EXPECT_EQ(
            encodeRequest(r, opts(framing, true)).value(), encodeRequest(r, opts(framing)).value());

        r.trailers.clear(); // content stays
        auto e = encodeRequest(r, opts(framing, true));
        ASSERT_TRUE(e.ok()) << describe(e);
        const Bytes content = known ? Bytes { 0x05, 'h', 'e', 'l', 'l', 'o' }
                                    : Bytes { 0x05, 'h', 'e', 'l', 'l', 'o', 0x00 };
        EXPECT_EQ(toHex(*e), toHex(cat({ fi, kControl, headerX, content })));

        r.content.clear(); // header section stays
        e = encodeRequest(r, opts(framing, true));
        ASSERT_TRUE(e.ok()) << describe(e);
        EXPECT_EQ(toHex(*e), toHex(cat({ fi, kControl, headerX })));

        // Empty headers but non-empty trailers: nothing can go, the empty
        // header section and content are written.
        Request t = simpleRequest();
        t.headers.clear();
        t.content.clear();
        auto et = encodeRequest(t, opts(framing, true));
        ASSERT_TRUE(et.ok()) << describe(et);
        EXPECT_EQ(*et, encodeRequest(t, opts(framing)).value());

        r.headers.clear(); // everything empty: control data only
        e = encodeRequest(r, opts(framing, true));
        ASSERT_TRUE(e.ok()) << describe(e);
        EXPECT_EQ(toHex(*e), toHex(cat({ fi, kControl })));
        // Untruncated, the three empty parts are three zero bytes in both
        // framings (length 0, or a lone terminator).
        e = encodeRequest(r, opts(framing));
        ASSERT_TRUE(e.ok()) << describe(e);
        EXPECT_EQ(toHex(*e), toHex(cat({ fi, kControl, Bytes { 0, 0, 0 } })));
    }
}

// Section 3.8: padding is zero bytes after the message; with truncation they
// read back as the empty parts that were left out.
TEST(BhttpEncode, Padding)
{
    for (auto framing : { Framing::KnownLength, Framing::IndeterminateLength }) {
        for (bool truncate : { false, true }) {
            for (size_t pad : { 0, 1, 5, 1000 }) {
                SCOPED_TRACE(std::to_string(static_cast<int>(framing)) + " "
                    + std::to_string(truncate) + " " + std::to_string(pad));
                Request r = simpleRequest();
                r.trailers.clear();
                auto plain = encodeRequest(r, opts(framing, truncate));
                auto e = encodeRequest(r, opts(framing, truncate, pad));
                ASSERT_TRUE(plain.ok() && e.ok());
                ASSERT_EQ(e->size(), plain->size() + pad);
                EXPECT_TRUE(std::equal(plain->begin(), plain->end(), e->begin()));
                for (size_t i = plain->size(); i < e->size(); ++i)
                    ASSERT_EQ((*e)[i], 0);
                MessageLayout layout;
                auto d = decodeRequest(*e, {}, &layout);
                ASSERT_TRUE(d.ok()) << describe(d);
                EXPECT_EQ(*d, r);
                // A truncated message's left-out trailer section is the first
                // padding byte when read back.
                const size_t taken = (truncate && pad > 0) ? 1 : 0;
                EXPECT_EQ(layout.paddingLength, pad - taken);
                EXPECT_EQ(layout.sectionsPresent, truncate && pad == 0 ? 2 : 3);
            }
        }
    }
}

// Section 3.5.1: informational responses, each with its own header section,
// then the final status.
TEST(BhttpEncode, ResponseBytes)
{
    Response r;
    r.informational = { { 103, { { "link", "</a>" } } } };
    r.status = 200;
    r.content = toBytes("ok");
    auto k = encodeResponse(r);
    ASSERT_TRUE(k.ok()) << describe(k);
    EXPECT_EQ(toHex(*k),
        toHex(cat({ Bytes { 0x01, 0x40, 0x67 }, knownSection(lines({ { "link", "</a>" } })),
            Bytes { 0x40, 0xc8, 0x00, 0x02, 'o', 'k', 0x00 } })));
    auto i = encodeResponse(r, opts(Framing::IndeterminateLength, true));
    ASSERT_TRUE(i.ok()) << describe(i);
    EXPECT_EQ(toHex(*i),
        toHex(cat({ Bytes { 0x03, 0x40, 0x67 }, indeterminateSection(lines({ { "link", "</a>" } })),
            Bytes { 0x40, 0xc8, 0x00, 0x02, 'o', 'k', 0x00 } })));
    // RFC 9458 Appendix A's response: a bare 200, truncated.
    auto bare = encodeResponse(Response {}, opts(Framing::KnownLength, true));
    ASSERT_TRUE(bare.ok()) << describe(bare);
    EXPECT_EQ(toHex(*bare), "0140c8");
}

// The encoder validates with the decoder's rules and codes.
TEST(BhttpEncode, RefusesInvalidRequests)
{
    struct Case {
        const char *what;
        void (*mutate)(Request &);
        BhttpError error;
    };
    const Case cases[] = {
        { "empty method", [](Request &r) { r.method.clear(); }, BhttpError::InvalidMethod },
        { "method with space", [](Request &r) { r.method = "GE T"; }, BhttpError::InvalidMethod },
        { "empty scheme", [](Request &r) { r.scheme.clear(); }, BhttpError::InvalidScheme },
        { "scheme with colon", [](Request &r) { r.scheme = "https:"; }, BhttpError::InvalidScheme },
        { "userinfo", [](Request &r) { r.authority = "u@a.example"; },
            BhttpError::InvalidAuthority },
        { "bad port", [](Request &r) { r.authority = "a.example:x"; },
            BhttpError::InvalidAuthority },
        { "no authority, no host", [](Request &r) { r.authority.clear(); },
            BhttpError::MissingAuthority },
        { "empty path", [](Request &r) { r.path.clear(); }, BhttpError::InvalidPath },
        { "relative path", [](Request &r) { r.path = "p"; }, BhttpError::InvalidPath },
        { "uppercase name",
            [](Request &r) {
                r.headers.push_back({ "X-Up", "1" });
            },
            BhttpError::InvalidFieldName },
        { "empty name",
            [](Request &r) {
                r.trailers.push_back({ "", "1" });
            },
            BhttpError::InvalidFieldName },
        { "pseudo-field",
            [](Request &r) {
                r.headers.push_back({ ":path", "/" });
            },
            BhttpError::PseudoField },
        { "value with LF",
            [](Request &r) {
                r.trailers.push_back({ "x", "a\nb" });
            },
            BhttpError::InvalidFieldValue },
        { "value with leading space",
            [](Request &r) {
                r.headers.push_back({ "x", " a" });
            },
            BhttpError::InvalidFieldValue },
        { "CONNECT with scheme", [](Request &r) { r.method = "CONNECT"; },
            BhttpError::InvalidScheme },
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.what);
        Request r = simpleRequest();
        c.mutate(r);
        for (auto framing : { Framing::KnownLength, Framing::IndeterminateLength })
            EXPECT_BHTTP_ERROR(encodeRequest(r, opts(framing)), c.error);
        EXPECT_BHTTP_ERROR(validateRequest(r), c.error);
    }
    // With a Host field an empty authority is fine (the RFC 9292 example).
    Request host = simpleRequest();
    host.authority.clear();
    host.headers.push_back({ "host", "a.example" });
    auto e = encodeRequest(host);
    EXPECT_TRUE(e.ok()) << describe(e);
}

TEST(BhttpEncode, RefusesInvalidResponses)
{
    for (int s : { 0, 99, 100, 199, 600, 65535 }) {
        Response r;
        r.status = static_cast<uint16_t>(s);
        EXPECT_BHTTP_ERROR(encodeResponse(r), BhttpError::InvalidStatus);
    }
    for (int s : { 0, 99, 200, 204, 600 }) {
        Response r;
        r.informational = { { static_cast<uint16_t>(s), {} } };
        EXPECT_BHTTP_ERROR(encodeResponse(r), BhttpError::InvalidStatus);
    }
    Response r;
    r.informational = { { 103, { { "Link", "x" } } } };
    EXPECT_BHTTP_ERROR(encodeResponse(r), BhttpError::InvalidFieldName);
    r.informational = { { 103, { { "link", "x\r" } } } };
    EXPECT_BHTTP_ERROR(encodeResponse(r), BhttpError::InvalidFieldValue);
    r.informational.clear();
    r.trailers = { { ":status", "200" } };
    EXPECT_BHTTP_ERROR(encodeResponse(r), BhttpError::PseudoField);
    r.trailers.clear();
    r.status = 599;
    EXPECT_TRUE(encodeResponse(r).ok());
}

// The validators on their own.
TEST(BhttpEncode, Validators)
{
    EXPECT_TRUE(validateFieldName("content-type").ok());
    EXPECT_BHTTP_ERROR(validateFieldName("Content-Type"), BhttpError::InvalidFieldName);
    EXPECT_BHTTP_ERROR(validateFieldName(""), BhttpError::InvalidFieldName);
    EXPECT_BHTTP_ERROR(validateFieldName(":method"), BhttpError::PseudoField);
    EXPECT_TRUE(validateFieldValue("").ok());
    EXPECT_TRUE(validateFieldValue("text/plain; charset=utf-8").ok());
    EXPECT_BHTTP_ERROR(validateFieldValue("a\r\nx-injected: 1"), BhttpError::InvalidFieldValue);
    EXPECT_TRUE(validateField({ "a", "b" }).ok());
    EXPECT_BHTTP_ERROR(validateField({ "a", "b " }), BhttpError::InvalidFieldValue);
    EXPECT_TRUE(validateResponse(Response {}).ok());
}
