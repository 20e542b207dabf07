// SPDX-License-Identifier: GPL-3.0-or-later
// A full audit of a tlog-tiles log (C2SP tlog-tiles v1.0.0), as a researcher
// runs it: rather than trusting any served hash, every entry bundle is read,
// every leaf hashed, every tile row recomputed and compared with the tile the
// log serves, and the recomputed root compared with the signed checkpoint.
// A log that passes serves one tree, the one its checkpoint commits to, and
// every client proof computed from its tiles is consistent with it.
//
// Files are read through a LogFetcher; each file is fetched once, in index
// order, and nothing beyond the leaf hashes (32 bytes per entry) is kept.
#pragma once

#include "protocol/tlog/log_client.h"

#include <functional>
#include <optional>

namespace sotto::tlog {

// Called for every entry in index order, after its bundle parsed and before
// its hash is used; a failure (normally InvalidEntry) stops the audit.
using AuditEntryVisitor = std::function<TlogStatus(uint64_t index, ByteView entry)>;
// Entries verified so far and the tree size: for a progress display.
using AuditProgress = std::function<void(uint64_t done, uint64_t total)>;

struct AuditOptions {
    // A checkpoint the auditor saw before (already verified by the caller):
    // the log must extend it (Rollback, Fork otherwise).
    std::optional<Checkpoint> since;
    AuditEntryVisitor onEntry;
    AuditProgress onProgress;
};

struct AuditReport {
    VerifiedCheckpoint checkpoint;
    uint64_t entries = 0;
    uint64_t tiles = 0; // hash tiles fetched and compared
};

class LogAuditor {
public:
    LogAuditor(LogClientConfig config, LogFetcher fetcher);

    // Errors: those of LogClient::fetchCheckpoint (signature, quorum,
    // origin); FetchFailed for a missing tile or bundle; MalformedTile,
    // MalformedEntryBundle; TileMismatch when a served tile differs from the
    // recomputed one; RootMismatch when the entries do not hash to the
    // checkpoint's root; the visitor's error; Rollback and Fork against
    // `since`.
    TlogResult<AuditReport> run(const AuditOptions &options) const;

private:
    TlogResult<std::vector<Hash>> fetchTile(const Tile &tile) const;
    TlogResult<std::vector<Bytes>> fetchBundle(const Tile &bundle) const;

    LogClientConfig m_config;
    LogFetcher m_fetch;
};

} // namespace sotto::tlog
