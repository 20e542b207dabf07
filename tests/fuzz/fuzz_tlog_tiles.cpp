// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for what an auditor downloads from a tlog-tiles log (C2SP
// tlog-tiles v1.0.0) and what a log reads from a witness:
//  - entry bundles: the first input byte is the width the tree gives the
//    bundle (0 = 256); what parses must have exactly that many entries and
//    re-encode to exactly the input (one encoding per bundle);
//  - hash tiles: the same width byte; a tile parses iff it is width * 32
//    bytes, and round-trips;
//  - a TileHashSource over the input as a level-0 tile: any range of a tree
//    of that width either hashes or fails with an error, never crashes;
//  - the input as `sotto witness cosign` output (signature lines): parses or
//    fails with a TlogError and a detail, and what parses re-formats to it.
//
// Seeds (corpus/tlog_tiles/): the width byte followed by the entry bundles
// and hash tiles of a log written by `sotto log append` with 1, 3 and 257
// release statements (tile/entries/000.p/1, 000.p/3, 000, 001.p/1 and the
// tile/0 files of the same widths), and two cosignature lines from
// `sotto witness cosign`.
#include "protocol/tlog/tiles.h"
#include "protocol/tlog/witness.h"

#include <cstddef>
#include <cstdint>

using namespace sotto;
using namespace sotto::tlog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const unsigned width = data[0] == 0 ? 256u : data[0];
    const ByteView body(data + 1, size - 1);

    auto bundle = parseEntryBundle(body, width);
    if (bundle) {
        if (bundle->size() != width)
            __builtin_trap();
        auto again = encodeEntryBundle(*bundle);
        if (!again || Bytes(body.begin(), body.end()) != *again)
            __builtin_trap();
    } else if (bundle.error() != TlogError::MalformedEntryBundle || bundle.detail().empty()) {
        __builtin_trap();
    }

    const Tile tile { 0, 0, width };
    auto hashes = parseHashTile(tile, body);
    if (hashes.ok() != (body.size() == size_t(width) * kHashLength))
        __builtin_trap();
    if (hashes) {
        if (encodeHashTile(*hashes) != Bytes(body.begin(), body.end()))
            __builtin_trap();
        // A tree of `width` leaves whose only level-0 tile is this one.
        TileHashSource source(width, [&](const Tile &t) -> TlogResult<std::vector<Hash>> {
            if (t.level != 0)
                return fail(TlogError::FetchFailed, "no tile above level 0 in the fuzz input");
            return parseHashTile(t, body);
        });
        const uint64_t begin = size > 2 ? data[1] % width : 0;
        const uint64_t end = width - (size > 3 ? data[2] % (width - begin) : 0);
        auto h = source.subtreeHash(begin, end);
        if (!h && h.detail().empty())
            __builtin_trap();
    }

    const std::string_view text(reinterpret_cast<const char *>(data), size);
    auto lines = parseSignatureLines(text);
    if (lines) {
        std::string again;
        for (const NoteSignature &s : *lines)
            again += formatSignatureLine(s);
        // Identical lines are kept once, so re-formatting may be shorter,
        // but it must parse to the same signatures.
        auto reparsed = parseSignatureLines(again);
        if (!reparsed || *reparsed != *lines)
            __builtin_trap();
    } else if (errorName(lines.error()) == "Unknown" || lines.detail().empty()) {
        __builtin_trap();
    }
    return 0;
}
