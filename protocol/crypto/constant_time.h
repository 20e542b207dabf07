// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/common/bytes.h"

namespace sotto::crypto {

// True when a and b have the same length and contents; the time taken depends
// only on the lengths (CRYPTO_memcmp). Use for tags, MACs and token checks.
bool constantTimeEqual(ByteView a, ByteView b);

} // namespace sotto::crypto
