// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/crypto/secret_bytes.h"

#include <span>

namespace sotto::crypto {

// Fills `out` from OpenSSL's CSPRNG (RAND_bytes). Aborts the process if the
// generator fails: continuing without randomness is never safe.
void randomFill(std::span<uint8_t> out);
Bytes randomBytes(size_t n);
SecretBytes randomSecret(size_t n);

} // namespace sotto::crypto
