// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/log_writer.h"

#include "protocol/tlog/tiles.h"
#include "protocol/tlog/witness.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sotto::tlog {
namespace fs = std::filesystem;

namespace {

Failure<TlogError> storageError(const std::string &what, const fs::path &path, int err)
{
    return fail(TlogError::StorageFailed, what + " " + path.string() + ": " + std::strerror(err));
}

TlogResult<Bytes> readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return storageError("cannot read", path, errno);
    Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return storageError("cannot read", path, errno);
    return data;
}

TlogStatus fsyncDirectory(const fs::path &dir)
{
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return storageError("cannot open directory", dir, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return storageError("cannot fsync directory", dir, err);
    return Done {};
}

// Completes the rows above level 0 (tlog-tiles: a level-L tile holds the
// roots of complete subtrees of 256^L leaves): only the groups of 256 that
// became complete since the last call are hashed.
void extendLevels(std::vector<std::vector<Hash>> &levels)
{
    for (size_t level = 0; levels[level].size() >= kTileWidth; ++level) {
        if (levels.size() == level + 1)
            levels.emplace_back();
        const auto &below = levels[level];
        auto &above = levels[level + 1];
        for (size_t i = above.size(); (i + 1) * kTileWidth <= below.size(); ++i)
            above.push_back(
                rootFromLeafHashes(std::span(below).subspan(i * kTileWidth, kTileWidth)));
    }
}

} // namespace

TlogStatus writeFileAtomically(const fs::path &path, ByteView data, unsigned mode)
{
    std::error_code ec;
    // A bare file name lives in the current directory.
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    fs::create_directories(dir, ec);
    if (ec)
        return fail(
            TlogError::StorageFailed, "cannot create " + dir.string() + ": " + ec.message());
    // Same directory, so the rename is atomic (POSIX rename(2)); the pid
    // keeps two writers' temporaries apart (the log itself has one writer).
    const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return storageError("cannot create", tmp, errno);
    size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return storageError("cannot write", tmp, err);
        }
        done += size_t(n);
    }
    // fsync before rename: otherwise a crash can leave the new name
    // pointing at an empty or partly written file.
    if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return storageError("cannot fsync", tmp, err);
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return storageError("cannot rename to", path, err);
    }
    return fsyncDirectory(dir);
}

LogWriter::LogWriter(fs::path dir, NoteSigner signer)
    : m_dir(std::move(dir))
    , m_signer(std::move(signer))
    , m_levels(1)
{ }

Hash LogWriter::rootOfLevels(uint64_t size) const
{
    if (size == 0)
        return emptyTreeHash();
    // RFC 6962 MTH from the rows: whole subtrees come from their tile row
    // (TileHashSource), so this reads O(log n) hashes, not the tree.
    TileHashSource rows(size, [this](const Tile &tile) -> TlogResult<std::vector<Hash>> {
        const auto &row = m_levels.at(tile.level);
        const auto first = ptrdiff_t(tile.index * kTileWidth);
        return std::vector<Hash>(row.begin() + first, row.begin() + first + tile.width);
    });
    return *rows.subtreeHash(0, size);
}

TlogResult<LogWriter> LogWriter::create(const fs::path &dir, NoteSigner signer)
{
    std::error_code ec;
    if (fs::exists(dir / kCheckpointFile, ec) || fs::exists(dir / kSignerKeyFile, ec))
        return fail(TlogError::LogExists, "a log already exists in " + dir.string());
    fs::create_directories(dir, ec);
    if (ec)
        return fail(
            TlogError::StorageFailed, "cannot create " + dir.string() + ": " + ec.message());
    const crypto::SecretBytes key = signer.toKeyString();
    Bytes keyLine(key.view().begin(), key.view().end());
    keyLine.push_back('\n');
    auto written = writeFileAtomically(dir / kSignerKeyFile, keyLine, 0600);
    std::fill(keyLine.begin(), keyLine.end(), uint8_t(0));
    if (!written)
        return written.failure();
    LogWriter writer(dir, std::move(signer));
    // tlog-checkpoint: the empty tree's root is SHA-256 of the empty string.
    const Checkpoint empty { writer.m_signer.name(), 0, emptyTreeHash(), {} };
    SOTTO_TRY(Done d, writer.writeCheckpoint(empty));
    (void)d;
    return writer;
}

