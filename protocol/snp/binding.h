// SPDX-License-Identifier: GPL-3.0-or-later
// The binding between an attestation report and the gateway's ephemeral keys
// (DESIGN.md "Evidence bundle", issue 4):
//
//   REPORT_DATA = SHA-512("sotto-evidence-v1" || SHA-256(key configs)
//                         || nonce || not_after as u64 big-endian)
//
// `key configs` are the exact application/ohttp-keys bytes the gateway serves
// (RFC 9458 Section 3.2), `nonce` the client's fresh 32 bytes, `not_after`
// the unix time until which the gateway promises to keep these keys. A report
// whose REPORT_DATA matches was produced for these keys and this request for
// evidence, so a recorded report cannot vouch for other keys or be replayed.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/snp/error.h"

#include <cstdint>
#include <string_view>

namespace sotto::snp {

inline constexpr std::string_view kEvidenceLabel = "sotto-evidence-v1";
inline constexpr size_t kEvidenceNonceLength = 32;
inline constexpr size_t kReportDataLength = 64; // SHA-512, the whole REPORT_DATA field

// The 64 REPORT_DATA bytes the gateway asks the firmware to sign.
SnpResult<Bytes> evidenceReportData(ByteView keyConfigs, ByteView nonce, uint64_t notAfter);

// Recomputes the binding from what the client holds and compares it with the
// report's REPORT_DATA in constant time. ReportDataMismatch names both values
// (they are public hashes).
SnpStatus checkEvidenceBinding(
    ByteView reportData, ByteView keyConfigs, ByteView nonce, uint64_t notAfter);

} // namespace sotto::snp
