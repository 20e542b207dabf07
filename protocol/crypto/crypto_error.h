// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/common/result.h"

#include <string_view>

namespace sotto::crypto {

enum class CryptoError {
    InvalidKeyLength,     // a symmetric key of the wrong size
    InvalidNonceLength,   // an AEAD nonce of the wrong size
    InvalidPrivateKey,    // a private key that is malformed or out of range
    InvalidPublicKey,     // a public key that is malformed or not on the curve
    InvalidSharedSecret,  // DH produced the all-zero value (small-order point)
    AuthenticationFailed, // AEAD tag did not verify
    OutputTooLong,        // HKDF-Expand asked for more than 255 * HashLen
    InputTooLong,         // an input exceeds what the primitive accepts
    DeriveKeyPairFailed,  // DeriveKeyPair found no valid scalar (RFC 9180 7.1.3)
    Internal,             // OpenSSL failed unexpectedly
};

std::string_view errorName(CryptoError e);

template <class T>
using CryptoResult = Result<T, CryptoError>;
using CryptoStatus = Status<CryptoError>;

} // namespace sotto::crypto
