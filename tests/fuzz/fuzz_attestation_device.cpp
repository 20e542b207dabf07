// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for what the real attestation providers parse from the
// kernel and the host (tee-backend/attestation): the GHCB certificate table
// (cert_table.h, AMD GHCB spec 56421 4.1.8.1: SNP_GET_EXT_REPORT's buffer and
// configfs-tsm's auxblob) and MSG_REPORT_RSP (devices.h, ABI spec 56860).
// Besides "no crash, no leak", it checks:
//   - the table parser fails only with BadResponse; a table that parses
//     re-encodes (encodeCertificateTable) to one that parses to the same
//     certificates;
//   - the response parser accepts exactly a response of at least 0x4C0 bytes
//     with STATUS 0 and REPORT_SIZE 0x4A0, returns bytes 0x20..0x4C0, and
//     fails with DeviceFailed for a non-zero STATUS, BadResponse otherwise.
//
// Seeds (corpus/attestation_device/): vcek_ask_ark.table, the table of the
// virtee Milan VCEK with AMD's Milan ASK and ARK (tests/data/snp) as
// encodeCertificateTable lays it out; report.rsp, MSG_REPORT_RSP around the
// virtee Milan report, padded to the driver's 4000 bytes.
#include "tee-backend/attestation/cert_table.h"
#include "tee-backend/attestation/devices.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace sotto;
using namespace sotto::attestation;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

uint32_t le32(ByteView b, size_t at)
{
    return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8
        | static_cast<uint32_t>(b[at + 2]) << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ByteView in(data, size);

    const auto table = parseCertificateTable(in);
    if (!table.ok()) {
        check(table.error() == AttestError::BadResponse && !table.detail().empty());
    } else {
        const auto again = parseCertificateTable(encodeCertificateTable(*table));
        check(again.ok() && again->vcek == table->vcek && again->ask == table->ask
            && again->ark == table->ark);
    }

    const auto report = parseReportResponse(in);
    const bool wellFormed = size >= 0x20 + 0x4A0 && le32(in, 0) == 0 && le32(in, 4) == 0x4A0;
    check(report.ok() == wellFormed);
    if (report.ok()) {
        check(report->size() == 0x4A0
            && std::equal(report->begin(), report->end(), in.begin() + 0x20));
    } else {
        check(report.error() == AttestError::DeviceFailed
            || report.error() == AttestError::BadResponse);
        if (size >= 0x20 && le32(in, 0) != 0)
            check(report.error() == AttestError::DeviceFailed);
    }
    return 0;
}
