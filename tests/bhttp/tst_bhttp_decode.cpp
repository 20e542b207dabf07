// SPDX-License-Identifier: GPL-3.0-or-later
// Binary HTTP decoding (RFC 9292) on hand-built messages: every rule that
// makes a message invalid, checked for its exact BhttpError, and the valid
// corner cases next to each (non-minimal varints, truncation, padding, the
// edges of every range and limit).
#include "tests/bhttp/bhttp_test_util.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

using namespace sotto;
using namespace sotto::bhttp;
using namespace sotto::bhttp::test;

namespace {

constexpr uint64_t kMaxVarint = (uint64_t { 1 } << 62) - 1;

// A complete request in either framing, with the given field lines (already
// encoded) and content.
Bytes request(Framing framing, const Bytes &controlData, const Bytes &headerLines,
    ByteView content = {}, const Bytes &trailerLines = {})
{
    if (framing == Framing::KnownLength)
        return cat({ varint(0), controlData, knownSection(headerLines),
            concat({ varint(content.size()), content }), knownSection(trailerLines) });
    Bytes chunked;
    if (!content.empty())
        chunked = concat({ varint(content.size()), content });
    return cat({ varint(2), controlData, indeterminateSection(headerLines), chunked, Bytes { 0 },
        indeterminateSection(trailerLines) });
}

Bytes requestWithFields(Framing framing, const Bytes &headerLines, const Bytes &trailerLines = {})
{
    return request(framing, goodControlData(), headerLines, {}, trailerLines);
}

Bytes controlData(std::string_view method, std::string_view scheme, std::string_view authority,
    std::string_view path)
{
    return cat({ lp(method), lp(scheme), lp(authority), lp(path) });
}

// A known-length request with this control data, a Host header field (so an
// empty authority is allowed) and nothing else.
BhttpResult<Request> decodeControl(std::string_view method, std::string_view scheme,
    std::string_view authority, std::string_view path)
{
    return decodeRequest(request(Framing::KnownLength, controlData(method, scheme, authority, path),
        lines({ { "host", "example.com" } })));
}

// A response: informational statuses (each with one field), final status,
// one header field, content "hi", no trailers.
Bytes response(Framing framing, const std::vector<uint64_t> &informational, uint64_t status)
{
    auto section = [&](const Bytes &body) {
        return framing == Framing::KnownLength ? knownSection(body) : indeterminateSection(body);
    };
    Bytes out = varint(framing == Framing::KnownLength ? 1 : 3);
    for (uint64_t s : informational)
        out = cat({ out, varint(s), section(lines({ { "x-info", "1" } })) });
    out = cat({ out, varint(status), section(lines({ { "content-type", "text/plain" } })) });
    if (framing == Framing::KnownLength)
        return cat({ out, lp("hi"), knownSection({}) });
    return cat({ out, lp("hi"), Bytes { 0 }, indeterminateSection({}) });
}

const Framing kFramings[] = { Framing::KnownLength, Framing::IndeterminateLength };

const char *name(Framing f)
{
    return f == Framing::KnownLength ? "known-length" : "indeterminate-length";
}

} // namespace

TEST(BhttpDecode, EmptyInputIsTruncated)
{
    EXPECT_BHTTP_ERROR(decodeRequest({}), BhttpError::Truncated);
    EXPECT_BHTTP_ERROR(decodeResponse({}), BhttpError::Truncated);
}

// Section 3.3.
TEST(BhttpDecode, FramingIndicator)
{
    const Bytes rest = cat({ goodControlData() });
    for (uint64_t fi : { uint64_t { 4 }, uint64_t { 5 }, uint64_t { 63 }, uint64_t { 64 },
             uint64_t { 0x1234 }, kMaxVarint }) {
        SCOPED_TRACE(fi);
        EXPECT_BHTTP_ERROR(
            decodeRequest(cat({ varint(fi), rest })), BhttpError::UnknownFramingIndicator);
        EXPECT_BHTTP_ERROR(
            decodeResponse(cat({ varint(fi), rest })), BhttpError::UnknownFramingIndicator);
    }
    // Section 3: "Integer values do not need to be encoded on the minimum
    // number of bytes", the framing indicator included.
    for (size_t width : { 2, 4, 8 }) {
        auto r = decodeRequest(cat({ varint(0, width), rest }));
        ASSERT_TRUE(r.ok()) << describe(r);
        EXPECT_EQ(r->path, "/");
        auto s = decodeResponse(cat({ varint(3, width), varint(200) }));
        ASSERT_TRUE(s.ok()) << describe(s);
        EXPECT_EQ(s->status, 200);
    }
    // A framing indicator cut short.
    EXPECT_BHTTP_ERROR(decodeRequest(Bytes { 0x40 }), BhttpError::Truncated);
    EXPECT_BHTTP_ERROR(decodeResponse(Bytes { 0xc0, 0, 0, 0, 0, 0, 0 }), BhttpError::Truncated);
    // Right indicator, wrong decoder.
    EXPECT_BHTTP_ERROR(decodeRequest(Bytes { 1, 0x40, 0xc8 }), BhttpError::WrongMessageType);
    EXPECT_BHTTP_ERROR(decodeRequest(Bytes { 3, 0x40, 0xc8 }), BhttpError::WrongMessageType);
    EXPECT_BHTTP_ERROR(decodeResponse(cat({ varint(0), rest })), BhttpError::WrongMessageType);
    EXPECT_BHTTP_ERROR(decodeResponse(cat({ varint(2), rest })), BhttpError::WrongMessageType);
}

