// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/snp/error.h"

namespace sotto::snp {

std::string_view errorName(SnpError e)
{
    switch (e) {
    case SnpError::WrongSize:
        return "WrongSize";
    case SnpError::UnsupportedVersion:
        return "UnsupportedVersion";
    case SnpError::NonzeroReserved:
        return "NonzeroReserved";
    case SnpError::UnsupportedSignatureAlgorithm:
        return "UnsupportedSignatureAlgorithm";
    case SnpError::CertificateMalformed:
        return "CertificateMalformed";
    case SnpError::UnknownRoot:
        return "UnknownRoot";
    case SnpError::SimulatedChainInvalid:
        return "SimulatedChainInvalid";
    case SnpError::PolicySimulatedNotAllowed:
        return "PolicySimulatedNotAllowed";
    case SnpError::ChainSignatureInvalid:
        return "ChainSignatureInvalid";
    case SnpError::VcekNotEcdsaP384:
        return "VcekNotEcdsaP384";
    case SnpError::VcekExtensionMissing:
        return "VcekExtensionMissing";
    case SnpError::VcekExtensionMalformed:
        return "VcekExtensionMalformed";
    case SnpError::VcekProductMismatch:
        return "VcekProductMismatch";
    case SnpError::VcekTcbMismatch:
        return "VcekTcbMismatch";
    case SnpError::VcekChipIdMismatch:
        return "VcekChipIdMismatch";
    case SnpError::VcekExpired:
        return "VcekExpired";
    case SnpError::GenerationMismatch:
        return "GenerationMismatch";
    case SnpError::ReportSignatureInvalid:
        return "ReportSignatureInvalid";
    case SnpError::PolicyGenerationNotAllowed:
        return "PolicyGenerationNotAllowed";
    case SnpError::PolicyDebugAllowed:
        return "PolicyDebugAllowed";
    case SnpError::PolicyMigrationAgentAllowed:
        return "PolicyMigrationAgentAllowed";
    case SnpError::PolicyVmplMismatch:
        return "PolicyVmplMismatch";
    case SnpError::PolicyTcbTooLow:
        return "PolicyTcbTooLow";
    case SnpError::PolicyMeasurementNotAllowed:
        return "PolicyMeasurementNotAllowed";
    case SnpError::InvalidNonce:
        return "InvalidNonce";
    case SnpError::ReportDataMismatch:
        return "ReportDataMismatch";
    }
    return "Unknown";
}

} // namespace sotto::snp
