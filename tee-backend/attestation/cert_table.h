// SPDX-License-Identifier: GPL-3.0-or-later
// The certificate table that comes with an extended SEV-SNP report (AMD GHCB
// spec 56421, section 4.1.8.1 "SNP Extended Guest Request"): what
// SNP_GET_EXT_REPORT writes to its certificate buffer and what configfs-tsm
// exposes as auxblob for the sev_guest provider. Entries of 24 bytes
// { GUID (16 bytes, RFC 4122 byte order), offset (u32 LE), length (u32 LE) },
// offsets from the start of the table, ended by an all-zero entry.
#pragma once

#include "tee-backend/attestation/provider.h"

#include <array>

namespace sotto::attestation {

using Guid = std::array<uint8_t, 16>;

// GUIDs of the table entries (GHCB spec 56421 4.1.8.1; the same values in
// AMD's sev-guest tools and in go-sev-guest).
inline constexpr Guid kVcekGuid { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64, 0xad, 0xc5, 0xf4,
    0xb9, 0x3b, 0xe8, 0xac, 0xcd }; // 63da758d-e664-4564-adc5-f4b93be8accd
inline constexpr Guid kAskGuid { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4, 0xa0, 0x2f, 0x05,
    0xae, 0xf3, 0x27, 0xc7, 0x82 }; // 4ab7b379-bbac-4fe4-a02f-05aef327c782
inline constexpr Guid kArkGuid { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52, 0x97, 0x43, 0x3f,
    0xb6, 0x01, 0x4c, 0xd0, 0xae }; // c0b406a4-a803-4952-9743-3fb6014cd0ae

inline constexpr size_t kCertTableEntrySize = 24;

struct CertificateTable {
    std::optional<Bytes> vcek;
    std::optional<Bytes> ask;
    std::optional<Bytes> ark;
};

// BadResponse when the table has no terminator, an entry points outside the
// buffer or is empty, or a known GUID appears twice. Entries with other GUIDs
// (a VLEK, vendor additions) are skipped: they are not part of Sotto's chain.
// An empty buffer is an empty table (the host supplied no certificates).
AttestResult<CertificateTable> parseCertificateTable(ByteView table);

// The table for the certificates present (for tests and recorded fixtures):
// entries VCEK, ASK, ARK, the terminator, then the certificates in that order.
Bytes encodeCertificateTable(const CertificateTable &table);

} // namespace sotto::attestation
