// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/log_client.h"

#include "protocol/tlog/detail.h"

#include <algorithm>

namespace sotto::tlog {

namespace {

std::vector<Bytes> asByteList(const std::vector<Hash> &hashes)
{
    std::vector<Bytes> out;
    out.reserve(hashes.size());
    for (const Hash &h : hashes)
        out.emplace_back(h.begin(), h.end());
    return out;
}

} // namespace

namespace detail {

TlogResult<std::vector<Hash>> fetchHashTile(const LogFetcher &fetch, const Tile &tile)
{
    auto body = fetch(tilePath(tile));
    if (!body && tile.partial()) {
        const Tile full { tile.level, tile.index, unsigned(kTileWidth) };
        SOTTO_TRY(Bytes fullBody, fetch(tilePath(full)));
        SOTTO_TRY(std::vector<Hash> hashes, parseHashTile(full, fullBody));
        hashes.resize(tile.width);
        return hashes;
    }
    if (!body)
        return body.failure();
    return parseHashTile(tile, *body);
}

} // namespace detail

LogClient::LogClient(LogClientConfig config, LogFetcher fetcher)
    : m_config(std::move(config))
    , m_fetch(std::move(fetcher))
{ }

TlogResult<VerifiedCheckpoint> LogClient::fetchCheckpoint() const
{
    SOTTO_TRY(Bytes body, m_fetch("checkpoint"));
    return openCheckpoint(asString(body));
}

TlogResult<VerifiedCheckpoint> LogClient::openCheckpoint(std::string_view note) const
{
    // One verifier set for log and witnesses: signed-note ignores signatures
    // by keys not in the set, and any configured key whose signature fails
    // rejects the note.
    std::vector<NoteVerifier> keys = m_config.witnesses;
    keys.push_back(m_config.logKey);
    SOTTO_TRY(VerifiedNote opened, openNote(note, keys));

    const auto isLog = [&](const NoteSignature &s) {
        return s.name == m_config.logKey.name() && s.keyId == m_config.logKey.keyId();
    };
    if (std::none_of(opened.verified.begin(), opened.verified.end(), isLog))
        return fail(TlogError::LogSignatureMissing,
            "checkpoint is not signed by the log key " + m_config.logKey.name());
    VerifiedCheckpoint out;
    for (const NoteSignature &s : opened.verified) {
        if (!isLog(s))
            out.witnesses.push_back(s.name);
    }
    if (out.witnesses.size() < m_config.witnessQuorum) {
        const std::string counts = std::to_string(out.witnesses.size())
            + " valid witness cosignatures, " + std::to_string(m_config.witnessQuorum)
            + " required";
        // Cosigners whose keys the caller does not have: a witness key that
        // is unknown (or rotated), not a log that went uncosigned.
        if (opened.unverified.empty())
            return fail(TlogError::WitnessQuorumNotMet, counts);
        std::string names;
        for (const NoteSignature &s : opened.unverified)
            names += (names.empty() ? "" : ", ") + s.name;
        return fail(TlogError::WitnessUnknown,
            counts + "; also signed by keys not among the configured witnesses: " + names);
    }

    SOTTO_TRY(out.checkpoint, parseCheckpoint(opened.text));
    // tlog-checkpoint: the origin identifies the log; a checkpoint of another
    // log signed with a shared key must not be taken for this one.
    if (out.checkpoint.origin != m_config.origin)
        return fail(TlogError::WrongOrigin,
            "checkpoint origin \"" + out.checkpoint.origin + "\", expected \"" + m_config.origin
                + "\"");
    out.note = std::string(note);
    return out;
}

TileReader LogClient::tileReader() const
{
    return [this](const Tile &tile) { return detail::fetchHashTile(m_fetch, tile); };
}

TlogResult<std::vector<Hash>> LogClient::proveInclusion(
    uint64_t index, const Hash &leafHash, const Checkpoint &checkpoint) const
{
    if (index >= checkpoint.size)
        return fail(TlogError::EntryNotInLog,
            "entry " + std::to_string(index) + " is not in a tree of "
                + std::to_string(checkpoint.size));
    TileHashSource tiles(checkpoint.size, tileReader());
    SOTTO_TRY(std::vector<Hash> proof, inclusionProof(index, checkpoint.size, tiles.source()));
    if (auto ok
        = verifyInclusion(index, checkpoint.size, leafHash, asByteList(proof), checkpoint.root);
        !ok)
        return ok.failure();
    return proof;
}

TlogResult<Bytes> LogClient::fetchEntry(uint64_t index, const Checkpoint &checkpoint) const
{
    if (index >= checkpoint.size)
        return fail(TlogError::EntryNotInLog,
            "entry " + std::to_string(index) + " is not in a tree of "
                + std::to_string(checkpoint.size));
    SOTTO_TRY(Tile bundle, tileInTree(0, index / kTileWidth, checkpoint.size));
    auto body = m_fetch(entryBundlePath(bundle));
    if (!body && bundle.partial()) {
        // As for tiles: a partial bundle may have been replaced by the full one.
        bundle.width = unsigned(kTileWidth);
        body = m_fetch(entryBundlePath(bundle));
    }
    if (!body)
        return body.failure();
    SOTTO_TRY(std::vector<Bytes> entries, parseEntryBundle(*body, bundle.width));
    Bytes entry = std::move(entries[size_t(index % kTileWidth)]);
    SOTTO_TRY(std::vector<Hash> proof, proveInclusion(index, leafHash(entry), checkpoint));
    (void)proof;
    return entry;
}

TlogStatus LogClient::checkConsistency(const Checkpoint &trusted, const Checkpoint &newer) const
{
    if (newer.size < trusted.size)
        return fail(TlogError::Rollback,
            "checkpoint of size " + std::to_string(newer.size) + " is older than the trusted "
                + std::to_string(trusted.size));
    if (newer.size == trusted.size) {
        if (newer.root != trusted.root)
            return fail(TlogError::Fork,
                "two checkpoints of size " + std::to_string(newer.size) + " with roots "
                    + toHex(trusted.root) + " and " + toHex(newer.root));
        return Done {};
    }
    if (trusted.size == 0)
        return Done {}; // every tree extends the empty one
    TileHashSource tiles(newer.size, tileReader());
    SOTTO_TRY(std::vector<Hash> proof, consistencyProof(trusted.size, newer.size, tiles.source()));
    auto ok
        = verifyConsistency(trusted.size, newer.size, trusted.root, newer.root, asByteList(proof));
    if (!ok && ok.error() == TlogError::RootMismatch)
        return fail(TlogError::Fork,
            "the log's tree does not extend the trusted checkpoint: " + ok.detail());
    return ok;
}

} // namespace sotto::tlog
