// SPDX-License-Identifier: GPL-3.0-or-later
// Certificate (protocol/crypto/x509.h) on AMD's real SEV-SNP certificates
// (tests/data/snp/README.md): parsing, names, validity, extensions, and the
// RSASSA-PSS SHA-384 issuer check with every wrong pairing refused.
#include "protocol/crypto/x509.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <string>

namespace sotto::crypto {
namespace {

Bytes readBytes(const std::string &path)
{
    const std::string s = test::readFile(path);
    return Bytes(s.begin(), s.end());
}

std::vector<Certificate> bundle(const std::string &path)
{
    auto certs = Certificate::fromPem(test::readFile(path));
    EXPECT_RESULT_OK(certs);
    return certs.ok() ? *certs : std::vector<Certificate> {};
}

TEST(X509, PemBundlesListAskThenArk)
{
    const auto milan = bundle("snp/ask_ark_milan.pem");
    ASSERT_EQ(milan.size(), 2u);
    EXPECT_EQ(milan[0].subjectCommonName(), "SEV-Milan");
    EXPECT_EQ(milan[1].subjectCommonName(), "ARK-Milan");
    EXPECT_EQ(toHex(milan[1].sha256Fingerprint()),
        "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd");
    EXPECT_EQ(milan[1].publicKey().type(), PublicKeyType::Rsa);
    EXPECT_EQ(milan[1].publicKey().bits(), 4096u);
    EXPECT_NE(milan[0].subject().find("CN=SEV-Milan"), std::string::npos);
    EXPECT_NE(milan[0].issuer().find("CN=ARK-Milan"), std::string::npos);
    // 2020-10-22 18:24:20 UTC .. 2045-10-22 18:24:20 UTC.
    EXPECT_EQ(milan[0].notBefore(), 1603391060);
    EXPECT_EQ(milan[0].notAfter(), 2392309460);
    EXPECT_RESULT_ERROR(Certificate::fromPem("no pem here"), CertificateError::Malformed);
    // A damaged block after a good one is an error, not the end of the list.
    std::string damaged = test::readFile("snp/ask_ark_milan.pem");
    const size_t second = damaged.find("-----BEGIN CERTIFICATE-----", 10);
    ASSERT_NE(second, std::string::npos);
    damaged[second + 40] = '*';
    EXPECT_RESULT_ERROR(Certificate::fromPem(damaged), CertificateError::Malformed);
}

TEST(X509, VcekHasSerialZeroAndAmdExtensions)
{
    const auto vcek = Certificate::fromDer(readBytes("snp/virtee_vcek_milan.der"));
    ASSERT_RESULT_OK(vcek);
    EXPECT_TRUE(vcek->serialNumber().empty()); // serial 0, as AMD issues them
    EXPECT_EQ(vcek->publicKey().type(), PublicKeyType::EcP384);
    EXPECT_EQ(vcek->subjectCommonName(), "SEV-VCEK");
    EXPECT_EQ(toHex(vcek->sha256Fingerprint()),
        "3bbfb6ee259f75a95d13168cfdf2e034181bb93c7c016825731cbe8ea16c95e1");
    EXPECT_EQ(vcek->der(), readBytes("snp/virtee_vcek_milan.der"));
    EXPECT_EQ(vcek->extensionValue("1.3.6.1.4.1.3704.1.3.8"), (Bytes { 0x02, 0x01, 0x73 }));
    EXPECT_EQ(vcek->extensionValue("1.3.6.1.4.1.3704.1.2"), toBytes("\x16\x08Milan-B0"));
    const auto hwId = vcek->extensionValue("1.3.6.1.4.1.3704.1.4");
    ASSERT_TRUE(hwId);
    EXPECT_EQ(toHex(*hwId),
        "d49554ec717f4e5b0fe6b143bcf0405bd7ae304727edf46603f2a76aef6a3abc15d7af38db757039029f0efac"
        "fd08e244324884738c72b082e2f87a44d541eb6");
    EXPECT_FALSE(vcek->extensionValue("1.3.6.1.4.1.3704.1.3.9"));
    EXPECT_FALSE(vcek->extensionValue("not an oid"));

    const auto turin = Certificate::fromDer(readBytes("snp/virtee_vcek_turin.der"));
    ASSERT_RESULT_OK(turin);
    EXPECT_EQ(turin->extensionValue("1.3.6.1.4.1.3704.1.4"), test::hex("1e550a8ee5cf9f4d"));
    EXPECT_EQ(turin->extensionValue("1.3.6.1.4.1.3704.1.3.9"), (Bytes { 0x02, 0x01, 0x00 }));
}

TEST(X509, RejectsMalformedDer)
{
    Bytes der = readBytes("snp/virtee_vcek_milan.der");
    der.push_back(0);
    EXPECT_RESULT_ERROR(Certificate::fromDer(der), CertificateError::Malformed);
    der.resize(der.size() - 2);
    EXPECT_RESULT_ERROR(Certificate::fromDer(der), CertificateError::Malformed);
    EXPECT_RESULT_ERROR(Certificate::fromDer({}), CertificateError::Malformed);
}

TEST(X509, ChainSignaturesVerifyAndWrongPairsFail)
{
    const auto milan = bundle("snp/ask_ark_milan.pem");
    const auto genoa = bundle("snp/ask_ark_genoa.pem");
    const auto turin = bundle("snp/ask_ark_turin_vcek.pem");
    ASSERT_EQ(milan.size(), 2u);
    ASSERT_EQ(genoa.size(), 2u);
    ASSERT_EQ(turin.size(), 2u);
    for (const auto *chain : { &milan, &genoa, &turin }) {
        const Certificate &ask = (*chain)[0];
        const Certificate &ark = (*chain)[1];
        SCOPED_TRACE(ark.subjectCommonName());
        EXPECT_RESULT_OK(ark.verifySignedBy(ark));
        EXPECT_RESULT_OK(ask.verifySignedBy(ark));
        EXPECT_RESULT_ERROR(ark.verifySignedBy(ask), CertificateError::IssuerMismatch);
    }
    EXPECT_RESULT_ERROR(milan[0].verifySignedBy(genoa[1]), CertificateError::IssuerMismatch);
    const auto vcekMilan = Certificate::fromDer(readBytes("snp/virtee_vcek_milan.der"));
    const auto vcekGo = Certificate::fromDer(readBytes("snp/go-sev-guest_vcek.der"));
    const auto vcekTurin = Certificate::fromDer(readBytes("snp/virtee_vcek_turin.der"));
    ASSERT_RESULT_OK(vcekMilan);
    ASSERT_RESULT_OK(vcekGo);
    ASSERT_RESULT_OK(vcekTurin);
    EXPECT_RESULT_OK(vcekMilan->verifySignedBy(milan[0]));
    EXPECT_RESULT_OK(vcekGo->verifySignedBy(milan[0]));
    EXPECT_RESULT_OK(vcekTurin->verifySignedBy(turin[0]));
    EXPECT_RESULT_ERROR(vcekTurin->verifySignedBy(milan[0]), CertificateError::IssuerMismatch);
    // A VCEK is no issuer: its subject is "SEV-VCEK", not "SEV-Milan".
    EXPECT_RESULT_ERROR(vcekMilan->verifySignedBy(*vcekGo), CertificateError::IssuerMismatch);
}

TEST(X509, ModifiedTbsOrSignatureFails)
{
    const auto milan = bundle("snp/ask_ark_milan.pem");
    ASSERT_EQ(milan.size(), 2u);
    const Bytes good = readBytes("snp/virtee_vcek_milan.der");
    // Byte 700 lies in the hwID extension, inside tbsCertificate.
    Bytes tbs = good;
    tbs[700] ^= 0x01;
    const auto modified = Certificate::fromDer(tbs);
    ASSERT_RESULT_OK(modified);
    EXPECT_RESULT_ERROR(modified->verifySignedBy(milan[0]), CertificateError::SignatureInvalid);
    Bytes sig = good;
    sig[good.size() - 1] ^= 0x01;
    const auto badSig = Certificate::fromDer(sig);
    ASSERT_RESULT_OK(badSig);
    EXPECT_RESULT_ERROR(badSig->verifySignedBy(milan[0]), CertificateError::SignatureInvalid);
    // The BIT STRING's unused-bits octet (after the 72-byte algorithm at 771
    // and the 4-byte BIT STRING header): OpenSSL would ignore it.
    Bytes unused = good;
    ASSERT_EQ(unused[847], 0x00);
    unused[847] = 0x01;
    const auto badBits = Certificate::fromDer(unused);
    ASSERT_RESULT_OK(badBits); // OpenSSL itself parses it
    EXPECT_RESULT_ERROR(badBits->verifySignedBy(milan[0]), CertificateError::Malformed);
}

TEST(X509, OnlyAmdsPssParametersAreAccepted)
{
    const auto milan = bundle("snp/ask_ark_milan.pem");
    ASSERT_EQ(milan.size(), 2u);
    Bytes salt = readBytes("snp/virtee_vcek_milan.der");
    // saltLength 48 (0x30) in the outer signatureAlgorithm: 16 + 66.
    ASSERT_EQ(salt[16 + 66], 0x30);
    salt[16 + 66] = 0x20;
    const auto cert = Certificate::fromDer(salt);
    ASSERT_RESULT_OK(cert);
    EXPECT_RESULT_ERROR(
        cert->verifySignedBy(milan[0]), CertificateError::UnsupportedSignatureScheme);
    EXPECT_EQ(
        errorName(CertificateError::UnsupportedSignatureScheme), "UnsupportedSignatureScheme");
}

} // namespace
} // namespace sotto::crypto
