// SPDX-License-Identifier: GPL-3.0-or-later
// Bounds-checked reader and writer for network byte order wire formats.
// The reader never reads past its input: every accessor returns nullopt
// when the bytes are not there, and the caller maps that to its own error.
#pragma once

#include "bytes.h"

#include <cstdint>
#include <optional>
#include <span>

namespace sotto {

class WireReader {
public:
    explicit WireReader(ByteView data) : m_data(data) {}

    size_t remaining() const { return m_data.size() - m_pos; }
    size_t position() const { return m_pos; }
    bool empty() const { return remaining() == 0; }
    ByteView rest() const { return m_data.subspan(m_pos); }

    std::optional<uint8_t> u8();
    std::optional<uint16_t> u16();
    std::optional<uint32_t> u32();
    std::optional<uint64_t> u64();
    // QUIC variable-length integer (RFC 9000, Section 16). Non-minimal
    // encodings are valid (RFC 9292, Section 3 relies on that).
    std::optional<uint64_t> varint();
    std::optional<ByteView> bytes(size_t n);
    // A varint length followed by that many bytes.
    std::optional<ByteView> varintPrefixed();

private:
    ByteView m_data;
    size_t m_pos = 0;
};

class WireWriter {
public:
    void u8(uint8_t v) { m_out.push_back(v); }
    void u16(uint16_t v);
    void u32(uint32_t v);
    void u64(uint64_t v);
    // Shortest QUIC varint encoding. Values must be < 2^62 (checked by the caller:
    // maxVarint).
    void varint(uint64_t v);
    void bytes(ByteView b) { m_out.insert(m_out.end(), b.begin(), b.end()); }
    void varintPrefixed(ByteView b)
    {
        varint(b.size());
        bytes(b);
    }
    void zeros(size_t n) { m_out.insert(m_out.end(), n, 0); }

    size_t size() const { return m_out.size(); }
    const Bytes &data() const { return m_out; }
    Bytes take() { return std::move(m_out); }

private:
    Bytes m_out;
};

inline constexpr uint64_t kMaxVarint = (uint64_t{1} << 62) - 1;
size_t varintSize(uint64_t v);

} // namespace sotto
