// SPDX-License-Identifier: GPL-3.0-or-later
// AttestationReport::parse against the real reports in tests/data/snp (field
// by field against report-fields.json, parsed independently when the data
// was collected), and every rejection the parser owns: size, version,
// reserved bytes and bits.
#include "protocol/snp/report.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace sotto::snp {
namespace {

using nlohmann::json;

struct Sample {
    const char *file;      // under tests/data/snp/
    const char *fieldsKey; // key in report-fields.json "reports"
};

constexpr Sample kSamples[] = {
    { "snp/go-sev-guest_attestation.bin", "go-sev-guest/attestation.bin" },
    { "snp/virtee_report_milan.bin", "virtee-sev/report_milan.hex" },
};

Bytes readBytes(const std::string &path)
{
    const std::string s = test::readFile(path);
    return Bytes(s.begin(), s.end());
}

uint64_t hexNumber(const json &v)
{
    return std::strtoull(v.get<std::string>().c_str(), nullptr, 16);
}

void expectTcb(uint64_t raw, const json &expected)
{
    EXPECT_EQ(raw, hexNumber(expected.at("raw")));
    // Both samples are Milan, so the Milan/Genoa layout applies.
    const auto tcb = decodeTcb(raw, Generation::Milan);
    ASSERT_RESULT_OK(tcb);
    EXPECT_EQ(tcb->bootloader, expected.at("bootloader").get<int>());
    EXPECT_EQ(tcb->tee, expected.at("tee").get<int>());
    EXPECT_EQ(tcb->snp, expected.at("snp").get<int>());
    EXPECT_EQ(tcb->microcode, expected.at("microcode").get<int>());
    EXPECT_FALSE(tcb->fmc.has_value());
}

TEST(SnpReport, RealSamplesMatchIndependentlyParsedFields)
{
    const json fields = test::readJson("snp/report-fields.json").at("reports");
    size_t checked = 0;
    for (const Sample &sample : kSamples) {
        SCOPED_TRACE(sample.file);
        const Bytes bytes = readBytes(sample.file);
        const json &f = fields.at(sample.fieldsKey);
        ASSERT_EQ(bytes.size(), f.at("size").get<size_t>());
        const auto report = AttestationReport::parse(bytes);
        ASSERT_RESULT_OK(report);
        EXPECT_EQ(report->version(), f.at("version").get<uint32_t>());
        EXPECT_EQ(report->guestSvn(), f.at("guest_svn").get<uint32_t>());
        EXPECT_EQ(report->policy().raw, hexNumber(f.at("policy")));
        EXPECT_EQ(toHex(report->familyId()), f.at("family_id"));
        EXPECT_EQ(toHex(report->imageId()), f.at("image_id"));
        EXPECT_EQ(report->vmpl(), f.at("vmpl").get<uint32_t>());
        EXPECT_EQ(report->signatureAlgorithm(), f.at("signature_algo").get<uint32_t>());
        expectTcb(report->currentTcb(), f.at("current_tcb"));
        EXPECT_EQ(report->platformInfo().raw, hexNumber(f.at("platform_info")));
        EXPECT_EQ(uint64_t { report->authorKeyEnabled() }, hexNumber(f.at("flags_0x48")) & 1);
        EXPECT_EQ(toHex(report->reportData()), f.at("report_data"));
        EXPECT_EQ(toHex(report->measurement()), f.at("measurement"));
        EXPECT_EQ(toHex(report->hostData()), f.at("host_data"));
        EXPECT_EQ(toHex(report->idKeyDigest()), f.at("id_key_digest"));
        EXPECT_EQ(toHex(report->authorKeyDigest()), f.at("author_key_digest"));
        EXPECT_EQ(toHex(report->reportId()), f.at("report_id"));
        EXPECT_EQ(toHex(report->reportIdMa()), f.at("report_id_ma"));
        expectTcb(report->reportedTcb(), f.at("reported_tcb"));
        EXPECT_EQ(report->cpuidFamilyId(), f.at("cpuid_fam_id_0x188").get<int>());
        EXPECT_EQ(report->cpuidModelId(), f.at("cpuid_mod_id_0x189").get<int>());
        EXPECT_EQ(report->cpuidStepping(), f.at("cpuid_step_0x18a").get<int>());
        EXPECT_FALSE(report->cpuidGeneration().has_value()); // version 2
        EXPECT_EQ(toHex(report->chipId()), f.at("chip_id"));
        expectTcb(report->committedTcb(), f.at("committed_tcb"));
        EXPECT_EQ(report->currentBuild(), f.at("current_build").get<int>());
        EXPECT_EQ(report->currentMinor(), f.at("current_minor").get<int>());
        EXPECT_EQ(report->currentMajor(), f.at("current_major").get<int>());
        EXPECT_EQ(report->committedBuild(), f.at("committed_build").get<int>());
        EXPECT_EQ(report->committedMinor(), f.at("committed_minor").get<int>());
        EXPECT_EQ(report->committedMajor(), f.at("committed_major").get<int>());
        expectTcb(report->launchTcb(), f.at("launch_tcb"));
        EXPECT_EQ(toHex(report->signatureR()), f.at("signature_r_le"));
        EXPECT_EQ(toHex(report->signatureS()), f.at("signature_s_le"));
        EXPECT_EQ(report->signedBytes().size(), kSignedLength);
        EXPECT_EQ(report->signingKey(), static_cast<uint8_t>(SigningKey::Vcek));
        ++checked;
    }
    EXPECT_EQ(checked, 2u);
}

TEST(SnpReport, PolicyBitsOfTheSamples)
{
    const auto goSevGuest = AttestationReport::parse(readBytes("snp/go-sev-guest_attestation.bin"));
    ASSERT_RESULT_OK(goSevGuest);
    const GuestPolicy p = goSevGuest->policy();
    EXPECT_EQ(p.raw, 0xb0000u);
    EXPECT_TRUE(p.debugAllowed()); // SPECS.md "Surprises": this sample allows debug
    EXPECT_TRUE(p.smtAllowed());
    EXPECT_FALSE(p.migrateMaAllowed());
    EXPECT_FALSE(p.singleSocketRequired());
    EXPECT_EQ(p.abiMajor(), 0);
    EXPECT_EQ(p.abiMinor(), 0);
    EXPECT_TRUE(goSevGuest->platformInfo().smtEnabled());
    EXPECT_FALSE(goSevGuest->platformInfo().tsmeEnabled());

    const auto virtee = AttestationReport::parse(readBytes("snp/virtee_report_milan.bin"));
    ASSERT_RESULT_OK(virtee);
    EXPECT_EQ(virtee->policy().raw, 0x30000u);
    EXPECT_FALSE(virtee->policy().debugAllowed());
    EXPECT_TRUE(virtee->policy().smtAllowed());
}

TEST(SnpReport, TcbLayoutsDependOnGeneration)
{
    // Milan/Genoa: bootloader, tee, reserved x4, snp, microcode.
    const auto milan = decodeTcb(0x7308000000000003ULL, Generation::Milan);
    ASSERT_RESULT_OK(milan);
    EXPECT_EQ(milan->bootloader, 3);
    EXPECT_EQ(milan->tee, 0);
    EXPECT_EQ(milan->snp, 8);
    EXPECT_EQ(milan->microcode, 0x73);
    EXPECT_FALSE(milan->fmc);
    // Turin: fmc, bootloader, tee, snp, reserved x3, microcode.
    const auto turin = decodeTcb(0x0900000004030201ULL, Generation::Turin);
    ASSERT_RESULT_OK(turin);
    EXPECT_EQ(turin->fmc, 1);
    EXPECT_EQ(turin->bootloader, 2);
    EXPECT_EQ(turin->tee, 3);
    EXPECT_EQ(turin->snp, 4);
    EXPECT_EQ(turin->microcode, 9);
    // The same raw value is a Turin TCB with reserved bits for Milan, and
    // a Milan TCB with reserved bits for Turin.
    EXPECT_RESULT_ERROR(
        decodeTcb(0x0900000004030201ULL, Generation::Genoa), SnpError::NonzeroReserved);
    EXPECT_RESULT_ERROR(
        decodeTcb(0x7308000000000003ULL, Generation::Turin), SnpError::NonzeroReserved);
}

TEST(SnpReport, SizeIsCheckedFirst)
{
    const Bytes good = readBytes("snp/virtee_report_milan.bin");
    EXPECT_RESULT_ERROR(AttestationReport::parse({}), SnpError::WrongSize);
    for (size_t n : { size_t { 1 }, kSignedLength, kReportSize - 1 }) {
        SCOPED_TRACE(n);
        EXPECT_RESULT_ERROR(AttestationReport::parse(ByteView(good).first(n)), SnpError::WrongSize);
    }
    Bytes longer = good;
    longer.push_back(0);
    EXPECT_RESULT_ERROR(AttestationReport::parse(longer), SnpError::WrongSize);
    // Size before version: a short buffer with a bad version is a size error.
    Bytes shortBad(100, 0xff);
    EXPECT_RESULT_ERROR(AttestationReport::parse(shortBad), SnpError::WrongSize);
    const auto r = AttestationReport::parse(ByteView(good).first(kReportSize - 1));
    EXPECT_NE(r.detail().find("1183"), std::string::npos) << r.detail();
    EXPECT_NE(r.detail().find("1184"), std::string::npos) << r.detail();
}

TEST(SnpReport, OnlyVersionsTwoAndThree)
{
    Bytes report = readBytes("snp/virtee_report_milan.bin");
    for (int v : { 0, 1, 4, 5, 0xff }) {
        SCOPED_TRACE(v);
        report[0] = static_cast<uint8_t>(v);
        EXPECT_RESULT_ERROR(AttestationReport::parse(report), SnpError::UnsupportedVersion);
    }
    report[0] = 2;
    report[3] = 1; // 0x01000002
    EXPECT_RESULT_ERROR(AttestationReport::parse(report), SnpError::UnsupportedVersion);
    report[3] = 0;
    report[0] = 3;
    const auto v3 = AttestationReport::parse(report);
    ASSERT_RESULT_OK(v3);
    EXPECT_EQ(v3->version(), 3u);
}

TEST(SnpReport, Version3CpuidFieldsNameTheGeneration)
{
    Bytes report = readBytes("snp/virtee_report_milan.bin");
    report[0] = 3;
    const struct {
        uint8_t family, model;
        std::optional<Generation> expected;
    } cases[] = {
        { 0x19, 0x01, Generation::Milan },
        { 0x19, 0x11, Generation::Genoa },
        { 0x19, 0xa0, Generation::Genoa },
        { 0x1a, 0x02, Generation::Turin },
        { 0x17, 0x31, std::nullopt },
        { 0x00, 0x00, std::nullopt },
    };
    for (const auto &c : cases) {
        report[0x188] = c.family;
        report[0x189] = c.model;
        const auto parsed = AttestationReport::parse(report);
        ASSERT_RESULT_OK(parsed);
        EXPECT_EQ(parsed->cpuidGeneration(), c.expected)
            << int { c.family } << "/" << int { c.model };
    }
    // In version 2 the same bytes are reserved.
    report[0] = 2;
    report[0x188] = 0x19;
    EXPECT_RESULT_ERROR(AttestationReport::parse(report), SnpError::NonzeroReserved);
}

TEST(SnpReport, EveryReservedByteMustBeZero)
{
    const Bytes good = readBytes("snp/virtee_report_milan.bin");
    // Reserved ranges of a version 2 report (ABI spec 56860 section 7.3).
    const std::pair<size_t, size_t> ranges[] = { { 0x04C, 0x050 }, { 0x188, 0x1A0 },
        { 0x1EB, 0x1EC }, { 0x1EF, 0x1F0 }, { 0x1F8, 0x2A0 }, { 0x330, 0x4A0 } };
    size_t tried = 0;
    for (const auto &[from, to] : ranges) {
        for (size_t at = from; at < to; ++at) {
            Bytes bad = good;
            bad[at] = 0x01;
            const auto r = AttestationReport::parse(bad);
            ASSERT_FALSE(r.ok()) << "byte " << at;
            EXPECT_EQ(r.error(), SnpError::NonzeroReserved) << "byte " << at;
            ++tried;
        }
    }
    EXPECT_EQ(tried, 4u + 24 + 1 + 1 + 168 + 368);
    // Flags at 0x48: bits 0..4 are defined, 5..31 reserved.
    for (int bit = 5; bit < 32; ++bit) {
        Bytes bad = good;
        bad[0x48 + bit / 8] = static_cast<uint8_t>(bad[0x48 + bit / 8] | (1u << (bit % 8)));
        EXPECT_RESULT_ERROR(AttestationReport::parse(bad), SnpError::NonzeroReserved);
    }
    Bytes flags = good;
    flags[0x48] = 0x1f;
    const auto ok = AttestationReport::parse(flags);
    ASSERT_RESULT_OK(ok);
    EXPECT_TRUE(ok->authorKeyEnabled());
    EXPECT_TRUE(ok->maskChipKey());
    EXPECT_EQ(ok->signingKey(), 7);
}

TEST(SnpReport, ErrorNamesAreDistinct)
{
    EXPECT_EQ(errorName(SnpError::WrongSize), "WrongSize");
    EXPECT_EQ(errorName(SnpError::ReportSignatureInvalid), "ReportSignatureInvalid");
    EXPECT_EQ(generationName(Generation::Turin), "Turin");
}

} // namespace
} // namespace sotto::snp
