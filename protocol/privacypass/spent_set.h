// SPDX-License-Identifier: GPL-3.0-or-later
// Double-spend prevention for redeemed tokens (RFC 9576 Section 3.5). A token
// is identified by (token_key_id, nonce); the gateway spends it once, after
// verifying its signature. Entries may be forgotten once the issuer key that
// signed them is retired: its tokens no longer verify.
#pragma once

#include "protocol/common/bytes.h"
#include "protocol/common/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace sotto::privacypass {

enum class SpendError {
    AlreadySpent, // this token was redeemed before
    Full,         // the in-memory set for this key epoch is at its bound
    Unavailable,  // the shared store (Redis) cannot be reached: fail closed
    BadInput,     // key id or nonce of the wrong length
};

std::string_view errorName(SpendError e);

class SpentTokenSet {
public:
    virtual ~SpentTokenSet() = default;
    // Atomically records the token as spent; AlreadySpent when it was.
    // `retiresAt` (unix seconds) is when the signing key retires: the entry
    // may be dropped after it. Thread-safe.
    virtual Status<SpendError> spend(ByteView tokenKeyId, ByteView nonce, int64_t retiresAt) = 0;
};

// One process: a bounded set per key epoch (token_key_id), epochs dropped
// when they retire.
std::unique_ptr<SpentTokenSet> makeMemorySpentTokenSet(size_t maxEntriesPerKey = 10'000'000);

} // namespace sotto::privacypass
