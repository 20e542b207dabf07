// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 4's mutation list, exhaustively, on the real virtee Milan report:
// every single-bit flip of the signed range is rejected with the error of the
// check that owns that bit; every bit of R and S fails the signature and
// every bit of the reserved signature area is a reserved-byte error; every
// bit flip of the VCEK, the ASK and the ARK is rejected (signature-value bits
// as ChainSignatureInvalid). Also: encodeReport round-trips through the
// parser, and a report signed with a fresh key in the SEV-SNP format verifies.
#include "protocol/crypto/private_key.h"
#include "protocol/crypto/random.h"
#include "protocol/snp/chain.h"
#include "protocol/snp/report.h"
#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sotto::snp {
namespace {

// 2025-01-01T00:00:00Z: inside the virtee Milan VCEK's validity.
constexpr int64_t kNow = 1735689600;

Bytes readBytes(const std::string &path)
{
    const std::string s = test::readFile(path);
    return Bytes(s.begin(), s.end());
}

const Bytes &report()
{
    static const Bytes r = readBytes("snp/virtee_report_milan.bin");
    return r;
}

const Bytes &vcek()
{
    static const Bytes v = readBytes("snp/virtee_vcek_milan.der");
    return v;
}

const TrustedChain &milan()
{
    for (const TrustedChain &c : pinnedAmdChains())
        if (c.generation == Generation::Milan)
            return c;
    std::abort();
}

// The check that owns bit `bit` of byte `at` in a version 2 Milan report
// verified with its own VCEK, in verifyReport's order: the parser (version,
// flags, reserved bytes), the signature algorithm and key, a version 3 report's
// CPUID generation, REPORTED_TCB's reserved bytes and the VCEK's SPLs and
// hwID, and last the signature over everything else.
SnpError expectedError(size_t at, int bit)
{
    const auto in = [at](size_t from, size_t length) { return at >= from && at < from + length; };
    if (in(0x00, 4))
        // 2 -> 3 (bit 0 of byte 0) is a valid version, whose zero CPUID
        // fields name no generation.
        return at == 0 && bit == 0 ? SnpError::GenerationMismatch : SnpError::UnsupportedVersion;
    if (in(0x48, 4)) {
        const int flagBit = static_cast<int>(at - 0x48) * 8 + bit;
        if (flagBit >= 5)
            return SnpError::NonzeroReserved;
        if (flagBit >= 2)
            return SnpError::UnsupportedSignatureAlgorithm; // SIGNING_KEY
        return SnpError::ReportSignatureInvalid;            // AUTHOR_KEY_EN, MASK_CHIP_KEY
    }
    if (in(0x4C, 4) || in(0x188, 0x1A0 - 0x188) || at == 0x1EB || at == 0x1EF
        || in(0x1F8, 0x2A0 - 0x1F8))
        return SnpError::NonzeroReserved;
    if (in(0x34, 4))
        return SnpError::UnsupportedSignatureAlgorithm;
    if (in(0x180, 8)) // REPORTED_TCB, Milan layout: bytes 2..5 reserved
        return in(0x182, 4) ? SnpError::NonzeroReserved : SnpError::VcekTcbMismatch;
    if (in(0x1A0, 64))
        return SnpError::VcekChipIdMismatch;
    return SnpError::ReportSignatureInvalid;
}

TEST(SnpMutations, EverySignedBitFlipFailsWithItsOwnError)
{
    std::set<SnpError> seen;
    for (size_t at = 0; at < kSignedLength; ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            Bytes bad = report();
            bad[at] = static_cast<uint8_t>(bad[at] ^ (1u << bit));
            const SnpError want = expectedError(at, bit);
            const auto r = verifyReport(bad, vcek(), kNow);
            ASSERT_TRUE(test::failsWith(r, want)) << "byte 0x" << std::hex << at << " bit " << bit;
            seen.insert(want);
        }
    }
    EXPECT_EQ(seen.size(), 7u); // every owner above was exercised
}

TEST(SnpMutations, EveryBitOfTheSignatureField)
{
    for (size_t at = kSignedLength; at < kReportSize; ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            Bytes bad = report();
            bad[at] = static_cast<uint8_t>(bad[at] ^ (1u << bit));
            // R at 0x2A0 and S at 0x2E8, 72 bytes each (including their zero
            // padding above byte 48); the rest of SIGNATURE is reserved.
            const SnpError want
                = at < 0x330 ? SnpError::ReportSignatureInvalid : SnpError::NonzeroReserved;
            ASSERT_TRUE(test::failsWith(verifyReport(bad, vcek(), kNow), want))
                << "byte 0x" << std::hex << at << " bit " << bit;
        }
    }
}

