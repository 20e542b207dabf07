// SPDX-License-Identifier: GPL-3.0-or-later
// Private to protocol/crypto: maps our algorithm enums to OpenSSL's.
#pragma once

#include "protocol/crypto/hash.h"

#include <openssl/evp.h>

namespace sotto::crypto::detail {

inline const EVP_MD *evpMd(HashAlg alg)
{
    switch (alg) {
    case HashAlg::Sha256:
        return EVP_sha256();
    case HashAlg::Sha384:
        return EVP_sha384();
    case HashAlg::Sha512:
        return EVP_sha512();
    }
    return nullptr;
}

// The digest name EVP_KDF "HKDF" expects in OSSL_KDF_PARAM_DIGEST.
inline const char *digestName(HashAlg alg)
{
    switch (alg) {
    case HashAlg::Sha256:
        return "SHA256";
    case HashAlg::Sha384:
        return "SHA384";
    case HashAlg::Sha512:
        return "SHA512";
    }
    return "";
}

} // namespace sotto::crypto::detail
