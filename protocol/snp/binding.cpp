// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/snp/binding.h"

#include "protocol/common/wire.h"
#include "protocol/crypto/constant_time.h"
#include "protocol/crypto/hash.h"

#include <string>

namespace sotto::snp {

SnpResult<Bytes> evidenceReportData(ByteView keyConfigs, ByteView nonce, uint64_t notAfter)
{
    if (nonce.size() != kEvidenceNonceLength)
        return fail(SnpError::InvalidNonce,
            "evidence nonce: " + std::to_string(kEvidenceNonceLength) + " bytes expected, got "
                + std::to_string(nonce.size()));
    WireWriter w;
    w.bytes(asBytes(kEvidenceLabel));
    w.bytes(crypto::sha256(keyConfigs));
    w.bytes(nonce);
    w.u64(notAfter);
    return crypto::digest(crypto::HashAlg::Sha512, w.data());
}

SnpStatus checkEvidenceBinding(
    ByteView reportData, ByteView keyConfigs, ByteView nonce, uint64_t notAfter)
{
    SOTTO_TRY(const Bytes expected, evidenceReportData(keyConfigs, nonce, notAfter));
    if (!crypto::constantTimeEqual(reportData, expected))
        return fail(SnpError::ReportDataMismatch,
            "REPORT_DATA does not bind these key configs, nonce and not_after: expected "
                + toHex(expected) + ", got " + toHex(reportData));
    return Done {};
}

} // namespace sotto::snp
