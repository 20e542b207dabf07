// SPDX-License-Identifier: GPL-3.0-or-later
// A file-backed transparency log writer: C2SP tlog-tiles (v1.0.0) in a
// directory, with a C2SP tlog-checkpoint signed as a C2SP signed-note.
//
// Layout (what nginx serves, and what LogClient reads):
//   checkpoint                  the signed checkpoint note, written LAST
//   tile/<L>/<N>[.p/<W>]        hash tiles (tlog-tiles "Merkle Tree")
//   tile/entries/<N>[.p/<W>]    entry bundles (uint16 length || entry)
// The signer key lives in `signer.key` (0600); it must never be served.
//
// Crash safety: every file is written to a temporary name in its own
// directory, fsynced and renamed; tiles and bundles for a new size are all in
// place before the checkpoint that names them is renamed over the old one.
// Nothing is ever removed: a partial tile `.p/<W>` has fixed content for its
// width, and clients holding an older checkpoint may still fetch it.
#pragma once

#include "protocol/tlog/checkpoint.h"
#include "protocol/tlog/error.h"
#include "protocol/tlog/merkle.h"
#include "protocol/tlog/note.h"

#include "protocol/common/bytes.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sotto::tlog {

// tlog-tiles entry bundles prefix each entry with a big-endian uint16 length.
constexpr size_t kMaxEntrySize = 65535;

inline constexpr const char *kSignerKeyFile = "signer.key";
inline constexpr const char *kCheckpointFile = "checkpoint";

class LogWriter {
public:
    // Creates a new empty log (size 0) in `dir`, creating the directory;
    // LogExists if a checkpoint or key is already there. Writes the signer
    // key file with permissions 0600.
    static TlogResult<LogWriter> create(const std::filesystem::path &dir, NoteSigner signer);
    // Opens an existing log with its key file; checks that the checkpoint
    // verifies under the key and that the tiles on disk hash to its root.
    // Holds an exclusive flock(2) on DIR/.lock while the writer lives, so two
    // `sotto log append` cannot both extend the same size (StorageFailed).
    static TlogResult<LogWriter> open(const std::filesystem::path &dir);

    // Appends entries; returns the index of the first. All or nothing: on
    // failure the checkpoint on disk is unchanged.
    TlogResult<uint64_t> append(std::span<const Bytes> entries);
    // Re-signs the current checkpoint, writes it and returns the note. The
    // witnesses' cosignatures of this checkpoint are kept.
    TlogResult<std::string> resign();
    // Adds witness cosignatures of the current checkpoint to the checkpoint
    // file (C2SP tlog-cosignature: served as extra signature lines of the
    // note), replacing an older one by the same key, and rewrites it
    // atomically. Errors: those of checkCosignatures (witness.h),
    // NoteTooManySignatures beyond kMaxNoteSignatures lines, StorageFailed.
    // The next append drops them all: they cover the old tree size only.
    TlogResult<std::string> addCosignatures(
        std::span<const NoteSignature> cosignatures, std::span<const NoteVerifier> witnesses);

    const Checkpoint &checkpoint() const { return m_checkpoint; }
    const std::string &checkpointNote() const { return m_note; }
    std::string verifierKey() const { return m_signer.verifierKey(); }

private:
    LogWriter(std::filesystem::path dir, NoteSigner signer);
    TlogStatus writeCheckpoint(const Checkpoint &checkpoint);

    std::filesystem::path m_dir;
    NoteSigner m_signer;
    Checkpoint m_checkpoint;
    std::string m_note;
    // The tile rows of the whole tree: m_levels[L] holds the hashes at tree
    // level 8 * L (level 0: the leaf hashes), kept up to date incrementally
    // so an append costs what it adds, not the size of the log.
    std::vector<std::vector<Hash>> m_levels;
    Hash rootOfLevels(uint64_t size) const;
    std::shared_ptr<int> m_lock; // the open, flock()ed DIR/.lock
};

// Writes `data` to `path` atomically: temp file in the same directory,
// fsync, rename, fsync the directory. Creates missing parent directories.
TlogStatus writeFileAtomically(
    const std::filesystem::path &path, ByteView data, unsigned mode = 0644);

} // namespace sotto::tlog