// Flips every bit of one certificate of the chain; each must be refused.
// Returns how many flips landed in the signature value and were refused as
// ChainSignatureInvalid.
template <class Verify> size_t flipEveryBit(const Bytes &der, Verify verify)
{
    // The signature value is the last 512 bytes (RSA-4096) of each AMD cert
    // of this chain, after the BIT STRING's unused-bits octet.
    const size_t signatureStart = der.size() - 512;
    size_t signatureFlips = 0;
    for (size_t at = 0; at < der.size(); ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            Bytes bad = der;
            bad[at] = static_cast<uint8_t>(bad[at] ^ (1u << bit));
            const auto r = verify(bad);
            EXPECT_FALSE(r.ok()) << "byte " << at << " bit " << bit;
            if (r.ok())
                return 0;
            if (at >= signatureStart) {
                EXPECT_EQ(r.error(), SnpError::ChainSignatureInvalid)
                    << "byte " << at << " bit " << bit << ": " << describe(r);
                signatureFlips += r.error() == SnpError::ChainSignatureInvalid;
            }
        }
    }
    return signatureFlips;
}

// A mutated pinned certificate, as if the binary's copy had been altered.
// Bytes that no longer parse count as refused (CertificateMalformed).
SnpResult<VerificationResult> withMutated(const Bytes &bad, bool ask)
{
    auto cert = crypto::Certificate::fromDer(bad);
    if (!cert.ok())
        return fail(SnpError::CertificateMalformed, cert.detail());
    const TrustedChain &m = milan();
    const TrustedChain chain[] = { ask ? TrustedChain { Generation::Milan, m.ark, *cert }
                                       : TrustedChain { Generation::Milan, *cert, m.ask } };
    return verifyReport(report(), vcek(), kNow, chain);
}

TEST(SnpMutations, EveryBitOfTheVcek)
{
    const size_t n
        = flipEveryBit(vcek(), [](const Bytes &bad) { return verifyReport(report(), bad, kNow); });
    EXPECT_EQ(n, 512u * 8);
}

TEST(SnpMutations, EveryBitOfTheAsk)
{
    const size_t n
        = flipEveryBit(milan().ask.der(), [](const Bytes &bad) { return withMutated(bad, true); });
    EXPECT_EQ(n, 512u * 8);
}

TEST(SnpMutations, EveryBitOfTheArk)
{
    const size_t n
        = flipEveryBit(milan().ark.der(), [](const Bytes &bad) { return withMutated(bad, false); });
    EXPECT_EQ(n, 512u * 8);
}

