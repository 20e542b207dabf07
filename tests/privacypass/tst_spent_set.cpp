// SPDX-License-Identifier: GPL-3.0-or-later
// The in-memory SpentTokenSet: one success per token, AlreadySpent after,
// the per-key bound, retirement and epoch sweeping (with a test clock), and
// many threads racing on the same and on different tokens. Also the SipHash
// it keys its tables with, against the paper's vector.
#include "protocol/privacypass/siphash.h"
#include "protocol/privacypass/spent_set.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

namespace sotto::privacypass {
namespace {

Bytes filled(size_t n, uint8_t first)
{
    Bytes b(n);
    std::iota(b.begin(), b.end(), first);
    return b;
}

using test::numbered;

struct TestClock {
    std::shared_ptr<std::atomic<int64_t>> now = std::make_shared<std::atomic<int64_t>>(1000);
    UnixClock clock() const
    {
        return [n = now] { return n->load(); };
    }
};

TEST(SipHash, PaperVector)
{
    // Appendix A of the SipHash paper: key 00..0f, message 00..0e.
    SipHashKey key;
    std::iota(key.begin(), key.end(), uint8_t { 0 });
    EXPECT_EQ(sipHash24(key, filled(15, 0)), 0xa129ca6149be45e5ULL);
    // 32 bytes (the nonce size): cross-checked with `openssl mac SIPHASH`,
    // which printed CE7CF2722F512771 (the little-endian bytes).
    EXPECT_EQ(sipHash24(key, filled(32, 0)), 0x7127512f72f27cceULL);
    // The empty message: vectors.h of the reference implementation, entry 0
    // (bytes 31 0e 0e dd 47 db 6f 72).
    EXPECT_EQ(sipHash24(key, {}), 0x726fdb47dd0e0e31ULL);
}

TEST(SipHash, KeyChangesOutput)
{
    SipHashKey a {}, b {};
    b[15] = 1;
    const Bytes m = filled(32, 7);
    EXPECT_NE(sipHash24(a, m), sipHash24(b, m));
}

TEST(SpentTokenSet, ErrorNames)
{
    EXPECT_EQ(errorName(SpendError::AlreadySpent), "AlreadySpent");
    EXPECT_EQ(errorName(SpendError::Full), "Full");
    EXPECT_EQ(errorName(SpendError::Unavailable), "Unavailable");
    EXPECT_EQ(errorName(SpendError::BadInput), "BadInput");
    EXPECT_EQ(errorName(SpendError::Retired), "Retired");
}

TEST(SpentTokenSet, SpendsOnce)
{
    auto set = makeMemorySpentTokenSet();
    const int64_t retires = systemUnixTime() + 3600;
    const Bytes key = numbered(1, 0xaa), nonce = numbered(7);
    EXPECT_RESULT_OK(set->spend(key, nonce, retires));
    EXPECT_TRUE(test::failsWith(set->spend(key, nonce, retires), SpendError::AlreadySpent));
    EXPECT_TRUE(test::failsWith(set->spend(key, nonce, retires), SpendError::AlreadySpent));
    // Same nonce under another key, another nonce under the same key: new tokens.
    EXPECT_RESULT_OK(set->spend(numbered(2, 0xaa), nonce, retires));
    EXPECT_RESULT_OK(set->spend(key, numbered(8), retires));
    // A nonce differing in one bit.
    Bytes flipped = nonce;
    flipped[0] ^= 0x80;
    EXPECT_RESULT_OK(set->spend(key, flipped, retires));
}

TEST(SpentTokenSet, RejectsWrongLengths)
{
    MemorySpentTokenSet set;
    const int64_t retires = systemUnixTime() + 3600;
    for (size_t n : { 0, 1, 31, 33, 64 }) {
        SCOPED_TRACE(n);
        EXPECT_TRUE(
            test::failsWith(set.spend(Bytes(n, 1), numbered(1), retires), SpendError::BadInput));
        EXPECT_TRUE(
            test::failsWith(set.spend(numbered(1), Bytes(n, 1), retires), SpendError::BadInput));
    }
    // Nothing was recorded by the refused calls.
    EXPECT_EQ(set.epochCount(), 0u);
}

TEST(SpentTokenSet, RefusesRetiredKey)
{
    TestClock t;
    MemorySpentTokenSet set(100, t.clock());
    EXPECT_TRUE(test::failsWith(set.spend(numbered(1), numbered(1), 1000), SpendError::Retired));
    EXPECT_TRUE(test::failsWith(set.spend(numbered(1), numbered(1), 999), SpendError::Retired));
    EXPECT_RESULT_OK(set.spend(numbered(1), numbered(1), 1001));
}

TEST(SpentTokenSet, BoundPerKey)
{
    TestClock t;
    MemorySpentTokenSet set(3, t.clock());
    const Bytes keyA = numbered(1, 0xa0), keyB = numbered(2, 0xb0);
    for (uint32_t i = 0; i < 3; ++i)
        EXPECT_RESULT_OK(set.spend(keyA, numbered(i), 5000));
    EXPECT_TRUE(test::failsWith(set.spend(keyA, numbered(3), 5000), SpendError::Full));
    // A replay is still a replay when the set is full.
    EXPECT_TRUE(test::failsWith(set.spend(keyA, numbered(0), 5000), SpendError::AlreadySpent));
    EXPECT_EQ(set.entryCount(keyA), 3u);
    // The bound is per key epoch.
    for (uint32_t i = 0; i < 3; ++i)
        EXPECT_RESULT_OK(set.spend(keyB, numbered(i), 5000));
    EXPECT_TRUE(test::failsWith(set.spend(keyB, numbered(3), 5000), SpendError::Full));
}

TEST(SpentTokenSet, DropsRetiredEpochs)
{
    TestClock t; // now = 1000
    MemorySpentTokenSet set(2, t.clock());
    const Bytes keyA = numbered(1, 0xa0), keyB = numbered(2, 0xb0), keyC = numbered(3, 0xc0);
    ASSERT_RESULT_OK(set.spend(keyA, numbered(1), 1100));
    ASSERT_RESULT_OK(set.spend(keyA, numbered(2), 1100));
    ASSERT_TRUE(test::failsWith(set.spend(keyA, numbered(3), 1100), SpendError::Full));
    ASSERT_RESULT_OK(set.spend(keyB, numbered(1), 1200));
    EXPECT_EQ(set.epochCount(), 2u);

    t.now->store(1099);
    ASSERT_RESULT_OK(set.spend(keyB, numbered(2), 1200));
    EXPECT_EQ(set.epochCount(), 2u);
    EXPECT_EQ(set.entryCount(keyA), 2u);

    // A retires at 1100: the next spend sweeps its epoch away.
    t.now->store(1100);
    ASSERT_RESULT_OK(set.spend(keyC, numbered(1), 1300));
    EXPECT_EQ(set.epochCount(), 2u); // B and C
    EXPECT_EQ(set.entryCount(keyA), 0u);
    EXPECT_EQ(set.entryCount(keyB), 2u);
    // A's tokens are refused as retired, not accepted again.
    EXPECT_TRUE(test::failsWith(set.spend(keyA, numbered(1), 1100), SpendError::Retired));
    EXPECT_TRUE(test::failsWith(set.spend(keyB, numbered(2), 1200), SpendError::AlreadySpent));

    t.now->store(5000);
    EXPECT_TRUE(test::failsWith(set.spend(keyC, numbered(1), 1300), SpendError::Retired));
    ASSERT_RESULT_OK(set.spend(numbered(4, 0xd0), numbered(1), 6000));
    EXPECT_EQ(set.epochCount(), 1u);
}

TEST(SpentTokenSet, KeepsEpochUntilLatestRetirement)
{
    TestClock t;
    MemorySpentTokenSet set(10, t.clock());
    const Bytes key = numbered(1, 0xa0);
    ASSERT_RESULT_OK(set.spend(key, numbered(1), 1100));
    ASSERT_RESULT_OK(set.spend(key, numbered(2), 1500)); // the key's life was extended
    t.now->store(1200);
    EXPECT_TRUE(test::failsWith(set.spend(key, numbered(1), 1500), SpendError::AlreadySpent));
    EXPECT_EQ(set.entryCount(key), 2u);
}

TEST(SpentTokenSet, BoundsKeyEpochs)
{
    TestClock t;
    MemorySpentTokenSet set(10, t.clock());
    for (uint32_t i = 0; i < MemorySpentTokenSet::kMaxKeyEpochs; ++i)
        ASSERT_RESULT_OK(set.spend(numbered(i, 0xee), numbered(0), 2000));
    EXPECT_TRUE(
        test::failsWith(set.spend(numbered(9999, 0xee), numbered(0), 2000), SpendError::Full));
    // Once they retire, new keys fit again.
    t.now->store(2000);
    EXPECT_RESULT_OK(set.spend(numbered(9999, 0xee), numbered(0), 3000));
    EXPECT_EQ(set.epochCount(), 1u);
}

// Every thread tries every token (in its own order): each token is accepted
// exactly once, and every other attempt is AlreadySpent.
TEST(SpentTokenSet, ConcurrentSameTokens)
{
    auto set = makeMemorySpentTokenSet();
    constexpr int kThreads = 8;
    constexpr uint32_t kTokens = 3000;
    const int64_t retires = systemUnixTime() + 3600;
    const Bytes keys[2] = { numbered(1, 0x11), numbered(2, 0x22) };
    std::vector<std::atomic<int>> wins(kTokens * 2);
    std::atomic<int> replays { 0 }, other { 0 };
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::vector<uint32_t> order(kTokens * 2);
            std::iota(order.begin(), order.end(), 0u);
            std::shuffle(order.begin(), order.end(), std::mt19937(static_cast<unsigned>(t)));
            start.arrive_and_wait();
            for (uint32_t i : order) {
                auto r = set->spend(keys[i % 2], numbered(i / 2), retires);
                if (r.ok())
                    wins[i].fetch_add(1);
                else if (r.error() == SpendError::AlreadySpent)
                    replays.fetch_add(1);
                else
                    other.fetch_add(1);
            }
        });
    }
    for (auto &th : threads)
        th.join();
    for (uint32_t i = 0; i < kTokens * 2; ++i)
        ASSERT_EQ(wins[i].load(), 1) << "token " << i;
    EXPECT_EQ(replays.load(), (kThreads - 1) * static_cast<int>(kTokens) * 2);
    EXPECT_EQ(other.load(), 0);
}

