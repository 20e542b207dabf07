// SPDX-License-Identifier: GPL-3.0-or-later
// The spent-token sets one gateway spend costs, beside each other in the same
// run: the in-memory set (one process) and the Redis set (several replicas;
// one SET NX GET EXAT round trip to redis-server over loopback per spend).
// bench/run-privacypass starts the redis-server (deploy/stack/redis-up.sh) and
// passes its port in SOTTO_BENCH_REDIS_PORT; without it the Redis cases skip.
// Threads: 1 and 4 (four gateway workers sharing one set and its pool).
#include "protocol/privacypass/spent_set.h"
#include "tee-backend/spent/redis_spent_set.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <string>

using namespace sotto;

namespace {

std::atomic<uint64_t> g_counter { 0 };

// A nonce no other iteration (in any thread or run) has used.
Bytes nextNonce(uint64_t salt)
{
    Bytes nonce(32, 0x5e);
    const uint64_t n = g_counter.fetch_add(1);
    for (int b = 0; b < 8; ++b) {
        nonce[b] = static_cast<uint8_t>(n >> (8 * b));
        nonce[8 + b] = static_cast<uint8_t>(salt >> (8 * b));
    }
    return nonce;
}

void runSpends(benchmark::State &state, privacypass::SpentTokenSet &set)
{
    const Bytes key(32, 0x42);
    const int64_t retires = privacypass::systemUnixTime() + 3600;
    const uint64_t salt = static_cast<uint64_t>(privacypass::systemUnixTime());
    for (auto _ : state) {
        auto r = set.spend(key, nextNonce(salt), retires);
        if (!r.ok()) {
            state.SkipWithError(r.detail().c_str());
            break;
        }
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

privacypass::SpentTokenSet &memorySet()
{
    static privacypass::MemorySpentTokenSet set(1u << 30);
    return set;
}

privacypass::SpentTokenSet *redisSet()
{
    static std::unique_ptr<spent::RedisSpentTokenSet> set = []() {
        const char *port = std::getenv("SOTTO_BENCH_REDIS_PORT");
        if (!port)
            return std::unique_ptr<spent::RedisSpentTokenSet>();
        spent::RedisOptions o;
        o.port = std::atoi(port);
        o.keyPrefix = "sotto:bench:";
        o.retentionMargin = std::chrono::seconds(0);
        auto s = spent::RedisSpentTokenSet::create(o);
        return s.ok() ? std::move(s).value() : nullptr;
    }();
    return set.get();
}

void BM_SpentSet_Memory(benchmark::State &state)
{
    runSpends(state, memorySet());
}

void BM_SpentSet_Redis(benchmark::State &state)
{
    privacypass::SpentTokenSet *set = redisSet();
    if (!set) {
        state.SkipWithError("no redis-server (set SOTTO_BENCH_REDIS_PORT)");
        return;
    }
    runSpends(state, *set);
}

} // namespace

BENCHMARK(BM_SpentSet_Memory)->Threads(1)->Threads(4)->UseRealTime();
BENCHMARK(BM_SpentSet_Redis)->Threads(1)->Threads(4)->UseRealTime();
