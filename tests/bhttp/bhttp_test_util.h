// SPDX-License-Identifier: GPL-3.0-or-later
// Shared helpers for the Binary HTTP tests: building wire bytes by hand
// (including non-minimal varints), reading the RFC 9292 example JSON, and
// readable gtest output for the message types.
#pragma once

#include "protocol/bhttp/bhttp.h"
#include "tests/support/result_assert.h"
#include "tests/support/testdata.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

namespace sotto::bhttp {

// gtest finds these by ADL. Values are shown escaped: test data only.
inline std::string escapeForTest(std::string_view s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

inline void printSection(const FieldSection &fields, std::ostream *os)
{
    *os << "[";
    for (const auto &f : fields)
        *os << " " << escapeForTest(f.name) << ": \"" << escapeForTest(f.value) << "\"";
    *os << " ]";
}

inline void PrintTo(const Field &f, std::ostream *os)
{
    *os << escapeForTest(f.name) << ": \"" << escapeForTest(f.value) << "\"";
}

inline void PrintTo(const Request &r, std::ostream *os)
{
    *os << "Request{" << escapeForTest(r.method) << " " << escapeForTest(r.scheme) << "://"
        << escapeForTest(r.authority) << escapeForTest(r.path) << " headers=";
    printSection(r.headers, os);
    *os << " content=" << r.content.size() << "B \"" << escapeForTest(asString(r.content))
        << "\" trailers=";
    printSection(r.trailers, os);
    *os << "}";
}

inline void PrintTo(const Response &r, std::ostream *os)
{
    *os << "Response{";
    for (const auto &i : r.informational) {
        *os << i.status << " ";
        printSection(i.headers, os);
        *os << "; ";
    }
    *os << r.status << " headers=";
    printSection(r.headers, os);
    *os << " content=" << r.content.size() << "B \"" << escapeForTest(asString(r.content))
        << "\" trailers=";
    printSection(r.trailers, os);
    *os << "}";
}

} // namespace sotto::bhttp

namespace sotto::bhttp::test {

// A QUIC varint (RFC 9000 Section 16) of the given width in bytes (1, 2, 4
// or 8); width 0 means the shortest encoding.
inline Bytes varint(uint64_t v, size_t width = 0)
{
    if (width == 0)
        width = v < 64 ? 1 : v < 16384 ? 2 : v < (uint64_t { 1 } << 30) ? 4 : 8;
    const uint8_t prefix = width == 1 ? 0x00 : width == 2 ? 0x40 : width == 4 ? 0x80 : 0xc0;
    Bytes out(width);
    for (size_t i = 0; i < width; ++i)
        out[width - 1 - i] = static_cast<uint8_t>(v >> (8 * i));
    out[0] = static_cast<uint8_t>(out[0] | prefix);
    return out;
}

// A length-prefixed string, minimal length varint.
inline Bytes lp(std::string_view s)
{
    return concat({ varint(s.size()), asBytes(s) });
}

inline Bytes cat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const auto &p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Field lines (name, value pairs) without any section framing.
inline Bytes lines(std::initializer_list<std::pair<std::string_view, std::string_view>> fields)
{
    Bytes out;
    for (const auto &[n, v] : fields) {
        auto line = cat({ lp(n), lp(v) });
        out.insert(out.end(), line.begin(), line.end());
    }
    return out;
}

// Known-length section: length prefix + lines. Indeterminate: lines + 0.
inline Bytes knownSection(const Bytes &body)
{
    return cat({ varint(body.size()), body });
}

inline Bytes indeterminateSection(const Bytes &body)
{
    return cat({ body, Bytes { 0 } });
}

// Control data of a request that passes every check: https with authority.
inline Bytes goodControlData()
{
    return cat({ lp("GET"), lp("https"), lp("example.com"), lp("/") });
}

inline FieldSection fieldsFromJson(const nlohmann::json &j)
{
    FieldSection out;
    for (const auto &pair : j)
        out.push_back(Field { pair.at(0).get<std::string>(), pair.at(1).get<std::string>() });
    return out;
}

inline Request requestFromJson(const nlohmann::json &d)
{
    Request r;
    r.method = d.at("method").get<std::string>();
    r.scheme = d.at("scheme").get<std::string>();
    r.authority = d.at("authority").get<std::string>();
    r.path = d.at("path").get<std::string>();
    r.headers = fieldsFromJson(d.at("header"));
    r.content = toBytes(d.at("content").get<std::string>());
    r.trailers = fieldsFromJson(d.at("trailer"));
    return r;
}

inline Response responseFromJson(const nlohmann::json &d)
{
    Response r;
    for (const auto &i : d.at("informational"))
        r.informational.push_back(InformationalResponse {
            i.at("status").get<uint16_t>(), fieldsFromJson(i.at("fields")) });
    r.status = d.at("status").get<uint16_t>();
    r.headers = fieldsFromJson(d.at("header"));
    r.content = toBytes(d.at("content").get<std::string>());
    r.trailers = fieldsFromJson(d.at("trailer"));
    return r;
}

} // namespace sotto::bhttp::test

// Checks that `expr` (a BhttpResult) failed with exactly `code`.
#define EXPECT_BHTTP_ERROR(expr, code) EXPECT_RESULT_ERROR(expr, code)
