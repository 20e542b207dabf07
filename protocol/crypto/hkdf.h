// SPDX-License-Identifier: GPL-3.0-or-later
// HKDF (RFC 5869) as separate Extract and Expand steps, so that HPKE's
// labeled variants can be built on top. Runs on OpenSSL's HMAC (EVP_MAC).
#pragma once

#include "protocol/crypto/crypto_error.h"
#include "protocol/crypto/hash.h"
#include "protocol/crypto/secret_bytes.h"

namespace sotto::crypto {

// RFC 5869 Section 2.2. An empty salt means HashLen zero bytes.
SecretBytes hkdfExtract(HashAlg hash, ByteView salt, ByteView ikm);
// RFC 5869 Section 2.3. Fails with OutputTooLong when length > 255 * HashLen.
CryptoResult<SecretBytes> hkdfExpand(HashAlg hash, ByteView prk, ByteView info, size_t length);
// Extract then expand.
CryptoResult<SecretBytes> hkdf(HashAlg hash, ByteView salt, ByteView ikm, ByteView info,
                               size_t length);

} // namespace sotto::crypto
