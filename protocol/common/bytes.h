// SPDX-License-Identifier: GPL-3.0-or-later
// Plain (non-secret) byte strings and hex helpers for wire formats and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sotto {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView asBytes(std::string_view s)
{
    return {reinterpret_cast<const uint8_t *>(s.data()), s.size()};
}

inline Bytes toBytes(std::string_view s)
{
    auto v = asBytes(s);
    return Bytes(v.begin(), v.end());
}

inline std::string_view asString(ByteView b)
{
    return {reinterpret_cast<const char *>(b.data()), b.size()};
}

inline Bytes concat(std::initializer_list<ByteView> parts)
{
    Bytes out;
    size_t n = 0;
    for (auto p : parts)
        n += p.size();
    out.reserve(n);
    for (auto p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Lowercase hex. For public data only: secrets have no hex form (see SecretBytes).
std::string toHex(ByteView data);
// Accepts upper and lower case; nullopt on odd length or a non-hex digit.
std::optional<Bytes> fromHex(std::string_view hex);

} // namespace sotto
