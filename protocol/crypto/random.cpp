// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/random.h"

#include "protocol/crypto/evp_ptr.h"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>

namespace sotto::crypto {

void randomFill(std::span<uint8_t> out)
{
    // RAND_bytes takes an int length; larger requests are served in chunks.
    while (!out.empty()) {
        const size_t chunk = std::min<size_t>(out.size(), INT_MAX);
        if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1)
            detail::fatalOpenSslError("RAND_bytes");
        out = out.subspan(chunk);
    }
}

Bytes randomBytes(size_t n)
{
    Bytes out(n);
    randomFill(out);
    return out;
}

SecretBytes randomSecret(size_t n)
{
    SecretBytes out(n);
    randomFill(out.span());
    return out;
}

} // namespace sotto::crypto
