// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/attestation/cert_table.h"

#include <algorithm>
#include <string>

namespace sotto::attestation {

namespace {

uint32_t readLe32(ByteView b)
{
    return static_cast<uint32_t>(b[0]) | static_cast<uint32_t>(b[1]) << 8
        | static_cast<uint32_t>(b[2]) << 16 | static_cast<uint32_t>(b[3]) << 24;
}

void appendLe32(Bytes &out, size_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

bool sameGuid(ByteView entry, const Guid &g)
{
    return std::equal(g.begin(), g.end(), entry.begin());
}

} // namespace

AttestResult<CertificateTable> parseCertificateTable(ByteView table)
{
    CertificateTable out;
    if (table.empty())
        return out;
    const auto isZero = [](ByteView b) {
        return std::all_of(b.begin(), b.end(), [](uint8_t x) { return x == 0; });
    };
    // The entries end at the first all-zero entry; the certificates follow.
    size_t entries = 0;
    for (;; ++entries) {
        const size_t at = entries * kCertTableEntrySize;
        if (at + kCertTableEntrySize > table.size())
            return fail(AttestError::BadResponse,
                "certificate table of " + std::to_string(table.size())
                    + " bytes has no all-zero terminating entry");
        if (isZero(table.subspan(at, kCertTableEntrySize)))
            break;
    }
    const size_t dataStart = (entries + 1) * kCertTableEntrySize;
    for (size_t i = 0; i < entries; ++i) {
        const ByteView entry = table.subspan(i * kCertTableEntrySize, kCertTableEntrySize);
        const size_t offset = readLe32(entry.subspan(16, 4));
        const size_t length = readLe32(entry.subspan(20, 4));
        const std::string where = "certificate table entry " + std::to_string(i);
        // A certificate inside the entry array would let bytes mean two things.
        if (length == 0 || offset < dataStart || offset > table.size()
            || length > table.size() - offset)
            return fail(AttestError::BadResponse,
                where + " points at [" + std::to_string(offset) + ", +" + std::to_string(length)
                    + "), expected a non-empty range inside [" + std::to_string(dataStart) + ", "
                    + std::to_string(table.size()) + ")");
        std::optional<Bytes> *slot = nullptr;
        const char *name = nullptr;
        if (sameGuid(entry, kVcekGuid)) {
            slot = &out.vcek;
            name = "VCEK";
        } else if (sameGuid(entry, kAskGuid)) {
            slot = &out.ask;
            name = "ASK";
        } else if (sameGuid(entry, kArkGuid)) {
            slot = &out.ark;
            name = "ARK";
        }
        if (!slot)
            continue;
        if (slot->has_value())
            return fail(AttestError::BadResponse, where + ": a second " + name + " entry");
        const ByteView cert = table.subspan(offset, length);
        *slot = Bytes(cert.begin(), cert.end());
    }
    return out;
}

Bytes encodeCertificateTable(const CertificateTable &table)
{
    std::vector<std::pair<const Guid *, const Bytes *>> present;
    if (table.vcek)
        present.emplace_back(&kVcekGuid, &*table.vcek);
    if (table.ask)
        present.emplace_back(&kAskGuid, &*table.ask);
    if (table.ark)
        present.emplace_back(&kArkGuid, &*table.ark);
    Bytes out;
    size_t offset = (present.size() + 1) * kCertTableEntrySize;
    for (const auto &[guid, cert] : present) {
        out.insert(out.end(), guid->begin(), guid->end());
        appendLe32(out, offset);
        appendLe32(out, cert->size());
        offset += cert->size();
    }
    out.resize(out.size() + kCertTableEntrySize, 0);
    for (const auto &[guid, cert] : present)
        out.insert(out.end(), cert->begin(), cert->end());
    return out;
}

} // namespace sotto::attestation
