// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/der.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

namespace sotto::crypto::der {

Bytes tlv(uint8_t tag, ByteView content)
{
    Bytes out;
    out.reserve(content.size() + 6);
    out.push_back(tag);
    const size_t n = content.size();
    if (n < 0x80) {
        out.push_back(static_cast<uint8_t>(n));
    } else {
        Bytes len;
        for (size_t v = n; v; v >>= 8)
            len.insert(len.begin(), static_cast<uint8_t>(v & 0xff));
        out.push_back(static_cast<uint8_t>(0x80 | len.size()));
        out.insert(out.end(), len.begin(), len.end());
    }
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

Bytes sequence(std::initializer_list<ByteView> items)
{
    return tlv(kSequence, concat(items));
}

Bytes explicitTag(uint8_t n, ByteView inner)
{
    return tlv(static_cast<uint8_t>(0xa0 | (n & 0x1f)), inner);
}

Bytes unsignedInteger(ByteView bigEndian)
{
    size_t first = 0;
    while (first < bigEndian.size() && bigEndian[first] == 0)
        ++first;
    Bytes content;
    if (first == bigEndian.size() || bigEndian[first] & 0x80)
        content.push_back(0x00);
    content.insert(
        content.end(), bigEndian.begin() + static_cast<std::ptrdiff_t>(first), bigEndian.end());
    return tlv(kInteger, content);
}

Bytes integer(uint64_t value)
{
    Bytes be;
    for (int i = 7; i >= 0; --i)
        be.push_back(static_cast<uint8_t>(value >> (8 * i)));
    return unsignedInteger(be);
}

Bytes boolean(bool value)
{
    const uint8_t v = value ? 0xff : 0x00; // X.690 11.1: TRUE is all ones in DER
    return tlv(kBoolean, ByteView(&v, 1));
}

Bytes octetString(ByteView content)
{
    return tlv(kOctetString, content);
}

Bytes bitString(ByteView content)
{
    Bytes c;
    c.reserve(content.size() + 1);
    c.push_back(0x00);
    c.insert(c.end(), content.begin(), content.end());
    return tlv(kBitString, c);
}

Bytes utf8String(std::string_view s)
{
    return tlv(kUtf8String, asBytes(s));
}

Bytes printableString(std::string_view s)
{
    return tlv(kPrintableString, asBytes(s));
}

Bytes ia5String(std::string_view s)
{
    return tlv(kIa5String, asBytes(s));
}

std::optional<Bytes> time(int64_t unixSeconds)
{
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm {};
    if (!gmtime_r(&t, &tm))
        return std::nullopt;
    const long year = static_cast<long>(tm.tm_year) + 1900;
    if (year < 0 || year > 9999)
        return std::nullopt;
    char buf[32];
    if (year >= 1950 && year <= 2049) {
        std::snprintf(buf, sizeof buf, "%02ld%02d%02d%02d%02d%02dZ", year % 100, tm.tm_mon + 1,
            tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        return tlv(kUtcTime, asBytes(buf));
    }
    std::snprintf(buf, sizeof buf, "%04ld%02d%02d%02d%02d%02dZ", year, tm.tm_mon + 1, tm.tm_mday,
        tm.tm_hour, tm.tm_min, tm.tm_sec);
    return tlv(kGeneralizedTime, asBytes(buf));
}

std::optional<Bytes> oid(std::string_view dotted)
{
    std::vector<uint64_t> arcs;
    size_t at = 0;
    while (at <= dotted.size()) {
        const size_t end = std::min(dotted.find('.', at), dotted.size());
        if (end == at)
            return std::nullopt;
        uint64_t v = 0;
        for (size_t i = at; i < end; ++i) {
            const char c = dotted[i];
            if (c < '0' || c > '9' || v > (uint64_t { 1 } << 59))
                return std::nullopt;
            v = v * 10 + static_cast<uint64_t>(c - '0');
        }
        arcs.push_back(v);
        at = end + 1;
    }
    if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39))
        return std::nullopt;
    Bytes content;
    const auto base128 = [&content](uint64_t v) {
        Bytes groups { static_cast<uint8_t>(v & 0x7f) };
        for (v >>= 7; v; v >>= 7)
            groups.insert(groups.begin(), static_cast<uint8_t>(0x80 | (v & 0x7f)));
        content.insert(content.end(), groups.begin(), groups.end());
    };
    base128(arcs[0] * 40 + arcs[1]);
    for (size_t i = 2; i < arcs.size(); ++i)
        base128(arcs[i]);
    return tlv(kOid, content);
}

} // namespace sotto::crypto::der
