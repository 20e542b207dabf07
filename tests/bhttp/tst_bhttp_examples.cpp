// SPDX-License-Identifier: GPL-3.0-or-later
// The RFC 9292 Section 5 examples and the two RFC 9458 Appendix A messages
// (tests/data/bhttp/rfc9292-examples.json, see its README): each decodes to
// its `decoded` value, re-encodes byte for byte, and every prefix of it is
// either a valid shorter message (Section 3.8) or fails with exactly the
// error named in the tables below.
#include "tests/bhttp/bhttp_test_util.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

using namespace sotto;
using namespace sotto::bhttp;
using namespace sotto::bhttp::test;
using sotto::test::hex;

namespace {

const nlohmann::json &examplesFile()
{
    static const nlohmann::json j = sotto::test::readJson("bhttp/rfc9292-examples.json");
    return j;
}

const nlohmann::json &example(const std::string &id)
{
    for (const auto *list : { "examples", "additional_examples_from_rfc9458" }) {
        for (const auto &e : examplesFile().at(list)) {
            if (e.at("id") == id)
                return e;
        }
    }
    ADD_FAILURE() << "no example " << id;
    static const nlohmann::json empty;
    return empty;
}

bool isRequestFraming(int framing)
{
    return framing == 0 || framing == 2;
}

} // namespace

// The file has the content its README describes, so the tests below cannot
// pass by iterating over nothing.
TEST(BhttpExamples, FileHasTheDocumentedExamples)
{
    const auto &j = examplesFile();
    ASSERT_EQ(j.at("examples").size(), 4u);
    ASSERT_EQ(j.at("derived_truncation_variants").size(), 2u);
    ASSERT_EQ(j.at("additional_examples_from_rfc9458").size(), 2u);
    const std::map<std::string, std::pair<int, size_t>> expected {
        { "request-known-length", { 0, 135 } },
        { "request-indeterminate-length", { 2, 144 } },
        { "response-indeterminate-length-with-informational", { 3, 368 } },
        { "response-known-length-from-chunked", { 1, 48 } },
    };
    for (const auto &e : j.at("examples")) {
        const auto id = e.at("id").get<std::string>();
        ASSERT_TRUE(expected.count(id)) << id;
        EXPECT_EQ(e.at("framing_indicator").get<int>(), expected.at(id).first) << id;
        EXPECT_EQ(hex(e.at("hex").get<std::string>()).size(), expected.at(id).second) << id;
        EXPECT_EQ(e.at("length").get<size_t>(), expected.at(id).second) << id;
    }
}

// Section 5: every example decodes to the message the RFC shows, in the
// framing it names, with the padding it has.
TEST(BhttpExamples, DecodeToTheDocumentedMessage)
{
    for (const auto *list : { "examples", "additional_examples_from_rfc9458" }) {
        for (const auto &e : examplesFile().at(list)) {
            SCOPED_TRACE(e.at("id").get<std::string>());
            const auto &d = e.at("decoded");
            const Bytes wire = hex(e.at("hex").get<std::string>());
            const int framing = d.at("framing").get<int>();
            const Framing expectedFraming
                = framing < 2 ? Framing::KnownLength : Framing::IndeterminateLength;
            MessageLayout layout;
            if (isRequestFraming(framing)) {
                auto r = decodeRequest(wire, {}, &layout);
                ASSERT_TRUE(r.ok()) << describe(r);
                EXPECT_EQ(*r, requestFromJson(d));
                // And it is not a response.
                EXPECT_BHTTP_ERROR(decodeResponse(wire), BhttpError::WrongMessageType);
            } else {
                auto r = decodeResponse(wire, {}, &layout);
                ASSERT_TRUE(r.ok()) << describe(r);
                EXPECT_EQ(*r, responseFromJson(d));
                EXPECT_BHTTP_ERROR(decodeRequest(wire), BhttpError::WrongMessageType);
            }
            EXPECT_EQ(layout.framing, expectedFraming);
            EXPECT_EQ(layout.paddingLength, d.at("padding_len").get<size_t>());
        }
    }
}

