// SPDX-License-Identifier: GPL-3.0-or-later
// Public-key signature verification for the schemes AMD SEV-SNP attestation
// uses: ECDSA P-384 with SHA-384 (FIPS 186-5, SEC 1) for the report, and
// RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt (RFC 8017 Section
// 8.1) for the ARK -> ASK -> VCEK certificates (AMD SEV-SNP ABI spec 56860,
// "Attestation"; AMD VCEK spec 57230). The certificate chain and the
// Wycheproof tests go through these same functions.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/crypto/crypto_error.h"

#include <memory>

struct evp_pkey_st; // OpenSSL's EVP_PKEY, kept out of our headers

namespace sotto::crypto {

enum class PublicKeyType { EcP384, Rsa, Other };

// A public key from a DER SubjectPublicKeyInfo (RFC 5280 Section 4.1.2.7).
class PublicKey {
public:
    // InvalidPublicKey when the bytes are not exactly one well-formed SPKI
    // (trailing bytes are refused) or an EC point is not on its curve.
    static CryptoResult<PublicKey> fromSpki(ByteView der);

    PublicKeyType type() const { return m_type; }
    // Modulus size for RSA, 384 for P-384.
    size_t bits() const;
    // The DER SubjectPublicKeyInfo.
    Bytes spki() const;

    // For protocol/crypto's own use (x509.cpp); takes ownership.
    static CryptoResult<PublicKey> adopt(evp_pkey_st *key);
    evp_pkey_st *get() const { return m_key.get(); }

private:
    PublicKey(PublicKeyType type, evp_pkey_st *key);
    PublicKeyType m_type;
    std::shared_ptr<evp_pkey_st> m_key; // immutable once made; shared copies are fine
};

// Size of one little-endian ECDSA P-384 scalar field in an SEV-SNP report
// signature (ABI spec 56860, "ECDSA P-384 with SHA-384 Signature Format"):
// 72 bytes, of which only the low 48 may be non-zero.
constexpr size_t kSnpEcdsaScalarFieldLength = 72;
constexpr size_t kP384ScalarLength = 48;

// ECDSA P-384/SHA-384 over `message` with a DER ECDSA-Sig-Value (RFC 3279
// Section 2.2.3). InvalidPublicKey when `key` is not a P-384 key;
// AuthenticationFailed when the signature is malformed (including BER or
// non-minimal DER) or does not verify.
CryptoStatus verifyEcdsaP384Sha384(const PublicKey &key, ByteView message, ByteView derSignature);

// The same, with R and S as the SEV-SNP report carries them: 72-byte
// little-endian fields, zero above byte 48. They are converted to a DER
// ECDSA-Sig-Value and checked by verifyEcdsaP384Sha384. AuthenticationFailed
// when a field has the wrong size, non-zero padding, or does not verify.
CryptoStatus verifyEcdsaP384Sha384LittleEndian(
    const PublicKey &key, ByteView message, ByteView rLittleEndian, ByteView sLittleEndian);

// Converts one little-endian scalar field (as above) to a big-endian
// 48-byte integer; nullopt-like failure as AuthenticationFailed.
CryptoResult<Bytes> snpScalarToBigEndian(ByteView littleEndianField);

// RSASSA-PSS (RFC 8017 Section 8.1.2) with SHA-384, MGF1-SHA-384 and a salt
// of exactly 48 bytes, the parameters AMD uses for every certificate of the
// SEV-SNP chain. InvalidPublicKey when `key` is not RSA; AuthenticationFailed
// when the signature does not verify.
CryptoStatus verifyRsaPssSha384(const PublicKey &key, ByteView message, ByteView signature);

} // namespace sotto::crypto