// Section 3: every varint in a message may be longer than necessary. The same
// request with every integer at 2, 4 and 8 bytes decodes to one message.
TEST(BhttpDecode, NonMinimalVarintsEverywhere)
{
    auto build = [](Framing framing, size_t w) {
        auto s = [w](std::string_view v) { return concat({ varint(v.size(), w), asBytes(v) }); };
        const Bytes control = cat({ s("POST"), s("https"), s("example.com"), s("/submit") });
        const Bytes headerLines = cat({ s("content-type"), s("text/plain"), s("x-a"), s("") });
        const Bytes trailerLines = cat({ s("x-checksum"), s("abc") });
        if (framing == Framing::KnownLength)
            return cat({ varint(0, w), control, varint(headerLines.size(), w), headerLines,
                s("hello world"), varint(trailerLines.size(), w), trailerLines });
        return cat({ varint(2, w), control, headerLines, varint(0, w), s("hello"), s(" world"),
            varint(0, w), trailerLines, varint(0, w) });
    };
    Request expected;
    expected.method = "POST";
    expected.scheme = "https";
    expected.authority = "example.com";
    expected.path = "/submit";
    expected.headers = { { "content-type", "text/plain" }, { "x-a", "" } };
    expected.content = toBytes("hello world");
    expected.trailers = { { "x-checksum", "abc" } };
    for (auto framing : kFramings) {
        for (size_t w : { 1, 2, 4, 8 }) {
            SCOPED_TRACE(std::string(name(framing)) + " width " + std::to_string(w));
            MessageLayout layout;
            auto r = decodeRequest(build(framing, w), {}, &layout);
            ASSERT_TRUE(r.ok()) << describe(r);
            EXPECT_EQ(*r, expected);
            EXPECT_EQ(layout.sectionsPresent, 3);
        }
    }
    // Status codes too: 200 as an 8-byte varint, 103 as a 4-byte one.
    auto r = decodeResponse(cat({ varint(1), varint(103, 4), varint(0), varint(200, 8) }));
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r->informational.size(), 1u);
    EXPECT_EQ(r->informational[0].status, 103);
    EXPECT_EQ(r->status, 200);
}

// Section 3.4: each of the four control data fields is length-prefixed; a
// length past the end of the input, however large, is Truncated.
TEST(BhttpDecode, ControlDataLengthsPastTheEnd)
{
    const std::string_view parts[] = { "GET", "https", "example.com", "/" };
    for (size_t cut = 0; cut < 4; ++cut) {
        Bytes prefix = varint(0);
        for (size_t i = 0; i < cut; ++i)
            prefix = cat({ prefix, lp(parts[i]) });
        for (uint64_t len : { uint64_t { 100 }, uint64_t { 16383 }, kMaxVarint }) {
            SCOPED_TRACE("field " + std::to_string(cut) + " length " + std::to_string(len));
            EXPECT_BHTTP_ERROR(
                decodeRequest(cat({ prefix, varint(len), toBytes("abc") })), BhttpError::Truncated);
        }
        // The input ends where the field's length should be.
        EXPECT_BHTTP_ERROR(decodeRequest(prefix), BhttpError::Truncated);
    }
}

// Section 3.4 -> RFC 9113 8.3.1 -> RFC 9110 9.1: method = token.
TEST(BhttpDecode, Method)
{
    for (std::string_view m : { "GET", "POST", "M-SEARCH", "get", "!#$%&'*+-.^_`|~09AZaz" }) {
        auto r = decodeControl(m, "https", "example.com", "/");
        EXPECT_TRUE(r.ok()) << m << ": " << describe(r);
    }
    for (std::string_view m : { std::string_view {}, std::string_view("GE T"),
             std::string_view("GET\0", 4), std::string_view("G(ET"), std::string_view("GET:"),
             std::string_view("G\xc3\x89T"), std::string_view("GET\r\n") }) {
        SCOPED_TRACE(escapeForTest(m));
        EXPECT_BHTTP_ERROR(
            decodeControl(m, "https", "example.com", "/"), BhttpError::InvalidMethod);
    }
}

