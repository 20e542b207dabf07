// SPDX-License-Identifier: GPL-3.0-or-later
// C2SP tlog-witness v1.0.0 / tlog-cosignature v1.0.0, both sides of it:
//
//  - a witness cosigns a log's checkpoint only after checking the log's
//    signature and that the tree extends the last checkpoint it cosigned for
//    that log (a consistency proof read from the log's tiles): it refuses a
//    rollback (a smaller tree) and a fork (same size, other root, or a tree
//    that does not contain the old one). The caller persists the new
//    checkpoint before it releases the cosignature, so a crash can never
//    leave a cosignature the witness would contradict later.
//  - the log collects cosignatures: each must be a cosignature/v1 by a known
//    witness over exactly the log's current checkpoint text; the checkpoint
//    file then carries the log signature and the cosignature lines
//    (signed-note allows any number of signatures, tlog-checkpoint servers
//    publish cosignatures this way).
#pragma once

#include "protocol/tlog/log_client.h"
#include "protocol/tlog/note.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sotto::tlog {

struct WitnessedCheckpoint {
    VerifiedCheckpoint checkpoint;
    NoteSignature cosignature;
};

// Fetches and verifies the checkpoint with `client` (configured with the
// log's key; its witness quorum is normally 0), checks consistency with
// `previous` when the witness has one, and cosigns with `witness` (a
// cosignature/v1 key, UnsupportedKeyType otherwise) at `timestamp`.
TlogResult<WitnessedCheckpoint> witnessCheckpoint(const LogClient &client,
    const NoteSigner &witness, const std::optional<Checkpoint> &previous, uint64_t timestamp);

// "— name base64(keyID || signature)\n": one signed-note signature line.
std::string formatSignatureLine(const NoteSignature &signature);
// One or more signature lines, each ending in a newline (what `sotto witness
// cosign` writes). Errors as parseNote's for its signature block.
TlogResult<std::vector<NoteSignature>> parseSignatureLines(std::string_view lines);

// Checks each cosignature against `checkpointText` with `witnesses`:
// NotWitnessed for a key not among them, UnsupportedKeyType for a witness
// key that is not cosignature/v1, NoteInvalidSignature when it does not
// cover this text (made for another checkpoint, or altered).
TlogStatus checkCosignatures(std::string_view checkpointText,
    std::span<const NoteSignature> cosignatures, std::span<const NoteVerifier> witnesses);

} // namespace sotto::tlog
