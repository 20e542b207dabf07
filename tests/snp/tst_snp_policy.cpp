// SPDX-License-Identifier: GPL-3.0-or-later
// checkPolicy on the evidence of the real Milan samples: the default policy
// refuses the go-sev-guest report for its debug bit (SPECS.md "Surprises")
// and accepts the virtee one; each requirement fails with its own code.
#include "protocol/snp/policy.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <string>

namespace sotto::snp {
namespace {

constexpr int64_t kNow = 1735689600; // 2025-01-01, inside both VCEKs' validity

VerificationResult evidence(const char *report, const char *vcek)
{
    const std::string r = test::readFile(report);
    const std::string v = test::readFile(vcek);
    auto result = verifyReport(Bytes(r.begin(), r.end()), Bytes(v.begin(), v.end()), kNow);
    EXPECT_RESULT_OK(result);
    return result.ok() ? *result : VerificationResult {};
}

VerificationResult goSevGuest()
{
    return evidence("snp/go-sev-guest_attestation.bin", "snp/go-sev-guest_vcek.der");
}

VerificationResult virtee()
{
    return evidence("snp/virtee_report_milan.bin", "snp/virtee_vcek_milan.der");
}

TEST(SnpPolicy, DebugIsRefusedByDefault)
{
    const VerificationResult debug = goSevGuest();
    ASSERT_TRUE(debug.policy.debugAllowed());
    EXPECT_RESULT_ERROR(checkPolicy(debug, TeePolicy {}), SnpError::PolicyDebugAllowed);
    TeePolicy allowDebug;
    allowDebug.allowDebug = true;
    EXPECT_RESULT_OK(checkPolicy(debug, allowDebug));
    EXPECT_RESULT_OK(checkPolicy(virtee(), TeePolicy {}));
}

TEST(SnpPolicy, MinimumTcbPerComponent)
{
    const VerificationResult e = virtee(); // bootloader 3, tee 0, snp 8, microcode 115
    TeePolicy p;
    p.minimumTcb = { 3, 0, 8, 115, 0 };
    EXPECT_RESULT_OK(checkPolicy(e, p));
    const TcbMinimum tooHigh[]
        = { { 4, 0, 8, 115, 0 }, { 3, 1, 8, 115, 0 }, { 3, 0, 9, 115, 0 }, { 3, 0, 8, 116, 0 } };
    for (const TcbMinimum &m : tooHigh) {
        p.minimumTcb = m;
        const auto r = checkPolicy(e, p);
        EXPECT_RESULT_ERROR(r, SnpError::PolicyTcbTooLow);
        EXPECT_NE(r.detail().find("at least"), std::string::npos) << r.detail();
    }
    // fmc only exists on Turin: a Milan TCB is not held to it.
    p.minimumTcb = { 0, 0, 0, 0, 5 };
    EXPECT_RESULT_OK(checkPolicy(e, p));
    VerificationResult turin = e;
    turin.generation = Generation::Turin;
    turin.reportedTcb.fmc = 4;
    EXPECT_RESULT_ERROR(checkPolicy(turin, p), SnpError::PolicyTcbTooLow);
}

TEST(SnpPolicy, GenerationVmplMigrationAgentMeasurement)
{
    const VerificationResult e = virtee();
    TeePolicy p;
    p.allowedGenerations = { Generation::Genoa, Generation::Turin };
    EXPECT_RESULT_ERROR(checkPolicy(e, p), SnpError::PolicyGenerationNotAllowed);

    p = TeePolicy {};
    p.requiredVmpl = 1;
    EXPECT_RESULT_ERROR(checkPolicy(e, p), SnpError::PolicyVmplMismatch);
    p.requiredVmpl = std::nullopt;
    EXPECT_RESULT_OK(checkPolicy(e, p));

    VerificationResult ma = e;
    ma.policy.raw |= GuestPolicy::kMigrateMaAllowed;
    EXPECT_RESULT_ERROR(checkPolicy(ma, TeePolicy {}), SnpError::PolicyMigrationAgentAllowed);
    p = TeePolicy {};
    p.allowMigrationAgent = true;
    EXPECT_RESULT_OK(checkPolicy(ma, p));

    p = TeePolicy {};
    p.allowedMeasurements = std::vector<Bytes> { goSevGuest().measurement };
    EXPECT_RESULT_ERROR(checkPolicy(e, p), SnpError::PolicyMeasurementNotAllowed);
    p.allowedMeasurements->push_back(e.measurement);
    EXPECT_RESULT_OK(checkPolicy(e, p));
    p.allowedMeasurements->clear();
    EXPECT_RESULT_ERROR(checkPolicy(e, p), SnpError::PolicyMeasurementNotAllowed);
}

} // namespace
} // namespace sotto::snp
