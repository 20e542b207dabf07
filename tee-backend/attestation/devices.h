// SPDX-License-Identifier: GPL-3.0-or-later
// The parts of the real providers that do not need SEV-SNP hardware, so that
// they can be tested against recorded bytes (no SNP machine is available to
// this project's CI): the configfs-tsm exchange on one report entry, the
// sev-guest ioctl exchange with the ioctl itself passed in, the
// parsing of the firmware's MSG_REPORT_RSP that /dev/sev-guest returns, and
// the checks that turn a report and its certificate table into Evidence.
#pragma once

#include "tee-backend/attestation/provider.h"

#include <linux/sev-guest.h>

#include <functional>

namespace sotto::attestation {

// What a device gave back: the raw report and the certificate table
// (cert_table.h; empty when the host supplied none).
struct RawEvidence {
    Bytes report;
    Bytes certificateTable;
};

// One configfs-tsm exchange (Linux Documentation/ABI/testing/
// configfs-tsm-report) on an entry directory that exists already (the
// provider mkdirs it under the report root, and rmdirs it afterwards):
// checks that `provider` reads "sev_guest", writes the 64 bytes to inblob,
// reads outblob and auxblob (absent or empty: no certificates), and reads
// `generation` before and after: a change means another writer used the
// entry at the same time (DeviceFailed), so the outblob may not be ours.
AttestResult<RawEvidence> configfsTsmExchange(
    const std::filesystem::path &entry, ByteView reportData);

// One SNP_GET_EXT_REPORT exchange (Linux include/uapi/linux/sev-guest.h) as
// the sev-guest provider runs it, with `request` standing for the ioctl on
// /dev/sev-guest (it returns 0, or the errno of a failed ioctl): REPORT_DATA
// in the request, VMPL 0, msg_version 1, a page-aligned certificate buffer of
// 4 pages; when the host answers SNP_GUEST_VMM_ERR_INVALID_LEN with the size
// it needs in certs_len (at most 64 pages), one retry with that size. Then
// the report from MSG_REPORT_RSP (parseReportResponse) and the certificate
// table as the host wrote it.
AttestResult<RawEvidence> sevGuestExchange(
    const std::function<int(snp_guest_request_ioctl &)> &request, ByteView reportData);

// MSG_REPORT_RSP (SEV-SNP ABI spec 56860, table "MSG_REPORT_RSP Message
// Structure"): STATUS (u32) at 0, REPORT_SIZE (u32) at 4, reserved to 0x20,
// then the report. DeviceFailed for a non-zero STATUS, BadResponse for a
// REPORT_SIZE that is not 0x4A0 or does not fit.
AttestResult<Bytes> parseReportResponse(ByteView response);

// Checks a device's answer and completes it: the report parses (protocol/
// snp), its REPORT_DATA is `reportData` (BadResponse otherwise), the VCEK and
// ASK come from the certificate table, else from options.vcekFile/askFile
// (NoCertificates when there is no VCEK). An ARK in the table is dropped:
// clients use AMD's pinned roots.
AttestResult<Evidence> makeEvidence(std::string_view provider, const RawEvidence &raw,
    ByteView reportData, const ProviderOptions &options);

} // namespace sotto::attestation
