// SPDX-License-Identifier: GPL-3.0-or-later
#include "wire.h"

namespace sotto {

std::optional<uint8_t> WireReader::u8()
{
    if (remaining() < 1)
        return std::nullopt;
    return m_data[m_pos++];
}

std::optional<uint16_t> WireReader::u16()
{
    if (remaining() < 2)
        return std::nullopt;
    uint16_t v = static_cast<uint16_t>(m_data[m_pos] << 8 | m_data[m_pos + 1]);
    m_pos += 2;
    return v;
}

std::optional<uint32_t> WireReader::u32()
{
    if (remaining() < 4)
        return std::nullopt;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v = v << 8 | m_data[m_pos++];
    return v;
}

std::optional<uint64_t> WireReader::u64()
{
    if (remaining() < 8)
        return std::nullopt;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = v << 8 | m_data[m_pos++];
    return v;
}

std::optional<uint64_t> WireReader::varint()
{
    if (remaining() < 1)
        return std::nullopt;
    // The two high bits of the first byte give the length: 1, 2, 4 or 8 bytes.
    const size_t len = size_t{1} << (m_data[m_pos] >> 6);
    if (remaining() < len)
        return std::nullopt;
    uint64_t v = m_data[m_pos] & 0x3f;
    for (size_t i = 1; i < len; ++i)
        v = v << 8 | m_data[m_pos + i];
    m_pos += len;
    return v;
}

std::optional<ByteView> WireReader::bytes(size_t n)
{
    if (remaining() < n)
        return std::nullopt;
    ByteView v = m_data.subspan(m_pos, n);
    m_pos += n;
    return v;
}

std::optional<ByteView> WireReader::varintPrefixed()
{
    const size_t start = m_pos;
    auto len = varint();
    if (!len || *len > remaining()) {
        m_pos = start;
        return std::nullopt;
    }
    return bytes(static_cast<size_t>(*len));
}

void WireWriter::u16(uint16_t v)
{
    m_out.push_back(static_cast<uint8_t>(v >> 8));
    m_out.push_back(static_cast<uint8_t>(v));
}

void WireWriter::u32(uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8)
        m_out.push_back(static_cast<uint8_t>(v >> s));
}

void WireWriter::u64(uint64_t v)
{
    for (int s = 56; s >= 0; s -= 8)
        m_out.push_back(static_cast<uint8_t>(v >> s));
}

size_t varintSize(uint64_t v)
{
    if (v < (uint64_t{1} << 6))
        return 1;
    if (v < (uint64_t{1} << 14))
        return 2;
    if (v < (uint64_t{1} << 30))
        return 4;
    return 8;
}

void WireWriter::varint(uint64_t v)
{
    switch (varintSize(v)) {
    case 1:
        u8(static_cast<uint8_t>(v));
        break;
    case 2:
        u16(static_cast<uint16_t>(v | 0x4000));
        break;
    case 4:
        u32(static_cast<uint32_t>(v | 0x80000000u));
        break;
    default:
        u64((v & kMaxVarint) | 0xc000000000000000ull);
        break;
    }
}

} // namespace sotto
