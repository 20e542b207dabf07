// SPDX-License-Identifier: GPL-3.0-or-later
// The Authorization credential of RFC 9577 Section 2.2:
//   Authorization: PrivateToken token=<base64url(Token)>
#pragma once

#include "protocol/privacypass/token.h"

#include <string>
#include <string_view>

namespace sotto::privacypass {

// base64url (RFC 4648 Section 5) without padding; decode accepts padding too,
// as RFC 9577 Section 2.2 does not forbid it.
std::string base64UrlEncode(ByteView data);
std::optional<Bytes> base64UrlDecode(std::string_view text);

// "PrivateToken token=..." (the header value, without "Authorization: ").
std::string formatAuthorization(const Token &token);
// The scheme is case-insensitive (RFC 9110 Section 11.1); the only parameter
// read is token (case-insensitive name), quoted or not; others are ignored.
TokenResult<Token> parseAuthorization(std::string_view value);

} // namespace sotto::privacypass