// Section 3.4 -> RFC 9113 8.3.1 (":scheme is not restricted to http and
// https") -> RFC 3986 3.1 syntax.
TEST(BhttpDecode, Scheme)
{
    for (std::string_view s : { "https", "http", "HTTPS", "coap+tcp", "a", "x-1.2" }) {
        auto r = decodeControl("GET", s, "example.com", "/");
        EXPECT_TRUE(r.ok()) << s << ": " << describe(r);
    }
    for (std::string_view s :
        { "", "1https", "ht tp", "https:", "-x", "+x", "ht_tp", "h\xc3\xa9" }) {
        SCOPED_TRACE(escapeForTest(s));
        EXPECT_BHTTP_ERROR(decodeControl("GET", s, "example.com", "/"), BhttpError::InvalidScheme);
    }
}

// Section 3.4 -> RFC 9113 8.3.1 (no userinfo for http/https) -> RFC 3986
// 3.2 authority syntax; RFC 9110 4.2.1 (no empty host for http/https).
TEST(BhttpDecode, Authority)
{
    for (std::string_view a : { "example.com", "example.com:443", "example.com:", "127.0.0.1:80",
             "[::1]", "[::1]:8443", "[v1.fe80::a+en1]", "xn--bcher-kva.example", "a%20b.example",
             "sub-delims!$&'()*+,;=.example" }) {
        auto r = decodeControl("GET", "https", a, "/");
        EXPECT_TRUE(r.ok()) << a << ": " << describe(r);
    }
    // userinfo is fine for other schemes.
    auto ftp = decodeControl("GET", "ftp", "user:pass@files.example:21", "/");
    EXPECT_TRUE(ftp.ok()) << describe(ftp);

    for (std::string_view a : { "user@example.com", "user:pass@example.com", "exa mple.com",
             "example.com:80a", "example.com:-1", "[::1", "[]", "[::1]x", "[::1]:x", "ex%zzample",
             "ex%2", "ex/ample", "ex?ample", "ex#ample", ":443", "example.com:443:1",
             "@example.com", "exa\x7fmple", "ex\xc3\xa4mple" }) {
        SCOPED_TRACE(escapeForTest(a));
        EXPECT_BHTTP_ERROR(decodeControl("GET", "https", a, "/"), BhttpError::InvalidAuthority);
    }
    EXPECT_BHTTP_ERROR(
        decodeControl("GET", "ftp", "us er@files.example", "/"), BhttpError::InvalidAuthority);
    EXPECT_BHTTP_ERROR(
        decodeControl("GET", "ftp", "a@b@files.example", "/"), BhttpError::InvalidAuthority);
}

// RFC 9113 8.3.1: an http(s) request needs an :authority or a Host field.
// The RFC 9292 request example is the "Host field" case.
TEST(BhttpDecode, MissingAuthority)
{
    const Bytes control = controlData("GET", "https", "", "/");
    for (auto framing : kFramings) {
        SCOPED_TRACE(name(framing));
        EXPECT_BHTTP_ERROR(decodeRequest(request(framing, control, lines({ { "accept", "*/*" } }))),
            BhttpError::MissingAuthority);
        // A Host trailer does not count: the target is known from the header.
        EXPECT_BHTTP_ERROR(
            decodeRequest(request(framing, control, {}, {}, lines({ { "host", "h" } }))),
            BhttpError::MissingAuthority);
        auto r = decodeRequest(request(framing, control, lines({ { "host", "example.com" } })));
        EXPECT_TRUE(r.ok()) << describe(r);
    }
    // Truncated right after the control data: no header section, no Host.
    EXPECT_BHTTP_ERROR(decodeRequest(cat({ varint(0), control })), BhttpError::MissingAuthority);
    // Schemes without a mandatory authority may leave it empty.
    auto r = decodeRequest(cat({ varint(0), controlData("GET", "urn", "", "/x") }));
    EXPECT_TRUE(r.ok()) << describe(r);
}

