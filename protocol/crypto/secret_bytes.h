// SPDX-License-Identifier: GPL-3.0-or-later
// SecretBytes: owns secret material (keys, shared secrets, a user's plaintext).
// The memory is wiped with OPENSSL_cleanse when it is released or reallocated.
// There is deliberately no way to print it, stream it or hex-encode it.
#pragma once

#include "protocol/common/bytes.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace sotto::crypto {

// Overwrites memory in a way the optimiser may not remove (OPENSSL_cleanse).
void secureWipe(void *ptr, size_t len);

template <class T>
struct WipingAllocator {
    using value_type = T;
    WipingAllocator() = default;
    template <class U>
    WipingAllocator(const WipingAllocator<U> &)
    {
    }
    T *allocate(size_t n) { return std::allocator<T>{}.allocate(n); }
    void deallocate(T *p, size_t n)
    {
        secureWipe(p, n * sizeof(T));
        std::allocator<T>{}.deallocate(p, n);
    }
    template <class U>
    bool operator==(const WipingAllocator<U> &) const
    {
        return true;
    }
};

class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(size_t n) : m_data(n, 0) {}
    explicit SecretBytes(ByteView data) : m_data(data.begin(), data.end()) {}
    static SecretBytes fromString(std::string_view s) { return SecretBytes(asBytes(s)); }

    SecretBytes(const SecretBytes &) = default;
    SecretBytes &operator=(const SecretBytes &) = default;
    SecretBytes(SecretBytes &&other) noexcept = default;
    SecretBytes &operator=(SecretBytes &&other) noexcept = default;
    ~SecretBytes() = default; // the allocator wipes

    size_t size() const { return m_data.size(); }
    bool empty() const { return m_data.empty(); }
    uint8_t *data() { return m_data.data(); }
    const uint8_t *data() const { return m_data.data(); }
    ByteView view() const { return {m_data.data(), m_data.size()}; }
    std::span<uint8_t> span() { return {m_data.data(), m_data.size()}; }
    operator ByteView() const { return view(); }

    void resize(size_t n) { m_data.resize(n, 0); }
    void reserve(size_t n) { m_data.reserve(n); }
    void append(ByteView b) { m_data.insert(m_data.end(), b.begin(), b.end()); }
    void clear() { m_data.clear(); }

    // Copies the secret out into ordinary memory. Only for the place where a
    // secret becomes public by design (for example an HPKE-exported value that
    // a test compares, or a decrypted response handed to the UI).
    Bytes reveal() const { return Bytes(m_data.begin(), m_data.end()); }

    // Constant-time comparison.
    bool operator==(const SecretBytes &other) const;

private:
    std::vector<uint8_t, WipingAllocator<uint8_t>> m_data;
};

} // namespace sotto::crypto
