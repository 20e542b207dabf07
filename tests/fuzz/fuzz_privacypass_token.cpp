// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the Privacy Pass decoders (RFC 9577 Section 2.1.1 and
// 2.2, RFC 9578 Section 6). The first byte picks the structure. Besides "no
// crash, no leak", it checks that whatever decodes re-encodes to the same
// bytes (the encodings are canonical: fixed sizes, exact length prefixes).
//
// Seeds (corpus/privacypass_token/): the RFC 9578 vector 1 token, token
// request and challenge, each prefixed with its selector byte.
#include "protocol/privacypass/token.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace sotto;
using namespace sotto::privacypass;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const ByteView in(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0: {
        auto t = Token::decode(in);
        if (t.ok() && t.value().encode() != Bytes(in.begin(), in.end()))
            std::abort();
        break;
    }
    case 1: {
        auto r = TokenRequest::decode(in);
        if (r.ok() && r.value().encode() != Bytes(in.begin(), in.end()))
            std::abort();
        break;
    }
    case 2: {
        auto r = TokenResponse::decode(in);
        if (r.ok() && r.value().encode() != Bytes(in.begin(), in.end()))
            std::abort();
        break;
    }
    default: {
        auto c = TokenChallenge::decode(in);
        if (c.ok()) {
            auto e = c.value().encode();
            if (!e.ok() || e.value() != Bytes(in.begin(), in.end()))
                std::abort();
        }
        break;
    }
    }
    return 0;
}
