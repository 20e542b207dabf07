// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/hash.h"

#include "protocol/crypto/evp_names.h"
#include "protocol/crypto/evp_ptr.h"

namespace sotto::crypto {

size_t hashLength(HashAlg alg)
{
    switch (alg) {
    case HashAlg::Sha256:
        return 32;
    case HashAlg::Sha384:
        return 48;
    case HashAlg::Sha512:
        return 64;
    }
    return 0;
}

Bytes digest(HashAlg alg, ByteView data)
{
    // FIPS 180-4 hashes through EVP; a failure here means OpenSSL itself is
    // broken (the algorithms are built in), so there is no error channel.
    Bytes out(hashLength(alg));
    unsigned int written = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &written, detail::evpMd(alg), nullptr) != 1
        || written != out.size())
        detail::fatalOpenSslError("EVP_Digest");
    return out;
}

} // namespace sotto::crypto
