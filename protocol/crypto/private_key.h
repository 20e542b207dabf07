// SPDX-License-Identifier: GPL-3.0-or-later
// Private signing keys for the schemes of the SEV-SNP chain (signature.h), so
// that Sotto can play AMD's part in development: RSA keys that sign
// certificates with RSASSA-PSS SHA-384 (salt 48) like AMD's ARK and ASK, and
// an ECDSA P-384 key that signs reports like a VCEK, with R and S in the
// report's little-endian 72-byte fields (ABI spec 56860, "ECDSA P-384 with
// SHA-384 Signature Format"). Used by the simulated attestation provider and
// by tests; real evidence is signed by the AMD secure processor.
#pragma once

#include "protocol/crypto/secret_bytes.h"
#include "protocol/crypto/signature.h"

#include <memory>

namespace sotto::crypto {

class PrivateKey {
public:
    // RSA with e = 65537; `bits` from 2048 to 8192 (AMD's ARK/ASK are 4096).
    static CryptoResult<PrivateKey> generateRsa(size_t bits);
    static CryptoResult<PrivateKey> generateEcP384();
    // A DER PKCS#8 PrivateKeyInfo (RFC 5208) holding an RSA or P-384 key;
    // InvalidPrivateKey otherwise (including trailing bytes).
    static CryptoResult<PrivateKey> fromPkcs8(ByteView der);

    PublicKeyType type() const { return m_type; }
    // The DER PKCS#8 PrivateKeyInfo, in wiped memory.
    SecretBytes pkcs8() const;
    const PublicKey &publicKey() const { return m_public; }

    evp_pkey_st *get() const { return m_key.get(); } // protocol/crypto only

private:
    PrivateKey(PublicKeyType type, std::shared_ptr<evp_pkey_st> key, PublicKey pub);
    PublicKeyType m_type;
    std::shared_ptr<evp_pkey_st> m_key; // immutable once made
    PublicKey m_public;
};

// RSASSA-PSS (RFC 8017 Section 8.1.1) with SHA-384, MGF1-SHA-384, salt 48:
// verifies with verifyRsaPssSha384. InvalidPrivateKey for a non-RSA key.
CryptoResult<Bytes> signRsaPssSha384(const PrivateKey &key, ByteView message);

// ECDSA P-384/SHA-384 as a DER ECDSA-Sig-Value (RFC 3279 Section 2.2.3).
// InvalidPrivateKey for a key that is not P-384.
CryptoResult<Bytes> signEcdsaP384Sha384(const PrivateKey &key, ByteView message);

// The same signature as an SEV-SNP report carries it: R and S as 72-byte
// little-endian fields, zero above byte 48. Verifies with
// verifyEcdsaP384Sha384LittleEndian.
struct SnpSignature {
    Bytes r; // 72
    Bytes s; // 72
};
CryptoResult<SnpSignature> signEcdsaP384Sha384LittleEndian(const PrivateKey &key, ByteView message);

} // namespace sotto::crypto
