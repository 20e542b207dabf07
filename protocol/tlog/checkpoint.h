// SPDX-License-Identifier: GPL-3.0-or-later
// C2SP tlog-checkpoint v1.0.0: the body of a signed note that commits a log
// to a tree head.
//
//   <origin>\n            the log's identity, non-empty
//   <tree size>\n         ASCII decimal, no sign, no leading zeros
//   <base64 root hash>\n  RFC 6962 root of the tree of that size
//   [<extension line>\n]  zero or more, each non-empty
//
// The whole body is what the log signs (signed-note) and what witnesses
// cosign (tlog-cosignature); parsing it does not verify anything.
#pragma once

#include "protocol/tlog/error.h"
#include "protocol/tlog/merkle.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::tlog {

struct Checkpoint {
    std::string origin;
    uint64_t size = 0;
    Hash root {};
    std::vector<std::string> extensions;

    bool operator==(const Checkpoint &) const = default;
};

// MalformedCheckpoint for anything off the format above (with the line that
// is wrong in the detail); NoteNotUtf8 / NoteControlCharacter /
// NoteMissingNewline for text that is no valid note text at all.
TlogResult<Checkpoint> parseCheckpoint(std::string_view text);
// The body, ending with a newline. Round-trips with parseCheckpoint.
std::string formatCheckpoint(const Checkpoint &checkpoint);

} // namespace sotto::tlog
