// SPDX-License-Identifier: GPL-3.0-or-later
// X.509 certificates (RFC 5280), read-only: what the SEV-SNP chain needs
// (AMD SEV-SNP ABI spec 56860 "Attestation"; AMD VCEK spec 57230): the public
// key, names, validity, extensions by OID, and a signature check against an
// issuer that accepts only RSASSA-PSS with SHA-384, MGF1-SHA-384, salt 48.
#pragma once

#include "protocol/crypto/signature.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct x509_st; // OpenSSL's X509, kept out of our headers

namespace sotto::crypto {

enum class CertificateError {
    Malformed,                  // not one well-formed DER/PEM certificate
    UnsupportedPublicKey,       // the key could not be read
    UnsupportedSignatureScheme, // signatureAlgorithm is not RSASSA-PSS/SHA-384/salt 48
    SignatureInvalid,           // the issuer's key does not verify the signature
    IssuerMismatch,             // issuer name differs from the issuer's subject
};

std::string_view errorName(CertificateError e);

template <class T> using CertificateResult = Result<T, CertificateError>;
using CertificateStatus = Status<CertificateError>;

class Certificate {
public:
    // Exactly one DER certificate; trailing bytes are refused. A serial
    // number of 0 is accepted: AMD issues VCEKs with it (see tests/data/snp).
    static CertificateResult<Certificate> fromDer(ByteView der);
    // Every "CERTIFICATE" block of a PEM text, in order; at least one.
    static CertificateResult<std::vector<Certificate>> fromPem(std::string_view pem);

    Bytes der() const;
    Bytes sha256Fingerprint() const;
    // RFC 2253 one-line forms, e.g. "CN=SEV-Milan,O=Advanced Micro Devices,...".
    std::string subject() const;
    std::string issuer() const;
    // The value of the subject's / issuer's commonName, empty when absent.
    std::string subjectCommonName() const;
    // Validity as seconds since the Unix epoch (UTC).
    int64_t notBefore() const;
    int64_t notAfter() const;
    // Big-endian magnitude of the serial number (empty for 0).
    Bytes serialNumber() const;
    const PublicKey &publicKey() const { return m_key; }
    // The extnValue OCTET STRING's content of the extension with this dotted
    // OID, or nullopt when absent (RFC 5280 Section 4.1).
    std::optional<Bytes> extensionValue(std::string_view dottedOid) const;

    // Checks that `issuer` signed this certificate: issuer name equals the
    // issuer's subject, the signatureAlgorithm (outer and in tbsCertificate)
    // is RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48 (RFC 4055 Section 3.1), and
    // the signature over the DER tbsCertificate verifies with
    // verifyRsaPssSha384. Validity dates are the caller's policy.
    CertificateStatus verifySignedBy(const Certificate &issuer) const;

private:
    Certificate(x509_st *cert, PublicKey key);
    std::shared_ptr<x509_st> m_cert;
    Bytes m_der; // as parsed (i2d_X509 of an unmodified certificate)
    PublicKey m_key;
};

} // namespace sotto::crypto
