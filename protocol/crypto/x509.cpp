// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/x509.h"

#include "protocol/crypto/evp_ptr.h"
#include "protocol/crypto/hash.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <ctime>
#include <string>
#include <utility>

namespace sotto::crypto {

namespace {

using X509Ptr = detail::OsslPtr<X509, X509_free>;
using BioPtr = detail::OsslPtr<BIO, BIO_free_all>;
using AsnObjectPtr = detail::OsslPtr<ASN1_OBJECT, ASN1_OBJECT_free>;

void freeX509(x509_st *p)
{
    X509_free(p);
}

// RFC 4055 Section 3.1 RSASSA-PSS-params with hashAlgorithm SHA-384,
// maskGenAlgorithm MGF1-SHA-384, saltLength 48, as AMD encodes them. The
// ARK/ASK and Milan VCEKs carry trailerField 1 explicitly; the Turin VCEK
// omits it (the DER default). Nothing else is accepted.
constexpr uint8_t kPssSha384WithTrailer[] = { 0x30, 0x46, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
    0x0d, 0x01, 0x01, 0x0a, 0x30, 0x39, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48,
    0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
    0x04, 0x02, 0x02, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x30, 0xa3, 0x03, 0x02, 0x01, 0x01 };
constexpr uint8_t kPssSha384NoTrailer[] = { 0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
    0x0d, 0x01, 0x01, 0x0a, 0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48,
    0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
    0x04, 0x02, 0x02, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x30 };

template <class T, int (*I2d)(const T *, unsigned char **)> Bytes encode(const T *obj)
{
    unsigned char *out = nullptr;
    const int len = I2d(obj, &out);
    if (len <= 0) {
        detail::clearOpenSslErrors();
        return {};
    }
    Bytes result(out, out + len);
    OPENSSL_free(out);
    return result;
}

bool isAmdPss(const Bytes &algorithm)
{
    const auto same = [&](ByteView expected) {
        return std::equal(algorithm.begin(), algorithm.end(), expected.begin(), expected.end());
    };
    return same(kPssSha384WithTrailer) || same(kPssSha384NoTrailer);
}

std::string nameString(const X509_NAME *name)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio)
        detail::fatalOpenSslError("BIO_new");
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
}

// One DER TLV header at `at` (X.690 Section 8.1): returns header length and
// content length, or nullopt.
std::optional<std::pair<size_t, size_t>> tlv(ByteView der, size_t at)
{
    if (at + 2 > der.size())
        return std::nullopt;
    size_t header = 2;
    size_t length = der[at + 1];
    if (length & 0x80) {
        const size_t n = length & 0x7f;
        if (n == 0 || n > 4 || at + 2 + n > der.size())
            return std::nullopt;
        length = 0;
        for (size_t i = 0; i < n; ++i)
            length = (length << 8) | der[at + 2 + i];
        header += n;
    }
    if (at + header + length > der.size())
        return std::nullopt;
    return std::make_pair(header, length);
}

// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
// signatureValue BIT STRING } (RFC 5280 Section 4.1), split on the bytes as
// received. The BIT STRING must have 0 unused bits (X.690 8.6.2): OpenSSL
// ignores that octet when it verifies, so a flipped value would go unnoticed.
struct SignedParts {
    ByteView tbs;
    ByteView signature;
};

std::optional<SignedParts> splitCertificate(ByteView der)
{
    const auto outer = tlv(der, 0);
    if (!outer || der[0] != 0x30 || outer->first + outer->second != der.size())
        return std::nullopt;
    size_t at = outer->first;
    const auto tbs = tlv(der, at);
    if (!tbs || der[at] != 0x30)
        return std::nullopt;
    const ByteView tbsBytes = der.subspan(at, tbs->first + tbs->second);
    at += tbsBytes.size();
    const auto alg = tlv(der, at);
    if (!alg || der[at] != 0x30)
        return std::nullopt;
    at += alg->first + alg->second;
    const auto bits = tlv(der, at);
    if (!bits || der[at] != 0x03 || bits->second < 1 || der[at + bits->first] != 0x00)
        return std::nullopt;
    const ByteView signature = der.subspan(at + bits->first + 1, bits->second - 1);
    if (at + bits->first + bits->second != der.size())
        return std::nullopt;
    return SignedParts { tbsBytes, signature };
}

int64_t toUnix(const ASN1_TIME *t)
{
    std::tm tm {};
    if (ASN1_TIME_to_tm(t, &tm) != 1)
        return 0;
    return static_cast<int64_t>(timegm(&tm));
}

} // namespace

std::string_view errorName(CertificateError e)
{
    switch (e) {
    case CertificateError::Malformed:
        return "Malformed";
    case CertificateError::UnsupportedPublicKey:
        return "UnsupportedPublicKey";
    case CertificateError::UnsupportedSignatureScheme:
        return "UnsupportedSignatureScheme";
    case CertificateError::SignatureInvalid:
        return "SignatureInvalid";
    case CertificateError::IssuerMismatch:
        return "IssuerMismatch";
    }
    return "Unknown";
}

Certificate::Certificate(x509_st *cert, PublicKey key)
    : m_cert(cert, freeX509)
    , m_der(encode<X509, i2d_X509>(cert))
    , m_key(std::move(key))
{ }

