// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 9292 encoders. A message is validated first (validate.cpp), so the
// output is always something decodeRequest/decodeResponse accept. Lengths are
// minimal varints; RFC 9292 allows longer ones but gains nothing from them.
//
// No length written here can reach the varint limit of 2^62 - 1 (Section 3.1):
// every one is the size of an object in memory.
#include "protocol/bhttp/bhttp.h"

#include "protocol/common/wire.h"

#include <algorithm>

namespace sotto::bhttp {

namespace {

// Section 3.3.
constexpr uint8_t kKnownLengthRequest = 0;
constexpr uint8_t kKnownLengthResponse = 1;
constexpr uint8_t kIndeterminateLengthRequest = 2;
constexpr uint8_t kIndeterminateLengthResponse = 3;

void writeString(WireWriter &w, std::string_view s)
{
    w.varintPrefixed(asBytes(s));
}

// Section 3.6: Field Line = Name Length (i) = 1.., Name, Value Length (i),
// Value.
void writeFieldLines(WireWriter &w, const FieldSection &fields)
{
    for (const auto &f : fields) {
        writeString(w, f.name);
        writeString(w, f.value);
    }
}

// Section 3.1: Known-Length Field Section = Length (i), Field Line ...;
// Section 3.2: Indeterminate-Length Field Section = Field Line ..., a zero.
void writeFieldSection(WireWriter &w, const FieldSection &fields, Framing framing)
{
    if (framing == Framing::KnownLength) {
        size_t length = 0;
        for (const auto &f : fields)
            length += varintSize(f.name.size()) + f.name.size() + varintSize(f.value.size())
                + f.value.size();
        w.varint(length);
        writeFieldLines(w, fields);
    } else {
        writeFieldLines(w, fields);
        w.varint(0);
    }
}

// Section 3.1: Known-Length Content = Content Length (i), Content.
// Section 3.2: chunks of Chunk Length (i) = 1.. each, then a zero. Empty
// content is just the terminator.
void writeContent(WireWriter &w, ByteView content, const EncodeOptions &options)
{
    if (options.framing == Framing::KnownLength) {
        w.varintPrefixed(content);
        return;
    }
    const size_t chunk = options.chunkSize == 0 ? content.size() : options.chunkSize;
    for (size_t at = 0; at < content.size(); at += chunk)
        w.varintPrefixed(content.subspan(at, std::min(chunk, content.size() - at)));
    w.varint(0);
}

// Everything after the control data: header section, content, trailer
// section, padding. Section 3.8: with `truncate`, empty parts at the end are
// left out, trailers first, then content, then the header section.
void writeTail(WireWriter &w, const FieldSection &headers, ByteView content,
    const FieldSection &trailers, const EncodeOptions &options)
{
    int sections = 3;
    if (options.truncate && trailers.empty()) {
        sections = 2;
        if (content.empty()) {
            sections = 1;
            if (headers.empty())
                sections = 0;
        }
    }
    if (sections >= 1)
        writeFieldSection(w, headers, options.framing);
    if (sections >= 2)
        writeContent(w, content, options);
    if (sections >= 3)
        writeFieldSection(w, trailers, options.framing);
    // Section 3.8: "Messages can be padded with any number of zero-valued
    // bytes."
    w.zeros(options.padding);
}

} // namespace

BhttpResult<Bytes> encodeRequest(const Request &request, const EncodeOptions &options)
{
    auto status = validateRequest(request);
    if (!status)
        return status.failure();

    WireWriter w;
    w.varint(options.framing == Framing::KnownLength ? kKnownLengthRequest
                                                     : kIndeterminateLengthRequest);
    // Section 3.4: Method, Scheme, Authority, Path, each length-prefixed.
    writeString(w, request.method);
    writeString(w, request.scheme);
    writeString(w, request.authority);
    writeString(w, request.path);
    writeTail(w, request.headers, request.content, request.trailers, options);
    return w.take();
}

BhttpResult<Bytes> encodeResponse(const Response &response, const EncodeOptions &options)
{
    auto status = validateResponse(response);
    if (!status)
        return status.failure();

    WireWriter w;
    w.varint(options.framing == Framing::KnownLength ? kKnownLengthResponse
                                                     : kIndeterminateLengthResponse);
    // Section 3.5.1: each informational response is its status code and its
    // header section, in the message's framing.
    for (const auto &info : response.informational) {
        w.varint(info.status);
        writeFieldSection(w, info.headers, options.framing);
    }
    // Section 3.5: Final Response Control Data = Status Code (i).
    w.varint(response.status);
    writeTail(w, response.headers, response.content, response.trailers, options);
    return w.take();
}

} // namespace sotto::bhttp
