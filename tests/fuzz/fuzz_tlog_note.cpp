// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the C2SP signed-note parser and verifier. The input is
// a note as fetched from a log or a witness (untrusted). Each input must
// either parse or fail with a TlogError and a detail, never crash, and:
//   - what parses re-encodes (formatNote) to a note that parses to the same
//     text and signatures (identical lines are kept once, so the encoding of
//     a parsed note is a fixed point);
//   - openNote against a fixed set of verifier keys agrees with parseNote on
//     malformed input and, on success, reports at least one verified
//     signature by a configured key;
//   - the input read as a verifier key string either fails or prints back
//     exactly as given.
//
// Seeds (corpus/tlog_note/): every note of tests/data/tlog/signednote/
// signed-note-vectors.json (open_cases, parse_only_examples and the signed
// note of signing_cases), byte for byte, one file per case id.
#include "protocol/tlog/note.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace sotto;
using namespace sotto::tlog;

namespace {

const std::vector<NoteVerifier> &verifiers()
{
    static const std::vector<NoteVerifier> keys = [] {
        std::vector<NoteVerifier> out;
        for (const char *k : { "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                 "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
                 "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2" }) {
            auto v = NoteVerifier::parse(k);
            if (!v)
                __builtin_trap();
            out.push_back(*v);
        }
        return out;
    }();
    return keys;
}

void checkFailure(const std::string &detail, TlogError code)
{
    if (errorName(code) == "Unknown" || detail.empty())
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);

    auto note = parseNote(input);
    auto opened = openNote(input, verifiers());
    if (!note) {
        checkFailure(note.detail(), note.error());
        // A note that does not parse cannot be opened, with the same error.
        if (opened || opened.error() != note.error())
            __builtin_trap();
    } else {
        const std::string again = formatNote(*note);
        auto reparsed = parseNote(again);
        if (!reparsed || reparsed->text != note->text || reparsed->signatures != note->signatures
            || formatNote(*reparsed) != again)
            __builtin_trap();
        if (opened) {
            if (opened->verified.empty() || opened->text != note->text)
                __builtin_trap();
        } else {
            checkFailure(opened.detail(), opened.error());
        }
    }

    auto vkey = NoteVerifier::parse(input);
    if (vkey) {
        if (vkey->toString() != input)
            __builtin_trap();
    } else {
        checkFailure(vkey.detail(), vkey.error());
    }
    return 0;
}
