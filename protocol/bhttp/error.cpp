// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/bhttp/bhttp.h"

namespace sotto::bhttp {

std::string_view errorName(BhttpError e)
{
    switch (e) {
    case BhttpError::Truncated:
        return "Truncated";
    case BhttpError::UnknownFramingIndicator:
        return "UnknownFramingIndicator";
    case BhttpError::WrongMessageType:
        return "WrongMessageType";
    case BhttpError::InvalidMethod:
        return "InvalidMethod";
    case BhttpError::InvalidScheme:
        return "InvalidScheme";
    case BhttpError::InvalidAuthority:
        return "InvalidAuthority";
    case BhttpError::MissingAuthority:
        return "MissingAuthority";
    case BhttpError::InvalidPath:
        return "InvalidPath";
    case BhttpError::InvalidStatus:
        return "InvalidStatus";
    case BhttpError::InvalidFieldName:
        return "InvalidFieldName";
    case BhttpError::PseudoField:
        return "PseudoField";
    case BhttpError::InvalidFieldValue:
        return "InvalidFieldValue";
    case BhttpError::MalformedFieldSection:
        return "MalformedFieldSection";
    case BhttpError::FieldSectionTooLarge:
        return "FieldSectionTooLarge";
    case BhttpError::TooManyFields:
        return "TooManyFields";
    case BhttpError::TooManyInformationalResponses:
        return "TooManyInformationalResponses";
    case BhttpError::NonZeroPadding:
        return "NonZeroPadding";
    }
    return "Unknown";
}

} // namespace sotto::bhttp
