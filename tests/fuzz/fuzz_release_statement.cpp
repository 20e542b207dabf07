// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for release statements (protocol/formats/release_statement.h,
// DESIGN.md "Release statement"): what `sotto log append` validates before a
// release enters the log, and what `sotto audit` checks for every entry.
// Besides "no crash, no leak": every failure says why; an accepted statement's
// canonical form is accepted again and is its own canonical form (equal
// statements are equal log entries), and it has no whitespace outside strings.
//
// Seeds (corpus/release_statement/): the release statement of the evidence
// bundle seeds (corpus/evidence_bundle/sev-guest.json), canonical, and the same
// fields reordered with whitespace.
#include "protocol/formats/release_statement.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace sotto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto canonical = formats::canonicalReleaseStatement(text);
    if (!canonical.ok()) {
        if (canonical.detail().empty())
            std::abort();
        return 0;
    }
    const auto again = formats::canonicalReleaseStatement(*canonical);
    if (!again.ok() || *again != *canonical)
        std::abort();
    bool inString = false;
    for (size_t i = 0; i < canonical->size(); ++i) {
        const char c = (*canonical)[i];
        if (inString && c == '\\')
            ++i; // the escaped character
        else if (c == '"')
            inString = !inString;
        else if (!inString && (c == ' ' || c == '\n' || c == '\t' || c == '\r'))
            std::abort();
    }
    return 0;
}
