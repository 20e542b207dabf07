// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/snp/report.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace sotto::snp {

namespace {

// Field offsets and sizes of ATTESTATION_REPORT (ABI spec 56860 section 7.3,
// table "ATTESTATION_REPORT Structure"). Named once, here.
struct Field {
    size_t offset;
    size_t length;
};
constexpr Field kVersion { 0x000, 4 };
constexpr Field kGuestSvn { 0x004, 4 };
constexpr Field kPolicy { 0x008, 8 };
constexpr Field kFamilyId { 0x010, 16 };
constexpr Field kImageId { 0x020, 16 };
constexpr Field kVmpl { 0x030, 4 };
constexpr Field kSignatureAlgo { 0x034, 4 };
constexpr Field kCurrentTcb { 0x038, 8 };
constexpr Field kPlatformInfo { 0x040, 8 };
constexpr Field kFlags { 0x048, 4 }; // AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY
constexpr Field kReserved04C { 0x04C, 4 };
constexpr Field kReportData { 0x050, 64 };
constexpr Field kMeasurement { 0x090, 48 };
constexpr Field kHostData { 0x0C0, 32 };
constexpr Field kIdKeyDigest { 0x0E0, 48 };
constexpr Field kAuthorKeyDigest { 0x110, 48 };
constexpr Field kReportId { 0x140, 32 };
constexpr Field kReportIdMa { 0x160, 32 };
constexpr Field kReportedTcb { 0x180, 8 };
constexpr Field kCpuidFamId { 0x188, 1 }; // version 3+
constexpr Field kCpuidModId { 0x189, 1 }; // version 3+
constexpr Field kCpuidStep { 0x18A, 1 };  // version 3+
constexpr Field kReserved18B { 0x18B, 0x1A0 - 0x18B };
constexpr Field kChipId { 0x1A0, 64 };
constexpr Field kCommittedTcb { 0x1E0, 8 };
constexpr Field kCurrentBuild { 0x1E8, 1 };
constexpr Field kCurrentMinor { 0x1E9, 1 };
constexpr Field kCurrentMajor { 0x1EA, 1 };
constexpr Field kReserved1EB { 0x1EB, 1 };
constexpr Field kCommittedBuild { 0x1EC, 1 };
constexpr Field kCommittedMinor { 0x1ED, 1 };
constexpr Field kCommittedMajor { 0x1EE, 1 };
constexpr Field kReserved1EF { 0x1EF, 1 };
constexpr Field kLaunchTcb { 0x1F0, 8 };
// 0x1F8..0x29F: reserved in versions 2 and 3 (version 5 puts the
// LAUNCH/CURRENT_MIT_VECTOR fields at 0x1F8 and 0x200).
constexpr Field kReserved1F8 { 0x1F8, 0x2A0 - 0x1F8 };
// SIGNATURE at 0x2A0 (0x200 bytes), table "ECDSA P-384 with SHA-384
// Signature Format": R (72 bytes LE), S (72 bytes LE), then reserved.
constexpr Field kSignatureR { 0x2A0, 72 };
constexpr Field kSignatureS { 0x2E8, 72 };
constexpr Field kReservedSignature { 0x330, kReportSize - 0x330 };

// Flags word at 0x48: bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits 4:2
// SIGNING_KEY; bits 31:5 reserved.
constexpr uint32_t kFlagsDefined = 0x1f;

constexpr uint32_t kMinVersion = 2;
constexpr uint32_t kMaxVersion = 3;

std::string hexNumber(uint64_t v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

SnpStatus checkZero(ByteView report, Field f, const char *name)
{
    const auto bytes = report.subspan(f.offset, f.length);
    const auto it = std::find_if(bytes.begin(), bytes.end(), [](uint8_t b) { return b != 0; });
    if (it == bytes.end())
        return Done {};
    const size_t at = f.offset + static_cast<size_t>(it - bytes.begin());
    return fail(SnpError::NonzeroReserved,
        std::string(name) + ": byte " + hexNumber(at) + " is " + hexNumber(*it) + ", expected 0");
}

void writeLe(std::span<uint8_t> report, Field f, uint64_t v)
{
    for (size_t i = 0; i < f.length; ++i)
        report[f.offset + i] = static_cast<uint8_t>(v >> (8 * i));
}

void writeBytes(std::span<uint8_t> report, Field f, ByteView b)
{
    std::copy(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(f.length),
        report.begin() + static_cast<std::ptrdiff_t>(f.offset));
}

uint64_t readLe(ByteView b)
{
    uint64_t v = 0;
    for (size_t i = b.size(); i-- > 0;)
        v = (v << 8) | b[i];
    return v;
}

} // namespace

std::string_view generationName(Generation g)
{
    switch (g) {
    case Generation::Milan:
        return "Milan";
    case Generation::Genoa:
        return "Genoa";
    case Generation::Turin:
        return "Turin";
    }
    return "Unknown";
}

SnpResult<Tcb> decodeTcb(uint64_t raw, Generation g)
{
    const auto byte = [raw](int i) { return static_cast<uint8_t>((raw >> (8 * i)) & 0xff); };
    Tcb tcb;
    tcb.raw = raw;
    uint64_t reservedMask = 0;
    if (g == Generation::Turin) {
        tcb.fmc = byte(0);
        tcb.bootloader = byte(1);
        tcb.tee = byte(2);
        tcb.snp = byte(3);
        tcb.microcode = byte(7);
        reservedMask = 0x00ffffff00000000ULL; // bytes 4..6
    } else {
        tcb.bootloader = byte(0);
        tcb.tee = byte(1);
        tcb.snp = byte(6);
        tcb.microcode = byte(7);
        reservedMask = 0x0000ffffffff0000ULL; // bytes 2..5
    }
    if (raw & reservedMask)
        return fail(SnpError::NonzeroReserved,
            "TCB_VERSION " + hexNumber(raw) + " has reserved bits " + hexNumber(raw & reservedMask)
                + " set for " + std::string(generationName(g)));
    return tcb;
}

AttestationReport::AttestationReport(ByteView bytes)
    : m_bytes(bytes.begin(), bytes.end())
{ }

SnpResult<AttestationReport> AttestationReport::parse(ByteView bytes)
{
    if (bytes.size() != kReportSize)
        return fail(SnpError::WrongSize,
            "report is " + std::to_string(bytes.size()) + " bytes, expected "
                + std::to_string(kReportSize));
    AttestationReport report(bytes);
    const uint32_t version = report.version();
    if (version < kMinVersion || version > kMaxVersion)
        return fail(SnpError::UnsupportedVersion,
            "report VERSION is " + std::to_string(version) + ", expected 2 or 3");
    const uint32_t flags = report.u32(kFlags.offset);
    if (flags & ~kFlagsDefined)
        return fail(SnpError::NonzeroReserved,
            "flags at 0x48 are " + hexNumber(flags) + ", reserved bits "
                + hexNumber(flags & ~kFlagsDefined) + " set");
    if (auto s = checkZero(bytes, kReserved04C, "reserved 0x4C"); !s.ok())
        return s.failure();
    if (version == 2) {
        // The CPUID fields were added in version 3; in version 2 they are
        // part of the reserved range.
        if (auto s = checkZero(bytes, { kCpuidFamId.offset, 3 }, "reserved 0x188 (v2)"); !s.ok())
            return s.failure();
    }
    if (auto s = checkZero(bytes, kReserved18B, "reserved 0x18B"); !s.ok())
        return s.failure();
    if (auto s = checkZero(bytes, kReserved1EB, "reserved 0x1EB"); !s.ok())
        return s.failure();
    if (auto s = checkZero(bytes, kReserved1EF, "reserved 0x1EF"); !s.ok())
        return s.failure();
    if (auto s = checkZero(bytes, kReserved1F8, "reserved 0x1F8"); !s.ok())
        return s.failure();
    if (auto s = checkZero(bytes, kReservedSignature, "reserved signature 0x330"); !s.ok())
        return s.failure();
    return report;
}

ByteView AttestationReport::field(size_t offset, size_t length) const
{
    return ByteView(m_bytes).subspan(offset, length);
}
uint8_t AttestationReport::u8(size_t offset) const
{
    return m_bytes[offset];
}
uint32_t AttestationReport::u32(size_t offset) const
{
    return static_cast<uint32_t>(readLe(field(offset, 4)));
}
uint64_t AttestationReport::u64(size_t offset) const
{
    return readLe(field(offset, 8));
}

uint32_t AttestationReport::version() const
{
    return u32(kVersion.offset);
}
uint32_t AttestationReport::guestSvn() const
{
    return u32(kGuestSvn.offset);
}
GuestPolicy AttestationReport::policy() const
{
    return GuestPolicy { u64(kPolicy.offset) };
}
ByteView AttestationReport::familyId() const
{
    return field(kFamilyId.offset, kFamilyId.length);
}
ByteView AttestationReport::imageId() const
{
    return field(kImageId.offset, kImageId.length);
}
uint32_t AttestationReport::vmpl() const
{
    return u32(kVmpl.offset);
}
uint32_t AttestationReport::signatureAlgorithm() const
{
    return u32(kSignatureAlgo.offset);
}
uint64_t AttestationReport::currentTcb() const
{
    return u64(kCurrentTcb.offset);
}
PlatformInfo AttestationReport::platformInfo() const
{
    return PlatformInfo { u64(kPlatformInfo.offset) };
}
bool AttestationReport::authorKeyEnabled() const
{
    return u32(kFlags.offset) & 0x1;
}
bool AttestationReport::maskChipKey() const
{
    return u32(kFlags.offset) & 0x2;
}
uint8_t AttestationReport::signingKey() const
{
    return static_cast<uint8_t>((u32(kFlags.offset) >> 2) & 0x7);
}
ByteView AttestationReport::reportData() const
{
    return field(kReportData.offset, kReportData.length);
}
ByteView AttestationReport::measurement() const
{
    return field(kMeasurement.offset, kMeasurement.length);
}
ByteView AttestationReport::hostData() const
{
    return field(kHostData.offset, kHostData.length);
}
ByteView AttestationReport::idKeyDigest() const
{
    return field(kIdKeyDigest.offset, kIdKeyDigest.length);
}
ByteView AttestationReport::authorKeyDigest() const
{
    return field(kAuthorKeyDigest.offset, kAuthorKeyDigest.length);
}
ByteView AttestationReport::reportId() const
{
    return field(kReportId.offset, kReportId.length);
}
ByteView AttestationReport::reportIdMa() const
{
    return field(kReportIdMa.offset, kReportIdMa.length);
}
uint64_t AttestationReport::reportedTcb() const
{
    return u64(kReportedTcb.offset);
}
uint8_t AttestationReport::cpuidFamilyId() const
{
    return u8(kCpuidFamId.offset);
}
uint8_t AttestationReport::cpuidModelId() const
{
    return u8(kCpuidModId.offset);
}
uint8_t AttestationReport::cpuidStepping() const
{
    return u8(kCpuidStep.offset);
}
ByteView AttestationReport::chipId() const
{
    return field(kChipId.offset, kChipId.length);
}
uint64_t AttestationReport::committedTcb() const
{
    return u64(kCommittedTcb.offset);
}
uint8_t AttestationReport::currentBuild() const
{
    return u8(kCurrentBuild.offset);
}
uint8_t AttestationReport::currentMinor() const
{
    return u8(kCurrentMinor.offset);
}
uint8_t AttestationReport::currentMajor() const
{
    return u8(kCurrentMajor.offset);
}
uint8_t AttestationReport::committedBuild() const
{
    return u8(kCommittedBuild.offset);
}
uint8_t AttestationReport::committedMinor() const
{
    return u8(kCommittedMinor.offset);
}
uint8_t AttestationReport::committedMajor() const
{
    return u8(kCommittedMajor.offset);
}
uint64_t AttestationReport::launchTcb() const
{
    return u64(kLaunchTcb.offset);
}
ByteView AttestationReport::signatureR() const
{
    return field(kSignatureR.offset, kSignatureR.length);
}
ByteView AttestationReport::signatureS() const
{
    return field(kSignatureS.offset, kSignatureS.length);
}

std::optional<Generation> AttestationReport::cpuidGeneration() const
{
    if (version() < 3)
        return std::nullopt;
    const uint8_t family = cpuidFamilyId();
    const uint8_t model = cpuidModelId();
    // AMD family 19h: Milan models 00h-0Fh, Genoa 10h-1Fh and A0h-AFh;
    // family 1Ah: Turin 00h-1Fh.
    if (family == 0x19 && model <= 0x0f)
        return Generation::Milan;
    if (family == 0x19 && ((model >= 0x10 && model <= 0x1f) || (model >= 0xa0 && model <= 0xaf)))
        return Generation::Genoa;
    if (family == 0x1a && model <= 0x1f)
        return Generation::Turin;
    return std::nullopt;
}

Bytes encodeReport(const ReportFields &f)
{
    Bytes out(kReportSize, 0);
    writeLe(out, kVersion, f.version);
    writeLe(out, kGuestSvn, f.guestSvn);
    writeLe(out, kPolicy, f.policy);
    writeBytes(out, kFamilyId, f.familyId);
    writeBytes(out, kImageId, f.imageId);
    writeLe(out, kVmpl, f.vmpl);
    writeLe(out, kSignatureAlgo, f.signatureAlgorithm);
    writeLe(out, kCurrentTcb, f.currentTcb);
    writeLe(out, kPlatformInfo, f.platformInfo);
    writeLe(out, kFlags, f.flags);
    writeBytes(out, kReportData, f.reportData);
    writeBytes(out, kMeasurement, f.measurement);
    writeBytes(out, kHostData, f.hostData);
    writeBytes(out, kIdKeyDigest, f.idKeyDigest);
    writeBytes(out, kAuthorKeyDigest, f.authorKeyDigest);
    writeBytes(out, kReportId, f.reportId);
    writeBytes(out, kReportIdMa, f.reportIdMa);
    writeLe(out, kReportedTcb, f.reportedTcb);
    writeLe(out, kCpuidFamId, f.cpuidFamilyId);
    writeLe(out, kCpuidModId, f.cpuidModelId);
    writeLe(out, kCpuidStep, f.cpuidStepping);
    writeBytes(out, kChipId, f.chipId);
    writeLe(out, kCommittedTcb, f.committedTcb);
    writeLe(out, kCurrentBuild, f.currentBuild);
    writeLe(out, kCurrentMinor, f.currentMinor);
    writeLe(out, kCurrentMajor, f.currentMajor);
    writeLe(out, kCommittedBuild, f.committedBuild);
    writeLe(out, kCommittedMinor, f.committedMinor);
    writeLe(out, kCommittedMajor, f.committedMajor);
    writeLe(out, kLaunchTcb, f.launchTcb);
    return out;
}

SnpStatus setReportSignature(std::span<uint8_t> report, ByteView r, ByteView s)
{
    if (report.size() != kReportSize)
        return fail(SnpError::WrongSize,
            "report is " + std::to_string(report.size()) + " bytes, expected "
                + std::to_string(kReportSize));
    if (r.size() != kSignatureR.length || s.size() != kSignatureS.length)
        return fail(SnpError::WrongSize,
            "signature R/S are " + std::to_string(r.size()) + "/" + std::to_string(s.size())
                + " bytes, expected 72 each");
    writeBytes(report, kSignatureR, r);
    writeBytes(report, kSignatureS, s);
    return Done {};
}

} // namespace sotto::snp
