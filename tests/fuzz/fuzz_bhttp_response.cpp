// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the Binary HTTP response decoder (RFC 9292). The input
// is the message itself. A client runs this decoder on every decrypted
// gateway response, so each input must either decode or fail with a
// BhttpError, never crash, and whatever decodes must satisfy:
//   - it passes validateResponse (the decoder accepts nothing the encoder
//     would refuse);
//   - decode(encode(decode(x))) == decode(x) in both framings, with and
//     without truncation, padding and chunking;
//   - the layout is consistent with the input;
//   - the limits are exact: with maxFields / maxInformationalResponses set to
//     what the message has it still decodes, with one less it fails with
//     TooManyFields / TooManyInformationalResponses.
//
// Seeds (corpus/bhttp_response/): the two RFC 9292 Section 5.2 response
// encodings and the RFC 9458 Appendix A response, byte for byte from
// tests/data/bhttp/rfc9292-examples.json.
#include "protocol/bhttp/bhttp.h"

#include <cstddef>
#include <cstdint>

using namespace sotto;
using namespace sotto::bhttp;

namespace {

size_t fieldCount(const Response &r)
{
    size_t n = r.headers.size() + r.trailers.size();
    for (const auto &i : r.informational)
        n += i.headers.size();
    return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ByteView input(data, size);
    MessageLayout layout;
    auto decoded = decodeResponse(input, {}, &layout);
    if (!decoded) {
        if (errorName(decoded.error()) == "Unknown" || decoded.detail().empty())
            __builtin_trap();
        return 0;
    }
    const Response &response = *decoded;

    if (!validateResponse(response))
        __builtin_trap();
    if (layout.sectionsPresent < 0 || layout.sectionsPresent > 3 || layout.paddingLength >= size)
        __builtin_trap();
    if (size > 0 && (data[0] >> 6) == 0
        && data[0] != (layout.framing == Framing::KnownLength ? 1 : 3))
        __builtin_trap();

    for (auto framing : { Framing::KnownLength, Framing::IndeterminateLength }) {
        for (int variant = 0; variant < 4; ++variant) {
            EncodeOptions options;
            options.framing = framing;
            options.truncate = (variant & 1) != 0;
            options.padding = (variant & 2) != 0 ? 3 : 0;
            options.chunkSize = (variant & 2) != 0 ? 7 : 0;
            auto encoded = encodeResponse(response, options);
            if (!encoded)
                __builtin_trap();
            MessageLayout again;
            auto redecoded = decodeResponse(*encoded, {}, &again);
            if (!redecoded || !(*redecoded == response) || again.framing != framing)
                __builtin_trap();
            auto twice = encodeResponse(*redecoded, options);
            if (!twice || *twice != *encoded)
                __builtin_trap();
        }
    }

    DecodeLimits limits;
    limits.maxFields = fieldCount(response);
    limits.maxInformationalResponses = response.informational.size();
    if (!decodeResponse(input, limits))
        __builtin_trap();
    if (limits.maxFields > 0) {
        DecodeLimits fewer = limits;
        fewer.maxFields -= 1;
        auto limited = decodeResponse(input, fewer);
        if (limited || limited.error() != BhttpError::TooManyFields)
            __builtin_trap();
    }
    if (limits.maxInformationalResponses > 0) {
        DecodeLimits fewer = limits;
        fewer.maxInformationalResponses -= 1;
        auto limited = decodeResponse(input, fewer);
        if (limited || limited.error() != BhttpError::TooManyInformationalResponses)
            __builtin_trap();
    }
    return 0;
}