// Spot checks of the decoded values that do not depend on the JSON's
// `decoded` object being right.
TEST(BhttpExamples, DecodedValuesMatchTheRfcText)
{
    auto req = decodeRequest(hex(example("request-known-length").at("hex").get<std::string>()));
    ASSERT_TRUE(req.ok()) << describe(req);
    EXPECT_EQ(req->method, "GET");
    EXPECT_EQ(req->scheme, "https");
    EXPECT_EQ(req->authority, ""); // Host travels as a field (Section 5.1)
    EXPECT_EQ(req->path, "/hello.txt");
    ASSERT_EQ(req->headers.size(), 3u);
    EXPECT_EQ(req->headers[1], (Field { "host", "www.example.com" }));

    auto resp = decodeResponse(hex(
        example("response-indeterminate-length-with-informational").at("hex").get<std::string>()));
    ASSERT_TRUE(resp.ok()) << describe(resp);
    ASSERT_EQ(resp->informational.size(), 2u);
    EXPECT_EQ(resp->informational[0].status, 102);
    EXPECT_EQ(resp->informational[1].status, 103);
    EXPECT_EQ(resp->informational[1].headers.size(), 2u);
    EXPECT_EQ(resp->status, 200);
    EXPECT_EQ(resp->headers.size(), 8u);
    EXPECT_EQ(resp->content.size(), 51u); // matches its Content-Length: 51
    EXPECT_EQ(asString(resp->content), "Hello World! My content includes a trailing CRLF.\r\n");

    auto chunked = decodeResponse(
        hex(example("response-known-length-from-chunked").at("hex").get<std::string>()));
    ASSERT_TRUE(chunked.ok()) << describe(chunked);
    EXPECT_TRUE(chunked->headers.empty()); // Transfer-Encoding removed (Section 5.2)
    EXPECT_EQ(asString(chunked->content), "This content contains CRLF.\r\n");
    EXPECT_EQ(chunked->trailers, (FieldSection { { "trailer", "text" } }));
}

// Every example uses minimal varints (checked: 200 is 0x40c8, 108 is 0x406c,
// 102/103 are 0x4066/0x4067, all other lengths are below 64 and one byte), so
// each one re-encodes byte for byte with the options that describe it:
// framing from its indicator, no truncation, its padding. The RFC 9458
// messages are truncated as far as Section 3.8 allows.
TEST(BhttpExamples, ReencodeByteForByte)
{
    struct Case {
        std::string id;
        EncodeOptions options;
    };
    const Case cases[] = {
        { "request-known-length", { Framing::KnownLength, false, 0, 0 } },
        { "request-indeterminate-length", { Framing::IndeterminateLength, false, 10, 0 } },
        { "response-indeterminate-length-with-informational",
            { Framing::IndeterminateLength, false, 0, 0 } },
        { "response-known-length-from-chunked", { Framing::KnownLength, false, 0, 0 } },
        { "rfc9458-appendix-a-request", { Framing::KnownLength, true, 0, 0 } },
        { "rfc9458-appendix-a-response", { Framing::KnownLength, true, 0, 0 } },
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.id);
        const auto &e = example(c.id);
        const Bytes wire = hex(e.at("hex").get<std::string>());
        const auto &d = e.at("decoded");
        BhttpResult<Bytes> encoded = isRequestFraming(d.at("framing").get<int>())
            ? encodeRequest(requestFromJson(d), c.options)
            : encodeResponse(responseFromJson(d), c.options);
        ASSERT_TRUE(encoded.ok()) << describe(encoded);
        EXPECT_EQ(toHex(*encoded), toHex(wire));
    }
}

// Section 5.1: the derived variants (the known-length request without its
// last two bytes, the indeterminate-length one without its last 12) decode to
// the same message, and are exactly what the encoder's truncation produces.
TEST(BhttpExamples, DerivedTruncationVariants)
{
    for (const auto &v : examplesFile().at("derived_truncation_variants")) {
        SCOPED_TRACE(v.at("id").get<std::string>());
        const auto &original = example(v.at("derived_from").get<std::string>());
        const Bytes wire = hex(v.at("hex").get<std::string>());
        MessageLayout layout;
        auto r = decodeRequest(wire, {}, &layout);
        ASSERT_TRUE(r.ok()) << describe(r);
        EXPECT_EQ(*r, requestFromJson(original.at("decoded")));
        EXPECT_EQ(layout.sectionsPresent, 1); // header section only
        EXPECT_EQ(layout.paddingLength, 0u);

        EncodeOptions options;
        options.framing = original.at("framing_indicator").get<int>() == 0
            ? Framing::KnownLength
            : Framing::IndeterminateLength;
        options.truncate = true;
        auto encoded = encodeRequest(*r, options);
        ASSERT_TRUE(encoded.ok()) << describe(encoded);
        EXPECT_EQ(toHex(*encoded), toHex(wire));
    }
}

