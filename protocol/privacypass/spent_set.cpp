// SPDX-License-Identifier: GPL-3.0-or-later
// The in-memory spent-token set. Layout: a map from token_key_id to an epoch;
// each epoch stripes its nonces over kStripes hash sets, each under its own
// mutex, so concurrent spends of different tokens rarely wait on each other.
// A spend is one SipHash, one shared lock on the epoch map and one stripe
// lock: O(1) on average. Epochs are swept when the earliest one retires.
#include "protocol/privacypass/spent_set.h"

#include "protocol/crypto/random.h"
#include "protocol/privacypass/siphash.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

namespace sotto::privacypass {

std::string_view errorName(SpendError e)
{
    switch (e) {
    case SpendError::AlreadySpent:
        return "AlreadySpent";
    case SpendError::Full:
        return "Full";
    case SpendError::Unavailable:
        return "Unavailable";
    case SpendError::BadInput:
        return "BadInput";
    case SpendError::Retired:
        return "Retired";
    }
    return "Unknown";
}

int64_t systemUnixTime()
{
    return std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

namespace {

constexpr size_t kStripes = 16;
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

using KeyId = std::array<uint8_t, kSpentKeyIdLength>;

// A nonce with its keyed hash, computed once per spend: the stripe index and
// the bucket both come from it.
struct Entry {
    std::array<uint8_t, kSpentNonceLength> nonce;
    uint64_t hash;

    bool operator==(const Entry &other) const { return nonce == other.nonce; }
};

struct EntryHash {
    size_t operator()(const Entry &e) const { return static_cast<size_t>(e.hash); }
};

struct KeyIdHash {
    SipHashKey key;
    size_t operator()(const KeyId &id) const { return static_cast<size_t>(sipHash24(key, id)); }
};

struct Stripe {
    std::mutex mutex;
    std::unordered_set<Entry, EntryHash> entries;
};

struct Epoch {
    explicit Epoch(int64_t retires)
        : retiresAt(retires)
    { }
    std::atomic<int64_t> retiresAt;
    std::atomic<size_t> count { 0 };
    std::array<Stripe, kStripes> stripes;
};

template <size_t N> std::array<uint8_t, N> toArray(ByteView b)
{
    std::array<uint8_t, N> a;
    std::memcpy(a.data(), b.data(), N);
    return a;
}

} // namespace

struct MemorySpentTokenSet::Impl {
    Impl(size_t max, UnixClock c)
        : maxEntriesPerKey(max)
        , clock(std::move(c))
        , epochs(0, KeyIdHash { randomKey() })
    {
        crypto::randomFill(nonceKey);
    }

    static SipHashKey randomKey()
    {
        SipHashKey k;
        crypto::randomFill(k);
        return k;
    }

    // Drops every epoch whose key has retired; recomputes the next deadline.
    void sweep(int64_t now)
    {
        std::unique_lock lock(mutex);
        int64_t next = kNever;
        for (auto it = epochs.begin(); it != epochs.end();) {
            const int64_t r = it->second->retiresAt.load();
            if (r <= now) {
                it = epochs.erase(it);
            } else {
                next = std::min(next, r);
                ++it;
            }
        }
        nextRetirement.store(next);
    }

    std::shared_ptr<Epoch> find(const KeyId &id) const
    {
        std::shared_lock lock(mutex);
        auto it = epochs.find(id);
        return it == epochs.end() ? nullptr : it->second;
    }

    Result<std::shared_ptr<Epoch>, SpendError> findOrCreate(const KeyId &id, int64_t retiresAt)
    {
        if (auto e = find(id)) {
            // Keep the epoch until the latest retirement any caller gave.
            int64_t cur = e->retiresAt.load();
            while (cur < retiresAt && !e->retiresAt.compare_exchange_weak(cur, retiresAt)) { }
            return e;
        }
        std::unique_lock lock(mutex);
        auto it = epochs.find(id);
        if (it != epochs.end())
            return it->second;
        if (epochs.size() >= kMaxKeyEpochs)
            return fail(SpendError::Full,
                "already " + std::to_string(epochs.size())
                    + " live key epochs, the most this set keeps");
        auto e = std::make_shared<Epoch>(retiresAt);
        epochs.emplace(id, e);
        nextRetirement.store(std::min(nextRetirement.load(), retiresAt));
        return e;
    }

    const size_t maxEntriesPerKey;
    const UnixClock clock;
    SipHashKey nonceKey;
    mutable std::shared_mutex mutex;
    std::unordered_map<KeyId, std::shared_ptr<Epoch>, KeyIdHash> epochs;
    std::atomic<int64_t> nextRetirement { kNever };
};

MemorySpentTokenSet::MemorySpentTokenSet(size_t maxEntriesPerKey, UnixClock clock)
    : m_impl(std::make_unique<Impl>(maxEntriesPerKey, std::move(clock)))
{ }

MemorySpentTokenSet::~MemorySpentTokenSet() = default;

Status<SpendError> MemorySpentTokenSet::spend(
    ByteView tokenKeyId, ByteView nonce, int64_t retiresAt)
{
    if (tokenKeyId.size() != kSpentKeyIdLength)
        return fail(SpendError::BadInput,
            "token_key_id is " + std::to_string(tokenKeyId.size()) + " bytes, expected "
                + std::to_string(kSpentKeyIdLength));
    if (nonce.size() != kSpentNonceLength)
        return fail(SpendError::BadInput,
            "nonce is " + std::to_string(nonce.size()) + " bytes, expected "
                + std::to_string(kSpentNonceLength));
    const int64_t now = m_impl->clock();
    // A retired key's entries may already be gone, so a spend against it
    // could not be told from a replay: refuse it (fail closed).
    if (retiresAt <= now)
        return fail(SpendError::Retired,
            "the issuer key retired at " + std::to_string(retiresAt) + ", it is now "
                + std::to_string(now));
    if (now >= m_impl->nextRetirement.load())
        m_impl->sweep(now);

    SOTTO_TRY(auto epoch, m_impl->findOrCreate(toArray<kSpentKeyIdLength>(tokenKeyId), retiresAt));
    Entry entry { toArray<kSpentNonceLength>(nonce), sipHash24(m_impl->nonceKey, nonce) };
    // The top bits pick the stripe; the set's buckets use the low bits.
    Stripe &stripe = epoch->stripes[entry.hash >> 60 & (kStripes - 1)];
    std::lock_guard lock(stripe.mutex);
    if (stripe.entries.contains(entry))
        return fail(SpendError::AlreadySpent, "this token was redeemed before");
    if (epoch->count.fetch_add(1) >= m_impl->maxEntriesPerKey) {
        epoch->count.fetch_sub(1);
        return fail(SpendError::Full,
            "the set for this key holds " + std::to_string(m_impl->maxEntriesPerKey)
                + " spent tokens, its bound");
    }
    stripe.entries.insert(entry);
    return Done {};
}

size_t MemorySpentTokenSet::epochCount() const
{
    std::shared_lock lock(m_impl->mutex);
    return m_impl->epochs.size();
}

size_t MemorySpentTokenSet::entryCount(ByteView tokenKeyId) const
{
    if (tokenKeyId.size() != kSpentKeyIdLength)
        return 0;
    auto e = m_impl->find(toArray<kSpentKeyIdLength>(tokenKeyId));
    return e ? e->count.load() : 0;
}

std::unique_ptr<SpentTokenSet> makeMemorySpentTokenSet(size_t maxEntriesPerKey)
{
    return std::make_unique<MemorySpentTokenSet>(maxEntriesPerKey);
}

} // namespace sotto::privacypass
