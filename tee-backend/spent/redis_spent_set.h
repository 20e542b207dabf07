// SPDX-License-Identifier: GPL-3.0-or-later
// The spent-token set shared by several gateway replicas, on Redis (Debian
// redis-server >= 7.0) through hiredis. A token (token_key_id, nonce) is one
// Redis key, written with one atomic command:
//   SET <prefix><hex(token_key_id)>:<hex(nonce)> <attempt id> NX GET EXAT <retiresAt + margin>
// NX makes the first writer win (RFC 9576 Section 3.5: a token is redeemed
// once); EXAT lets Redis forget the entry when the key has retired; GET tells
// a replay (someone else's attempt id) from our own write whose reply was lost
// to a broken connection (then we retry once on a fresh one and see our id).
// When Redis cannot be reached the answer is Unavailable: fail closed.
// Durability is Redis's: a redis-server that restarts empty (no AOF/RDB)
// forgets which tokens were spent, and those tokens could be redeemed again
// until their key retires. Production Redis should run with appendonly yes.
#pragma once

#include "protocol/common/result.h"
#include "protocol/privacypass/spent_set.h"

#include <chrono>
#include <memory>
#include <string>

namespace sotto::spent {

struct RedisOptions {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string keyPrefix = "sotto:spent:";
    // Connect and per-command limit; past it the spend is Unavailable.
    std::chrono::milliseconds timeout { 1000 };
    // Connections in the pool: concurrent spends up to this many run in parallel.
    size_t connections = 4;
    // Entries live this long past retiresAt: tolerates a Redis clock ahead of
    // the gateways' (an entry that expired early would let a replay through).
    // At most a year.
    std::chrono::seconds retentionMargin { 300 };
};

class RedisSpentTokenSet final : public privacypass::SpentTokenSet {
public:
    // Checks the options only (BadInput): it connects on first use, so a
    // gateway may start before Redis; spends fail closed until Redis is up.
    static Result<std::unique_ptr<RedisSpentTokenSet>, privacypass::SpendError> create(
        const RedisOptions &options);
    ~RedisSpentTokenSet() override;
    RedisSpentTokenSet(const RedisSpentTokenSet &) = delete;
    RedisSpentTokenSet &operator=(const RedisSpentTokenSet &) = delete;

    Status<privacypass::SpendError> spend(
        ByteView tokenKeyId, ByteView nonce, int64_t retiresAt) override;

    // A health check (PING); Unavailable when Redis cannot be reached.
    Status<privacypass::SpendError> ping();

    // The Redis key of a token (for operators and tests).
    std::string redisKey(ByteView tokenKeyId, ByteView nonce) const;

private:
    struct Impl;
    explicit RedisSpentTokenSet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

Result<std::unique_ptr<privacypass::SpentTokenSet>, privacypass::SpendError> makeRedisSpentTokenSet(
    const RedisOptions &options);

} // namespace sotto::spent
