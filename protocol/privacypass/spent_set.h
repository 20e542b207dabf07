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
#include <functional>
#include <memory>
#include <string_view>

namespace sotto::privacypass {

enum class SpendError {
    AlreadySpent, // this token was redeemed before
    Full,         // the in-memory set for this key epoch is at its bound
    Unavailable,  // the shared store (Redis) cannot be reached: fail closed
    BadInput,     // key id or nonce of the wrong length
    Retired,      // retiresAt has passed: the key's tokens are no longer accepted
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

// token_key_id is SHA-256 of the issuer key (RFC 9578 Section 6.5); the
// nonce is the Token's (RFC 9577 Section 2.2).
inline constexpr size_t kSpentKeyIdLength = 32;
inline constexpr size_t kSpentNonceLength = 32;

// Unix seconds; the memory set reads it on every spend (tests pass their own).
using UnixClock = std::function<int64_t()>;
int64_t systemUnixTime();

// One process: a bounded set per key epoch (token_key_id), epochs dropped
// when they retire. It lives in memory only: a restarted gateway has forgotten
// earlier spends, so several replicas (or restarts within a key's lifetime)
// need the Redis set. Every token of one key should carry the same retiresAt;
// if they differ, the epoch is kept until the latest. At most kMaxKeyEpochs
// live epochs (issuer keys rotate by day, so a handful are live at once).
class MemorySpentTokenSet final : public SpentTokenSet {
public:
    static constexpr size_t kMaxKeyEpochs = 64;

    explicit MemorySpentTokenSet(
        size_t maxEntriesPerKey = 10'000'000, UnixClock clock = systemUnixTime);
    ~MemorySpentTokenSet() override;
    MemorySpentTokenSet(const MemorySpentTokenSet &) = delete;
    MemorySpentTokenSet &operator=(const MemorySpentTokenSet &) = delete;

    Status<SpendError> spend(ByteView tokenKeyId, ByteView nonce, int64_t retiresAt) override;

    // For tests and metrics: live epochs, and the entries of one key (0 if none).
    size_t epochCount() const;
    size_t entryCount(ByteView tokenKeyId) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

std::unique_ptr<SpentTokenSet> makeMemorySpentTokenSet(size_t maxEntriesPerKey = 10'000'000);

} // namespace sotto::privacypass