// Every prefix of every example, including the empty one. Section 3.8 lets a
// message end after its control data or after any complete header section,
// content or trailer section (in the indeterminate-length form: after a
// terminator), and padding may be shorter. All other cut points leave a
// varint, a length-prefixed value or a section incomplete: Truncated.
//
// The cut points were worked out by hand from the hex (offsets are prefix
// lengths):
//   request-known-length (135): control data ends at 23, header section
//     (0x406c = 108 bytes) at 133, content (00) at 134, trailers (00) at 135.
//   request-indeterminate-length (144): control data 23, header section with
//     terminator 132, content terminator 133, trailer terminator 134, then 10
//     bytes of padding.
//   response-indeterminate-length-with-informational (368): 102 and its
//     section end at 23, 103 and its section at 109, status 200 at 111,
//     header section 314, content 367, trailers 368.
//   response-known-length-from-chunked (48): status 3, empty header section
//     4, content 34, trailers 48.
//   RFC 9458 request (25): the whole message is control data; response (3):
//     the whole message is the status.
//
// One valid cut is not a valid request: the RFC 9292 request carries its
// authority in a Host field, so cut after its control data (23) it is an
// https request with neither :authority nor Host, which RFC 9113 8.3.1
// (incorporated by Section 3.4) forbids: MissingAuthority.
TEST(BhttpExamples, EveryTruncationPoint)
{
    // A prefix that is a valid message has `sections` of the final header
    // section, content and trailer section (the rest read as empty), or fails
    // with `error` for a reason other than truncation.
    struct Cut {
        size_t prefix;
        int sections;
        std::optional<BhttpError> error = std::nullopt;
    };
    struct Case {
        std::string id;
        std::vector<Cut> validCuts; // every other prefix must be Truncated
    };
    std::vector<Case> cases = {
        { "request-known-length",
            { { 23, 0, BhttpError::MissingAuthority }, { 133, 1 }, { 134, 2 }, { 135, 3 } } },
        { "request-indeterminate-length",
            { { 23, 0, BhttpError::MissingAuthority }, { 132, 1 }, { 133, 2 } } },
        { "response-indeterminate-length-with-informational",
            { { 111, 0 }, { 314, 1 }, { 367, 2 }, { 368, 3 } } },
        { "response-known-length-from-chunked", { { 3, 0 }, { 4, 1 }, { 34, 2 }, { 48, 3 } } },
        { "rfc9458-appendix-a-request", { { 25, 0 } } },
        { "rfc9458-appendix-a-response", { { 3, 0 } } },
    };
    // request-indeterminate-length: 134..144 only shorten the padding.
    for (size_t n = 134; n <= 144; ++n)
        cases[1].validCuts.push_back({ n, 3 });

    size_t checked = 0;
    size_t truncated = 0;
    for (const auto &c : cases) {
        const auto &e = example(c.id);
        const Bytes wire = hex(e.at("hex").get<std::string>());
        const auto &d = e.at("decoded");
        const bool request = isRequestFraming(d.at("framing").get<int>());
        for (size_t n = 0; n <= wire.size(); ++n) {
            SCOPED_TRACE(c.id + " prefix " + std::to_string(n));
            const ByteView prefix = ByteView(wire).first(n);
            const Cut *cut = nullptr;
            for (const auto &v : c.validCuts) {
                if (v.prefix == n)
                    cut = &v;
            }
            ++checked;
            if (!cut) {
                ++truncated;
                if (request)
                    EXPECT_BHTTP_ERROR(decodeRequest(prefix), BhttpError::Truncated);
                else
                    EXPECT_BHTTP_ERROR(decodeResponse(prefix), BhttpError::Truncated);
                continue;
            }
            if (cut->error) {
                EXPECT_BHTTP_ERROR(decodeRequest(prefix), *cut->error);
                continue;
            }
            // Section 3.8: what is left out reads as empty.
            auto clearAbsent = [&](auto &m) {
                if (cut->sections < 3)
                    m.trailers.clear();
                if (cut->sections < 2)
                    m.content.clear();
                if (cut->sections < 1)
                    m.headers.clear();
            };
            MessageLayout layout;
            if (request) {
                Request expected = requestFromJson(d);
                clearAbsent(expected);
                auto r = decodeRequest(prefix, {}, &layout);
                ASSERT_TRUE(r.ok()) << describe(r);
                EXPECT_EQ(*r, expected);
            } else {
                Response expected = responseFromJson(d);
                clearAbsent(expected);
                auto r = decodeResponse(prefix, {}, &layout);
                ASSERT_TRUE(r.ok()) << describe(r);
                EXPECT_EQ(*r, expected);
            }
            EXPECT_EQ(layout.sectionsPresent, cut->sections);
        }
    }
    // 135 + 144 + 368 + 48 + 25 + 3 inputs, plus one for each empty prefix.
    EXPECT_EQ(checked, 136u + 145u + 369u + 49u + 26u + 4u);
    EXPECT_EQ(truncated, checked - (4 + 14 + 4 + 4 + 1 + 1));
}

