// SPDX-License-Identifier: GPL-3.0-or-later
// Standard base64 (RFC 4648 Section 4, with padding), as signed-note uses for
// signatures and keys and tlog-checkpoint for the root hash. Decoding is
// strict: no whitespace, padding required, unused bits zero, so that every
// byte string has exactly one accepted encoding. The codec is
// protocol/common/base64 (standard alphabet, padding required).
#pragma once

#include "protocol/common/bytes.h"

#include <optional>
#include <string>
#include <string_view>

namespace sotto::tlog {

std::string base64Encode(ByteView data);
std::optional<Bytes> base64Decode(std::string_view text);

} // namespace sotto::tlog
