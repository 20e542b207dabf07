// SPDX-License-Identifier: GPL-3.0-or-later
// Issuing X.509 v3 certificates (RFC 5280 Section 4.1) the way AMD's Key
// Distribution Service does for SEV-SNP (AMD VCEK spec 57230): signed with
// RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48, the AlgorithmIdentifier encoded as
// AMD encodes it (NULL hash parameters, explicit trailerField 1), so that
// Certificate::verifySignedBy (x509.h) accepts them. For the simulated
// development chain and for tests: Sotto never issues production certificates.
#pragma once

#include "protocol/crypto/private_key.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sotto::crypto {

// The attributes written, in this order, when not empty: C (PrintableString),
// ST, L, O, OU, CN (UTF8String), each in its own RDN.
struct DistinguishedName {
    std::string country;
    std::string state;
    std::string locality;
    std::string organization;
    std::string organizationalUnit;
    std::string commonName;
};

struct CertificateExtension {
    std::string oid; // dotted decimal
    bool critical = false;
    Bytes value; // the extnValue OCTET STRING's content (itself DER)
};

struct CertificateTemplate {
    DistinguishedName subject;
    DistinguishedName issuer;
    Bytes serialNumber;    // big-endian magnitude; empty for 0 (AMD's VCEKs use 0)
    int64_t notBefore = 0; // unix seconds
    int64_t notAfter = 0;
    Bytes subjectPublicKey; // DER SubjectPublicKeyInfo
    std::vector<CertificateExtension> extensions;
};

// The DER certificate, signed by `issuerKey` (an RSA key). InvalidPrivateKey
// for a non-RSA issuer key, InvalidPublicKey for a subject key that is not a
// valid SPKI, Internal for a malformed OID or a time outside years 0..9999.
CryptoResult<Bytes> issueCertificate(const CertificateTemplate &t, const PrivateKey &issuerKey);

// basicConstraints (RFC 5280 Section 4.2.1.9) for a CA without path length
// limit, and keyUsage (4.2.1.3) keyCertSign + cRLSign: what an ARK/ASK carry.
CertificateExtension caBasicConstraints();
CertificateExtension caKeyUsage();

} // namespace sotto::crypto
