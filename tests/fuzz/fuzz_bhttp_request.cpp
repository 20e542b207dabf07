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
#include "tests/fuzz/fuzz_bhttp_check.h"

#include <cstddef>
#include <cstdint>

using namespace sotto;
using namespace sotto::bhttp;

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
    fuzz::checkDecoded<Request>(input, *decoded, layout);
    return 0;
}
