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
#include "tests/fuzz/fuzz_bhttp_check.h"

#include <cstddef>
#include <cstdint>

using namespace sotto;
using namespace sotto::bhttp;

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
    fuzz::checkDecoded<Response>(input, *decoded, layout);

    // The informational-response limit is exact too.
    const size_t informational = decoded->informational.size();
    if (informational > 0) {
        DecodeLimits fewer;
        fewer.maxFields = fuzz::Codec<Response>::fieldCount(*decoded);
        fewer.maxInformationalResponses = informational - 1;
        auto limited = decodeResponse(input, fewer);
        if (limited || limited.error() != BhttpError::TooManyInformationalResponses)
            __builtin_trap();
    }
    return 0;
}
