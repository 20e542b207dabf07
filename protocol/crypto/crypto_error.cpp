// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/crypto_error.h"

#include "protocol/crypto/evp_ptr.h"

#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>

namespace sotto::crypto {

std::string_view errorName(CryptoError e)
{
    switch (e) {
    case CryptoError::InvalidKeyLength:
        return "InvalidKeyLength";
    case CryptoError::InvalidNonceLength:
        return "InvalidNonceLength";
    case CryptoError::InvalidPrivateKey:
        return "InvalidPrivateKey";
    case CryptoError::InvalidPublicKey:
        return "InvalidPublicKey";
    case CryptoError::InvalidSharedSecret:
        return "InvalidSharedSecret";
    case CryptoError::AuthenticationFailed:
        return "AuthenticationFailed";
    case CryptoError::OutputTooLong:
        return "OutputTooLong";
    case CryptoError::InputTooLong:
        return "InputTooLong";
    case CryptoError::DeriveKeyPairFailed:
        return "DeriveKeyPairFailed";
    case CryptoError::Internal:
        return "Internal";
    }
    return "Unknown";
}

namespace detail {

void fatalOpenSslError(const char *what)
{
    std::fprintf(stderr, "sotto: fatal OpenSSL failure in %s\n", what);
    ERR_print_errors_fp(stderr);
    std::abort();
}

void clearOpenSslErrors()
{
    ERR_clear_error();
}

} // namespace detail

} // namespace sotto::crypto
