// SPDX-License-Identifier: GPL-3.0-or-later
// Base64 (RFC 4648), one codec for both alphabets: the standard one of
// Section 4 (signed notes, checkpoints, the discovery form's keys) and the
// URL-safe one of Section 5 (Privacy Pass header fields). Decoding is strict:
// no whitespace, no characters outside the alphabet, at most two '=' and only
// where they complete the last quantum (Section 3.2), and the unused bits of
// the last character zero (Section 3.5), so that a byte string has exactly one
// accepted encoding for a given padding rule.
#pragma once

#include "protocol/common/bytes.h"

#include <optional>
#include <string>
#include <string_view>

namespace sotto {

enum class Base64Alphabet {
    Standard, // A-Z a-z 0-9 + /
    Url,      // A-Z a-z 0-9 - _
};

enum class Base64Padding {
    Omit,    // no trailing '='
    Include, // '=' up to a multiple of 4 characters
};

enum class Base64PaddingRule {
    Required, // the encoding must carry its padding
    Optional, // with its exact padding or with none
};

std::string base64Encode(ByteView data, Base64Alphabet alphabet, Base64Padding padding);
std::optional<Bytes> base64Decode(
    std::string_view text, Base64Alphabet alphabet, Base64PaddingRule rule);

} // namespace sotto