TlogResult<LogWriter> LogWriter::open(const fs::path &dir)
{
    SOTTO_TRY(Bytes keyFile, readFile(dir / kSignerKeyFile));
    std::string keyText(asString(keyFile));
    std::fill(keyFile.begin(), keyFile.end(), uint8_t(0));
    while (!keyText.empty() && (keyText.back() == '\n' || keyText.back() == '\r'))
        keyText.pop_back();
    auto signer = NoteSigner::parse(keyText);
    std::fill(keyText.begin(), keyText.end(), '\0');
    if (!signer)
        return signer.failure();
    LogWriter writer(dir, std::move(*signer));

    const fs::path lockPath = dir / ".lock";
    const int lockFd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockFd < 0)
        return storageError("cannot open", lockPath, errno);
    writer.m_lock = std::shared_ptr<int>(new int(lockFd), [](int *fd) {
        ::close(*fd);
        delete fd;
    });
    if (::flock(lockFd, LOCK_EX | LOCK_NB) != 0)
        return fail(
            TlogError::StorageFailed, "another writer holds the log's lock " + lockPath.string());

    SOTTO_TRY(Bytes noteBytes, readFile(dir / kCheckpointFile));
    SOTTO_TRY(NoteVerifier verifier, NoteVerifier::parse(writer.m_signer.verifierKey()));
    SOTTO_TRY(VerifiedNote note, openNote(asString(noteBytes), std::span(&verifier, 1)));
    SOTTO_TRY(Checkpoint checkpoint, parseCheckpoint(note.text));
    if (checkpoint.origin != writer.m_signer.name())
        return fail(TlogError::WrongOrigin,
            "the checkpoint names '" + checkpoint.origin + "', the key '" + writer.m_signer.name()
                + "'");

    // Only the tiles the checkpoint names are read: files a crashed append
    // left for a larger tree are ignored (and rewritten identically later).
    // The rows above are recomputed from level 0, not read: the root check
    // below then covers every hash the writer will ever write.
    auto &leaves = writer.m_levels.front();
    leaves.reserve(size_t(checkpoint.size));
    for (uint64_t n = 0; n * kTileWidth < checkpoint.size; ++n) {
        SOTTO_TRY(Tile tile, tileInTree(0, n, checkpoint.size));
        SOTTO_TRY(Bytes body, readFile(dir / tilePath(tile)));
        SOTTO_TRY(std::vector<Hash> hashes, parseHashTile(tile, body));
        leaves.insert(leaves.end(), hashes.begin(), hashes.end());
    }
    extendLevels(writer.m_levels);
    if (writer.rootOfLevels(checkpoint.size) != checkpoint.root)
        return fail(TlogError::LogCorrupt,
            "the level-0 tiles in " + dir.string() + " do not hash to the checkpoint's root");
    writer.m_checkpoint = std::move(checkpoint);
    writer.m_note = std::string(asString(noteBytes));
    return writer;
}

TlogStatus LogWriter::writeCheckpoint(const Checkpoint &checkpoint)
{
    const std::string text = formatCheckpoint(checkpoint);
    SOTTO_TRY(std::string note, signNote(text, std::span(&m_signer, 1)));
    // Re-signing the same checkpoint keeps the witnesses' cosignatures: they
    // cover this very text. A new tree head drops them (they vouch for the
    // old one only, and a client must not count them for the new one).
    if (!m_note.empty() && text == formatCheckpoint(m_checkpoint)) {
        if (auto old = parseNote(m_note)) {
            for (const NoteSignature &sig : old->signatures) {
                if (sig.name != m_signer.name() || sig.keyId != m_signer.keyId())
                    note += formatSignatureLine(sig);
            }
        }
    }
    SOTTO_TRY(Done d, writeFileAtomically(m_dir / kCheckpointFile, asBytes(note)));
    (void)d;
    m_checkpoint = checkpoint;
    m_note = std::move(note);
    return Done {};
}

TlogResult<std::string> LogWriter::resign()
{
    SOTTO_TRY(Done d, writeCheckpoint(m_checkpoint));
    (void)d;
    return m_note;
}

