// SPDX-License-Identifier: GPL-3.0-or-later
// A small DER writer (ITU-T X.690 Section 10, distinguished encoding) for the
// structures Sotto builds itself: X.509 certificates of the simulated SEV-SNP
// chain (RFC 5280 Section 4.1) and the AMD VCEK extension values (AMD VCEK
// spec 57230 section 3.1). Writing only: parsing stays with OpenSSL.
#pragma once

#include "protocol/common/bytes.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace sotto::crypto::der {

// Universal tags (X.690 Section 8, X.680 Section 8.6).
inline constexpr uint8_t kBoolean = 0x01;
inline constexpr uint8_t kInteger = 0x02;
inline constexpr uint8_t kBitString = 0x03;
inline constexpr uint8_t kOctetString = 0x04;
inline constexpr uint8_t kNull = 0x05;
inline constexpr uint8_t kOid = 0x06;
inline constexpr uint8_t kUtf8String = 0x0c;
inline constexpr uint8_t kPrintableString = 0x13;
inline constexpr uint8_t kIa5String = 0x16;
inline constexpr uint8_t kUtcTime = 0x17;
inline constexpr uint8_t kGeneralizedTime = 0x18;
inline constexpr uint8_t kSequence = 0x30;
inline constexpr uint8_t kSet = 0x31;

// tag || definite length (short or long form, X.690 8.1.3) || content.
Bytes tlv(uint8_t tag, ByteView content);
Bytes sequence(std::initializer_list<ByteView> items);
// [n] EXPLICIT (context-specific, constructed: 0xA0 | n).
Bytes explicitTag(uint8_t n, ByteView inner);

// A non-negative INTEGER, minimal (X.690 8.3.2): a leading 0x00 only when
// the top bit is set.
Bytes integer(uint64_t value);
// A non-negative INTEGER from its big-endian magnitude (empty = 0).
Bytes unsignedInteger(ByteView bigEndian);
Bytes boolean(bool value);
Bytes octetString(ByteView content);
// A BIT STRING with 0 unused bits.
Bytes bitString(ByteView content);
Bytes utf8String(std::string_view s);
Bytes printableString(std::string_view s);
Bytes ia5String(std::string_view s);
// RFC 5280 Section 4.1.2.5: UTCTime (YYMMDDHHMMSSZ) for 1950..2049,
// GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise. nullopt before year 0 or
// after 9999.
std::optional<Bytes> time(int64_t unixSeconds);
// An OBJECT IDENTIFIER from dotted decimal (X.690 8.19); nullopt when the
// text is not one (fewer than two arcs, first arc above 2, second above 39
// under 0 or 1, an empty or non-decimal arc, an arc above 2^63).
std::optional<Bytes> oid(std::string_view dotted);

} // namespace sotto::crypto::der
