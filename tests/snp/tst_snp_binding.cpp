// SPDX-License-Identifier: GPL-3.0-or-later
// The REPORT_DATA binding of DESIGN.md / issue 4, recomputed independently
// here from its definition, and every way a binding can fail to match.
#include "protocol/crypto/hash.h"
#include "protocol/snp/binding.h"
#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

using namespace sotto;
using namespace sotto::snp;

namespace {

// RFC 9458 Appendix A's key configuration as an application/ohttp-keys body.
Bytes keyConfigs()
{
    return test::hex("002d01002031e1f05a740102115220e9af918f738674aec95f54db6e04eb705aae8e79815"
                     "500080001000100010003");
}

Bytes nonce(uint8_t fill = 0x5a)
{
    return Bytes(kEvidenceNonceLength, fill);
}

constexpr uint64_t kNotAfter = 0x0000000069263e00; // 2025-11-25T23:38:40Z

// SHA-512 over the concatenation spelled out byte by byte.
Bytes expectedBinding(const Bytes &configs, const Bytes &n, uint64_t notAfter)
{
    Bytes in = toBytes("sotto-evidence-v1");
    const Bytes h = crypto::sha256(configs);
    in.insert(in.end(), h.begin(), h.end());
    in.insert(in.end(), n.begin(), n.end());
    for (int shift = 56; shift >= 0; shift -= 8)
        in.push_back(static_cast<uint8_t>(notAfter >> shift));
    return crypto::digest(crypto::HashAlg::Sha512, in);
}

TEST(EvidenceBinding, IsSha512OfLabelKeyHashNonceAndNotAfter)
{
    auto rd = evidenceReportData(keyConfigs(), nonce(), kNotAfter);
    ASSERT_RESULT_OK(rd);
    EXPECT_EQ(rd->size(), kReportDataLength);
    EXPECT_EQ(*rd, expectedBinding(keyConfigs(), nonce(), kNotAfter));
    EXPECT_RESULT_OK(checkEvidenceBinding(*rd, keyConfigs(), nonce(), kNotAfter));
}

TEST(EvidenceBinding, EveryInputChangesTheBinding)
{
    const Bytes rd = *evidenceReportData(keyConfigs(), nonce(), kNotAfter);
    Bytes otherKeys = keyConfigs();
    otherKeys[10] ^= 0x01;
    EXPECT_RESULT_ERROR(
        checkEvidenceBinding(rd, otherKeys, nonce(), kNotAfter), SnpError::ReportDataMismatch);
    EXPECT_RESULT_ERROR(checkEvidenceBinding(rd, keyConfigs(), nonce(0x5b), kNotAfter),
        SnpError::ReportDataMismatch);
    EXPECT_RESULT_ERROR(checkEvidenceBinding(rd, keyConfigs(), nonce(), kNotAfter + 1),
        SnpError::ReportDataMismatch);
    EXPECT_RESULT_ERROR(
        checkEvidenceBinding(rd, Bytes {}, nonce(), kNotAfter), SnpError::ReportDataMismatch);
}

TEST(EvidenceBinding, AlteredOrShortReportDataIsRefused)
{
    const Bytes rd = *evidenceReportData(keyConfigs(), nonce(), kNotAfter);
    for (size_t i = 0; i < rd.size(); ++i) {
        Bytes flipped = rd;
        flipped[i] ^= 0x80;
        EXPECT_RESULT_ERROR(checkEvidenceBinding(flipped, keyConfigs(), nonce(), kNotAfter),
            SnpError::ReportDataMismatch)
            << "byte " << i;
    }
    EXPECT_RESULT_ERROR(
        checkEvidenceBinding(ByteView(rd).first(63), keyConfigs(), nonce(), kNotAfter),
        SnpError::ReportDataMismatch);
    EXPECT_RESULT_ERROR(checkEvidenceBinding(Bytes(64, 0), keyConfigs(), nonce(), kNotAfter),
        SnpError::ReportDataMismatch);
}

TEST(EvidenceBinding, NonceMustBe32Bytes)
{
    for (size_t n : { size_t { 0 }, size_t { 31 }, size_t { 33 }, size_t { 64 } }) {
        EXPECT_RESULT_ERROR(
            evidenceReportData(keyConfigs(), Bytes(n, 1), kNotAfter), SnpError::InvalidNonce)
            << n;
        EXPECT_RESULT_ERROR(
            checkEvidenceBinding(Bytes(64, 0), keyConfigs(), Bytes(n, 1), kNotAfter),
            SnpError::InvalidNonce)
            << n;
    }
}

} // namespace
