// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/x509_builder.h"

#include "protocol/crypto/der.h"

namespace sotto::crypto {

namespace {

// RFC 4055 Section 3.1 RSASSA-PSS-params: hashAlgorithm sha384 (with NULL
// parameters), maskGenAlgorithm mgf1 with sha384, saltLength 48,
// trailerField 1 (explicit), as in AMD's ARK/ASK/VCEK certificates.
Bytes amdPssAlgorithm()
{
    const Bytes sha384
        = der::sequence({ *der::oid("2.16.840.1.101.3.4.2.2"), der::tlv(der::kNull, {}) });
    const Bytes params = der::sequence({ der::explicitTag(0, sha384),
        der::explicitTag(1, der::sequence({ *der::oid("1.2.840.113549.1.1.8"), sha384 })),
        der::explicitTag(2, der::integer(48)), der::explicitTag(3, der::integer(1)) });
    return der::sequence({ *der::oid("1.2.840.113549.1.1.10"), params });
}

Bytes rdn(const char *oid, ByteView value)
{
    return der::tlv(der::kSet, der::sequence({ *der::oid(oid), value }));
}

Bytes name(const DistinguishedName &n)
{
    Bytes rdns;
    const auto add = [&rdns](const char *oid, const std::string &v, bool printable) {
        if (v.empty())
            return;
        const Bytes rdnBytes = rdn(oid, printable ? der::printableString(v) : der::utf8String(v));
        rdns.insert(rdns.end(), rdnBytes.begin(), rdnBytes.end());
    };
    // X.520 attribute types (RFC 5280 Appendix A.1).
    add("2.5.4.6", n.country, true);
    add("2.5.4.8", n.state, false);
    add("2.5.4.7", n.locality, false);
    add("2.5.4.10", n.organization, false);
    add("2.5.4.11", n.organizationalUnit, false);
    add("2.5.4.3", n.commonName, false);
    return der::tlv(der::kSequence, rdns);
}

} // namespace

CertificateExtension caBasicConstraints()
{
    return { "2.5.29.19", true, der::sequence({ der::boolean(true) }) };
}

CertificateExtension caKeyUsage()
{
    // KeyUsage BIT STRING: keyCertSign (5) and cRLSign (6) -> 0x06, 1 unused bit.
    const Bytes bits { 0x01, 0x06 };
    return { "2.5.29.15", true, der::tlv(der::kBitString, bits) };
}

CryptoResult<Bytes> issueCertificate(const CertificateTemplate &t, const PrivateKey &issuerKey)
{
    if (issuerKey.type() != PublicKeyType::Rsa)
        return fail(CryptoError::InvalidPrivateKey, "certificates are signed with an RSA key");
    if (auto key = PublicKey::fromSpki(t.subjectPublicKey); !key.ok())
        return fail(CryptoError::InvalidPublicKey, "subject key: " + key.detail());
    const auto notBefore = der::time(t.notBefore);
    const auto notAfter = der::time(t.notAfter);
    if (!notBefore || !notAfter)
        return fail(CryptoError::Internal, "validity outside the years 0..9999");

    Bytes extensions;
    for (const CertificateExtension &e : t.extensions) {
        const auto oid = der::oid(e.oid);
        if (!oid)
            return fail(CryptoError::Internal, "malformed extension OID \"" + e.oid + "\"");
        // critical DEFAULT FALSE: omitted when false (X.690 11.5).
        const Bytes ext = e.critical
            ? der::sequence({ *oid, der::boolean(true), der::octetString(e.value) })
            : der::sequence({ *oid, der::octetString(e.value) });
        extensions.insert(extensions.end(), ext.begin(), ext.end());
    }

    const Bytes algorithm = amdPssAlgorithm();
    Bytes tbsContent = concat({ der::explicitTag(0, der::integer(2)), // v3
        der::unsignedInteger(t.serialNumber), algorithm, name(t.issuer),
        der::sequence({ *notBefore, *notAfter }), name(t.subject), t.subjectPublicKey });
    if (!extensions.empty()) {
        const Bytes ext = der::explicitTag(3, der::tlv(der::kSequence, extensions));
        tbsContent.insert(tbsContent.end(), ext.begin(), ext.end());
    }
    const Bytes tbs = der::tlv(der::kSequence, tbsContent);
    SOTTO_TRY(const Bytes signature, signRsaPssSha384(issuerKey, tbs));
    return der::sequence({ tbs, algorithm, der::bitString(signature) });
}

} // namespace sotto::crypto
