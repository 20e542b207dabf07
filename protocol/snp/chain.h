// SPDX-License-Identifier: GPL-3.0-or-later
// Verification of an SEV-SNP attestation report against AMD's certificate
// chain (AMD SEV-SNP ABI spec 56860 section 7.3 "Attestation"; AMD VCEK spec
// 57230): ARK (self-signed, pinned) -> ASK (pinned) -> VCEK, all RSASSA-PSS
// SHA-384; then the report's ECDSA P-384/SHA-384 signature over [0, 0x2A0)
// with the VCEK key; then the VCEK's AMD extensions bind it to the report
// (TCB SVNs = REPORTED_TCB, hwID = CHIP_ID). Guest policy (debug, TCB
// minimums, measurements) is a separate, later step: this says only what the
// hardware attested.
#pragma once

#include "protocol/crypto/x509.h"
#include "protocol/snp/report.h"

#include <cstdint>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

namespace sotto::snp {

// One trusted ARK -> ASK pair for a generation. `simulated`: a development
// chain of the simulated provider (simulatedChain below), never AMD's.
struct TrustedChain {
    Generation generation;
    crypto::Certificate ark;
    crypto::Certificate ask;
    bool simulated = false;
};

// AMD's ARK and ASK for Milan, Genoa and Turin, built into the binary (see
// amd_roots.cpp for the source and the SHA-256 fingerprints, which are
// checked when they are loaded: a mismatch aborts).
const std::vector<TrustedChain> &pinnedAmdChains();

// Everything the hardware attested, for a user or an auditor.
struct VerificationResult {
    Generation generation;
    uint32_t version = 0;
    uint32_t guestSvn = 0;
    GuestPolicy policy;
    uint32_t vmpl = 0;
    PlatformInfo platformInfo;
    Bytes measurement; // 48
    Bytes reportData;  // 64
    Bytes hostData;    // 32
    Bytes chipId;      // 64
    Bytes reportId;    // 32
    Tcb reportedTcb;
    Tcb currentTcb;
    Tcb committedTcb;
    Tcb launchTcb;
    Bytes vcekSha256; // fingerprint of the VCEK that signed
    // Signed by a simulated chain (development): no hardware attested this.
    // checkPolicy refuses it unless the policy says allowSimulated.
    bool simulated = false;
};

// AMD VCEK spec 57230 section 3.1 "VCEK Certificate Extensions".
namespace oid {
inline constexpr const char *kStructVersion = "1.3.6.1.4.1.3704.1.1";
inline constexpr const char *kProductName = "1.3.6.1.4.1.3704.1.2";
inline constexpr const char *kBootloaderSpl = "1.3.6.1.4.1.3704.1.3.1";
inline constexpr const char *kTeeSpl = "1.3.6.1.4.1.3704.1.3.2";
inline constexpr const char *kSnpSpl = "1.3.6.1.4.1.3704.1.3.3";
inline constexpr const char *kMicrocodeSpl = "1.3.6.1.4.1.3704.1.3.8";
inline constexpr const char *kFmcSpl = "1.3.6.1.4.1.3704.1.3.9";
inline constexpr const char *kHwId = "1.3.6.1.4.1.3704.1.4";
} // namespace oid

// The common names of a simulated chain (tee-backend/attestation simulated
// provider): "Sotto Simulated ARK-<Generation>", "Sotto Simulated
// ASK-<Generation>", "Sotto Simulated VCEK".
inline constexpr std::string_view kSimulatedNamePrefix = "Sotto Simulated ";

// A simulated provider's ARK -> ASK pair, as it comes in an evidence bundle,
// turned into a TrustedChain with simulated = true. SimulatedChainInvalid
// unless both are named as above for the same generation, neither is (or
// claims to be) one of AMD's pinned certificates, the ARK is self-signed and
// signs the ASK (ChainSignatureInvalid otherwise); CertificateMalformed for
// bytes that are no certificate. Only a client whose policy allows simulated
// TEEs should build one; checkPolicy refuses the result otherwise.
SnpResult<TrustedChain> simulatedChain(ByteView arkDer, ByteView askDer);

// Verifies `report` signed by the DER certificate `vcekDer`, at time `now`
// (seconds since the Unix epoch; checked against the VCEK's validity), with
// the given trusted chains (the generation is the one whose ASK issued the
// VCEK; a v3 report's CPUID generation must agree). Simulated and AMD chains
// are never mixed in one call (UnknownRoot).
SnpResult<VerificationResult> verifyReport(
    ByteView report, ByteView vcekDer, int64_t now, std::span<const TrustedChain> trusted);

// Remembers VCEKs whose ARK -> ASK -> VCEK signatures verified (keyed by the
// VCEK's DER and the exact trusted ARK/ASK), so that further reports signed by
// the same VCEK cost one ECDSA verification instead of also three RSA-4096
// ones. Everything else (report parsing, validity at `now`, the VCEK's
// extensions against the report, the report signature) is checked on every
// call. Thread-safe; holds at most `capacity` VCEKs, dropping the oldest.
class VerifiedChainCache {
public:
    explicit VerifiedChainCache(size_t capacity = 64);
    size_t size() const;

private:
    friend SnpResult<VerificationResult> verifyReportImpl(
        ByteView, ByteView, int64_t, std::span<const TrustedChain>, VerifiedChainCache *);
    struct Entry {
        Bytes vcekSha256;
        crypto::Certificate vcek;
        Bytes arkDer;
        Bytes askDer;
        bool simulated;
    };
    size_t m_capacity;
    mutable std::mutex m_mutex;
    std::vector<Entry> m_entries;
};

// verifyReport with a cache of verified chains (same results and errors).
SnpResult<VerificationResult> verifyReport(ByteView report, ByteView vcekDer, int64_t now,
    std::span<const TrustedChain> trusted, VerifiedChainCache &cache);

// The same with AMD's pinned chains.
SnpResult<VerificationResult> verifyReport(ByteView report, ByteView vcekDer, int64_t now);

} // namespace sotto::snp
