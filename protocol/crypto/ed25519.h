// SPDX-License-Identifier: GPL-3.0-or-later
// Ed25519 signatures (RFC 8032 Section 5.1), pure EdDSA with no prehash and
// no context: the scheme signed-note and tlog-cosignature use for log and
// witness keys. Keys are the raw encodings of RFC 8032 Section 5.1.5: a
// 32-byte private seed and a 32-byte public key; signatures are 64 bytes.
#pragma once

#include "protocol/crypto/crypto_error.h"
#include "protocol/crypto/dh.h"
#include "protocol/crypto/secret_bytes.h"

#include <memory>

namespace sotto::crypto {

constexpr size_t kEd25519SeedLength = 32;
constexpr size_t kEd25519PublicKeyLength = 32;
constexpr size_t kEd25519SignatureLength = 64;

class Ed25519PrivateKey {
public:
    static CryptoResult<Ed25519PrivateKey> generate();
    // RFC 8032 Section 5.1.5: any 32 bytes are a valid seed.
    static CryptoResult<Ed25519PrivateKey> fromSeed(ByteView seed);

    Bytes publicKey() const;
    SecretBytes seed() const;
    // RFC 8032 Section 5.1.6; deterministic, so the same message always
    // gives the same 64 bytes.
    Bytes sign(ByteView message) const;

private:
    explicit Ed25519PrivateKey(evp_pkey_st *key);
    std::shared_ptr<evp_pkey_st> m_key; // immutable once made; shared copies are fine
};

// RFC 8032 Section 5.1.7. InvalidPublicKey when the key is not 32 bytes;
// AuthenticationFailed when the signature is not 64 bytes or does not verify
// (OpenSSL also rejects a non-canonical S >= L and undecodable points there).
CryptoStatus ed25519Verify(ByteView publicKey, ByteView message, ByteView signature);

} // namespace sotto::crypto
