// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/ohttp/error.h"

namespace sotto::ohttp {

std::string_view errorName(OhttpError e)
{
    switch (e) {
    case OhttpError::Truncated:
        return "Truncated";
    case OhttpError::UnknownKeyId:
        return "UnknownKeyId";
    case OhttpError::UnsupportedKem:
        return "UnsupportedKem";
    case OhttpError::UnsupportedKdf:
        return "UnsupportedKdf";
    case OhttpError::UnsupportedAead:
        return "UnsupportedAead";
    case OhttpError::InvalidEncapsulatedKey:
        return "InvalidEncapsulatedKey";
    case OhttpError::DecryptionFailed:
        return "DecryptionFailed";
    case OhttpError::InvalidKeyConfig:
        return "InvalidKeyConfig";
    case OhttpError::InvalidKeyList:
        return "InvalidKeyList";
    case OhttpError::NoSupportedKeyConfig:
        return "NoSupportedKeyConfig";
    case OhttpError::DuplicateKeyId:
        return "DuplicateKeyId";
    case OhttpError::ResponseTooShort:
        return "ResponseTooShort";
    case OhttpError::InvalidArgument:
        return "InvalidArgument";
    case OhttpError::Internal:
        return "Internal";
    }
    return "UnknownOhttpError";
}

} // namespace sotto::ohttp
