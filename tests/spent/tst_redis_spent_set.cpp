// SPDX-License-Identifier: GPL-3.0-or-later
// The Redis SpentTokenSet against a real redis-server started by the test:
// two sets standing for two gateway replicas share their spends; entries
// expire at the key's retirement; Redis killed means Unavailable (fail
// closed), restarted means it works again; many threads on two sets still
// spend each token exactly once.
#include "tee-backend/spent/redis_spent_set.h"
#include "tests/spent/redis_server.h"

#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <atomic>
#include <latch>
#include <limits>
#include <thread>
#include <vector>

namespace sotto::spent {
namespace {

using privacypass::SpendError;
using privacypass::systemUnixTime;

using test::numbered;

// A plain hiredis connection for looking at what the set wrote.
class Inspector {
public:
    explicit Inspector(int port)
        : m_ctx(redisConnect("127.0.0.1", port))
    { }
    ~Inspector()
    {
        if (m_ctx)
            redisFree(m_ctx);
    }
    Inspector(const Inspector &) = delete;
    Inspector &operator=(const Inspector &) = delete;

    // The integer reply of a command, or -999 on any other answer.
    long long integer(const std::vector<std::string> &args)
    {
        auto *r = run(args);
        long long v = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -999;
        if (r)
            freeReplyObject(r);
        return v;
    }
    // The status or string reply; "<nil>"/"<error: ...>" otherwise.
    std::string text(const std::vector<std::string> &args)
    {
        auto *r = run(args);
        std::string v = !r                 ? "<no reply>"
            : r->type == REDIS_REPLY_NIL   ? "<nil>"
            : r->type == REDIS_REPLY_ERROR ? "<error: " + std::string(r->str, r->len) + ">"
            : r->str                       ? std::string(r->str, r->len)
                                           : "<other>";
        if (r)
            freeReplyObject(r);
        return v;
    }

private:
    redisReply *run(const std::vector<std::string> &args)
    {
        if (!m_ctx || m_ctx->err)
            return nullptr;
        std::vector<const char *> argv;
        std::vector<size_t> lens;
        for (const auto &a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        return static_cast<redisReply *>(
            redisCommandArgv(m_ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
    }
    redisContext *m_ctx;
};

class RedisSpentSet : public ::testing::Test {
protected:
    void SetUp() override
    {
        std::string error;
        m_redis = test::RedisServer::start(&error);
        ASSERT_TRUE(m_redis) << error;
    }

    std::unique_ptr<RedisSpentTokenSet> makeSet(RedisOptions o = {})
    {
        o.host = "127.0.0.1";
        o.port = m_redis->port();
        auto set = RedisSpentTokenSet::create(o);
        EXPECT_RESULT_OK(set);
        return set.ok() ? std::move(set).value() : nullptr;
    }

    std::unique_ptr<test::RedisServer> m_redis;
};

TEST(RedisSpentSetOptions, RejectsBadOptions)
{
    auto bad = [](auto change) {
        RedisOptions o;
        change(o);
        return RedisSpentTokenSet::create(o);
    };
    EXPECT_TRUE(
        test::failsWith(bad([](RedisOptions &o) { o.host.clear(); }), SpendError::BadInput));
    EXPECT_TRUE(test::failsWith(bad([](RedisOptions &o) { o.port = 0; }), SpendError::BadInput));
    EXPECT_TRUE(
        test::failsWith(bad([](RedisOptions &o) { o.port = 65536; }), SpendError::BadInput));
    EXPECT_TRUE(
        test::failsWith(bad([](RedisOptions &o) { o.timeout = std::chrono::milliseconds(0); }),
            SpendError::BadInput));
    EXPECT_TRUE(
        test::failsWith(bad([](RedisOptions &o) { o.connections = 0; }), SpendError::BadInput));
    EXPECT_TRUE(
        test::failsWith(bad([](RedisOptions &o) { o.retentionMargin = std::chrono::seconds(-1); }),
            SpendError::BadInput));
    EXPECT_RESULT_OK(makeRedisSpentTokenSet(RedisOptions {}));
}

TEST_F(RedisSpentSet, TwoGatewaysShareSpends)
{
    auto a = makeSet(), b = makeSet();
    ASSERT_TRUE(a && b);
    const int64_t retires = systemUnixTime() + 3600;
    const Bytes key = numbered(1, 0xaa);
    EXPECT_RESULT_OK(a->spend(key, numbered(1), retires));
    EXPECT_TRUE(test::failsWith(b->spend(key, numbered(1), retires), SpendError::AlreadySpent));
    EXPECT_TRUE(test::failsWith(a->spend(key, numbered(1), retires), SpendError::AlreadySpent));
    EXPECT_RESULT_OK(b->spend(key, numbered(2), retires));
    EXPECT_TRUE(test::failsWith(a->spend(key, numbered(2), retires), SpendError::AlreadySpent));
    // Same nonce, other key: another token.
    EXPECT_RESULT_OK(a->spend(numbered(2, 0xaa), numbered(1), retires));
    EXPECT_RESULT_OK(a->ping());
}

TEST_F(RedisSpentSet, KeyPrefixSeparatesDeployments)
{
    RedisOptions o;
    o.keyPrefix = "one:";
    auto a = makeSet(o);
    o.keyPrefix = "two:";
    auto b = makeSet(o);
    ASSERT_TRUE(a && b);
    const int64_t retires = systemUnixTime() + 3600;
    EXPECT_RESULT_OK(a->spend(numbered(1), numbered(1), retires));
    EXPECT_RESULT_OK(b->spend(numbered(1), numbered(1), retires));
}

TEST_F(RedisSpentSet, WritesKeyWithExpiryAtRetirement)
{
    RedisOptions o;
    o.keyPrefix = "pp:";
    o.retentionMargin = std::chrono::seconds(0);
    auto set = makeSet(o);
    ASSERT_TRUE(set);
    const int64_t retires = systemUnixTime() + 1000;
    const Bytes key = numbered(0x0102, 0xab), nonce = numbered(0x0304, 0xcd);
    ASSERT_RESULT_OK(set->spend(key, nonce, retires));
    const std::string name = set->redisKey(key, nonce);
    EXPECT_EQ(name, "pp:" + toHex(key) + ":" + toHex(nonce));
    Inspector redis(m_redis->port());
    EXPECT_EQ(redis.integer({ "EXISTS", name }), 1);
    EXPECT_EQ(redis.integer({ "EXPIRETIME", name }), retires);

    o.retentionMargin = std::chrono::seconds(300);
    auto margin = makeSet(o);
    ASSERT_TRUE(margin);
    ASSERT_RESULT_OK(margin->spend(key, numbered(5), retires));
    EXPECT_EQ(redis.integer({ "EXPIRETIME", margin->redisKey(key, numbered(5)) }), retires + 300);
}

TEST_F(RedisSpentSet, EntriesExpireWhenKeyRetires)
{
    RedisOptions o;
    o.retentionMargin = std::chrono::seconds(0);
    auto set = makeSet(o);
    ASSERT_TRUE(set);
    const int64_t retires = systemUnixTime() + 2;
    const Bytes key = numbered(7, 0x77);
    ASSERT_RESULT_OK(set->spend(key, numbered(1), retires));
    Inspector redis(m_redis->port());
    const std::string name = set->redisKey(key, numbered(1));
    EXPECT_EQ(redis.integer({ "EXISTS", name }), 1);
    // Wait (on the wall clock, no duration asserted) until the key has retired.
    while (systemUnixTime() <= retires)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(redis.integer({ "EXISTS", name }), 0);
    // The token is not accepted again: its key has retired.
    EXPECT_TRUE(test::failsWith(set->spend(key, numbered(1), retires), SpendError::Retired));
}

TEST_F(RedisSpentSet, RejectsBadInput)
{
    auto set = makeSet();
    ASSERT_TRUE(set);
    const int64_t retires = systemUnixTime() + 3600;
    for (size_t n : { 0, 31, 33 }) {
        SCOPED_TRACE(n);
        EXPECT_TRUE(
            test::failsWith(set->spend(Bytes(n, 1), numbered(1), retires), SpendError::BadInput));
        EXPECT_TRUE(
            test::failsWith(set->spend(numbered(1), Bytes(n, 1), retires), SpendError::BadInput));
    }
    EXPECT_TRUE(test::failsWith(
        set->spend(numbered(1), numbered(1), systemUnixTime() - 1), SpendError::Retired));
    EXPECT_TRUE(
        test::failsWith(set->spend(numbered(1), numbered(1), std::numeric_limits<int64_t>::max()),
            SpendError::BadInput));
    EXPECT_TRUE(
        test::failsWith(set->spend(numbered(1), numbered(1), 253402300800), SpendError::BadInput));
    Inspector redis(m_redis->port());
    EXPECT_EQ(redis.integer({ "DBSIZE" }), 0);
}

TEST_F(RedisSpentSet, FailsClosedWhileRedisIsDownAndRecovers)
{
    RedisOptions o;
    o.timeout = std::chrono::milliseconds(2000);
    auto set = makeSet(o);
    ASSERT_TRUE(set);
    const int64_t retires = systemUnixTime() + 3600;
    const Bytes key = numbered(9, 0x99);
    ASSERT_RESULT_OK(set->spend(key, numbered(1), retires)); // a pooled connection is open

    m_redis->kill();
    EXPECT_TRUE(test::failsWith(set->spend(key, numbered(2), retires), SpendError::Unavailable));
    EXPECT_TRUE(test::failsWith(set->spend(key, numbered(1), retires), SpendError::Unavailable));
    EXPECT_TRUE(test::failsWith(set->ping(), SpendError::Unavailable));

    std::string error;
    ASSERT_TRUE(m_redis->restart(&error)) << error;
    EXPECT_RESULT_OK(set->spend(key, numbered(2), retires));
    EXPECT_TRUE(test::failsWith(set->spend(key, numbered(2), retires), SpendError::AlreadySpent));

    // A graceful stop and restart, too: the stale connections are replaced.
    m_redis->stop();
    EXPECT_TRUE(test::failsWith(set->spend(key, numbered(3), retires), SpendError::Unavailable));
    ASSERT_TRUE(m_redis->restart(&error)) << error;
    EXPECT_RESULT_OK(set->ping());
    EXPECT_RESULT_OK(set->spend(key, numbered(3), retires));
}

TEST_F(RedisSpentSet, TimesOutWhileRedisHangs)
{
    RedisOptions o;
    o.timeout = std::chrono::milliseconds(300);
    auto set = makeSet(o);
    ASSERT_TRUE(set);
    const int64_t retires = systemUnixTime() + 3600;
    ASSERT_RESULT_OK(set->spend(numbered(1), numbered(1), retires));
    m_redis->pause();
    // Connections are accepted (the kernel's backlog), no reply comes: the
    // command times out and the spend fails closed instead of waiting.
    auto r = set->spend(numbered(1), numbered(2), retires);
    EXPECT_TRUE(test::failsWith(r, SpendError::Unavailable));
    EXPECT_TRUE(test::failsWith(set->ping(), SpendError::Unavailable));
    m_redis->resume();
    // The timed-out SET may have been applied once Redis woke up: that token
    // is then spent (fail closed); fresh tokens work again.
    EXPECT_RESULT_OK(set->spend(numbered(1), numbered(3), retires));
    EXPECT_RESULT_OK(set->ping());
}

TEST_F(RedisSpentSet, ReconnectsAfterServerClosedConnection)
{
    RedisOptions o;
    o.connections = 1; // the next spend must use the connection Redis closed
    auto set = makeSet(o);
    ASSERT_TRUE(set);
    const int64_t retires = systemUnixTime() + 3600;
    ASSERT_RESULT_OK(set->spend(numbered(1), numbered(1), retires));
    Inspector redis(m_redis->port());
    // Redis drops every other client (our pooled connections): the next spend
    // fails on the stale connection, retries on a fresh one, and succeeds once.
    EXPECT_GE(redis.integer({ "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes" }), 1);
    EXPECT_RESULT_OK(set->spend(numbered(1), numbered(2), retires));
    EXPECT_TRUE(
        test::failsWith(set->spend(numbered(1), numbered(2), retires), SpendError::AlreadySpent));
}

TEST_F(RedisSpentSet, RedisErrorReplyIsUnavailable)
{
    auto set = makeSet();
    ASSERT_TRUE(set);
    const int64_t retires = systemUnixTime() + 3600;
    Inspector redis(m_redis->port());
    // A replica refuses writes (READONLY): spends must fail closed, not pass.
    // The master named here does not exist, so nothing is replicated.
    ASSERT_EQ(redis.text({ "REPLICAOF", "127.0.0.1", "1" }), "OK");
    EXPECT_TRUE(
        test::failsWith(set->spend(numbered(1), numbered(1), retires), SpendError::Unavailable));
    ASSERT_EQ(redis.text({ "REPLICAOF", "NO", "ONE" }), "OK");
    EXPECT_RESULT_OK(set->spend(numbered(1), numbered(1), retires));
}

TEST(RedisSpentSetNoServer, UnavailableWhenNothingListens)
{
    // Start a server to learn a free port, then stop it: nothing listens there.
    std::string error;
    auto redis = test::RedisServer::start(&error);
    ASSERT_TRUE(redis) << error;
    RedisOptions o;
    o.port = redis->port();
    redis->stop();
    auto set = RedisSpentTokenSet::create(o);
    ASSERT_RESULT_OK(set);
    auto r = set.value()->spend(numbered(1), numbered(1), systemUnixTime() + 3600);
    EXPECT_TRUE(test::failsWith(r, SpendError::Unavailable));
    EXPECT_NE(r.detail().find("cannot connect"), std::string::npos) << r.detail();
}

// Two "gateways", four threads each, all trying the same tokens: each token
// is accepted exactly once in all.
TEST_F(RedisSpentSet, ConcurrentSpendsAcrossTwoSets)
{
    RedisOptions o;
    o.connections = 2; // fewer connections than threads: the pool is shared
    auto a = makeSet(o), b = makeSet(o);
    ASSERT_TRUE(a && b);
    constexpr int kThreadsPerSet = 4;
    constexpr uint32_t kTokens = 300;
    const int64_t retires = systemUnixTime() + 3600;
    std::vector<std::atomic<int>> wins(kTokens);
    std::atomic<int> replays { 0 }, other { 0 };
    std::latch start(2 * kThreadsPerSet);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2 * kThreadsPerSet; ++t) {
        RedisSpentTokenSet *set = t % 2 ? a.get() : b.get();
        threads.emplace_back([&, set, t] {
            start.arrive_and_wait();
            for (uint32_t k = 0; k < kTokens; ++k) {
                const uint32_t i = (k + static_cast<uint32_t>(t) * 37) % kTokens;
                auto r = set->spend(numbered(5, 0x55), numbered(i), retires);
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
    for (uint32_t i = 0; i < kTokens; ++i)
        EXPECT_EQ(wins[i].load(), 1) << "token " << i;
    EXPECT_EQ(replays.load(), (2 * kThreadsPerSet - 1) * static_cast<int>(kTokens));
    EXPECT_EQ(other.load(), 0);
}

} // namespace
} // namespace sotto::spent