TlogResult<std::string> LogWriter::addCosignatures(
    std::span<const NoteSignature> cosignatures, std::span<const NoteVerifier> witnesses)
{
    const std::string text = formatCheckpoint(m_checkpoint);
    SOTTO_TRY(Done checked, checkCosignatures(text, cosignatures, witnesses));
    (void)checked;
    SOTTO_TRY(Note note, parseNote(m_note));
    for (const NoteSignature &sig : cosignatures) {
        std::erase_if(note.signatures, [&](const NoteSignature &old) {
            return old.name == sig.name && old.keyId == sig.keyId;
        });
        note.signatures.push_back(sig);
    }
    if (note.signatures.size() > kMaxNoteSignatures)
        return fail(TlogError::NoteTooManySignatures,
            "the checkpoint would carry " + std::to_string(note.signatures.size())
                + " signatures, at most " + std::to_string(kMaxNoteSignatures) + " are accepted");
    std::string out = formatNote(note);
    SOTTO_TRY(Done d, writeFileAtomically(m_dir / kCheckpointFile, asBytes(out)));
    (void)d;
    m_note = std::move(out);
    return m_note;
}

TlogResult<uint64_t> LogWriter::append(std::span<const Bytes> entries)
{
    for (size_t i = 0; i < entries.size(); ++i)
        if (entries[i].size() > kMaxEntrySize)
            return fail(TlogError::EntryTooLarge,
                "entry " + std::to_string(i) + " is " + std::to_string(entries[i].size())
                    + " bytes; tlog-tiles bundles allow at most 65535");
    const uint64_t oldSize = m_checkpoint.size;
    if (entries.empty())
        return oldSize;
    const uint64_t newSize = oldSize + entries.size();

    // The entries of the last, partial bundle are needed to write the next
    // bundle of the same index (bundles are rewritten whole, never edited).
    std::vector<Bytes> bundle;
    const uint64_t firstBundle = oldSize / kTileWidth;
    if (oldSize % kTileWidth != 0) {
        SOTTO_TRY(Tile old, tileInTree(0, firstBundle, oldSize));
        SOTTO_TRY(Bytes body, readFile(m_dir / entryBundlePath(old)));
        SOTTO_TRY(bundle, parseEntryBundle(body, old.width));
    }

    // The rows grow in place; on any failure below they are cut back, so the
    // writer keeps describing the checkpoint on disk.
    std::vector<size_t> oldCounts;
    for (const auto &row : m_levels)
        oldCounts.push_back(row.size());
    struct Rollback {
        std::vector<std::vector<Hash>> &levels;
        const std::vector<size_t> &counts;
        bool armed = true;
        ~Rollback()
        {
            if (!armed)
                return;
            levels.resize(counts.size());
            for (size_t i = 0; i < counts.size(); ++i)
                levels[i].resize(counts[i]);
        }
    } rollback { m_levels, oldCounts };
    for (const Bytes &e : entries)
        m_levels.front().push_back(leafHash(e));
    extendLevels(m_levels);

    // Entry bundles from the first touched one to the last.
    size_t next = 0;
    for (uint64_t n = firstBundle; n * kTileWidth < newSize; ++n) {
        SOTTO_TRY(Tile tile, tileInTree(0, n, newSize));
        while (bundle.size() < tile.width)
            bundle.push_back(entries[next++]);
        SOTTO_TRY(Bytes body, encodeEntryBundle(bundle));
        SOTTO_TRY(Done d, writeFileAtomically(m_dir / entryBundlePath(tile), body));
        (void)d;
        bundle.clear();
    }

    // Hash tiles: every tile of the new tree that the old tree did not have
    // (same level and index but another width is another file). In each row
    // they start at the old row's last tile, if the row grew.
    for (size_t level = 0; level < m_levels.size(); ++level) {
        const uint64_t oldCount = level < oldCounts.size() ? oldCounts[level] : 0;
        const uint64_t newCount = m_levels[level].size();
        if (newCount == oldCount)
            continue;
        for (uint64_t n = oldCount / kTileWidth; n * kTileWidth < newCount; ++n) {
            SOTTO_TRY(Tile tile, tileInTree(unsigned(level), n, newSize));
            const auto begin = size_t(tile.index * kTileWidth);
            Bytes body = encodeHashTile(std::span(m_levels[level]).subspan(begin, tile.width));
            SOTTO_TRY(Done d, writeFileAtomically(m_dir / tilePath(tile), body));
            (void)d;
        }
    }

    // Last: the checkpoint. Until this rename the old one stays valid, and
    // every tile it names is still on disk unchanged.
    const Checkpoint next_ { m_checkpoint.origin, newSize, rootOfLevels(newSize), {} };
    SOTTO_TRY(Done d, writeCheckpoint(next_));
    (void)d;
    rollback.armed = false;
    return oldSize;
}

} // namespace sotto::tlog
