// SPDX-License-Identifier: GPL-3.0-or-later
// The SEV-SNP ATTESTATION_REPORT (AMD SEV-SNP ABI spec 56860, section 7.3,
// table "ATTESTATION_REPORT Structure"), versions 2 and 3. Parsing checks the
// size first, then the version, then that every reserved byte and bit is
// zero, so that no unknown data is ever silently accepted. Each field is read
// by one accessor; its offset is named once, in report.cpp.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/snp/error.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace sotto::snp {

constexpr size_t kReportSize = 0x4A0;
// The signature covers bytes [0, 0x2A0) (ABI spec 56860, section 7.3).
constexpr size_t kSignedLength = 0x2A0;

// Processor generations whose VCEK chains are pinned (chain.h).
enum class Generation { Milan, Genoa, Turin };
std::string_view generationName(Generation g);

// GUEST_POLICY (ABI spec 56860 section 4.3, table "Guest Policy Structure").
struct GuestPolicy {
    uint64_t raw = 0;

    static constexpr uint64_t kSmtAllowed = uint64_t { 1 } << 16;
    static constexpr uint64_t kReservedMustBeOne = uint64_t { 1 } << 17;
    static constexpr uint64_t kMigrateMaAllowed = uint64_t { 1 } << 18;
    static constexpr uint64_t kDebugAllowed = uint64_t { 1 } << 19;
    static constexpr uint64_t kSingleSocketRequired = uint64_t { 1 } << 20;
    static constexpr uint64_t kCxlAllowed = uint64_t { 1 } << 21;
    static constexpr uint64_t kMemAes256XtsRequired = uint64_t { 1 } << 22;
    static constexpr uint64_t kRaplDisabled = uint64_t { 1 } << 23;
    static constexpr uint64_t kCiphertextHidingRequired = uint64_t { 1 } << 24;
    static constexpr uint64_t kPageSwapDisabled = uint64_t { 1 } << 25;

    uint8_t abiMinor() const { return static_cast<uint8_t>(raw & 0xff); }
    uint8_t abiMajor() const { return static_cast<uint8_t>((raw >> 8) & 0xff); }
    bool smtAllowed() const { return raw & kSmtAllowed; }
    bool migrateMaAllowed() const { return raw & kMigrateMaAllowed; }
    bool debugAllowed() const { return raw & kDebugAllowed; }
    bool singleSocketRequired() const { return raw & kSingleSocketRequired; }
    bool cxlAllowed() const { return raw & kCxlAllowed; }
    bool memAes256XtsRequired() const { return raw & kMemAes256XtsRequired; }
    bool raplDisabled() const { return raw & kRaplDisabled; }
    bool ciphertextHidingRequired() const { return raw & kCiphertextHidingRequired; }
    bool pageSwapDisabled() const { return raw & kPageSwapDisabled; }
};

// PLATFORM_INFO (ABI spec 56860 section 7.3, table "PLATFORM_INFO Field").
struct PlatformInfo {
    uint64_t raw = 0;

    bool smtEnabled() const { return raw & (uint64_t { 1 } << 0); }
    bool tsmeEnabled() const { return raw & (uint64_t { 1 } << 1); }
    bool eccEnabled() const { return raw & (uint64_t { 1 } << 2); }
    bool raplDisabled() const { return raw & (uint64_t { 1 } << 3); }
    bool ciphertextHidingEnabled() const { return raw & (uint64_t { 1 } << 4); }
    bool aliasCheckComplete() const { return raw & (uint64_t { 1 } << 5); }
    bool tioEnabled() const { return raw & (uint64_t { 1 } << 7); }
};

// TCB_VERSION decoded (ABI spec 56860, table "TCB_VERSION Structure"). The
// byte layout depends on the generation: Milan and Genoa have bootloader
// (byte 0), TEE (1), reserved (2..5), SNP (6), microcode (7); Turin has FMC
// (0), bootloader (1), TEE (2), SNP (3), reserved (4..6), microcode (7).
struct Tcb {
    uint64_t raw = 0;
    uint8_t bootloader = 0;
    uint8_t tee = 0;
    uint8_t snp = 0;
    uint8_t microcode = 0;
    std::optional<uint8_t> fmc; // Turin only

    bool operator==(const Tcb &) const = default;
};

// Decodes a raw TCB_VERSION for `g`. NonzeroReserved when the reserved
// bytes of that layout are set.
SnpResult<Tcb> decodeTcb(uint64_t raw, Generation g);

// SIGNING_KEY in the flags word at 0x48 (ABI spec 56860 section 7.3).
enum class SigningKey : uint8_t { Vcek = 0, Vlek = 1, None = 7 };

using Digest48 = std::array<uint8_t, 48>;

