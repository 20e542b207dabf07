// SPDX-License-Identifier: GPL-3.0-or-later
// Attestation providers: how the gateway gets a signed SEV-SNP report whose
// REPORT_DATA it chooses (protocol/snp/binding.h), with the certificates a
// client needs to check it.
//
//   configfs-tsm  Linux >= 6.7, /sys/kernel/config/tsm/report (inblob/outblob/
//                 auxblob)
//   sev-guest     /dev/sev-guest, SNP_GET_EXT_REPORT (report + certificate table)
//   simulated     development only: a "Sotto Simulated" ARK -> ASK -> VCEK chain
//                 kept in a directory of the dev stack, reports in the exact
//                 AMD format; never pinned as AMD, a client accepts it only
//                 when its policy says allow-simulated.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/common/result.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::attestation {

enum class AttestError {
    Unavailable,    // the provider's device or directory is not there
    DeviceFailed,   // the kernel/firmware refused (errno and firmware code in detail)
    BadResponse,    // the device returned something that is not a valid report/cert table
    BadReportData,  // REPORT_DATA is not 64 bytes
    NoCertificates, // no VCEK from the device and none configured
    StorageFailed,  // the simulated chain directory cannot be read or written
};

std::string_view errorName(AttestError e);

template <class T> using AttestResult = Result<T, AttestError>;
using AttestStatus = Status<AttestError>;

struct Evidence {
    std::string provider;     // "configfs-tsm" | "sev-guest" | "simulated"
    Bytes report;             // 0x4A0 bytes, as the firmware (or the simulator) signed it
    Bytes vcek;               // DER
    std::optional<Bytes> ask; // DER, when known
    // DER; the simulated provider only (its root cannot be pinned by clients,
    // see protocol/formats/evidence.h). Real providers leave it empty: AMD's
    // ARKs are pinned in protocol/snp.
    std::optional<Bytes> ark;
};

class Provider {
public:
    virtual ~Provider() = default;
    virtual std::string_view name() const = 0;
    // One report for these 64 bytes of REPORT_DATA. Thread-safe.
    virtual AttestResult<Evidence> attest(ByteView reportData) = 0;
};

struct ProviderOptions {
    // "auto" picks configfs-tsm, then sev-guest, when their device exists;
    // it never falls back to "simulated" (that must be asked for by name).
    std::string kind = "auto";
    // simulated: where the test chain is created once and kept (0700 dir).
    std::filesystem::path simulatedDir;
    // simulated: the files whose bytes make the launch measurement (the
    // gateway binary and its configuration), in this order.
    std::vector<std::filesystem::path> measuredFiles;
    // real providers: VCEK/ASK DER files when the host does not supply them.
    std::optional<std::filesystem::path> vcekFile;
    std::optional<std::filesystem::path> askFile;
    // configfs-tsm: the report directory (Linux ABI configfs-tsm-report);
    // tests point it at a directory tree of recorded bytes.
    std::filesystem::path configfsTsmRoot = "/sys/kernel/config/tsm/report";
    // sev-guest: the device node of the Linux sev-guest driver.
    std::filesystem::path sevGuestDevice = "/dev/sev-guest";
};

AttestResult<std::unique_ptr<Provider>> openProvider(const ProviderOptions &options);

// The simulated launch measurement of `files` (ProviderOptions::measuredFiles):
// SHA-384("sotto-simulated-measurement-v1" || for each file, in order: its
// size as u64 big-endian || its bytes). 48 bytes; a release statement for a
// simulated gateway carries it (hex). StorageFailed when a file cannot be read.
AttestResult<Bytes> simulatedMeasurement(const std::vector<std::filesystem::path> &files);

} // namespace sotto::attestation
