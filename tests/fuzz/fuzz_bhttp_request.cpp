// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the Binary HTTP request decoder (RFC 9292). The input
// is the message itself. A gateway runs this decoder on every decrypted
// request, so each input must either decode or fail with a BhttpError, never
// crash, and whatever decodes must satisfy:
//   - it passes validateRequest (the decoder accepts nothing the encoder
//     would refuse);
//   - decode(encode(decode(x))) == decode(x) in both framings, with and
//     without truncation, padding and chunking;
//   - the layout is consistent with the input (framing indicator, padding
//     within the input, 0..3 sections);
//   - the limits are exact: with maxFields set to the number of fields it
//     still decodes, with one less it fails with TooManyFields.
//
// Seeds (corpus/bhttp_request/): the two RFC 9292 Section 5.1 request
// encodings, their truncated variants and the RFC 9458 Appendix A request,
// byte for byte from tests/data/bhttp/rfc9292-examples.json.
#include "protocol/bhttp/bhttp.h"

#include <cstddef>
#include <cstdint>

using namespace sotto;
using namespace sotto::bhttp;

namespace {

size_t fieldCount(const Request &r)
{
    return r.headers.size() + r.trailers.size();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ByteView input(data, size);
    MessageLayout layout;
    auto decoded = decodeRequest(input, {}, &layout);
    if (!decoded) {
        if (errorName(decoded.error()) == "Unknown" || decoded.detail().empty())
            __builtin_trap();
        return 0;
    }
    const Request &request = *decoded;

    if (!validateRequest(request))
        __builtin_trap();
    if (layout.sectionsPresent < 0 || layout.sectionsPresent > 3 || layout.paddingLength >= size)
        __builtin_trap();
    // The first byte starts the framing indicator varint: 0 or 2, possibly
    // non-minimal, so only its low six bits are the value when it is 1 byte.
    if (size > 0 && (data[0] >> 6) == 0
        && data[0] != (layout.framing == Framing::KnownLength ? 0 : 2))
        __builtin_trap();

    for (auto framing : { Framing::KnownLength, Framing::IndeterminateLength }) {
        for (int variant = 0; variant < 4; ++variant) {
            EncodeOptions options;
            options.framing = framing;
            options.truncate = (variant & 1) != 0;
            options.padding = (variant & 2) != 0 ? 3 : 0;
            options.chunkSize = (variant & 2) != 0 ? 7 : 0;
            auto encoded = encodeRequest(request, options);
            if (!encoded)
                __builtin_trap();
            MessageLayout again;
            auto redecoded = decodeRequest(*encoded, {}, &again);
            if (!redecoded || !(*redecoded == request) || again.framing != framing)
                __builtin_trap();
            // Encoding is deterministic.
            auto twice = encodeRequest(*redecoded, options);
            if (!twice || *twice != *encoded)
                __builtin_trap();
        }
    }

    DecodeLimits limits;
    limits.maxFields = fieldCount(request);
    if (!decodeRequest(input, limits))
        __builtin_trap();
    if (limits.maxFields > 0) {
        limits.maxFields -= 1;
        auto limited = decodeRequest(input, limits);
        if (limited || limited.error() != BhttpError::TooManyFields)
            __builtin_trap();
    }
    return 0;
}
