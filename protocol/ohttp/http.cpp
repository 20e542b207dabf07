// SPDX-License-Identifier: GPL-3.0-or-later
// Plain HTTP answers for decapsulation failures, RFC 9458 Sections 5.2, 5.3, 6.4.
#include "protocol/ohttp/http.h"

namespace sotto::ohttp {

GatewayErrorResponse gatewayErrorResponse(OhttpError e)
{
    switch (e) {
    case OhttpError::UnknownKeyId:
    case OhttpError::UnsupportedKem:
    case OhttpError::UnsupportedKdf:
    case OhttpError::UnsupportedAead:
    case OhttpError::DecryptionFailed:
        // Section 5.3 / 9.5: the key configuration the request used is
        // outdated or incorrect; recommended status 400.
        return { 400, kProblemTypeOhttpKey, kProblemTitleOhttpKey };
    case OhttpError::Internal:
        // Not the request's fault: a 4xx would tell the client to change
        // something it cannot change.
        return { 500, {}, "Internal Server Error" };
    case OhttpError::Truncated:
    case OhttpError::InvalidEncapsulatedKey:
    case OhttpError::InvalidKeyConfig:
    case OhttpError::InvalidKeyList:
    case OhttpError::NoSupportedKeyConfig:
    case OhttpError::DuplicateKeyId:
    case OhttpError::ResponseTooShort:
    case OhttpError::InvalidArgument:
        break;
    }
    // Section 5.2: "A server that receives an invalid message for any reason
    // MUST generate an HTTP response with a 4xx status code."
    return { 400, {}, "Bad Request" };
}

std::string GatewayErrorResponse::problemJson() const
{
    if (problemType.empty())
        return {};
    // RFC 9457 Section 3.1 members "type" and "title". Both strings are
    // constants of this file without characters that JSON would escape.
    std::string json = "{\"type\":\"";
    json += problemType;
    json += "\",\"title\":\"";
    json += title;
    json += "\"}";
    return json;
}

} // namespace sotto::ohttp
