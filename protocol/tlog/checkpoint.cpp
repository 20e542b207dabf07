// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/checkpoint.h"

#include "protocol/tlog/base64.h"
#include "protocol/tlog/note.h"

#include <charconv>

namespace sotto::tlog {

namespace {

// tlog-checkpoint: the size is a decimal integer. Leading zeros would give
// one tree several encodings, so only the canonical form is accepted.
std::optional<uint64_t> parseDecimal(std::string_view s)
{
    if (s.empty() || (s.size() > 1 && s[0] == '0'))
        return std::nullopt;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
    }
    uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc {} || end != s.data() + s.size())
        return std::nullopt; // out of range for uint64
    return v;
}

} // namespace

TlogResult<Checkpoint> parseCheckpoint(std::string_view text)
{
    // A checkpoint is note text: UTF-8, no control characters, final newline.
    if (auto ok = checkNoteText(text); !ok)
        return ok.failure();
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        text.remove_prefix(nl + 1);
    }
    if (lines.size() < 3)
        return fail(TlogError::MalformedCheckpoint,
            "checkpoint needs origin, size and root lines, got " + std::to_string(lines.size())
                + " lines");
    Checkpoint cp;
    if (lines[0].empty())
        return fail(TlogError::MalformedCheckpoint, "checkpoint origin is empty");
    cp.origin = std::string(lines[0]);
    auto size = parseDecimal(lines[1]);
    if (!size)
        return fail(TlogError::MalformedCheckpoint,
            "checkpoint tree size is not a canonical decimal below 2^64: \"" + std::string(lines[1])
                + "\"");
    cp.size = *size;
    auto root = base64Decode(lines[2]);
    if (!root)
        return fail(TlogError::MalformedCheckpoint, "checkpoint root hash is not valid base64");
    if (root->size() != kHashLength)
        return fail(TlogError::MalformedCheckpoint,
            "checkpoint root hash must be 32 bytes, got " + std::to_string(root->size()));
    std::copy(root->begin(), root->end(), cp.root.begin());
    for (size_t i = 3; i < lines.size(); ++i) {
        // An empty line here would be the note's text/signature separator.
        if (lines[i].empty())
            return fail(TlogError::MalformedCheckpoint,
                "checkpoint extension line " + std::to_string(i - 2) + " is empty");
        cp.extensions.emplace_back(lines[i]);
    }
    return cp;
}

std::string formatCheckpoint(const Checkpoint &cp)
{
    std::string out
        = cp.origin + "\n" + std::to_string(cp.size) + "\n" + base64Encode(cp.root) + "\n";
    for (const std::string &ext : cp.extensions)
        out += ext + "\n";
    return out;
}

} // namespace sotto::tlog
