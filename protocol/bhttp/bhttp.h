// SPDX-License-Identifier: GPL-3.0-or-later
// Binary HTTP messages, RFC 9292 (media type message/bhttp).
//
// Requests and responses in both encodings: known-length (framing indicators
// 0 and 1, Section 3.1) and indeterminate-length (2 and 3, Section 3.2). The
// decoders accept every valid form (non-minimal varints, truncation of empty
// trailing sections, zero padding) and reject everything RFC 9292 calls
// invalid, each with its own BhttpError. The encoders refuse to produce a
// message the decoders would reject.
//
// Where RFC 9292 leaves a choice, this implementation is strict:
//   - field values must match RFC 9110 5.5 (no control character but an inner HTAB),
//     not only the RFC 9113 8.2.1 minimum (no NUL/CR/LF, no edge whitespace);
//   - no pseudo-fields at all, also none "defined by protocol extensions"
//     (Section 3.6): none is negotiated here, and RFC 9113 8.3 treats
//     undefined ones as malformed;
//   - control data follows RFC 9113 8.3.1 to the letter: method a token,
//     scheme and authority in RFC 3986 syntax, path absolute-path [?query]
//     (characters outside RFC 3986 must be percent-encoded), and an http(s)
//     request needs a non-empty authority or a Host header field;
//   - padding is always checked (Section 3.8 makes that optional);
//   - informational statuses are 100..199 as Section 3.5.1 says, 101
//     included.
//
// Section numbers in comments are those of RFC 9292 unless another document
// is named. RFC 9292 takes its field and control data rules from HTTP/2, so
// RFC 9113 (HTTP/2), RFC 9110 (HTTP semantics) and RFC 3986 (URI) appear too.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/common/result.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::bhttp {

enum class BhttpError {
    Truncated,               // input ends inside a varint, a length-prefixed value or a section
                             // that cannot be omitted (Sections 3.1, 3.2, 3.8); also a length
                             // that runs past the end of the input
    UnknownFramingIndicator, // framing indicator not 0..3 (Section 3.3)
    WrongMessageType,        // a response framing indicator given to decodeRequest, or the reverse
    InvalidMethod,           // method not an RFC 9110 token (Section 3.4; RFC 9113 8.3.1)
    InvalidScheme,           // scheme not RFC 3986 scheme syntax, or present on CONNECT
    InvalidAuthority,        // authority not host[:port] (userinfo only for non-http schemes)
    MissingAuthority,        // http(s) request with neither authority nor Host (RFC 9113 8.3.1)
    InvalidPath,             // path not absolute-path [ "?" query ], or wrongly empty / "*"
    InvalidStatus,           // status outside 100..599 (Section 3.5, 3.5.1)
    InvalidFieldName,        // empty, not a token, or uppercase (Section 3.6; RFC 9113 8.2.1)
    PseudoField,             // a field name starting with ':' (Section 3.6; RFC 9113 8.3)
    InvalidFieldValue,       // not an RFC 9110 field-value (Section 3.6; RFC 9113 8.2.1)
    MalformedFieldSection,   // a field line crosses the end of its known-length section
    FieldSectionTooLarge,    // a field section over DecodeLimits::maxFieldSectionSize
    TooManyFields,           // more field lines than DecodeLimits::maxFields
    TooManyInformationalResponses, // more than DecodeLimits::maxInformationalResponses
    NonZeroPadding,                // a non-zero byte after the message (Section 3.8)
};

std::string_view errorName(BhttpError e);

template <class T> using BhttpResult = Result<T, BhttpError>;
using BhttpStatus = Status<BhttpError>;

// One field line (Section 3.6). Names are lowercase tokens; values are kept
// byte for byte (obs-text included). Repeated names stay separate lines in
// their original order: combining them (Cookie uses "; ", RFC 9113 8.2.3) is
// the consumer's business.
struct Field {
    std::string name;
    std::string value;

    bool operator==(const Field &) const = default;
};

// A header or trailer section: field lines in wire order.
using FieldSection = std::vector<Field>;

