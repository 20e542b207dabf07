// SPDX-License-Identifier: GPL-3.0-or-later
// SecretBytes: wiping on release, constant-time comparison; constantTimeEqual.
#include "protocol/crypto/constant_time.h"
#include "protocol/crypto/crypto_error.h"
#include "protocol/crypto/secret_bytes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>

namespace {

// A program-defined element type whose std::allocator specialization (below)
// hands out memory from a fixed arena and records, when the memory comes
// back, whether WipingAllocator cleared it first. This observes the wipe
// without reading freed memory.
struct WipeProbe {
    uint8_t value;
};

struct ProbeArena {
    alignas(16) std::array<WipeProbe, 64> slots {};
    bool allocated = false;
    bool wipedOnRelease = false;
    size_t releasedCount = 0;
};
ProbeArena g_arena;

} // namespace

namespace std {
template <> struct allocator<WipeProbe> {
    using value_type = WipeProbe;
    WipeProbe *allocate(size_t n)
    {
        EXPECT_LE(n, g_arena.slots.size());
        g_arena.allocated = true;
        return g_arena.slots.data();
    }
    void deallocate(WipeProbe *p, size_t n)
    {
        EXPECT_EQ(p, g_arena.slots.data());
        g_arena.wipedOnRelease
            = std::all_of(p, p + n, [](const WipeProbe &w) { return w.value == 0; });
        g_arena.releasedCount = n;
        g_arena.allocated = false;
    }
};
} // namespace std

namespace sotto::crypto {
namespace {

TEST(SecretBytes, SecureWipeZeroesTheBuffer)
{
    std::array<uint8_t, 37> buffer;
    buffer.fill(0xa5);
    secureWipe(buffer.data(), buffer.size());
    EXPECT_TRUE(std::all_of(buffer.begin(), buffer.end(), [](uint8_t b) { return b == 0; }));
}

TEST(SecretBytes, SecureWipeOfNothingIsANoOp)
{
    secureWipe(nullptr, 0);
    std::array<uint8_t, 4> buffer { 1, 2, 3, 4 };
    secureWipe(buffer.data(), 0);
    EXPECT_EQ(buffer, (std::array<uint8_t, 4> { 1, 2, 3, 4 }));
}

TEST(SecretBytes, WipingAllocatorClearsMemoryBeforeReleasingIt)
{
    WipingAllocator<WipeProbe> allocator;
    WipeProbe *p = allocator.allocate(48);
    ASSERT_TRUE(g_arena.allocated);
    std::fill(p, p + 48, WipeProbe { 0x5a });
    allocator.deallocate(p, 48);
    EXPECT_FALSE(g_arena.allocated);
    EXPECT_EQ(g_arena.releasedCount, 48u);
    EXPECT_TRUE(g_arena.wipedOnRelease);
}

TEST(SecretBytes, ConstructionAndAccess)
{
    const Bytes raw { 1, 2, 3, 4, 5 };
    SecretBytes s(raw);
    EXPECT_EQ(s.size(), 5u);
    EXPECT_FALSE(s.empty());
    EXPECT_EQ(s.reveal(), raw);
    EXPECT_TRUE(std::equal(s.view().begin(), s.view().end(), raw.begin(), raw.end()));

    SecretBytes zeros(3);
    EXPECT_EQ(zeros.reveal(), (Bytes { 0, 0, 0 }));
    EXPECT_TRUE(SecretBytes().empty());
    EXPECT_EQ(SecretBytes::fromString("abc").reveal(), (Bytes { 'a', 'b', 'c' }));
}

TEST(SecretBytes, AppendResizeClear)
{
    SecretBytes s;
    s.append(Bytes { 1, 2 });
    s.append(Bytes { 3 });
    EXPECT_EQ(s.reveal(), (Bytes { 1, 2, 3 }));
    s.resize(5);
    EXPECT_EQ(s.reveal(), (Bytes { 1, 2, 3, 0, 0 }));
    s.span()[4] = 9;
    EXPECT_EQ(s.reveal(), (Bytes { 1, 2, 3, 0, 9 }));
    s.clear();
    EXPECT_TRUE(s.empty());
}

TEST(SecretBytes, CopiesAreIndependentAndMovesTransfer)
{
    SecretBytes a(Bytes { 7, 7, 7 });
    SecretBytes b = a;
    b.data()[0] = 1;
    EXPECT_EQ(a.reveal(), (Bytes { 7, 7, 7 }));
    EXPECT_EQ(b.reveal(), (Bytes { 1, 7, 7 }));

    SecretBytes c = std::move(b);
    EXPECT_EQ(c.reveal(), (Bytes { 1, 7, 7 }));
}

TEST(SecretBytes, EqualityComparesLengthThenContents)
{
    const SecretBytes a(Bytes { 1, 2, 3 });
    EXPECT_TRUE(a == SecretBytes(Bytes { 1, 2, 3 }));
    EXPECT_FALSE(a == SecretBytes(Bytes { 1, 2, 4 }));
    EXPECT_FALSE(a == SecretBytes(Bytes { 0, 2, 3 }));
    EXPECT_FALSE(a == SecretBytes(Bytes { 1, 2 }));       // a prefix is not equal
    EXPECT_FALSE(a == SecretBytes(Bytes { 1, 2, 3, 0 })); // nor is an extension
    EXPECT_TRUE(SecretBytes() == SecretBytes());
    EXPECT_FALSE(SecretBytes() == a);
    EXPECT_TRUE(SecretBytes(4) == SecretBytes(Bytes { 0, 0, 0, 0 }));
}

TEST(ConstantTime, Equal)
{
    EXPECT_TRUE(constantTimeEqual(Bytes {}, Bytes {}));
    EXPECT_TRUE(constantTimeEqual(Bytes { 0xde, 0xad }, Bytes { 0xde, 0xad }));
    EXPECT_FALSE(constantTimeEqual(Bytes { 0xde, 0xad }, Bytes { 0xde, 0xae }));
    EXPECT_FALSE(constantTimeEqual(Bytes { 0xde, 0xad }, Bytes { 0xde }));
    EXPECT_FALSE(constantTimeEqual(Bytes {}, Bytes { 0 }));
    // Every single-bit difference in a 16-byte tag is detected.
    Bytes tag(16, 0x3c);
    for (size_t bit = 0; bit < tag.size() * 8; ++bit) {
        Bytes other = tag;
        other[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        EXPECT_FALSE(constantTimeEqual(tag, other)) << "bit " << bit;
    }
}

TEST(CryptoError, EveryCodeHasADistinctName)
{
    const CryptoError all[] = {
        CryptoError::InvalidKeyLength,
        CryptoError::InvalidNonceLength,
        CryptoError::InvalidPrivateKey,
        CryptoError::InvalidPublicKey,
        CryptoError::InvalidSharedSecret,
        CryptoError::AuthenticationFailed,
        CryptoError::OutputTooLong,
        CryptoError::InputTooLong,
        CryptoError::DeriveKeyPairFailed,
        CryptoError::Internal,
    };
    std::set<std::string> names;
    for (CryptoError e : all) {
        const std::string name(errorName(e));
        EXPECT_FALSE(name.empty());
        EXPECT_NE(name, "Unknown");
        names.insert(name);
    }
    EXPECT_EQ(names.size(), std::size(all));
    EXPECT_EQ(errorName(CryptoError::AuthenticationFailed), "AuthenticationFailed");
}

} // namespace
} // namespace sotto::crypto
