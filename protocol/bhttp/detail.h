// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to protocol/bhttp: the pieces of validateRequest that the decoder
// runs at the point in the message where the data becomes available.
#pragma once

#include "protocol/bhttp/bhttp.h"

namespace sotto::bhttp::detail {

// Method, scheme, authority and path on their own (Section 3.4).
BhttpStatus validateControlData(const Request &request);
// The authority-or-Host rule of RFC 9113 8.3.1; needs the header section.
BhttpStatus validateAuthorityPresent(const Request &request);

} // namespace sotto::bhttp::detail