// Threads spending disjoint tokens all succeed; with a bound, exactly the
// bound's worth succeed and the rest are Full.
TEST(SpentTokenSet, ConcurrentDifferentTokensAndBound)
{
    constexpr int kThreads = 6;
    constexpr uint32_t kPerThread = 2000;
    const int64_t retires = systemUnixTime() + 3600;
    const Bytes key = numbered(3, 0x33);
    for (size_t bound : { size_t { kThreads * kPerThread }, size_t { 5000 } }) {
        SCOPED_TRACE(bound);
        MemorySpentTokenSet set(bound);
        std::atomic<size_t> ok { 0 }, full { 0 }, other { 0 };
        std::latch start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                for (uint32_t i = 0; i < kPerThread; ++i) {
                    auto r = set.spend(
                        key, numbered(static_cast<uint32_t>(t) * kPerThread + i), retires);
                    if (r.ok())
                        ok.fetch_add(1);
                    else if (r.error() == SpendError::Full)
                        full.fetch_add(1);
                    else
                        other.fetch_add(1);
                }
            });
        }
        for (auto &th : threads)
            th.join();
        EXPECT_EQ(ok.load(), bound);
        EXPECT_EQ(full.load(), kThreads * kPerThread - bound);
        EXPECT_EQ(other.load(), 0u);
        EXPECT_EQ(set.entryCount(key), bound);
    }
}

} // namespace
} // namespace sotto::privacypass
