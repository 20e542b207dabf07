// SPDX-License-Identifier: GPL-3.0-or-later
// Private to tee-backend/attestation: the provider factories openProvider
// dispatches to, and file helpers they share.
#pragma once

#include "tee-backend/attestation/provider.h"

namespace sotto::attestation::detail {

AttestResult<std::unique_ptr<Provider>> openSimulated(const ProviderOptions &options);
AttestResult<std::unique_ptr<Provider>> openConfigfsTsm(const ProviderOptions &options);
AttestResult<std::unique_ptr<Provider>> openSevGuest(const ProviderOptions &options);

// The whole file, at most `maxBytes` (StorageFailed otherwise, or when it
// cannot be read; the detail names the file and errno).
AttestResult<Bytes> readFileBytes(const std::filesystem::path &file, size_t maxBytes);

} // namespace sotto::attestation::detail
