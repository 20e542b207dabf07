// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP facts of RFC 9458 that the layers above this unit need: media
// types (Section 9, RFC 9292 Section 7) and the plain HTTP answer a gateway
// gives when it cannot remove the encapsulation (Sections 5.2, 5.3, 6.4).
#pragma once

#include "protocol/ohttp/error.h"

#include <string>
#include <string_view>

namespace sotto::ohttp {

// Section 9.1-9.3 and RFC 9292 Section 7.
inline constexpr std::string_view kMediaTypeKeys = "application/ohttp-keys";
inline constexpr std::string_view kMediaTypeRequest = "message/ohttp-req";
inline constexpr std::string_view kMediaTypeResponse = "message/ohttp-res";
inline constexpr std::string_view kMediaTypeBhttp = "message/bhttp";
// RFC 9457 Section 3: the media type of a problem details body.
inline constexpr std::string_view kMediaTypeProblemJson = "application/problem+json";

// Section 9.5 (defined in Section 5.3) and Section 9.4 (Section 6.5.2), with
// the titles IANA registered.
inline constexpr std::string_view kProblemTypeOhttpKey
    = "https://iana.org/assignments/http-problem-types#ohttp-key";
inline constexpr std::string_view kProblemTitleOhttpKey
    = "Oblivious HTTP key configuration not acceptable";
inline constexpr std::string_view kProblemTypeDate
    = "https://iana.org/assignments/http-problem-types#date";
inline constexpr std::string_view kProblemTitleDate = "Date Not Acceptable";

// The unencapsulated response a gateway sends when decapsulateRequest fails.
//
// Section 5.2: an invalid message gets a 4xx status, and errors found before
// the encapsulation is removed are sent without protection (there is no key
// to protect them with). Section 5.3 defines the "ohttp-key" problem type for
// "an outdated or incorrect key configuration"; its registration (Section
// 9.5) recommends status 400, and the example in Section 5.3 is a 400.
// Section 6.4 also allows 422 for an unknown key id or a request the key
// cannot decrypt; we follow the registry and answer 400 throughout, so that
// every decapsulation failure looks alike at the relay except for the
// problem type.
//
//   UnknownKeyId, UnsupportedKem/Kdf/Aead, DecryptionFailed
//       -> 400 + ohttp-key: the client's key config is stale or wrong, or
//          (Section 6.4) the key id matched but the key did not decrypt; a
//          client that sees it refetches the key configuration.
//   Truncated, InvalidEncapsulatedKey (and any other non-internal code)
//       -> 400 without a problem type: a malformed message (Section 5.2).
//   Internal -> 500: the gateway failed, not the request.
//
// The body carries only the registered type and title: the error's detail
// string stays in the gateway (it must not help an observer).
struct GatewayErrorResponse {
    int status = 400;
    std::string_view problemType; // empty: no problem details body
    std::string_view title;

    // The application/problem+json body (RFC 9457 Section 3), or "" when
    // there is no problem type.
    std::string problemJson() const;
};

GatewayErrorResponse gatewayErrorResponse(OhttpError e);

} // namespace sotto::ohttp
