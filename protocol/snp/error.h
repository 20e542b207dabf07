// SPDX-License-Identifier: GPL-3.0-or-later
// Errors of the SEV-SNP evidence verifier. Each failure carries a detail that
// names the field and gives expected vs got.
#pragma once

#include "protocol/common/result.h"

#include <string_view>

namespace sotto::snp {

enum class SnpError {
    WrongSize,                     // report is not exactly 0x4A0 bytes
    UnsupportedVersion,            // report VERSION is not 2 or 3
    NonzeroReserved,               // a reserved byte or bit is set
    UnsupportedSignatureAlgorithm, // SIGNATURE_ALGO is not 1 (ECDSA P-384/SHA-384)
    CertificateMalformed,          // a certificate could not be parsed
    UnknownRoot,                   // no pinned AMD ARK/ASK matches the chain
    ChainSignatureInvalid,         // ARK -> ASK -> VCEK signature check failed
    VcekNotEcdsaP384,              // the VCEK's key is not P-384
    VcekExtensionMissing,          // a required 1.3.6.1.4.1.3704.1.* extension is absent
    VcekExtensionMalformed,        // an AMD extension's value is not as VCEK spec 57230 says
    VcekProductMismatch,           // productName does not match the root's generation
    VcekTcbMismatch,               // VCEK SPL extensions differ from REPORTED_TCB
    VcekChipIdMismatch,            // VCEK hwID differs from CHIP_ID
    VcekExpired,                   // "now" is outside the VCEK's validity
    GenerationMismatch,            // a v3 report's CPUID says another generation
    SimulatedChainInvalid,         // a simulated chain that is not one (chain.h simulatedChain)
    ReportSignatureInvalid,        // the VCEK does not verify the report signature
    // TeePolicy (policy.h): the evidence is genuine but not acceptable.
    PolicySimulatedNotAllowed,   // a simulated TEE, and the policy does not allow-simulated
    PolicyGenerationNotAllowed,  // the generation is not in the allowed set
    PolicyDebugAllowed,          // the guest policy allows debugging (bit 19)
    PolicyMigrationAgentAllowed, // the guest policy allows a migration agent (bit 18)
    PolicyVmplMismatch,          // the report's VMPL is not the required one
    PolicyTcbTooLow,             // a REPORTED_TCB component is below the minimum
    PolicyMeasurementNotAllowed, // MEASUREMENT is not in the allowed set
    // Evidence binding (binding.h): the report is genuine but not for these keys.
    InvalidNonce,       // the client's evidence nonce is not 32 bytes
    ReportDataMismatch, // REPORT_DATA does not bind these key configs, nonce and not_after
};

std::string_view errorName(SnpError e);

template <class T> using SnpResult = Result<T, SnpError>;
using SnpStatus = Status<SnpError>;

} // namespace sotto::snp
