// SPDX-License-Identifier: GPL-3.0-or-later
// Errors of the transparency-log unit: Merkle proofs (RFC 6962 / RFC 9162
// Section 2.1), signed notes (C2SP signed-note v1.0.0), checkpoints (C2SP
// tlog-checkpoint v1.0.0) and cosignatures (C2SP tlog-cosignature v1.0.0).
// Each failure is one of these codes plus a detail that carries the evidence
// (expected vs got sizes, roots, key names); never key material.
#pragma once

#include "protocol/common/result.h"

#include <string_view>

namespace sotto::tlog {

enum class TlogError {
    // Merkle proofs.
    InvalidHashLength, // a hash (leaf, root or proof element) that is not 32 bytes
    IndexOutOfRange,   // inclusion: leaf index >= tree size
    InvalidTreeSizes,  // consistency: size1 == 0 or size1 > size2
    WrongProofLength,  // the proof has more or fewer hashes than the sizes require
    RootMismatch,      // the proof does not lead to the expected root

    // Signed notes.
    NoteNotUtf8,            // the note is not valid UTF-8
    NoteMissingNewline,     // the text or the last signature line lacks its final newline
    NoteControlCharacter,   // a control character other than newline (signed-note "Text")
    NoteNoSignatures,       // no blank line + signature block, or an empty one
    NoteMalformedSignature, // a line in the signature block that is not "— name base64"
    NoteBadBase64,          // a signature that is not valid base64
    NoteTooManySignatures,  // more than kMaxNoteSignatures signature lines
    NoteInvalidSignature,   // a known key's signature does not verify: the note is rejected
    NoteAmbiguousKey,   // two configured verifiers with the same name and key ID, and it is used
    NoteUnverified,     // no signature from a known key (unknown keys are ignored)
    InvalidKeyName,     // a key name that is empty or contains space, '+' or a control char
    MalformedKey,       // a verifier or signer key string that does not parse
    KeyIdMismatch,      // the key ID in a key string is not the hash of name and key
    UnsupportedKeyType, // a key type byte other than Ed25519 (0x01) or cosignature/v1 (0x04)

    // Checkpoints and cosignatures.
    MalformedCheckpoint, // missing origin, non-decimal size, bad root, empty extension line
    NotACosignature,     // a signature that is not 8-byte timestamp + 64-byte Ed25519

    // Tiles (C2SP tlog-tiles v1.0.0).
    InvalidTile,          // a tile coordinate outside the tree, level > 63 or width outside 1..256
    MalformedTile,        // a hash tile whose size is not width * 32 bytes
    MalformedEntryBundle, // an entry bundle with truncated, missing or extra entries
    EntryTooLarge,        // an entry longer than 65535 bytes (its length is a uint16)

    // LogClient.
    FetchFailed,         // the fetcher could not get a file from the log
    WrongOrigin,         // the checkpoint names another log than the one configured
    LogSignatureMissing, // the checkpoint is not signed by the log's key
    WitnessQuorumNotMet, // fewer valid witness cosignatures than the quorum
    WitnessUnknown,      // the quorum is not met, and the checkpoint is cosigned by keys not configured
    Rollback,            // a checkpoint smaller than the one trusted before
    Fork,                // a checkpoint not consistent with the one trusted before
    EntryNotInLog,       // an entry index at or beyond the checkpoint's tree size

    StorageFailed, // the log writer could not read, write, fsync or rename a file of its directory
    LogExists,     // `init` on a directory that already holds a log
    LogCorrupt,    // the tiles on disk do not hash to the root of the log's own checkpoint

    // Audit (the whole log recomputed from its entries) and witnesses.
    TileMismatch, // a served hash tile differs from the hashes its entries give
    InvalidEntry, // an entry the auditor's validator refuses (not a release statement)
    NotWitnessed, // a cosignature by a key that is not among the witnesses given
};

std::string_view errorName(TlogError e);

template <class T> using TlogResult = Result<T, TlogError>;
using TlogStatus = Status<TlogError>;

} // namespace sotto::tlog
