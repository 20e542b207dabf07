// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end verification of the real Milan reports (tests/data/snp) against
// the pinned AMD chains, and the error each kind of mismatch must produce.
#include "protocol/snp/chain.h"

#include "protocol/crypto/hash.h"
#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <string>

namespace sotto::snp {
namespace {

using nlohmann::json;

// 2025-01-01T00:00:00Z: inside the validity of both Milan VCEKs
// (2022-09-24..2029-09-24 and 2023-04-03..2030-04-03).
constexpr int64_t kNow = 1735689600;

Bytes readBytes(const std::string &path)
{
    const std::string s = test::readFile(path);
    return Bytes(s.begin(), s.end());
}

struct Sample {
    const char *report;
    const char *vcek;
    const char *fieldsKey;
    const char *vcekKey;
};

constexpr Sample kGoSevGuest { "snp/go-sev-guest_attestation.bin", "snp/go-sev-guest_vcek.der",
    "go-sev-guest/attestation.bin", "go-sev-guest/vcek.testcer" };
constexpr Sample kVirtee { "snp/virtee_report_milan.bin", "snp/virtee_vcek_milan.der",
    "virtee-sev/report_milan.hex", "virtee-sev/vcek_milan.der" };

const TrustedChain &pinned(Generation g)
{
    for (const TrustedChain &c : pinnedAmdChains())
        if (c.generation == g)
            return c;
    std::abort();
}

TEST(SnpChain, PinnedChainsAreAmdsMilanGenoaTurin)
{
    const auto &chains = pinnedAmdChains();
    ASSERT_EQ(chains.size(), 3u);
    const json fields = test::readJson("snp/report-fields.json").at("chains");
    const std::pair<Generation, const char *> expected[] = { { Generation::Milan, "ask_ark_milan" },
        { Generation::Genoa, "ask_ark_genoa" }, { Generation::Turin, "ask_ark_turin_vcek" } };
    for (const auto &[g, key] : expected) {
        SCOPED_TRACE(key);
        const TrustedChain &c = pinned(g);
        const auto &certs = fields.at(key).at("certs_in_file_order");
        // In AMD's bundles the ASK comes first, the ARK second.
        EXPECT_EQ(toHex(c.ask.sha256Fingerprint()), certs.at(0).at("sha256_fingerprint"));
        EXPECT_EQ(toHex(c.ark.sha256Fingerprint()), certs.at(1).at("sha256_fingerprint"));
        EXPECT_EQ(c.ark.subjectCommonName(), "ARK-" + std::string(generationName(g)));
        EXPECT_EQ(c.ask.subjectCommonName(), "SEV-" + std::string(generationName(g)));
        EXPECT_RESULT_OK(c.ark.verifySignedBy(c.ark));
        EXPECT_RESULT_OK(c.ask.verifySignedBy(c.ark));
        // The pinned copies are the files in tests/data/snp.
        const auto bundle
            = crypto::Certificate::fromPem(test::readFile(std::string("snp/") + key + ".pem"));
        ASSERT_RESULT_OK(bundle);
        ASSERT_EQ(bundle->size(), 2u);
        EXPECT_EQ((*bundle)[0].der(), c.ask.der());
        EXPECT_EQ((*bundle)[1].der(), c.ark.der());
    }
}

TEST(SnpChain, RealMilanSamplesVerify)
{
    const json reports = test::readJson("snp/report-fields.json").at("reports");
    for (const Sample &s : { kGoSevGuest, kVirtee }) {
        SCOPED_TRACE(s.report);
        const auto result = verifyReport(readBytes(s.report), readBytes(s.vcek), kNow);
        ASSERT_RESULT_OK(result);
        const json &f = reports.at(s.fieldsKey);
        EXPECT_EQ(result->generation, Generation::Milan);
        EXPECT_EQ(result->version, 2u);
        EXPECT_EQ(toHex(result->measurement), f.at("measurement"));
        EXPECT_EQ(toHex(result->reportData), f.at("report_data"));
        EXPECT_EQ(toHex(result->chipId), f.at("chip_id"));
        EXPECT_EQ(toHex(result->reportId), f.at("report_id"));
        EXPECT_EQ(result->reportedTcb.bootloader, f.at("reported_tcb").at("bootloader").get<int>());
        EXPECT_EQ(result->reportedTcb.tee, f.at("reported_tcb").at("tee").get<int>());
        EXPECT_EQ(result->reportedTcb.snp, f.at("reported_tcb").at("snp").get<int>());
        EXPECT_EQ(result->reportedTcb.microcode, f.at("reported_tcb").at("microcode").get<int>());
        EXPECT_EQ(result->vmpl, 0u);
        EXPECT_EQ(result->vcekSha256, crypto::sha256(readBytes(s.vcek)));
    }
}

TEST(SnpChain, GoSevGuestSampleHasDebugAllowed)
{
    // Verification says what was attested; refusing debug is the policy
    // step's job (SPECS.md "Surprises"), which needs this bit.
    const auto result
        = verifyReport(readBytes(kGoSevGuest.report), readBytes(kGoSevGuest.vcek), kNow);
    ASSERT_RESULT_OK(result);
    EXPECT_TRUE(result->policy.debugAllowed());
    const auto virtee = verifyReport(readBytes(kVirtee.report), readBytes(kVirtee.vcek), kNow);
    ASSERT_RESULT_OK(virtee);
    EXPECT_FALSE(virtee->policy.debugAllowed());
}

TEST(SnpChain, TamperedSignedBytesFailTheSignature)
{
    const Bytes good = readBytes(kVirtee.report);
    const Bytes vcek = readBytes(kVirtee.vcek);
    // Fields not cross-checked against the VCEK before the signature.
    for (size_t at : { size_t { 0x04 }, size_t { 0x08 }, size_t { 0x30 }, size_t { 0x50 },
             size_t { 0x8F }, size_t { 0x90 }, size_t { 0xC0 }, size_t { 0x140 }, size_t { 0x160 },
             size_t { 0x1E8 }, size_t { 0x1F0 } }) {
        SCOPED_TRACE(at);
        Bytes bad = good;
        bad[at] ^= 0x01;
        EXPECT_RESULT_ERROR(verifyReport(bad, vcek, kNow), SnpError::ReportSignatureInvalid);
    }
}

TEST(SnpChain, TamperedSignatureFails)
{
    const Bytes good = readBytes(kVirtee.report);
    const Bytes vcek = readBytes(kVirtee.vcek);
    for (size_t at :
        { size_t { 0x2A0 }, size_t { 0x2A0 + 47 }, size_t { 0x2E8 }, size_t { 0x2E8 + 47 },
            // non-zero padding above the 48-byte scalars
            size_t { 0x2A0 + 48 }, size_t { 0x2A0 + 71 }, size_t { 0x2E8 + 48 } }) {
        SCOPED_TRACE(at);
        Bytes bad = good;
        bad[at] ^= 0x80;
        const auto r = verifyReport(bad, vcek, kNow);
        EXPECT_RESULT_ERROR(r, SnpError::ReportSignatureInvalid);
    }
}

TEST(SnpChain, EverySignedBitFlipIsRejected)
{
    const Bytes good = readBytes(kGoSevGuest.report);
    const Bytes vcek = readBytes(kGoSevGuest.vcek);
    size_t rejected = 0;
    for (size_t at = 0; at < kSignedLength; ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            Bytes bad = good;
            bad[at] = static_cast<uint8_t>(bad[at] ^ (1u << bit));
            const auto r = verifyReport(bad, vcek, kNow);
            ASSERT_FALSE(r.ok()) << "byte " << at << " bit " << bit;
            ++rejected;
        }
    }
    EXPECT_EQ(rejected, kSignedLength * 8);
}

TEST(SnpChain, WrongVcekIsRejected)
{
    // The other Milan VCEK: same chain, different chip and TCB.
    EXPECT_RESULT_ERROR(verifyReport(readBytes(kVirtee.report), readBytes(kGoSevGuest.vcek), kNow),
        SnpError::VcekTcbMismatch);
    // The Turin VCEK: the Turin chain issued it, and the Milan TCB has bits
    // that are reserved in the Turin layout.
    EXPECT_RESULT_ERROR(
        verifyReport(readBytes(kVirtee.report), readBytes("snp/virtee_vcek_turin.der"), kNow),
        SnpError::NonzeroReserved);
    EXPECT_RESULT_ERROR(verifyReport(readBytes(kVirtee.report), Bytes { 0x30, 0x00 }, kNow),
        SnpError::CertificateMalformed);
    Bytes truncated = readBytes(kVirtee.vcek);
    truncated.pop_back();
    EXPECT_RESULT_ERROR(
        verifyReport(readBytes(kVirtee.report), truncated, kNow), SnpError::CertificateMalformed);
}

TEST(SnpChain, ChipIdAndTcbMustMatchTheVcek)
{
    const Bytes vcek = readBytes(kVirtee.vcek);
    Bytes chip = readBytes(kVirtee.report);
    chip[0x1A0 + 63] ^= 0x01;
    EXPECT_RESULT_ERROR(verifyReport(chip, vcek, kNow), SnpError::VcekChipIdMismatch);
    // REPORTED_TCB bytes: bootloader 0x180, tee 0x181, snp 0x186, microcode 0x187.
    for (size_t at : { size_t { 0x180 }, size_t { 0x181 }, size_t { 0x186 }, size_t { 0x187 } }) {
        SCOPED_TRACE(at);
        Bytes tcb = readBytes(kVirtee.report);
        tcb[at] ^= 0x01;
        EXPECT_RESULT_ERROR(verifyReport(tcb, vcek, kNow), SnpError::VcekTcbMismatch);
    }
    Bytes reserved = readBytes(kVirtee.report);
    reserved[0x182] = 0x01;
    EXPECT_RESULT_ERROR(verifyReport(reserved, vcek, kNow), SnpError::NonzeroReserved);
}

TEST(SnpChain, WrongChainIsRejected)
{
    const Bytes report = readBytes(kVirtee.report);
    const Bytes vcek = readBytes(kVirtee.vcek);
    const std::vector<TrustedChain> others { pinned(Generation::Genoa), pinned(Generation::Turin) };
    EXPECT_RESULT_ERROR(verifyReport(report, vcek, kNow, others), SnpError::UnknownRoot);
    EXPECT_RESULT_ERROR(verifyReport(report, vcek, kNow, {}), SnpError::UnknownRoot);
    // Milan's ASK under Genoa's ARK: the ASK check fails.
    const std::vector<TrustedChain> mixed { { Generation::Milan, pinned(Generation::Genoa).ark,
        pinned(Generation::Milan).ask } };
    EXPECT_RESULT_ERROR(verifyReport(report, vcek, kNow, mixed), SnpError::ChainSignatureInvalid);
    // The VCEK named as Genoa's: product name says Milan.
    const std::vector<TrustedChain> relabelled { { Generation::Genoa, pinned(Generation::Milan).ark,
        pinned(Generation::Milan).ask } };
    EXPECT_RESULT_ERROR(
        verifyReport(report, vcek, kNow, relabelled), SnpError::VcekProductMismatch);
}

TEST(SnpChain, VcekValidityIsEnforced)
{
    const Bytes report = readBytes(kVirtee.report);
    const Bytes vcek = readBytes(kVirtee.vcek);
    // 2023-04-03 19:23:43 .. 2030-04-03 19:23:43 UTC.
    constexpr int64_t kNotBefore = 1680549823;
    constexpr int64_t kNotAfter = 1901474623;
    EXPECT_RESULT_OK(verifyReport(report, vcek, kNotBefore));
    EXPECT_RESULT_OK(verifyReport(report, vcek, kNotAfter));
    EXPECT_RESULT_ERROR(verifyReport(report, vcek, kNotBefore - 1), SnpError::VcekExpired);
    EXPECT_RESULT_ERROR(verifyReport(report, vcek, kNotAfter + 1), SnpError::VcekExpired);
}

TEST(SnpChain, TamperedVcekFailsTheChain)
{
    const Bytes report = readBytes(kVirtee.report);
    const Bytes good = readBytes(kVirtee.vcek);
    // Every bit flip of the VCEK must be refused with some error, never
    // accepted.
    size_t rejected = 0;
    for (size_t at = 0; at < good.size(); ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            Bytes bad = good;
            bad[at] = static_cast<uint8_t>(bad[at] ^ (1u << bit));
            const auto r = verifyReport(report, bad, kNow);
            ASSERT_FALSE(r.ok()) << "byte " << at << " bit " << bit;
            ++rejected;
        }
    }
    EXPECT_EQ(rejected, good.size() * 8);
    // A flip inside the signature value is a chain signature failure.
    Bytes sig = good;
    sig[good.size() - 10] ^= 0x01;
    EXPECT_RESULT_ERROR(verifyReport(report, sig, kNow), SnpError::ChainSignatureInvalid);
}