// Section 3.4 -> RFC 9113 8.3.1: absolute-path [ "?" query ], never empty for
// http(s), "*" for OPTIONS only.
TEST(BhttpDecode, Path)
{
    for (std::string_view p : { "/", "/hello.txt", "/a/b/", "//", "/%41%7e", "/a?b=c/d?e", "/?",
             "/:@!$&'()*+,;=-._~", "/a?%20" }) {
        auto r = decodeControl("GET", "https", "example.com", p);
        EXPECT_TRUE(r.ok()) << p << ": " << describe(r);
    }
    auto options = decodeControl("OPTIONS", "https", "example.com", "*");
    EXPECT_TRUE(options.ok()) << describe(options);
    auto other = decodeControl("GET", "urn", "", "");
    EXPECT_TRUE(other.ok()) << describe(other);

    for (std::string_view p :
        { "", "hello", "*", "**", "/a b", "/a#b", "/%zz", "/%4", "/%", "/a?b c", "/\xc3\xbc",
            "/a\\b", "/a\"b", "/{x}", "/a|b", "/a\x7f", "http://example.com/" }) {
        SCOPED_TRACE(escapeForTest(p));
        // "*" and "**" are checked with GET: asterisk-form is OPTIONS only.
        EXPECT_BHTTP_ERROR(
            decodeControl("GET", "https", "example.com", p), BhttpError::InvalidPath);
    }
    EXPECT_BHTTP_ERROR(
        decodeControl("OPTIONS", "https", "example.com", "**"), BhttpError::InvalidPath);
    EXPECT_BHTTP_ERROR(decodeControl("GET", "urn", "", "x"), BhttpError::InvalidPath);
}

// RFC 9113 8.5: CONNECT has no scheme or path, and its authority is
// host:port. Section 6 says such messages serve no purpose, but they can be
// represented, so they decode.
TEST(BhttpDecode, Connect)
{
    auto r = decodeRequest(cat({ varint(0), controlData("CONNECT", "", "example.com:443", "") }));
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r->authority, "example.com:443");
    auto v6 = decodeRequest(cat({ varint(0), controlData("CONNECT", "", "[::1]:443", "") }));
    EXPECT_TRUE(v6.ok()) << describe(v6);

    EXPECT_BHTTP_ERROR(
        decodeRequest(cat({ varint(0), controlData("CONNECT", "https", "example.com:443", "") })),
        BhttpError::InvalidScheme);
    EXPECT_BHTTP_ERROR(
        decodeRequest(cat({ varint(0), controlData("CONNECT", "", "example.com:443", "/") })),
        BhttpError::InvalidPath);
    EXPECT_BHTTP_ERROR(decodeRequest(cat({ varint(0), controlData("CONNECT", "", "", "") })),
        BhttpError::MissingAuthority);
    for (std::string_view a :
        { "example.com", "example.com:", ":443", "u@example.com:443", "[::1]" }) {
        SCOPED_TRACE(a);
        EXPECT_BHTTP_ERROR(decodeRequest(cat({ varint(0), controlData("CONNECT", "", a, "") })),
            BhttpError::InvalidAuthority);
    }
}

// Section 3.6 -> RFC 9110 5.1 (token) and RFC 9113 8.2.1 (no uppercase),
// in both framings and in every kind of field section.
TEST(BhttpDecode, FieldNames)
{
    const std::string_view bad[]
        = { "Host", "hOst", "X-FOO", "a b", "a:b", std::string_view("a\0", 2), "a\x7f", "a\x80",
              "\xff", "a\"", "a(", "a,", "a/", "a;", "a=", "a@", "a[", "a{", "a\t", " a", "a\r\n" };
    for (auto framing : kFramings) {
        SCOPED_TRACE(name(framing));
        for (auto n : bad) {
            SCOPED_TRACE(escapeForTest(n));
            EXPECT_BHTTP_ERROR(decodeRequest(requestWithFields(framing, lines({ { n, "v" } }))),
                BhttpError::InvalidFieldName);
            EXPECT_BHTTP_ERROR(decodeRequest(requestWithFields(framing, {}, lines({ { n, "v" } }))),
                BhttpError::InvalidFieldName);
        }
        for (std::string_view n :
            { ":method", ":scheme", ":authority", ":path", ":status", ":protocol", ":", "::" }) {
            SCOPED_TRACE(n);
            EXPECT_BHTTP_ERROR(decodeRequest(requestWithFields(framing, lines({ { n, "v" } }))),
                BhttpError::PseudoField);
            EXPECT_BHTTP_ERROR(decodeRequest(requestWithFields(framing, {}, lines({ { n, "v" } }))),
                BhttpError::PseudoField);
        }
        auto ok = decodeRequest(requestWithFields(
            framing, lines({ { "x-foo", "1" }, { "!#$%&'*+-.^_`|~09az", "2" }, { "a", "3" } })));
        ASSERT_TRUE(ok.ok()) << describe(ok);
        EXPECT_EQ(ok->headers.size(), 3u);
    }
    // Section 3.6: Name Length (i) = 1... In a known-length section a zero
    // name length is an empty name; in an indeterminate-length section it is
    // the terminator, so the "value" after it is read as the next part.
    EXPECT_BHTTP_ERROR(
        decodeRequest(requestWithFields(Framing::KnownLength, cat({ lp(""), lp("v") }))),
        BhttpError::InvalidFieldName);
    // Informational responses get the same checks.
    EXPECT_BHTTP_ERROR(decodeResponse(cat({ varint(1), varint(103),
                           knownSection(lines({ { "Link", "</a>" } })), varint(200) })),
        BhttpError::InvalidFieldName);
    EXPECT_BHTTP_ERROR(decodeResponse(cat({ varint(3), varint(103),
                           indeterminateSection(lines({ { ":status", "103" } })), varint(200) })),
        BhttpError::PseudoField);
}

