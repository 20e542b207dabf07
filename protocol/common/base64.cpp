// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/common/base64.h"

#include <cstdint>

namespace sotto {

namespace {

constexpr char kStandard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decodeChar(char c, Base64Alphabet alphabet)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    const bool url = alphabet == Base64Alphabet::Url;
    if (c == (url ? '-' : '+'))
        return 62;
    if (c == (url ? '_' : '/'))
        return 63;
    return -1;
}

} // namespace

std::string base64Encode(ByteView data, Base64Alphabet alphabet, Base64Padding padding)
{
    const char *table = alphabet == Base64Alphabet::Url ? kUrl : kStandard;
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const uint32_t v = uint32_t { data[i] } << 16 | uint32_t { data[i + 1] } << 8 | data[i + 2];
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
        out += table[v & 63];
    }
    const size_t rest = data.size() - i;
    if (rest > 0) {
        const uint32_t v
            = uint32_t { data[i] } << 16 | (rest == 2 ? uint32_t { data[i + 1] } << 8 : 0u);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        if (rest == 2)
            out += table[(v >> 6) & 63];
        if (padding == Base64Padding::Include)
            out.append(3 - rest, '=');
    }
    return out;
}

std::optional<Bytes> base64Decode(
    std::string_view text, Base64Alphabet alphabet, Base64PaddingRule rule)
{
    size_t pad = 0;
    while (pad < text.size() && text[text.size() - 1 - pad] == '=')
        ++pad;
    const size_t chars = text.size() - pad;
    // A last quantum of 2 characters needs "==", of 3 needs "=", of 4 none;
    // of 1 it cannot exist.
    const size_t needed = (4 - chars % 4) % 4;
    if (chars % 4 == 1 || pad > 2)
        return std::nullopt;
    if (pad != needed && (pad != 0 || rule == Base64PaddingRule::Required))
        return std::nullopt;
    Bytes out;
    out.reserve(chars * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text.substr(0, chars)) {
        const int v = decodeChar(c, alphabet);
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6 | static_cast<uint32_t>(v)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<uint8_t>(acc >> bits));
        }
    }
    // RFC 4648 Section 3.5: the bits below the last full byte must be zero;
    // accepting them would give one value many encodings.
    if ((acc & ((1u << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

} // namespace sotto
