// SPDX-License-Identifier: GPL-3.0-or-later
// RSA blind signatures, RFC 9474, with EMSA-PSS over SHA-384 and MGF1-SHA-384
// (Section 5: every RSABSSA-SHA384 variant). The salt length selects PSS
// (48) or PSSZERO (0); the Randomized/Deterministic choice (a 32-byte message
// prefix, Section 4.1) is the caller's: these functions take the prepared
// message. Privacy Pass token type 0x0002 uses PSS-Deterministic (RFC 9578
// Section 8.2), i.e. salt 48 and the message as is.
#pragma once

#include "protocol/common/result.h"
#include "protocol/crypto/secret_bytes.h"

#include <memory>
#include <optional>
#include <string_view>

struct bignum_st;   // OpenSSL's BIGNUM, kept out of our headers
struct evp_pkey_st; // OpenSSL's EVP_PKEY, likewise

namespace sotto::crypto {

enum class BlindRsaError {
    InvalidKey,       // a key that is malformed, too small, or inconsistent
    InvalidLength,    // an input of the wrong size for the modulus
    OutOfRange,       // a representative >= n, or not invertible mod n
    SigningFailed,    // the private operation did not verify (RFC 9474 Section 4.3)
    InvalidSignature, // the signature does not verify (RFC 9474 Section 4.5)
    MessageTooLong,   // emLen too small for the hash and salt (RFC 8017 Section 9.1.1)
    Internal,         // OpenSSL failed unexpectedly
};

std::string_view errorName(BlindRsaError e);

template <class T> using BlindRsaResult = Result<T, BlindRsaError>;
using BlindRsaStatus = Status<BlindRsaError>;

// Salt lengths of RFC 9474 Section 5.
inline constexpr size_t kBlindRsaSaltLengthPss = 48;
inline constexpr size_t kBlindRsaSaltLengthPssZero = 0;

using BignumHandle = std::shared_ptr<bignum_st>;

class BlindRsaPublicKey {
public:
    // Big-endian n and e.
    static BlindRsaResult<BlindRsaPublicKey> fromComponents(ByteView n, ByteView e);
    // "-----BEGIN PUBLIC KEY-----" (SPKI, rsaEncryption or RSASSA-PSS).
    static BlindRsaResult<BlindRsaPublicKey> fromPem(std::string_view pem);
    // DER SubjectPublicKeyInfo, rsaEncryption or RSASSA-PSS.
    static BlindRsaResult<BlindRsaPublicKey> fromSpkiDer(ByteView der);

    size_t modulusBytes() const; // k of RFC 8017
    size_t modulusBits() const;
    Bytes modulus() const;
    Bytes publicExponent() const;

private:
    friend class BlindRsaPrivateKey;
    friend struct BlindRsaAccess;
    BignumHandle m_n;
    BignumHandle m_e;
};

class BlindRsaPrivateKey {
public:
    // Big-endian n, e, d (test vectors). d is checked against n and e. Without
    // the prime factors, BlindSign takes the plain (slower) exponentiation.
    static BlindRsaResult<BlindRsaPrivateKey> fromComponents(
        ByteView n, ByteView e, const SecretBytes &d);
    // PKCS#8 or traditional RSA private key PEM. With its CRT parameters (as
    // every PEM key has), BlindSign uses OpenSSL's CRT private operation.
    static BlindRsaResult<BlindRsaPrivateKey> fromPem(std::string_view pem);
    // A fresh key (tests and issuers): bits >= 2048; with CRT parameters.
    static BlindRsaResult<BlindRsaPrivateKey> generate(unsigned bits);

    const BlindRsaPublicKey &publicKey() const { return m_public; }

private:
    friend struct BlindRsaAccess;
    BlindRsaPublicKey m_public;
    BignumHandle m_d; // BN_FLG_CONSTTIME, wiped on release
    // The same key as an rsaEncryption EVP_PKEY with p, q, dP, dQ, qInv when
    // they are known; null otherwise.
    std::shared_ptr<evp_pkey_st> m_crt;
};

// The client's state between Blind and Finalize: r^-1 mod n (RFC 9474 4.2).
class BlindingInverse {
public:
    BlindingInverse() = default;
    explicit BlindingInverse(SecretBytes inv)
        : m_inv(std::move(inv))
    { }
    const SecretBytes &bytes() const { return m_inv; }

private:
    SecretBytes m_inv;
};

struct BlindOutput {
    Bytes blindedMessage;
    BlindingInverse inverse;
};

// EMSA-PSS-ENCODE (RFC 8017 Section 9.1.1) with SHA-384/MGF1-SHA-384 and
// emBits = modBits - 1, as RFC 9474 Section 4.2 step 1 uses it.
BlindRsaResult<Bytes> emsaPssEncodeSha384(ByteView message, size_t emBits, ByteView salt);

// r^-1 mod n from the blind r itself (RFC 9578's vectors give r, RFC 9474's
// give the inverse). For tests.
BlindRsaResult<SecretBytes> blindRsaInverseOf(const BlindRsaPublicKey &pk, const SecretBytes &r);

// RFC 9474 Section 4.2 Blind. testSalt / testInverse replace the random salt
// and blind only in tests (vectors give r^-1, "inv").
BlindRsaResult<BlindOutput> blindRsaBlind(const BlindRsaPublicKey &pk, ByteView preparedMessage,
    size_t saltLength, std::optional<ByteView> testSalt = std::nullopt,
    const SecretBytes *testInverse = nullptr);

// RFC 9474 Section 4.3 BlindSign, with the check that the signature verifies
// (guards against fault attacks leaking the key).
BlindRsaResult<Bytes> blindRsaBlindSign(const BlindRsaPrivateKey &sk, ByteView blindedMessage);

// RFC 9474 Section 4.4 Finalize: unblind and verify.
BlindRsaResult<Bytes> blindRsaFinalize(const BlindRsaPublicKey &pk, ByteView preparedMessage,
    size_t saltLength, ByteView blindSignature, const BlindingInverse &inverse);

// RSASSA-PSS-VERIFY (RFC 8017 Section 8.1.2) as RFC 9474 Section 4.5 uses it.
BlindRsaStatus blindRsaVerify(
    const BlindRsaPublicKey &pk, ByteView preparedMessage, size_t saltLength, ByteView signature);

} // namespace sotto::crypto