// Section 3.6 -> RFC 9113 8.2.1 (NUL, CR, LF; leading/trailing SP/HTAB) and,
// as decided in validate.cpp, RFC 9110 5.5 (no other CTLs, no DEL).
TEST(BhttpDecode, FieldValues)
{
    const std::string_view bad[]
        = { std::string_view("\0", 1), std::string_view("a\0b", 3), "a\rb", "a\nb", "a\r\n b", " a",
              "a ", "\ta", "a\t", " ", "\t", "a\x01b", "a\x1f", "\x0b", "a\x7f", "a\x1b[0m" };
    const std::string_view good[]
        = { "", "a", "a b", "a\tb", "\x80\xff", "caf\xc3\xa9", "\"q\"", "a  \t  b", "~" };
    for (auto framing : kFramings) {
        SCOPED_TRACE(name(framing));
        for (auto v : bad) {
            SCOPED_TRACE(escapeForTest(v));
            EXPECT_BHTTP_ERROR(decodeRequest(requestWithFields(framing, lines({ { "x", v } }))),
                BhttpError::InvalidFieldValue);
            EXPECT_BHTTP_ERROR(decodeRequest(requestWithFields(framing, {}, lines({ { "x", v } }))),
                BhttpError::InvalidFieldValue);
        }
        for (auto v : good) {
            SCOPED_TRACE(escapeForTest(v));
            auto r = decodeRequest(requestWithFields(framing, lines({ { "x", v } })));
            ASSERT_TRUE(r.ok()) << describe(r);
            EXPECT_EQ(r->headers, (FieldSection { { "x", std::string(v) } }));
        }
    }
}

// An error's detail says where and which rule, and never repeats the value:
// values can be credentials or message text, and details end up in logs.
TEST(BhttpDecode, DetailsDoNotQuoteValues)
{
    auto r = decodeRequest(requestWithFields(
        Framing::KnownLength, lines({ { "authorization", "Bearer hunter2\x01" } })));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), BhttpError::InvalidFieldValue);
    EXPECT_EQ(r.detail().find("hunter2"), std::string::npos) << r.detail();
    EXPECT_NE(r.detail().find("header section field 0"), std::string::npos) << r.detail();
}

// Known-length field sections (Section 3.1): the lines must fill the length
// exactly. A line that crosses the end is malformed, not truncated.
TEST(BhttpDecode, KnownLengthSectionBoundaries)
{
    const Bytes line = lines({ { "host", "example.com" } }); // 1+4+1+11 = 17 bytes
    ASSERT_EQ(line.size(), 17u);
    const Bytes control = goodControlData();
    auto withSection = [&](uint64_t length, const Bytes &body) {
        return cat({ varint(0), control, varint(length), body, lp(""), knownSection({}) });
    };
    // Length too short by one: the value runs past the section.
    EXPECT_BHTTP_ERROR(decodeRequest(withSection(16, line)), BhttpError::MalformedFieldSection);
    // Only a name length in the section.
    EXPECT_BHTTP_ERROR(decodeRequest(withSection(1, line)), BhttpError::MalformedFieldSection);
    // A varint cut by the section end (0x40 starts a 2-byte varint).
    EXPECT_BHTTP_ERROR(decodeRequest(withSection(18, cat({ line, Bytes { 0x40 } }))),
        BhttpError::MalformedFieldSection);
    // Name complete, value length missing.
    EXPECT_BHTTP_ERROR(decodeRequest(withSection(5, line)), BhttpError::MalformedFieldSection);
    // Too long by one: the extra byte (the content length 0) starts a line
    // with an empty name.
    EXPECT_BHTTP_ERROR(decodeRequest(withSection(18, line)), BhttpError::InvalidFieldName);
    // Exactly right.
    auto r = decodeRequest(withSection(17, line));
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r->headers, (FieldSection { { "host", "example.com" } }));
    // Past the end of the whole input: Truncated.
    EXPECT_BHTTP_ERROR(
        decodeRequest(cat({ varint(0), control, varint(18), line })), BhttpError::Truncated);
}

