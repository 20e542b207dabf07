// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/constant_time.h"

#include <openssl/crypto.h>

namespace sotto::crypto {

bool constantTimeEqual(ByteView a, ByteView b)
{
    // Lengths are public (tags and MACs have fixed sizes); only the contents
    // need a comparison that does not stop at the first differing byte.
    if (a.size() != b.size())
        return false;
    if (a.empty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace sotto::crypto
