// SPDX-License-Identifier: GPL-3.0-or-later
// The evidence bundle (DESIGN.md "Evidence bundle"): what GET /evidence?nonce=
// returns. The gateway fills it from its attestation provider; the client
// parses it strictly and hands the parts to protocol/snp (chain, policy,
// binding) and protocol/tlog (the release statement's log inclusion).
//
// JSON, one object: version 0, platform "sev-snp", provider ("configfs-tsm",
// "sev-guest", "simulated"), report (base64, 0x4A0 bytes), vcek (base64 DER),
// ask (optional base64 DER), key_configs (base64 of the application/ohttp-keys
// bytes), not_after (unix seconds), release (the release statement object),
// log_index (the statement's index in the transparency log).
//
// Extension (still version 0): `ark` (optional base64 DER), allowed only when
// provider is "simulated", and then required together with `ask`: a simulated
// chain's root is created on the development stack, so the client cannot have
// it pinned and has to receive it (protocol/snp accepts it only when the
// client's TeePolicy says allowSimulated). Real providers never send an ARK:
// AMD's are pinned in the client.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/common/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sotto::formats {

enum class EvidenceError {
    NotJson,      // not parseable JSON, or not UTF-8
    NotAnObject,  // the top level is not an object
    DuplicateKey, // a key twice
    UnknownField, // a field this version does not define
    MissingField, // a required field is absent
    WrongType,    // a field of the wrong JSON type
    BadValue,     // wrong version/platform/provider, bad base64, wrong size...
    TooLarge,     // the document is larger than kMaxEvidenceBundleBytes
};

std::string_view errorName(EvidenceError e);

template <class T> using EvidenceResult = Result<T, EvidenceError>;

inline constexpr size_t kMaxEvidenceBundleBytes = 64 * 1024;

struct EvidenceBundle {
    uint32_t version = 0;
    std::string platform = "sev-snp";
    std::string provider;     // "configfs-tsm" | "sev-guest" | "simulated"
    Bytes report;             // the raw attestation report (0x4A0 bytes)
    Bytes vcek;               // DER
    std::optional<Bytes> ask; // DER, when the provider had it
    std::optional<Bytes> ark; // DER; simulated provider only (see above)
    Bytes keyConfigs;         // application/ohttp-keys bytes, exactly as served
    uint64_t notAfter = 0;    // unix seconds
    std::string release;      // the release statement, canonical JSON
    uint64_t logIndex = 0;
};

// Canonical JSON (sorted keys, no whitespace); `release` is embedded as an
// object, not as a string. A `release` that is not a JSON object is embedded
// as a string, which parseEvidenceBundle refuses (WrongType).
std::string encodeEvidenceBundle(const EvidenceBundle &bundle);

// Strict: every rule above is checked, the release statement is validated
// with canonicalReleaseStatement and stored in canonical form.
EvidenceResult<EvidenceBundle> parseEvidenceBundle(std::string_view json);

} // namespace sotto::formats