class AttestationReport {
public:
    // Size first (exactly 0x4A0), then VERSION in {2, 3}, then reserved
    // bytes and bits zero. Signature algorithm and signature are checked by
    // the verifier (chain.h), not here.
    static SnpResult<AttestationReport> parse(ByteView bytes);

    uint32_t version() const;
    uint32_t guestSvn() const;
    GuestPolicy policy() const;
    ByteView familyId() const; // 16
    ByteView imageId() const;  // 16
    uint32_t vmpl() const;
    uint32_t signatureAlgorithm() const; // 1 = ECDSA P-384 with SHA-384
    uint64_t currentTcb() const;
    PlatformInfo platformInfo() const;
    bool authorKeyEnabled() const;    // AUTHOR_KEY_EN, flags bit 0
    bool maskChipKey() const;         // MASK_CHIP_KEY, flags bit 1
    uint8_t signingKey() const;       // SIGNING_KEY, flags bits 4:2 (see SigningKey)
    ByteView reportData() const;      // 64
    ByteView measurement() const;     // 48
    ByteView hostData() const;        // 32
    ByteView idKeyDigest() const;     // 48
    ByteView authorKeyDigest() const; // 48
    ByteView reportId() const;        // 32
    ByteView reportIdMa() const;      // 32
    uint64_t reportedTcb() const;
    // CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP: version 3 and later; zero in v2.
    uint8_t cpuidFamilyId() const;
    uint8_t cpuidModelId() const;
    uint8_t cpuidStepping() const;
    ByteView chipId() const; // 64
    uint64_t committedTcb() const;
    uint8_t currentBuild() const;
    uint8_t currentMinor() const;
    uint8_t currentMajor() const;
    uint8_t committedBuild() const;
    uint8_t committedMinor() const;
    uint8_t committedMajor() const;
    uint64_t launchTcb() const;
    ByteView signatureR() const; // 72, little-endian
    ByteView signatureS() const; // 72, little-endian

    // The generation a v3 report names through its CPUID fields (family
    // 0x19: Milan for models 0x00-0x0F, Genoa for 0x10-0x1F and 0xA0-0xAF;
    // family 0x1A: Turin). nullopt for v2 or an unknown model.
    std::optional<Generation> cpuidGeneration() const;

    ByteView bytes() const { return m_bytes; }
    ByteView signedBytes() const { return ByteView(m_bytes).first(kSignedLength); }

private:
    explicit AttestationReport(ByteView bytes);
    ByteView field(size_t offset, size_t length) const;
    uint8_t u8(size_t offset) const;
    uint32_t u32(size_t offset) const;
    uint64_t u64(size_t offset) const;
    Bytes m_bytes;
};

// The fields of a report to encode (the simulated provider plays the
// firmware's part with it; tests build reports with it). Every field is
// written at the offset AttestationReport reads it from; reserved bytes and
// SIGNATURE stay zero.
struct ReportFields {
    uint32_t version = 3;
    uint32_t guestSvn = 0;
    uint64_t policy = GuestPolicy::kReservedMustBeOne;
    std::array<uint8_t, 16> familyId {};
    std::array<uint8_t, 16> imageId {};
    uint32_t vmpl = 0;
    uint32_t signatureAlgorithm = 1; // ECDSA P-384 with SHA-384
    uint64_t currentTcb = 0;
    uint64_t platformInfo = 0;
    uint32_t flags = 0; // AUTHOR_KEY_EN (bit 0), MASK_CHIP_KEY (1), SIGNING_KEY (4:2)
    std::array<uint8_t, 64> reportData {};
    Digest48 measurement {};
    std::array<uint8_t, 32> hostData {};
    Digest48 idKeyDigest {};
    Digest48 authorKeyDigest {};
    std::array<uint8_t, 32> reportId {};
    std::array<uint8_t, 32> reportIdMa {};
    uint64_t reportedTcb = 0;
    uint8_t cpuidFamilyId = 0; // version 3+
    uint8_t cpuidModelId = 0;
    uint8_t cpuidStepping = 0;
    std::array<uint8_t, 64> chipId {};
    uint64_t committedTcb = 0;
    uint8_t currentBuild = 0;
    uint8_t currentMinor = 0;
    uint8_t currentMajor = 0;
    uint8_t committedBuild = 0;
    uint8_t committedMinor = 0;
    uint8_t committedMajor = 0;
    uint64_t launchTcb = 0;
};

// The 0x4A0 report bytes with SIGNATURE zero.
Bytes encodeReport(const ReportFields &fields);

// Writes the signature's R and S (72-byte little-endian fields each, as
// crypto::signEcdsaP384Sha384LittleEndian makes them) into SIGNATURE.
// WrongSize when the report is not 0x4A0 bytes or R/S not 72.
SnpStatus setReportSignature(std::span<uint8_t> report, ByteView r, ByteView s);

} // namespace sotto::snp
