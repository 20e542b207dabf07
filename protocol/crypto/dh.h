// SPDX-License-Identifier: GPL-3.0-or-later
// Diffie-Hellman key pairs on X25519 (RFC 7748) and P-256 (SEC 1), the two
// groups HPKE's DHKEMs use. Public keys are serialized as HPKE does
// (RFC 9180 Section 7.1.1): X25519 raw 32 bytes, P-256 uncompressed 65 bytes.
#pragma once

#include "protocol/crypto/crypto_error.h"
#include "protocol/crypto/secret_bytes.h"

#include <memory>

struct evp_pkey_st; // OpenSSL's EVP_PKEY, kept out of our headers

namespace sotto::crypto {

enum class DhGroup { X25519, P256 };

size_t dhPublicKeyLength(DhGroup g);  // Npk: 32, 65
size_t dhPrivateKeyLength(DhGroup g); // Nsk: 32, 32
size_t dhSharedLength(DhGroup g);     // Ndh: 32, 32

struct EvpPkeyDeleter {
    void operator()(evp_pkey_st *p) const;
};

class DhPrivateKey {
public:
    static CryptoResult<DhPrivateKey> generate(DhGroup g);
    // X25519: any 32 bytes (clamped by the function). P-256: a big-endian
    // scalar in [1, n-1].
    static CryptoResult<DhPrivateKey> fromBytes(DhGroup g, ByteView sk);

    DhGroup group() const { return m_group; }
    Bytes publicKey() const;
    SecretBytes privateKeyBytes() const;
    // The raw DH output. InvalidPublicKey for a malformed or off-curve peer
    // key; InvalidSharedSecret for X25519's all-zero output (RFC 7748 Section 6.1).
    CryptoResult<SecretBytes> dh(ByteView peerPublicKey) const;

private:
    DhPrivateKey(DhGroup g, evp_pkey_st *key);
    DhGroup m_group;
    std::shared_ptr<evp_pkey_st> m_key; // immutable once made; shared copies are fine
};

// Checks that a serialized public key is well formed and on the curve.
CryptoStatus validatePublicKey(DhGroup g, ByteView pk);

} // namespace sotto::crypto