// Section 8: resource limits. A known-length section is judged by its length
// prefix before anything is read, so an absurd length is FieldSectionTooLarge
// rather than Truncated.
TEST(BhttpDecode, FieldSectionSizeLimit)
{
    const Bytes control = goodControlData();
    for (uint64_t len : { uint64_t { 64 * 1024 + 1 }, uint64_t { 1 } << 40, kMaxVarint }) {
        SCOPED_TRACE(len);
        EXPECT_BHTTP_ERROR(decodeRequest(cat({ varint(0), control, varint(len) })),
            BhttpError::FieldSectionTooLarge);
        EXPECT_BHTTP_ERROR(
            decodeResponse(cat({ varint(1), varint(200), knownSection({}), lp(""), varint(len) })),
            BhttpError::FieldSectionTooLarge);
        EXPECT_BHTTP_ERROR(decodeResponse(cat({ varint(1), varint(100), varint(len) })),
            BhttpError::FieldSectionTooLarge);
        // Indeterminate-length: a name or value length past the limit.
        EXPECT_BHTTP_ERROR(decodeRequest(cat({ varint(2), control, varint(len) })),
            BhttpError::FieldSectionTooLarge);
        EXPECT_BHTTP_ERROR(decodeRequest(cat({ varint(2), control, lp("host"), varint(len) })),
            BhttpError::FieldSectionTooLarge);
    }
    // A section of exactly the limit is fine; one byte more is not. Sections
    // are measured as the bytes of their field lines in both framings.
    DecodeLimits limits;
    limits.maxFieldSectionSize = 17 * 2;
    const Bytes two = lines({ { "host", "example.com" }, { "x-aaaa", "bbbbbbbbb" } });
    const Bytes over = lines({ { "host", "example.com" }, { "x-aaaa", "bbbbbbbbbb" } });
    ASSERT_EQ(two.size(), 34u);
    for (auto framing : kFramings) {
        SCOPED_TRACE(name(framing));
        auto r = decodeRequest(requestWithFields(framing, two), limits);
        EXPECT_TRUE(r.ok()) << describe(r);
        EXPECT_BHTTP_ERROR(decodeRequest(requestWithFields(framing, over), limits),
            BhttpError::FieldSectionTooLarge);
        EXPECT_BHTTP_ERROR(decodeRequest(requestWithFields(framing, {}, over), limits),
            BhttpError::FieldSectionTooLarge);
        auto t = decodeRequest(requestWithFields(framing, two, two), limits);
        EXPECT_TRUE(t.ok()) << describe(t); // per section, not per message
    }
}

// Section 8: the field count limit is for the whole message.
TEST(BhttpDecode, FieldCountLimit)
{
    Bytes many;
    for (int i = 0; i < 256; ++i)
        many = cat({ many, lines({ { "x", "y" } }) });
    for (auto framing : kFramings) {
        SCOPED_TRACE(name(framing));
        auto r = decodeRequest(requestWithFields(framing, many));
        ASSERT_TRUE(r.ok()) << describe(r);
        EXPECT_EQ(r->headers.size(), 256u);
        EXPECT_BHTTP_ERROR(
            decodeRequest(requestWithFields(framing, cat({ many, lines({ { "x", "y" } }) }))),
            BhttpError::TooManyFields);

        DecodeLimits limits;
        limits.maxFields = 3;
        const Bytes two = lines({ { "a", "1" }, { "b", "2" } });
        EXPECT_BHTTP_ERROR(
            decodeRequest(requestWithFields(framing, two, two), limits), BhttpError::TooManyFields);
        auto three
            = decodeRequest(requestWithFields(framing, two, lines({ { "c", "3" } })), limits);
        EXPECT_TRUE(three.ok()) << describe(three);
    }
    // Informational sections count too.
    DecodeLimits limits;
    limits.maxFields = 2;
    EXPECT_BHTTP_ERROR(decodeResponse(response(Framing::KnownLength, { 100, 103 }, 200), limits),
        BhttpError::TooManyFields);
    auto r = decodeResponse(response(Framing::KnownLength, { 100 }, 200), limits);
    EXPECT_TRUE(r.ok()) << describe(r);
}

