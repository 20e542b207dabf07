// SPDX-License-Identifier: GPL-3.0-or-later
// The PrivateToken HTTP authentication scheme of RFC 9577 Section 2:
//   WWW-Authenticate: PrivateToken challenge="<base64url>", token-key="<base64url>"[, max-age=N]
//   Authorization: PrivateToken token=<base64url(Token)>
// Both fields are read with the auth-param syntax of RFC 9110 Section 11.
#pragma once

#include "protocol/common/base64.h"
#include "protocol/privacypass/token.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::privacypass {

// base64url (RFC 4648 Section 5) on protocol/common/base64. RFC 9577
// Sections 2.1 and 2.2 say the header values MUST include padding, so the
// header encoders pad. Decoding accepts the value with or without padding (a
// 354-byte Token needs none), but padding that is present must be exact;
// non-canonical trailing bits are rejected.
using ::sotto::Base64Padding;
std::string base64UrlEncode(ByteView data, Base64Padding padding = Base64Padding::Omit);
std::optional<Bytes> base64UrlDecode(std::string_view text);

// The header fields are short; a longer value is refused before parsing.
inline constexpr size_t kMaxAuthHeaderLength = 64 * 1024;

// "PrivateToken token=..." (the header value, without "Authorization: ").
// The value is quoted only when it has padding (never for a 354-byte Token).
std::string formatAuthorization(const Token &token);
// One credential (RFC 9110 Section 11.6.2): the PrivateToken scheme (case-
// insensitive), auth-params only (no token68), the token parameter exactly
// once (name case-insensitive, value quoted or not); other parameters are
// ignored (RFC 9577 Section 2.2). MalformedHeader for anything else.
TokenResult<Token> parseAuthorization(std::string_view value);

// One PrivateToken challenge of a WWW-Authenticate field (RFC 9577 Section 2.1).
struct PrivateTokenChallenge {
    // The TokenChallenge bytes exactly as sent: the Token's challenge_digest
    // is SHA-256 over them, so they are kept, not re-encoded.
    Bytes challenge;
    // The issuer key for the challenge's token type (0x0002: the RSASSA-PSS
    // SPKI DER). Empty when the origin left it out (the attribute MAY be
    // omitted where clients get the key out of band).
    Bytes tokenKey;
    // Seconds the origin accepts the challenge for.
    std::optional<uint64_t> maxAge;

    // The first two bytes of the challenge (parse guarantees there are two).
    uint16_t tokenType() const;
};

// `PrivateToken challenge="...", token-key="..."[, max-age=N]`, base64url with
// padding in quoted strings, as in RFC 9577 Appendix A. InvalidLength when
// the challenge is shorter than a token type.
TokenResult<std::string> formatWwwAuthenticate(const PrivateTokenChallenge &challenge);

// The whole field value: a list of challenges (RFC 9110 Section 11.6.1), of
// which the PrivateToken ones are returned in order; other schemes (Basic, ...)
// are skipped. Strict syntax: MalformedHeader for an auth-param that does not
// parse, a duplicate parameter, a PrivateToken challenge without `challenge`,
// a token68 form, a value that is not base64url, a max-age that is not a
// decimal number. A challenge shorter than 2 bytes is InvalidLength. Unknown
// parameters are ignored. The challenges' token types are not checked here:
// callers MUST ignore challenges of types they do not support, and those whose
// TokenChallenge does not decode (RFC 9577 Section 2.1.1), as the RFC's
// grease challenges (type 0x0000, random bytes) require.
// A bare value may end in '=' padding (strictly not an RFC 9110 token, but what
// @cloudflare/privacypass-ts sends unless asked to quote).
TokenResult<std::vector<PrivateTokenChallenge>> parseWwwAuthenticate(std::string_view value);

} // namespace sotto::privacypass