CertificateResult<Certificate> Certificate::fromDer(ByteView der)
{
    const unsigned char *p = der.data();
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert) {
        detail::clearOpenSslErrors();
        return fail(CertificateError::Malformed, "not a DER X.509 certificate");
    }
    const size_t used = static_cast<size_t>(p - der.data());
    if (used != der.size())
        return fail(CertificateError::Malformed,
            "certificate is " + std::to_string(used) + " bytes, input has "
                + std::to_string(der.size()));
    auto key = PublicKey::adopt(X509_get_pubkey(cert.get()));
    if (!key.ok()) {
        detail::clearOpenSslErrors();
        return fail(CertificateError::UnsupportedPublicKey, key.detail());
    }
    return Certificate(cert.release(), std::move(key).value());
}

CertificateResult<std::vector<Certificate>> Certificate::fromPem(std::string_view pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio)
        detail::fatalOpenSslError("BIO_new_mem_buf");
    std::vector<Certificate> out;
    for (;;) {
        X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!cert)
            break;
        const Bytes der = encode<X509, i2d_X509>(cert.get());
        SOTTO_TRY(Certificate c, fromDer(der));
        out.push_back(std::move(c));
    }
    // The end of the input shows as "no start line"; any other error is a
    // damaged block, which must not be skipped silently.
    const unsigned long last = ERR_peek_last_error();
    detail::clearOpenSslErrors();
    if (last != 0
        && !(ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE))
        return fail(CertificateError::Malformed,
            "PEM block " + std::to_string(out.size() + 1) + " is not a certificate");
    if (out.empty())
        return fail(CertificateError::Malformed, "no PEM CERTIFICATE block");
    return out;
}

Bytes Certificate::der() const
{
    return m_der;
}

Bytes Certificate::sha256Fingerprint() const
{
    return sha256(der());
}

std::string Certificate::subject() const
{
    return nameString(X509_get_subject_name(m_cert.get()));
}

std::string Certificate::issuer() const
{
    return nameString(X509_get_issuer_name(m_cert.get()));
}

std::string Certificate::subjectCommonName() const
{
    const X509_NAME *name = X509_get_subject_name(m_cert.get());
    const int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (idx < 0)
        return {};
    const ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
    return std::string(reinterpret_cast<const char *>(ASN1_STRING_get0_data(value)),
        static_cast<size_t>(ASN1_STRING_length(value)));
}

int64_t Certificate::notBefore() const
{
    return toUnix(X509_get0_notBefore(m_cert.get()));
}

int64_t Certificate::notAfter() const
{
    return toUnix(X509_get0_notAfter(m_cert.get()));
}

Bytes Certificate::serialNumber() const
{
    const ASN1_INTEGER *serial = X509_get0_serialNumber(m_cert.get());
    const unsigned char *data = ASN1_STRING_get0_data(serial);
    Bytes out(data, data + ASN1_STRING_length(serial));
    const auto first = std::find_if(out.begin(), out.end(), [](uint8_t b) { return b != 0; });
    out.erase(out.begin(), first);
    return out;
}

std::optional<Bytes> Certificate::extensionValue(std::string_view dottedOid) const
{
    AsnObjectPtr oid(OBJ_txt2obj(std::string(dottedOid).c_str(), 1));
    if (!oid) {
        detail::clearOpenSslErrors();
        return std::nullopt;
    }
    const int idx = X509_get_ext_by_OBJ(m_cert.get(), oid.get(), -1);
    if (idx < 0)
        return std::nullopt;
    const ASN1_OCTET_STRING *value = X509_EXTENSION_get_data(X509_get_ext(m_cert.get(), idx));
    const unsigned char *data = ASN1_STRING_get0_data(value);
    return Bytes(data, data + ASN1_STRING_length(value));
}

CertificateStatus Certificate::verifySignedBy(const Certificate &issuer) const
{
    if (X509_NAME_cmp(
            X509_get_issuer_name(m_cert.get()), X509_get_subject_name(issuer.m_cert.get()))
        != 0)
        return fail(CertificateError::IssuerMismatch,
            "issuer is \"" + this->issuer() + "\", signer is \"" + issuer.subject() + "\"");
    const X509_ALGOR *outer = nullptr;
    X509_get0_signature(nullptr, &outer, m_cert.get());
    const Bytes outerAlg = encode<X509_ALGOR, i2d_X509_ALGOR>(outer);
    const Bytes innerAlg = encode<X509_ALGOR, i2d_X509_ALGOR>(X509_get0_tbs_sigalg(m_cert.get()));
    if (!isAmdPss(outerAlg) || outerAlg != innerAlg)
        return fail(CertificateError::UnsupportedSignatureScheme,
            "signatureAlgorithm is " + toHex(outerAlg)
                + ", expected RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48");
    // The tbsCertificate exactly as received (RFC 5280 Section 4.1.1.3: the
    // signature is over its DER bytes, which a re-encoding could change).
    const auto parts = splitCertificate(m_der);
    if (!parts)
        return fail(CertificateError::Malformed,
            "signatureValue is not a BIT STRING with 0 unused bits ending the certificate");
    const auto verified = verifyRsaPssSha384(issuer.publicKey(), parts->tbs, parts->signature);
    if (!verified.ok())
        return fail(CertificateError::SignatureInvalid,
            "\"" + subjectCommonName() + "\" not signed by \"" + issuer.subjectCommonName()
                + "\": " + verified.detail());
    return Done {};
}

} // namespace sotto::crypto
