// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/privacypass/authorization.h"

#include <cctype>

namespace sotto::privacypass {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decodeChar(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i]))
            != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string base64UrlEncode(ByteView data)
{
    std::string out;
    out.reserve((data.size() * 4 + 2) / 3);
    size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const uint32_t v
            = (uint32_t { data[i] } << 16) | (uint32_t { data[i + 1] } << 8) | data[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    const size_t rest = data.size() - i;
    if (rest == 1) {
        const uint32_t v = uint32_t { data[i] } << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
    } else if (rest == 2) {
        const uint32_t v = (uint32_t { data[i] } << 16) | (uint32_t { data[i + 1] } << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

std::optional<Bytes> base64UrlDecode(std::string_view text)
{
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if (text.size() % 4 == 1)
        return std::nullopt;
    Bytes out;
    out.reserve(text.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = decodeChar(c);
        if (v < 0)
            return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<uint8_t>(acc >> bits));
        }
    }
    // Non-canonical trailing bits (RFC 4648 Section 3.5) are rejected.
    if ((acc & ((1u << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

std::string formatAuthorization(const Token &token)
{
    return "PrivateToken token=" + base64UrlEncode(token.encode());
}

TokenResult<Token> parseAuthorization(std::string_view value)
{
    value = trim(value);
    const size_t space = value.find(' ');
    if (space == std::string_view::npos
        || !equalsIgnoreCase(value.substr(0, space), "PrivateToken"))
        return fail(TokenError::MalformedHeader, "expected the PrivateToken scheme");
    std::string_view params = value.substr(space + 1);
    while (!params.empty()) {
        const size_t comma = params.find(',');
        std::string_view param = trim(params.substr(0, comma));
        params = comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
        const size_t eq = param.find('=');
        if (eq == std::string_view::npos)
            return fail(TokenError::MalformedHeader, "parameter without '='");
        if (!equalsIgnoreCase(trim(param.substr(0, eq)), "token"))
            continue;
        std::string_view v = trim(param.substr(eq + 1));
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
            v = v.substr(1, v.size() - 2);
        auto bytes = base64UrlDecode(v);
        if (!bytes)
            return fail(TokenError::MalformedHeader, "token is not base64url");
        return Token::decode(*bytes);
    }
    return fail(TokenError::MalformedHeader, "no token parameter");
}

} // namespace sotto::privacypass
