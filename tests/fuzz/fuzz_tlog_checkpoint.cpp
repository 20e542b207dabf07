// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the C2SP tlog-checkpoint body parser. The input is
// the text of a signed note as a log serves it. Each input must either parse
// or fail with a TlogError and a detail, never crash, and what parses must
// re-encode to exactly the input: the parser accepts only the canonical form
// (decimal size without leading zeros, strict base64 root, extension lines
// kept verbatim), so no two byte strings give the same checkpoint.
// The input's bytes are also read as a cosignature/v1 signature: the
// timestamp parser accepts exactly 72 bytes.
//
// Seeds (corpus/tlog_checkpoint/): the checkpoint_body_cases texts of
// tests/data/tlog/signednote/signed-note-vectors.json and the text part of
// its checkpoint notes (tdf-sumdb-checkpoint, real-ct-checkpoint-*,
// c2sp-tlog-*), byte for byte.
#include "protocol/tlog/checkpoint.h"
#include "protocol/tlog/note.h"

#include <cstddef>
#include <cstdint>

using namespace sotto;
using namespace sotto::tlog;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    auto cp = parseCheckpoint(input);
    if (!cp) {
        if (errorName(cp.error()) == "Unknown" || cp.detail().empty())
            __builtin_trap();
    } else {
        const std::string again = formatCheckpoint(*cp);
        if (again != input)
            __builtin_trap();
        auto reparsed = parseCheckpoint(again);
        if (!reparsed || *reparsed != *cp)
            __builtin_trap();
    }

    auto ts = cosignatureTimestamp(ByteView(data, size));
    if (ts.ok() != (size == 72))
        __builtin_trap();
    return 0;
}