// Section 3.3: the same bytes with the framing indicator changed to the other
// message type are refused by the decoder for the original type; read as the
// other type, the first control data varint becomes a status (requests: the
// method length 3 is not a status) or a method length (responses).
TEST(BhttpExamples, FlippedFramingIndicator)
{
    for (const auto &e : examplesFile().at("examples")) {
        SCOPED_TRACE(e.at("id").get<std::string>());
        Bytes wire = hex(e.at("hex").get<std::string>());
        const int framing = e.at("framing_indicator").get<int>();
        wire[0] = static_cast<uint8_t>(framing ^ 1);
        if (isRequestFraming(framing)) {
            EXPECT_BHTTP_ERROR(decodeRequest(wire), BhttpError::WrongMessageType);
            EXPECT_BHTTP_ERROR(decodeResponse(wire), BhttpError::InvalidStatus);
        } else {
            EXPECT_BHTTP_ERROR(decodeResponse(wire), BhttpError::WrongMessageType);
            EXPECT_FALSE(decodeRequest(wire).ok());
        }
        // Known-length <-> indeterminate-length of the same type: the message
        // is read with the wrong section framing and does not decode as the
        // original.
        wire[0] = static_cast<uint8_t>(framing ^ 2);
        if (isRequestFraming(framing)) {
            auto r = decodeRequest(wire);
            EXPECT_FALSE(r.ok() && *r == requestFromJson(e.at("decoded")));
        } else {
            auto r = decodeResponse(wire);
            EXPECT_FALSE(r.ok() && *r == responseFromJson(e.at("decoded")));
        }
        // Framing indicators 4 and up do not exist.
        for (uint8_t fi : { uint8_t { 4 }, uint8_t { 5 }, uint8_t { 0x3f } }) {
            wire[0] = fi;
            EXPECT_BHTTP_ERROR(decodeRequest(wire), BhttpError::UnknownFramingIndicator);
            EXPECT_BHTTP_ERROR(decodeResponse(wire), BhttpError::UnknownFramingIndicator);
        }
    }
}

// Section 3.8: zero padding after any example is ignored; a non-zero byte
// after it is an error, wherever it falls in the padding.
TEST(BhttpExamples, PaddingAndTrailingBytes)
{
    for (const auto *list : { "examples", "additional_examples_from_rfc9458" }) {
        for (const auto &e : examplesFile().at(list)) {
            SCOPED_TRACE(e.at("id").get<std::string>());
            const Bytes wire = hex(e.at("hex").get<std::string>());
            const auto &d = e.at("decoded");
            const bool request = isRequestFraming(d.at("framing").get<int>());
            const bool truncatedExample = std::string(list) != "examples";
            for (size_t pad : { 1, 2, 17, 300 }) {
                Bytes padded = wire;
                padded.resize(wire.size() + pad, 0);
                // Trailing zeros on a message truncated after its control data
                // read as the empty sections that were left out: same message.
                if (request) {
                    auto r = decodeRequest(padded);
                    ASSERT_TRUE(r.ok()) << describe(r);
                    EXPECT_EQ(*r, requestFromJson(d));
                } else {
                    auto r = decodeResponse(padded);
                    ASSERT_TRUE(r.ok()) << describe(r);
                    EXPECT_EQ(*r, responseFromJson(d));
                }

                if (truncatedExample)
                    continue; // a non-zero byte there would be a section length
                for (size_t at : { size_t { 0 }, pad - 1 }) {
                    Bytes bad = padded;
                    bad[wire.size() + at] = 0x01;
                    if (request)
                        EXPECT_BHTTP_ERROR(decodeRequest(bad), BhttpError::NonZeroPadding);
                    else
                        EXPECT_BHTTP_ERROR(decodeResponse(bad), BhttpError::NonZeroPadding);
                }
            }
        }
    }
}
