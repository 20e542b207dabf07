// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/spent/redis_spent_set.h"

#include "protocol/crypto/random.h"

#include <hiredis/hiredis.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <mutex>
#include <vector>

namespace sotto::spent {

using privacypass::SpendError;

namespace {

// hiredis writes with write(2): on a connection Redis closed, that raises
// SIGPIPE, whose default action ends the process. Block it on this thread for
// the duration of a command, then consume one it caused, leaving the
// process's signal disposition alone.
class SigpipeGuard {
public:
    SigpipeGuard()
    {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        m_wasPending = sigismember(&pending, SIGPIPE) == 1;
        m_blocked = pthread_sigmask(SIG_BLOCK, &pipe, &m_old) == 0;
    }
    ~SigpipeGuard()
    {
        if (!m_blocked)
            return;
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        if (!m_wasPending) {
            sigset_t pending;
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                const timespec zero {};
                sigtimedwait(&pipe, nullptr, &zero);
            }
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeGuard(const SigpipeGuard &) = delete;
    SigpipeGuard &operator=(const SigpipeGuard &) = delete;

private:
    sigset_t m_old {};
    bool m_blocked = false;
    bool m_wasPending = false;
};

struct ReplyDeleter {
    void operator()(redisReply *r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

timeval toTimeval(std::chrono::milliseconds ms)
{
    timeval tv {};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

// One pooled connection; null until first use and after any I/O error.
struct Connection {
    std::mutex mutex;
    redisContext *context = nullptr;

    ~Connection() { drop(); }
    void drop()
    {
        if (context)
            redisFree(context);
        context = nullptr;
    }
};

} // namespace

struct RedisSpentTokenSet::Impl {
    explicit Impl(RedisOptions o)
        : options(std::move(o))
    {
        for (size_t i = 0; i < options.connections; ++i)
            pool.push_back(std::make_unique<Connection>());
    }

    std::string where() const { return options.host + ":" + std::to_string(options.port); }

    // A free connection if there is one, else wait for the next in turn.
    std::unique_lock<std::mutex> acquire(Connection *&out)
    {
        const size_t start = next.fetch_add(1) % pool.size();
        for (size_t i = 0; i < pool.size(); ++i) {
            Connection *c = pool[(start + i) % pool.size()].get();
            std::unique_lock lock(c->mutex, std::try_to_lock);
            if (lock.owns_lock()) {
                out = c;
                return lock;
            }
        }
        out = pool[start].get();
        return std::unique_lock(out->mutex);
    }

    Status<SpendError> connect(Connection &c)
    {
        if (c.context)
            return Done {};
        redisContext *ctx = redisConnectWithTimeout(
            options.host.c_str(), options.port, toTimeval(options.timeout));
        if (!ctx)
            return fail(SpendError::Unavailable, "cannot allocate a Redis context");
        if (ctx->err) {
            std::string why = ctx->errstr;
            redisFree(ctx);
            return fail(
                SpendError::Unavailable, "cannot connect to Redis at " + where() + ": " + why);
        }
        if (redisSetTimeout(ctx, toTimeval(options.timeout)) != REDIS_OK) {
            redisFree(ctx);
            return fail(SpendError::Unavailable, "cannot set the Redis command timeout");
        }
        redisEnableKeepAlive(ctx);
        c.context = ctx;
        return Done {};
    }

    // Runs one command; on a connection failure, once more on a fresh
    // connection (Redis may have restarted since the last use).
    Result<ReplyPtr, SpendError> command(const std::vector<std::string> &args)
    {
        std::vector<const char *> argv;
        std::vector<size_t> lens;
        for (const auto &a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        Connection *c = nullptr;
        auto lock = acquire(c);
        SigpipeGuard guard;
        std::string lastError;
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (auto s = connect(*c); !s.ok())
                return fail(s.error(), s.detail());
            ReplyPtr reply(static_cast<redisReply *>(redisCommandArgv(
                c->context, static_cast<int>(argv.size()), argv.data(), lens.data())));
            if (reply)
                return reply;
            lastError = c->context->errstr;
            c->drop();
        }
        return fail(SpendError::Unavailable, "Redis at " + where() + " failed: " + lastError);
    }

    const RedisOptions options;
    std::vector<std::unique_ptr<Connection>> pool;
    std::atomic<size_t> next { 0 };
};

RedisSpentTokenSet::RedisSpentTokenSet(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{ }

RedisSpentTokenSet::~RedisSpentTokenSet() = default;

Result<std::unique_ptr<RedisSpentTokenSet>, SpendError> RedisSpentTokenSet::create(
    const RedisOptions &options)
{
    if (options.host.empty())
        return fail(SpendError::BadInput, "no Redis host");
    if (options.port < 1 || options.port > 65535)
        return fail(SpendError::BadInput,
            "Redis port " + std::to_string(options.port) + " is not in 1..65535");
    if (options.timeout.count() <= 0)
        return fail(SpendError::BadInput, "the Redis timeout must be positive");
    if (options.connections < 1 || options.connections > 1024)
        return fail(SpendError::BadInput,
            std::to_string(options.connections) + " connections: expected 1..1024");
    if (options.retentionMargin.count() < 0
        || options.retentionMargin > std::chrono::hours(24 * 366))
        return fail(SpendError::BadInput, "the retention margin must be 0 s to a year");
    return std::unique_ptr<RedisSpentTokenSet>(
        new RedisSpentTokenSet(std::make_unique<Impl>(options)));
}

std::string RedisSpentTokenSet::redisKey(ByteView tokenKeyId, ByteView nonce) const
{
    return m_impl->options.keyPrefix + toHex(tokenKeyId) + ":" + toHex(nonce);
}

Status<SpendError> RedisSpentTokenSet::spend(ByteView tokenKeyId, ByteView nonce, int64_t retiresAt)
{
    if (tokenKeyId.size() != privacypass::kSpentKeyIdLength)
        return fail(SpendError::BadInput,
            "token_key_id is " + std::to_string(tokenKeyId.size()) + " bytes, expected "
                + std::to_string(privacypass::kSpentKeyIdLength));
    if (nonce.size() != privacypass::kSpentNonceLength)
        return fail(SpendError::BadInput,
            "nonce is " + std::to_string(nonce.size()) + " bytes, expected "
                + std::to_string(privacypass::kSpentNonceLength));
    // Year 9999: far past any key's life, and far from overflowing the
    // margin's addition or Redis's millisecond expiry arithmetic.
    constexpr int64_t kLatestRetirement = 253402300799;
    if (retiresAt > kLatestRetirement)
        return fail(SpendError::BadInput,
            "retiresAt " + std::to_string(retiresAt) + " is after the year 9999");
    const int64_t now = privacypass::systemUnixTime();
    if (retiresAt <= now)
        return fail(SpendError::Retired,
            "the issuer key retired at " + std::to_string(retiresAt) + ", it is now "
                + std::to_string(now));
    // Unique per call: if the reply to our SET is lost and the retry finds
    // this id, the token was spent by this call, not by someone else.
    const std::string attempt = toHex(crypto::randomBytes(16));
    const int64_t expireAt = retiresAt + m_impl->options.retentionMargin.count();
    SOTTO_TRY(auto reply,
        m_impl->command({ "SET", redisKey(tokenKeyId, nonce), attempt, "NX", "GET", "EXAT",
            std::to_string(expireAt) }));
    switch (reply->type) {
    case REDIS_REPLY_NIL:
        return Done {};
    case REDIS_REPLY_STRING:
        if (std::string_view(reply->str, reply->len) == attempt)
            return Done {};
        return fail(SpendError::AlreadySpent, "this token was redeemed before");
    case REDIS_REPLY_ERROR:
        // LOADING, READONLY (a replica), OOM, or a Redis older than 7.0.
        return fail(SpendError::Unavailable,
            "Redis refused the SET: " + std::string(reply->str, reply->len));
    default:
        return fail(SpendError::Unavailable,
            "Redis answered the SET with reply type " + std::to_string(reply->type));
    }
}

Status<SpendError> RedisSpentTokenSet::ping()
{
    SOTTO_TRY(auto reply, m_impl->command({ "PING" }));
    if (reply->type == REDIS_REPLY_STATUS && std::string_view(reply->str, reply->len) == "PONG")
        return Done {};
    if (reply->type == REDIS_REPLY_ERROR)
        return fail(
            SpendError::Unavailable, "Redis refused PING: " + std::string(reply->str, reply->len));
    return fail(SpendError::Unavailable, "Redis answered PING unexpectedly");
}

Result<std::unique_ptr<privacypass::SpentTokenSet>, SpendError> makeRedisSpentTokenSet(
    const RedisOptions &options)
{
    SOTTO_TRY(auto set, RedisSpentTokenSet::create(options));
    return std::unique_ptr<privacypass::SpentTokenSet>(std::move(set));
}

} // namespace sotto::spent