// Indeterminate-length field sections end with a zero (Section 3.2); a
// section the input ends inside of is Truncated, not a shorter message
// (Section 3.8 allows truncation only after a terminator).
TEST(BhttpDecode, IndeterminateSectionsNeedTheirTerminator)
{
    const Bytes control = goodControlData();
    const Bytes line = lines({ { "host", "example.com" } });
    EXPECT_BHTTP_ERROR(decodeRequest(cat({ varint(2), control, line })), BhttpError::Truncated);
    EXPECT_BHTTP_ERROR(decodeRequest(cat({ varint(2), control, Bytes { 0 }, Bytes { 0 }, line })),
        BhttpError::Truncated);
    // The same with its terminators: header section, then (empty content and
    // trailers left out), and with all three.
    auto r = decodeRequest(cat({ varint(2), control, line, Bytes { 0 } }));
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r->headers.size(), 1u);
    auto t
        = decodeRequest(cat({ varint(2), control, Bytes { 0 }, Bytes { 0 }, line, Bytes { 0 } }));
    ASSERT_TRUE(t.ok()) << describe(t);
    EXPECT_EQ(t->trailers.size(), 1u);
    // A terminator may be a non-minimal zero.
    auto n = decodeRequest(
        cat({ varint(2), control, line, varint(0, 8), varint(0, 2), varint(0, 4) }));
    ASSERT_TRUE(n.ok()) << describe(n);
    EXPECT_EQ(n->headers.size(), 1u);
}

// Content (Sections 3.1, 3.2, 3.7).
TEST(BhttpDecode, Content)
{
    const Bytes control = goodControlData();
    const Bytes head = knownSection({});
    // Known length: one length-prefixed block.
    auto r = decodeRequest(cat({ varint(0), control, head, lp("hello") }));
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(asString(r->content), "hello");
    for (uint64_t len : { uint64_t { 6 }, uint64_t { 1000 }, kMaxVarint }) {
        SCOPED_TRACE(len);
        EXPECT_BHTTP_ERROR(
            decodeRequest(cat({ varint(0), control, head, varint(len), toBytes("hello") })),
            BhttpError::Truncated);
        EXPECT_BHTTP_ERROR(
            decodeRequest(cat({ varint(2), control, Bytes { 0 }, varint(len), toBytes("hello") })),
            BhttpError::Truncated);
    }
    // Indeterminate length: chunks concatenate; boundaries carry no meaning.
    const Bytes chunks = cat({ lp("he"), lp("l"), lp("lo") });
    auto c = decodeRequest(cat({ varint(2), control, Bytes { 0 }, chunks, Bytes { 0 } }));
    ASSERT_TRUE(c.ok()) << describe(c);
    EXPECT_EQ(asString(c->content), "hello");
    // Chunks without their terminator.
    EXPECT_BHTTP_ERROR(
        decodeRequest(cat({ varint(2), control, Bytes { 0 }, chunks })), BhttpError::Truncated);
    // Binary content, NULs and all, is kept as is.
    const Bytes binary { 0, 1, 2, 0xff, 0, '\r', '\n' };
    auto b = decodeRequest(cat({ varint(0), control, head, varint(binary.size()), binary }));
    ASSERT_TRUE(b.ok()) << describe(b);
    EXPECT_EQ(b->content, binary);
}

// Section 3.5 and 3.5.1: informational 100..199 before a final 200..599.
TEST(BhttpDecode, StatusCodes)
{
    for (auto framing : kFramings) {
        SCOPED_TRACE(name(framing));
        for (uint64_t s : { 200, 204, 304, 404, 599 }) {
            auto r = decodeResponse(response(framing, {}, s));
            ASSERT_TRUE(r.ok()) << s << ": " << describe(r);
            EXPECT_EQ(r->status, s);
            EXPECT_EQ(asString(r->content), "hi");
        }
        // Section 3.5.1 says 100..199 without exception, so 101 is accepted
        // here even though HTTP/2 (RFC 9113 8.6) has no use for it.
        auto r = decodeResponse(response(framing, { 100, 101, 102, 103, 199 }, 200));
        ASSERT_TRUE(r.ok()) << describe(r);
        ASSERT_EQ(r->informational.size(), 5u);
        EXPECT_EQ(r->informational[1].status, 101);
        EXPECT_EQ(r->informational[4].status, 199);
        EXPECT_EQ(r->informational[4].headers, (FieldSection { { "x-info", "1" } }));
        for (uint64_t s : { uint64_t { 0 }, uint64_t { 1 }, uint64_t { 99 }, uint64_t { 600 },
                 uint64_t { 1000 }, uint64_t { 65536 + 200 }, kMaxVarint }) {
            SCOPED_TRACE(s);
            EXPECT_BHTTP_ERROR(decodeResponse(response(framing, {}, s)), BhttpError::InvalidStatus);
            EXPECT_BHTTP_ERROR(
                decodeResponse(response(framing, { 103, s }, 200)), BhttpError::InvalidStatus);
        }
        // Informational responses without a final one: the final control
        // data cannot be truncated away.
        Bytes onlyInfo = response(framing, { 103 }, 200);
        const Bytes infoOnly(onlyInfo.begin(),
            onlyInfo.begin() + (framing == Framing::KnownLength ? 1 + 2 + 1 + 9 : 1 + 2 + 9 + 1));
        EXPECT_BHTTP_ERROR(decodeResponse(infoOnly), BhttpError::Truncated);
        // ... nor can an informational response's header section.
        EXPECT_BHTTP_ERROR(
            decodeResponse(cat({ varint(framing == Framing::KnownLength ? 1 : 3), varint(103) })),
            BhttpError::Truncated);
        // A final status without anything after it is a complete response.
        MessageLayout layout;
        auto bare = decodeResponse(
            cat({ varint(framing == Framing::KnownLength ? 1 : 3), varint(204) }), {}, &layout);
        ASSERT_TRUE(bare.ok()) << describe(bare);
        EXPECT_EQ(bare->status, 204);
        EXPECT_EQ(layout.sectionsPresent, 0);
    }
}