TEST(SnpMutations, EncodeReportRoundTrips)
{
    ReportFields f;
    f.version = 3;
    f.guestSvn = 7;
    f.policy = GuestPolicy::kReservedMustBeOne | GuestPolicy::kSmtAllowed;
    f.vmpl = 1;
    f.currentTcb = 0x7308000000000003;
    f.reportedTcb = 0x7308000000000004;
    f.committedTcb = 0x7308000000000005;
    f.launchTcb = 0x7308000000000006;
    f.platformInfo = 0x3;
    f.flags = 0x1;
    f.reportData.fill(0x11);
    f.measurement.fill(0x22);
    f.hostData.fill(0x33);
    f.idKeyDigest.fill(0x44);
    f.authorKeyDigest.fill(0x55);
    f.reportId.fill(0x66);
    f.reportIdMa.fill(0x77);
    f.chipId.fill(0x88);
    f.cpuidFamilyId = 0x19;
    f.cpuidModelId = 0x11;
    f.cpuidStepping = 0x01;
    f.currentMajor = 1;
    f.currentMinor = 55;
    f.currentBuild = 21;
    f.committedMajor = 1;
    f.committedMinor = 54;
    f.committedBuild = 20;
    const Bytes bytes = encodeReport(f);
    ASSERT_EQ(bytes.size(), kReportSize);
    const auto r = AttestationReport::parse(bytes);
    ASSERT_RESULT_OK(r);
    EXPECT_EQ(r->version(), 3u);
    EXPECT_EQ(r->guestSvn(), 7u);
    EXPECT_EQ(r->policy().raw, f.policy);
    EXPECT_EQ(r->vmpl(), 1u);
    EXPECT_EQ(r->signatureAlgorithm(), 1u);
    EXPECT_EQ(r->currentTcb(), f.currentTcb);
    EXPECT_EQ(r->reportedTcb(), f.reportedTcb);
    EXPECT_EQ(r->committedTcb(), f.committedTcb);
    EXPECT_EQ(r->launchTcb(), f.launchTcb);
    EXPECT_EQ(r->platformInfo().raw, 0x3u);
    EXPECT_TRUE(r->authorKeyEnabled());
    EXPECT_EQ(r->signingKey(), 0);
    EXPECT_EQ(toHex(r->reportData()), toHex(Bytes(64, 0x11)));
    EXPECT_EQ(toHex(r->measurement()), toHex(Bytes(48, 0x22)));
    EXPECT_EQ(toHex(r->hostData()), toHex(Bytes(32, 0x33)));
    EXPECT_EQ(toHex(r->idKeyDigest()), toHex(Bytes(48, 0x44)));
    EXPECT_EQ(toHex(r->authorKeyDigest()), toHex(Bytes(48, 0x55)));
    EXPECT_EQ(toHex(r->reportId()), toHex(Bytes(32, 0x66)));
    EXPECT_EQ(toHex(r->reportIdMa()), toHex(Bytes(32, 0x77)));
    EXPECT_EQ(toHex(r->chipId()), toHex(Bytes(64, 0x88)));
    EXPECT_EQ(r->cpuidGeneration(), Generation::Genoa);
    EXPECT_EQ(r->currentMinor(), 55);
    EXPECT_EQ(r->committedBuild(), 20);
    EXPECT_EQ(toHex(r->signatureR()), toHex(Bytes(72, 0)));
    // The real report re-encodes byte for byte from its own fields.
    const auto real = AttestationReport::parse(report());
    ASSERT_RESULT_OK(real);
    ReportFields g;
    g.version = real->version();
    g.policy = real->policy().raw;
    g.currentTcb = real->currentTcb();
    g.reportedTcb = real->reportedTcb();
    g.committedTcb = real->committedTcb();
    g.launchTcb = real->launchTcb();
    g.platformInfo = real->platformInfo().raw;
    const auto copy
        = [](ByteView from, auto &to) { std::copy(from.begin(), from.end(), to.begin()); };
    copy(real->reportData(), g.reportData);
    copy(real->measurement(), g.measurement);
    copy(real->reportId(), g.reportId);
    copy(real->reportIdMa(), g.reportIdMa);
    copy(real->chipId(), g.chipId);
    g.currentMajor = real->currentMajor();
    g.currentMinor = real->currentMinor();
    g.currentBuild = real->currentBuild();
    g.committedMajor = real->committedMajor();
    g.committedMinor = real->committedMinor();
    g.committedBuild = real->committedBuild();
    Bytes again = encodeReport(g);
    ASSERT_RESULT_OK(setReportSignature(again, real->signatureR(), real->signatureS()));
    EXPECT_EQ(again, report());
    EXPECT_RESULT_OK(verifyReport(again, vcek(), kNow));
    // Wrong sizes.
    EXPECT_RESULT_ERROR(setReportSignature(again, Bytes(71, 0), Bytes(72, 0)), SnpError::WrongSize);
    Bytes shortReport(kReportSize - 1);
    EXPECT_RESULT_ERROR(
        setReportSignature(shortReport, Bytes(72, 0), Bytes(72, 0)), SnpError::WrongSize);
}

TEST(SnpMutations, FreshKeySignsInTheReportFormat)
{
    // The signing side (crypto::signEcdsaP384Sha384LittleEndian) produces
    // exactly what the report verifier reads; another key's does not verify.
    const auto key = crypto::PrivateKey::generateEcP384();
    ASSERT_RESULT_OK(key);
    ReportFields f;
    const Bytes data = crypto::randomBytes(64);
    std::copy(data.begin(), data.end(), f.reportData.begin());
    Bytes bytes = encodeReport(f);
    const auto sig
        = crypto::signEcdsaP384Sha384LittleEndian(*key, ByteView(bytes).first(kSignedLength));
    ASSERT_RESULT_OK(sig);
    ASSERT_RESULT_OK(setReportSignature(bytes, sig->r, sig->s));
    const auto parsed = AttestationReport::parse(bytes);
    ASSERT_RESULT_OK(parsed);
    EXPECT_RESULT_OK(crypto::verifyEcdsaP384Sha384LittleEndian(
        key->publicKey(), parsed->signedBytes(), parsed->signatureR(), parsed->signatureS()));
    const auto other = crypto::PrivateKey::generateEcP384();
    ASSERT_RESULT_OK(other);
    EXPECT_RESULT_ERROR(crypto::verifyEcdsaP384Sha384LittleEndian(other->publicKey(),
                            parsed->signedBytes(), parsed->signatureR(), parsed->signatureS()),
        crypto::CryptoError::AuthenticationFailed);
}

} // namespace
} // namespace sotto::snp
