// SPDX-License-Identifier: GPL-3.0-or-later
// What a client accepts from genuine SEV-SNP evidence. verifyReport (chain.h)
// establishes what the hardware attested; checkPolicy decides whether that is
// good enough: allowed generations, minimum TCB per component, debug and
// migration agent forbidden unless explicitly allowed (ABI spec 56860 section
// 4.3, "Guest Policy": with DEBUG set the hypervisor can read and write guest
// memory, with MIGRATE_MA a migration agent can export it), the VMPL the
// report was requested at, and the allowed launch measurements.
#pragma once

#include "protocol/snp/chain.h"

#include <optional>
#include <vector>

namespace sotto::snp {

// Minimum security patch level per REPORTED_TCB component. fmc applies to
// Turin only (the other layouts have no FMC).
struct TcbMinimum {
    uint8_t bootloader = 0;
    uint8_t tee = 0;
    uint8_t snp = 0;
    uint8_t microcode = 0;
    uint8_t fmc = 0;
};

struct TeePolicy {
    // Accept evidence from a simulated TEE (VerificationResult::simulated):
    // development stacks only; a UI shows such evidence as "development",
    // never as verified.
    bool allowSimulated = false;
    std::vector<Generation> allowedGenerations { Generation::Milan, Generation::Genoa,
        Generation::Turin };
    TcbMinimum minimumTcb;
    bool allowDebug = false;
    bool allowMigrationAgent = false;
    // The VMPL the report must carry (0: requested by the most privileged
    // level, i.e. by the guest kernel itself); nullopt accepts any.
    std::optional<uint32_t> requiredVmpl = 0;
    // The allowed 48-byte MEASUREMENTs. nullopt: not checked here, because
    // the caller checks the measurement against a transparency log instead.
    std::optional<std::vector<Bytes>> allowedMeasurements;
};

// The first unmet requirement, with expected vs got; checks run in the order
// the fields are declared above.
SnpStatus checkPolicy(const VerificationResult &evidence, const TeePolicy &policy);

} // namespace sotto::snp
