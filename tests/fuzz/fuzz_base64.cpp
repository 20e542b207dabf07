// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for protocol/common/base64 (RFC 4648). The first byte
// picks the alphabet (bit 0) and the padding rule (bit 1); the rest is the
// text. Whatever decodes must be canonical: encoding it again gives the input
// back (with padding, or for the optional rule without it when the input had
// none), so no value has two accepted encodings.
//
// Seeds (corpus/base64/): the RFC 4648 Section 10 vectors (as in
// tests/common/tst_base64.cpp), padded and unpadded, under each selector.
#include "protocol/common/base64.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace sotto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto alphabet = data[0] & 1 ? Base64Alphabet::Url : Base64Alphabet::Standard;
    const auto rule = data[0] & 2 ? Base64PaddingRule::Optional : Base64PaddingRule::Required;
    const std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
    auto decoded = base64Decode(text, alphabet, rule);
    if (!decoded)
        return 0;
    const std::string padded = base64Encode(*decoded, alphabet, Base64Padding::Include);
    const std::string bare = base64Encode(*decoded, alphabet, Base64Padding::Omit);
    if (text != padded && (rule == Base64PaddingRule::Required || text != bare))
        std::abort();
    return 0;
}