TEST(BhttpDecode, InformationalResponseLimit)
{
    std::vector<uint64_t> sixteen(16, 103);
    auto r = decodeResponse(response(Framing::IndeterminateLength, sixteen, 200));
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r->informational.size(), 16u);
    sixteen.push_back(103);
    EXPECT_BHTTP_ERROR(decodeResponse(response(Framing::IndeterminateLength, sixteen, 200)),
        BhttpError::TooManyInformationalResponses);
    DecodeLimits limits;
    limits.maxInformationalResponses = 0;
    EXPECT_BHTTP_ERROR(decodeResponse(response(Framing::KnownLength, { 100 }, 200), limits),
        BhttpError::TooManyInformationalResponses);
    // A long run of cheap "100, empty section" pairs stops at the limit.
    Bytes flood = varint(1);
    for (int i = 0; i < 100000; ++i) {
        flood.push_back(0x40); // status 100 as a 2-byte varint: 0x4064
        flood.push_back(0x64);
        flood.push_back(0); // empty known-length section
    }
    EXPECT_BHTTP_ERROR(decodeResponse(flood), BhttpError::TooManyInformationalResponses);
}

// Section 3.8: truncation of empty trailing parts, and padding, and how the
// two combine (zeros read as empty parts).
TEST(BhttpDecode, TruncationAndPadding)
{
    const Bytes control = goodControlData();
    Request expected;
    expected.method = "GET";
    expected.scheme = "https";
    expected.authority = "example.com";
    expected.path = "/";
    struct Case {
        Bytes wire;
        int sections;
        size_t padding;
    };
    for (int fiValue : { 0, 2 }) {
        const auto fi = static_cast<uint8_t>(fiValue);
        SCOPED_TRACE(int { fi });
        const Case cases[] = {
            { cat({ Bytes { fi }, control }), 0, 0 },
            { cat({ Bytes { fi }, control, Bytes { 0 } }), 1, 0 },
            { cat({ Bytes { fi }, control, Bytes { 0, 0 } }), 2, 0 },
            { cat({ Bytes { fi }, control, Bytes { 0, 0, 0 } }), 3, 0 },
            { cat({ Bytes { fi }, control, Bytes(100, 0) }), 3, 97 },
        };
        for (const auto &c : cases) {
            MessageLayout layout;
            auto r = decodeRequest(c.wire, {}, &layout);
            ASSERT_TRUE(r.ok()) << describe(r);
            EXPECT_EQ(*r, expected);
            EXPECT_EQ(layout.sectionsPresent, c.sections);
            EXPECT_EQ(layout.paddingLength, c.padding);
            EXPECT_EQ(
                layout.framing, fi == 0 ? Framing::KnownLength : Framing::IndeterminateLength);
        }
        // Non-zero padding, at the first and at a later position.
        EXPECT_BHTTP_ERROR(decodeRequest(cat({ Bytes { fi }, control, Bytes { 0, 0, 0, 1 } })),
            BhttpError::NonZeroPadding);
        EXPECT_BHTTP_ERROR(
            decodeRequest(cat({ Bytes { fi }, control, Bytes { 0, 0, 0, 0, 0, 0x80 } })),
            BhttpError::NonZeroPadding);
    }
    // After a truncated message a non-zero byte is not padding: it is read as
    // the next part's length (here an 8-byte varint that is cut short).
    EXPECT_BHTTP_ERROR(
        decodeRequest(cat({ Bytes { 0 }, control, Bytes { 0xff } })), BhttpError::Truncated);
}

TEST(BhttpDecode, ErrorNamesAreDistinct)
{
    std::set<std::string_view> names;
    for (int i = 0; i <= static_cast<int>(BhttpError::NonZeroPadding); ++i) {
        auto n = errorName(static_cast<BhttpError>(i));
        EXPECT_NE(n, "Unknown");
        names.insert(n);
    }
    EXPECT_EQ(names.size(), static_cast<size_t>(BhttpError::NonZeroPadding) + 1);
}
