// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the PrivateToken HTTP field parsers (RFC 9577 Section
// 2.1 WWW-Authenticate, Section 2.2 Authorization; RFC 9110 Section 11 syntax).
// The first byte picks the parser; the rest is the field value. Besides "no
// crash, no leak", whatever parses must survive format → parse unchanged.
//
// Seeds (corpus/privacypass_header/): the three RFC 9577 Appendix A
// WWW-Authenticate examples (selector 0) and the Authorization field of the
// RFC 9578 vector 1 token (selector 1).
#include "protocol/privacypass/authorization.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace sotto;
using namespace sotto::privacypass;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const std::string_view in(reinterpret_cast<const char *>(data + 1), size - 1);
    if (data[0] % 2 == 0) {
        auto list = parseWwwAuthenticate(in);
        if (!list.ok())
            return 0;
        for (const auto &c : list.value()) {
            auto header = formatWwwAuthenticate(c);
            if (!header.ok())
                std::abort(); // parse guarantees a 2-byte challenge
            auto again = parseWwwAuthenticate(header.value());
            if (!again.ok() || again.value().size() != 1
                || again.value()[0].challenge != c.challenge
                || again.value()[0].tokenKey != c.tokenKey || again.value()[0].maxAge != c.maxAge)
                std::abort();
        }
    } else {
        auto token = parseAuthorization(in);
        if (!token.ok())
            return 0;
        auto again = parseAuthorization(formatAuthorization(token.value()));
        if (!again.ok() || again.value().encode() != token.value().encode())
            std::abort();
    }
    return 0;
}
