// SPDX-License-Identifier: GPL-3.0-or-later
// The signing side of the SEV-SNP schemes (private_key.h), the DER writer
// (der.h) and certificate issuing (x509_builder.h): everything they produce
// must pass the verifiers the real AMD chain goes through (signature.h,
// x509.h), and nothing else may.
#include "protocol/crypto/der.h"
#include "protocol/crypto/private_key.h"
#include "protocol/crypto/x509.h"
#include "protocol/crypto/x509_builder.h"
#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

namespace sotto::crypto {
namespace {

// RSA key generation is slow on a loaded machine: one key per process.
const PrivateKey &rsaKey()
{
    static const PrivateKey key = PrivateKey::generateRsa(2048).value();
    return key;
}

TEST(Der, Encodings)
{
    // X.690 examples and RFC 5280 encodings.
    EXPECT_EQ(toHex(der::integer(0)), "020100");
    EXPECT_EQ(toHex(der::integer(127)), "02017f");
    EXPECT_EQ(toHex(der::integer(128)), "02020080");
    EXPECT_EQ(toHex(der::integer(256)), "02020100");
    EXPECT_EQ(toHex(der::unsignedInteger(Bytes { 0, 0, 1 })), "020101");
    EXPECT_EQ(toHex(der::unsignedInteger({})), "020100");
    EXPECT_EQ(toHex(der::boolean(true)), "0101ff");
    EXPECT_EQ(toHex(der::ia5String("Milan-B0")), "16084d696c616e2d4230");
    EXPECT_EQ(toHex(*der::oid("1.3.6.1.4.1.3704.1.3.8")), "060a2b060104019c78010308");
    EXPECT_EQ(toHex(*der::oid("1.2.840.113549.1.1.10")), "06092a864886f70d01010a");
    EXPECT_EQ(toHex(*der::oid("2.999.3")), "0603883703"); // X.690 8.19.5 example
    for (const char *bad : { "", "1", "1.", ".1", "3.1", "1.40", "1.2.a", "1..2" })
        EXPECT_FALSE(der::oid(bad).has_value()) << bad;
    EXPECT_EQ(toHex(*der::time(0)), "170d3730303130313030303030305a");
    // 2050-01-01: GeneralizedTime (RFC 5280 4.1.2.5).
    EXPECT_EQ(toHex(*der::time(2524608000)), "180f32303530303130313030303030305a");
    const Bytes big(300, 0xab);
    const Bytes encoded = der::octetString(big);
    EXPECT_EQ(toHex(ByteView(encoded).first(4)), "0482012c");
    EXPECT_EQ(encoded.size(), 304u);
}

TEST(PrivateKey, EcdsaSignaturesVerifyInBothForms)
{
    const auto key = PrivateKey::generateEcP384();
    ASSERT_RESULT_OK(key);
    EXPECT_EQ(key->publicKey().type(), PublicKeyType::EcP384);
    const Bytes message = toBytes("an attestation report's signed range");
    const auto der = signEcdsaP384Sha384(*key, message);
    ASSERT_RESULT_OK(der);
    EXPECT_RESULT_OK(verifyEcdsaP384Sha384(key->publicKey(), message, *der));
    const auto snp = signEcdsaP384Sha384LittleEndian(*key, message);
    ASSERT_RESULT_OK(snp);
    ASSERT_EQ(snp->r.size(), 72u);
    ASSERT_EQ(snp->s.size(), 72u);
    for (size_t i = 48; i < 72; ++i) {
        EXPECT_EQ(snp->r[i], 0);
        EXPECT_EQ(snp->s[i], 0);
    }
    EXPECT_RESULT_OK(verifyEcdsaP384Sha384LittleEndian(key->publicKey(), message, snp->r, snp->s));
    // Swapped R and S, another message, another key: refused.
    EXPECT_RESULT_ERROR(
        verifyEcdsaP384Sha384LittleEndian(key->publicKey(), message, snp->s, snp->r),
        CryptoError::AuthenticationFailed);
    EXPECT_RESULT_ERROR(
        verifyEcdsaP384Sha384LittleEndian(key->publicKey(), toBytes("other"), snp->r, snp->s),
        CryptoError::AuthenticationFailed);
    const auto other = PrivateKey::generateEcP384();
    ASSERT_RESULT_OK(other);
    EXPECT_RESULT_ERROR(
        verifyEcdsaP384Sha384LittleEndian(other->publicKey(), message, snp->r, snp->s),
        CryptoError::AuthenticationFailed);
    // Wrong key type for the scheme.
    EXPECT_RESULT_ERROR(signEcdsaP384Sha384(rsaKey(), message), CryptoError::InvalidPrivateKey);
    EXPECT_RESULT_ERROR(signRsaPssSha384(*key, message), CryptoError::InvalidPrivateKey);
}

TEST(PrivateKey, RsaPssSignaturesVerify)
{
    const Bytes message = toBytes("a tbsCertificate");
    const auto sig = signRsaPssSha384(rsaKey(), message);
    ASSERT_RESULT_OK(sig);
    EXPECT_EQ(sig->size(), 256u);
    EXPECT_RESULT_OK(verifyRsaPssSha384(rsaKey().publicKey(), message, *sig));
    Bytes bad = *sig;
    bad[10] ^= 1;
    EXPECT_RESULT_ERROR(
        verifyRsaPssSha384(rsaKey().publicKey(), message, bad), CryptoError::AuthenticationFailed);
    EXPECT_RESULT_ERROR(PrivateKey::generateRsa(1024), CryptoError::InvalidKeyLength);
    EXPECT_RESULT_ERROR(PrivateKey::generateRsa(16384), CryptoError::InvalidKeyLength);
}

TEST(PrivateKey, Pkcs8RoundTripAndNegatives)
{
    const auto ec = PrivateKey::generateEcP384();
    ASSERT_RESULT_OK(ec);
    for (const PrivateKey *key : { &*ec, &rsaKey() }) {
        const SecretBytes der = key->pkcs8();
        const auto back = PrivateKey::fromPkcs8(der.view());
        ASSERT_RESULT_OK(back);
        EXPECT_EQ(back->type(), key->type());
        EXPECT_EQ(back->publicKey().spki(), key->publicKey().spki());
        // Truncated, trailing byte, garbage.
        const Bytes raw = der.reveal();
        EXPECT_RESULT_ERROR(PrivateKey::fromPkcs8(ByteView(raw).first(raw.size() - 1)),
            CryptoError::InvalidPrivateKey);
        Bytes longer = raw;
        longer.push_back(0);
        EXPECT_RESULT_ERROR(PrivateKey::fromPkcs8(longer), CryptoError::InvalidPrivateKey);
    }
    EXPECT_RESULT_ERROR(PrivateKey::fromPkcs8({}), CryptoError::InvalidPrivateKey);
    EXPECT_RESULT_ERROR(PrivateKey::fromPkcs8(Bytes(64, 0x30)), CryptoError::InvalidPrivateKey);
}

CertificateTemplate caTemplate(const PrivateKey &key, const std::string &cn)
{
    CertificateTemplate t;
    t.subject = { "US", "", "", "Sotto test", "", cn };
    t.issuer = t.subject;
    t.serialNumber = Bytes { 0x01 };
    t.notBefore = 1700000000;
    t.notAfter = 2600000000; // past 2049: GeneralizedTime
    t.subjectPublicKey = key.publicKey().spki();
    t.extensions = { caBasicConstraints(), caKeyUsage() };
    return t;
}

TEST(X509Builder, IssuedChainVerifiesWithTheAmdRules)
{
    const auto ark = issueCertificate(caTemplate(rsaKey(), "Test ARK"), rsaKey());
    ASSERT_RESULT_OK(ark);
    const auto arkCert = Certificate::fromDer(*ark);
    ASSERT_RESULT_OK(arkCert);
    EXPECT_RESULT_OK(arkCert->verifySignedBy(*arkCert));
    EXPECT_EQ(arkCert->subjectCommonName(), "Test ARK");
    EXPECT_EQ(arkCert->notBefore(), 1700000000);
    EXPECT_EQ(arkCert->notAfter(), 2600000000);
    EXPECT_EQ(arkCert->serialNumber(), Bytes { 0x01 });

    const auto leafKey = PrivateKey::generateEcP384();
    ASSERT_RESULT_OK(leafKey);
    CertificateTemplate leaf;
    leaf.subject = { "US", "CA", "Santa Clara", "Sotto test", "Engineering", "Test VCEK" };
    leaf.issuer = caTemplate(rsaKey(), "Test ARK").subject;
    leaf.notBefore = 1700000000;
    leaf.notAfter = 1900000000;
    leaf.subjectPublicKey = leafKey->publicKey().spki();
    leaf.extensions = { { "1.3.6.1.4.1.3704.1.2", false, der::ia5String("Milan-B0") },
        { "1.3.6.1.4.1.3704.1.4", false, Bytes(64, 0x5a) } };
    const auto vcek = issueCertificate(leaf, rsaKey());
    ASSERT_RESULT_OK(vcek);
    const auto vcekCert = Certificate::fromDer(*vcek);
    ASSERT_RESULT_OK(vcekCert);
    EXPECT_TRUE(vcekCert->serialNumber().empty()); // serial 0, like AMD's VCEKs
    EXPECT_RESULT_OK(vcekCert->verifySignedBy(*arkCert));
    EXPECT_EQ(vcekCert->publicKey().type(), PublicKeyType::EcP384);
    EXPECT_EQ(vcekCert->extensionValue("1.3.6.1.4.1.3704.1.2"), der::ia5String("Milan-B0"));
    EXPECT_EQ(vcekCert->extensionValue("1.3.6.1.4.1.3704.1.4"), Bytes(64, 0x5a));
    EXPECT_EQ(vcekCert->issuer(), arkCert->subject());

    // Another RSA key with the same name: the signature check fails.
    const auto otherKey = PrivateKey::generateRsa(2048);
    ASSERT_RESULT_OK(otherKey);
    const auto impostor = issueCertificate(caTemplate(*otherKey, "Test ARK"), *otherKey);
    ASSERT_RESULT_OK(impostor);
    EXPECT_RESULT_ERROR(vcekCert->verifySignedBy(Certificate::fromDer(*impostor).value()),
        CertificateError::SignatureInvalid);
}

TEST(X509Builder, Refusals)
{
    CertificateTemplate t = caTemplate(rsaKey(), "x");
    const auto ec = PrivateKey::generateEcP384();
    ASSERT_RESULT_OK(ec);
    EXPECT_RESULT_ERROR(issueCertificate(t, *ec), CryptoError::InvalidPrivateKey);
    t.subjectPublicKey = Bytes { 0x30, 0x00 };
    EXPECT_RESULT_ERROR(issueCertificate(t, rsaKey()), CryptoError::InvalidPublicKey);
    t = caTemplate(rsaKey(), "x");
    t.extensions.push_back({ "1.2.x", false, {} });
    EXPECT_RESULT_ERROR(issueCertificate(t, rsaKey()), CryptoError::Internal);
}

} // namespace
} // namespace sotto::crypto
