// SPDX-License-Identifier: GPL-3.0-or-later
// The client side of a tlog-tiles log: reads the checkpoint, checks the log's
// signature and a quorum of witness cosignatures, proves that an entry is in
// the tree, and that the tree grew append-only since a checkpoint the caller
// trusted before (the caller persists that one; this class keeps no state
// between calls besides its configuration).
//
// It does no I/O itself: a LogFetcher returns the bytes of a path relative to
// the log's prefix ("checkpoint", "tile/0/000", "tile/entries/x001/234.p/9").
// Nothing fetched is trusted: every tile and entry only counts after the
// proof it feeds has reached the signed root.
#pragma once

#include "protocol/tlog/checkpoint.h"
#include "protocol/tlog/error.h"
#include "protocol/tlog/merkle.h"
#include "protocol/tlog/note.h"
#include "protocol/tlog/tiles.h"

#include "protocol/common/bytes.h"

#include <functional>
#include <string>
#include <vector>

namespace sotto::tlog {

using LogFetcher = std::function<TlogResult<Bytes>(const std::string &path)>;

struct LogClientConfig {
    std::string origin;  // the checkpoint's first line must equal this
    NoteVerifier logKey; // must have signed the checkpoint
    std::vector<NoteVerifier> witnesses;
    size_t witnessQuorum = 0; // valid cosignatures required from `witnesses`
};

struct VerifiedCheckpoint {
    Checkpoint checkpoint;
    std::string note;                   // the signed note as fetched, for the caller to persist
    std::vector<std::string> witnesses; // names of the witnesses whose cosignature verified
};

class LogClient {
public:
    LogClient(LogClientConfig config, LogFetcher fetcher);

    // Fetches "checkpoint" and verifies it (openCheckpoint).
    TlogResult<VerifiedCheckpoint> fetchCheckpoint() const;
    // Errors: NoteUnverified / NoteInvalidSignature and the other note errors,
    // LogSignatureMissing, WitnessQuorumNotMet, MalformedCheckpoint,
    // WrongOrigin.
    TlogResult<VerifiedCheckpoint> openCheckpoint(std::string_view note) const;

    // The entry at `index`, read from its entry bundle and proven to be in
    // the tree of `checkpoint` (EntryNotInLog, MalformedEntryBundle,
    // RootMismatch for a modified bundle or tile, FetchFailed).
    TlogResult<Bytes> fetchEntry(uint64_t index, const Checkpoint &checkpoint) const;
    // An inclusion proof for a leaf hash, computed from the log's tiles and
    // verified against `checkpoint`.
    TlogResult<std::vector<Hash>> proveInclusion(
        uint64_t index, const Hash &leafHash, const Checkpoint &checkpoint) const;
    // Checks that `newer` extends `trusted`: Rollback when it is smaller,
    // Fork when it has the same size and another root or the consistency
    // proof computed from `newer`'s tiles does not reach `trusted`'s root.
    TlogStatus checkConsistency(const Checkpoint &trusted, const Checkpoint &newer) const;

private:
    TileReader tileReader() const;

    LogClientConfig m_config;
    LogFetcher m_fetch;
};

} // namespace sotto::tlog