// Section 3.4: control data is the four HTTP/2 request pseudo-fields. An empty
// authority is how RFC 9292 says ":authority omitted"; a CONNECT request
// (RFC 9113 8.5) has an empty scheme and path.
struct Request {
    std::string method;
    std::string scheme;
    std::string authority;
    std::string path;
    FieldSection headers;
    Bytes content;
    FieldSection trailers;

    bool operator==(const Request &) const = default;
};

// Section 3.5.1: an interim response carries a status in 100..199 and a header
// section, nothing else.
struct InformationalResponse {
    uint16_t status = 100;
    FieldSection headers;

    bool operator==(const InformationalResponse &) const = default;
};

struct Response {
    std::vector<InformationalResponse> informational;
    uint16_t status = 200; // 200..599 (Section 3.5)
    FieldSection headers;
    Bytes content;
    FieldSection trailers;

    bool operator==(const Response &) const = default;
};

// Section 3.3: the framing indicator is the message type (request/response)
// plus this choice.
enum class Framing : uint8_t {
    KnownLength,         // indicator 0 (request) or 1 (response)
    IndeterminateLength, // indicator 2 (request) or 3 (response)
};

struct EncodeOptions {
    Framing framing = Framing::KnownLength;
    // Section 3.8: omit empty sections at the end (trailers; then content if
    // the trailers are empty; then the header section if both are). The
    // result is shorter and means the same.
    bool truncate = false;
    // Section 3.8: zero bytes appended after the message.
    size_t padding = 0;
    // Indeterminate-length only (Section 3.2): split the content into chunks of
    // at most this many bytes. 0 means a single chunk. Chunk boundaries carry
    // no meaning (Section 6).
    size_t chunkSize = 0;
};

// Section 8: "implementations still need to be aware of the possibility of
// resource exhaustion attacks ... particularly those with large numbers of
// fields". Content needs no limit here: it is never larger than the input.
struct DecodeLimits {
    // Bytes of field lines in one header or trailer section (for a
    // known-length section, its length prefix).
    size_t maxFieldSectionSize = 64 * 1024;
    // Field lines in the whole message, informational responses included.
    size_t maxFields = 256;
    // Interim (1xx) responses before the final one.
    size_t maxInformationalResponses = 16;
};

// How a decoded message was laid out on the wire; the message itself does not
// depend on any of this.
struct MessageLayout {
    Framing framing = Framing::KnownLength;
    // Which of the final header section, content and trailer section were
    // present (Section 3.8 truncation): 3 for a complete message, 0 when the
    // message ends right after its control data.
    int sectionsPresent = 0;
    // Zero bytes after the last present section.
    size_t paddingLength = 0;
};

// Encoders. They validate the message with the same rules as the decoders and
// fail with the same error codes; lengths are written as minimal varints.
BhttpResult<Bytes> encodeRequest(const Request &request, const EncodeOptions &options = {});
BhttpResult<Bytes> encodeResponse(const Response &response, const EncodeOptions &options = {});

// Decoders for all four framings. The whole input must be one message plus
// optional zero padding. `layout`, when given, receives the wire layout of a
// message that decoded.
BhttpResult<Request> decodeRequest(
    ByteView input, const DecodeLimits &limits = {}, MessageLayout *layout = nullptr);
BhttpResult<Response> decodeResponse(
    ByteView input, const DecodeLimits &limits = {}, MessageLayout *layout = nullptr);

// The validity rules on their own, for code that builds or inspects messages
// without encoding them. validateRequest/validateResponse check the control
// data and every field of every section, but no DecodeLimits.
BhttpStatus validateFieldName(std::string_view name);
BhttpStatus validateFieldValue(std::string_view value);
BhttpStatus validateField(const Field &field);
// Method, scheme, authority and path (Section 3.4), and the RFC 9113 8.3.1
// requirement of an authority or Host header field for http and https.
BhttpStatus validateRequest(const Request &request);
BhttpStatus validateResponse(const Response &response);

} // namespace sotto::bhttp
