// SPDX-License-Identifier: GPL-3.0-or-later
// VerifiedChainCache: the same results and errors as uncached verification;
// only the ARK -> ASK -> VCEK signatures are remembered, and only for the
// exact trusted chain they were checked against.
#include "protocol/snp/chain.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <string>

namespace sotto::snp {
namespace {

constexpr int64_t kNow = 1735689600; // 2025-01-01, inside both Milan VCEKs' validity

Bytes readBytes(const std::string &path)
{
    const std::string s = test::readFile(path);
    return Bytes(s.begin(), s.end());
}

TEST(SnpCache, SameResultsAsUncached)
{
    const Bytes report = readBytes("snp/virtee_report_milan.bin");
    const Bytes vcek = readBytes("snp/virtee_vcek_milan.der");
    VerifiedChainCache cache;
    const auto uncached = verifyReport(report, vcek, kNow);
    ASSERT_RESULT_OK(uncached);
    for (int i = 0; i < 3; ++i) {
        const auto cached = verifyReport(report, vcek, kNow, pinnedAmdChains(), cache);
        ASSERT_RESULT_OK(cached);
        EXPECT_EQ(cached->measurement, uncached->measurement);
        EXPECT_EQ(cached->vcekSha256, uncached->vcekSha256);
        EXPECT_EQ(cached->generation, uncached->generation);
        EXPECT_EQ(cache.size(), 1u);
    }
    // Everything but the chain signatures is still checked on a cache hit.
    Bytes tampered = report;
    tampered[0x90] ^= 1;
    EXPECT_RESULT_ERROR(verifyReport(tampered, vcek, kNow, pinnedAmdChains(), cache),
        SnpError::ReportSignatureInvalid);
    EXPECT_RESULT_ERROR(
        verifyReport(report, vcek, 1950000000, pinnedAmdChains(), cache), SnpError::VcekExpired);
    Bytes chip = report;
    chip[0x1A0] ^= 1;
    EXPECT_RESULT_ERROR(
        verifyReport(chip, vcek, kNow, pinnedAmdChains(), cache), SnpError::VcekChipIdMismatch);
    // A VCEK that failed is not remembered.
    Bytes badVcek = vcek;
    badVcek[badVcek.size() - 10] ^= 1;
    EXPECT_RESULT_ERROR(verifyReport(report, badVcek, kNow, pinnedAmdChains(), cache),
        SnpError::ChainSignatureInvalid);
    EXPECT_RESULT_ERROR(verifyReport(report, badVcek, kNow, pinnedAmdChains(), cache),
        SnpError::ChainSignatureInvalid);
    EXPECT_EQ(cache.size(), 1u);
}

TEST(SnpCache, OnlyForTheChainItWasCheckedAgainst)
{
    const Bytes report = readBytes("snp/virtee_report_milan.bin");
    const Bytes vcek = readBytes("snp/virtee_vcek_milan.der");
    VerifiedChainCache cache;
    ASSERT_RESULT_OK(verifyReport(report, vcek, kNow, pinnedAmdChains(), cache));
    // Without Milan's chain in the trusted set, the cached entry is unusable.
    std::vector<TrustedChain> others;
    for (const TrustedChain &c : pinnedAmdChains())
        if (c.generation != Generation::Milan)
            others.push_back(c);
    EXPECT_RESULT_ERROR(verifyReport(report, vcek, kNow, others, cache), SnpError::UnknownRoot);
    EXPECT_RESULT_ERROR(verifyReport(report, vcek, kNow, {}, cache), SnpError::UnknownRoot);
}

TEST(SnpCache, CapacityIsBounded)
{
    VerifiedChainCache cache(1);
    const Bytes virtee = readBytes("snp/virtee_report_milan.bin");
    const Bytes virteeVcek = readBytes("snp/virtee_vcek_milan.der");
    const Bytes go = readBytes("snp/go-sev-guest_attestation.bin");
    const Bytes goVcek = readBytes("snp/go-sev-guest_vcek.der");
    ASSERT_RESULT_OK(verifyReport(virtee, virteeVcek, kNow, pinnedAmdChains(), cache));
    ASSERT_RESULT_OK(verifyReport(go, goVcek, kNow, pinnedAmdChains(), cache));
    EXPECT_EQ(cache.size(), 1u);
    ASSERT_RESULT_OK(verifyReport(virtee, virteeVcek, kNow, pinnedAmdChains(), cache));
    EXPECT_EQ(cache.size(), 1u);
}

} // namespace
} // namespace sotto::snp
