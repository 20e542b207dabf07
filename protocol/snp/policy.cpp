// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/snp/policy.h"

#include <algorithm>
#include <string>
#include <tuple>

namespace sotto::snp {

namespace {

SnpStatus atLeast(const char *component, uint8_t got, uint8_t minimum)
{
    if (got < minimum)
        return fail(SnpError::PolicyTcbTooLow,
            std::string("REPORTED_TCB ") + component + " is " + std::to_string(got)
                + ", policy requires at least " + std::to_string(minimum));
    return Done {};
}

} // namespace

SnpStatus checkPolicy(const VerificationResult &evidence, const TeePolicy &policy)
{
    if (evidence.simulated && !policy.allowSimulated)
        return fail(SnpError::PolicySimulatedNotAllowed,
            "the evidence comes from a simulated TEE (test keys, no hardware), and the policy "
            "does not allow-simulated");
    const auto &allowed = policy.allowedGenerations;
    if (std::find(allowed.begin(), allowed.end(), evidence.generation) == allowed.end())
        return fail(SnpError::PolicyGenerationNotAllowed,
            std::string(generationName(evidence.generation)) + " is not an allowed generation");

    const Tcb &tcb = evidence.reportedTcb;
    const TcbMinimum &min = policy.minimumTcb;
    for (const auto &[name, got, want] :
        { std::tuple { "bootloader", tcb.bootloader, min.bootloader },
            std::tuple { "tee", tcb.tee, min.tee }, std::tuple { "snp", tcb.snp, min.snp },
            std::tuple { "microcode", tcb.microcode, min.microcode } }) {
        if (auto s = atLeast(name, got, want); !s.ok())
            return s.failure();
    }
    if (tcb.fmc) {
        if (auto s = atLeast("fmc", *tcb.fmc, min.fmc); !s.ok())
            return s.failure();
    }

    if (evidence.policy.debugAllowed() && !policy.allowDebug)
        return fail(SnpError::PolicyDebugAllowed,
            "guest policy allows debugging (bit 19 of POLICY); the host could read guest memory");
    if (evidence.policy.migrateMaAllowed() && !policy.allowMigrationAgent)
        return fail(SnpError::PolicyMigrationAgentAllowed,
            "guest policy allows a migration agent (bit 18 of POLICY)");
    if (policy.requiredVmpl && evidence.vmpl != *policy.requiredVmpl)
        return fail(SnpError::PolicyVmplMismatch,
            "report VMPL is " + std::to_string(evidence.vmpl) + ", policy requires "
                + std::to_string(*policy.requiredVmpl));
    if (policy.allowedMeasurements) {
        const auto &set = *policy.allowedMeasurements;
        if (std::find(set.begin(), set.end(), evidence.measurement) == set.end())
            return fail(SnpError::PolicyMeasurementNotAllowed,
                "MEASUREMENT " + toHex(evidence.measurement) + " is not one of the "
                    + std::to_string(set.size()) + " allowed");
    }
    return Done {};
}

} // namespace sotto::snp
