// SPDX-License-Identifier: GPL-3.0-or-later
// AEAD ciphers with a 16-byte tag appended to the ciphertext (the RFC 5116 /
// RFC 9180 convention).
#pragma once

#include "protocol/crypto/crypto_error.h"
#include "protocol/crypto/secret_bytes.h"

namespace sotto::crypto {

enum class AeadAlg { Aes128Gcm, Aes256Gcm, ChaCha20Poly1305 };

size_t aeadKeyLength(AeadAlg alg);   // Nk: 16, 32, 32
size_t aeadNonceLength(AeadAlg alg); // Nn: 12 (the standard nonce length)
inline constexpr size_t kAeadTagLength = 16;

// AES-GCM accepts any non-empty nonce length (GCM's IV is variable; HPKE and
// OHTTP always use 12); ChaCha20-Poly1305 requires exactly 12.
CryptoResult<Bytes> aeadSeal(AeadAlg alg, ByteView key, ByteView nonce, ByteView aad,
                             ByteView plaintext);
// Returns the plaintext as a secret; AuthenticationFailed when the tag, the
// aad or the ciphertext was altered.
CryptoResult<SecretBytes> aeadOpen(AeadAlg alg, ByteView key, ByteView nonce, ByteView aad,
                                   ByteView ciphertextAndTag);

} // namespace sotto::crypto
