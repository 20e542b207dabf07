// SPDX-License-Identifier: GPL-3.0-or-later
// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
// 2012), the keyed hash of the spent-token tables: token nonces are chosen by
// clients, so an unkeyed hash would let one fill a bucket on purpose.
#pragma once

#include "protocol/common/bytes.h"

#include <array>
#include <cstdint>

namespace sotto::privacypass {

using SipHashKey = std::array<uint8_t, 16>;

// The 64-bit output as the paper's integer (its bytes little-endian).
uint64_t sipHash24(const SipHashKey &key, ByteView message);

} // namespace sotto::privacypass
