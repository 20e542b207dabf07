// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/base64.h"

#include "protocol/common/base64.h"

namespace sotto::tlog {

std::string base64Encode(ByteView data)
{
    return sotto::base64Encode(data, Base64Alphabet::Standard, Base64Padding::Include);
}

std::optional<Bytes> base64Decode(std::string_view text)
{
    return sotto::base64Decode(text, Base64Alphabet::Standard, Base64PaddingRule::Required);
}

} // namespace sotto::tlog