TEST(SnpChain, Version3GenerationMustMatchTheChain)
{
    Bytes report = readBytes(kVirtee.report);
    report[0] = 3;
    report[0x188] = 0x19;
    report[0x189] = 0x11; // Genoa
    EXPECT_RESULT_ERROR(
        verifyReport(report, readBytes(kVirtee.vcek), kNow), SnpError::GenerationMismatch);
    report[0x189] = 0x01; // Milan: reaches the signature, which no longer matches
    EXPECT_RESULT_ERROR(
        verifyReport(report, readBytes(kVirtee.vcek), kNow), SnpError::ReportSignatureInvalid);
}

TEST(SnpChain, SignatureAlgorithmAndSigningKey)
{
    Bytes algo = readBytes(kVirtee.report);
    algo[0x34] = 2;
    EXPECT_RESULT_ERROR(
        verifyReport(algo, readBytes(kVirtee.vcek), kNow), SnpError::UnsupportedSignatureAlgorithm);
    Bytes vlek = readBytes(kVirtee.report);
    vlek[0x48] = 1 << 2; // SIGNING_KEY = 1 (VLEK)
    EXPECT_RESULT_ERROR(
        verifyReport(vlek, readBytes(kVirtee.vcek), kNow), SnpError::UnsupportedSignatureAlgorithm);
}

} // namespace
} // namespace sotto::snp
