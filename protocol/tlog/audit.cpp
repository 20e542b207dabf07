// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/audit.h"

#include "protocol/tlog/base64.h"
#include "protocol/tlog/detail.h"

#include <algorithm>

namespace sotto::tlog {

namespace {

// Hashes of the complete subtrees at tree level 8 * (level + 1) from the
// hashes at level 8 * level (a level-L tile row; tlog-tiles "Merkle Tree").
std::vector<Hash> nextTileLevel(const std::vector<Hash> &below)
{
    std::vector<Hash> above;
    above.reserve(below.size() / kTileWidth);
    for (size_t i = 0; i + kTileWidth <= below.size(); i += kTileWidth)
        above.push_back(rootFromLeafHashes(std::span(below).subspan(i, kTileWidth)));
    return above;
}

TlogStatus compareTile(
    const Tile &tile, const std::vector<Hash> &served, const std::vector<Hash> &row, uint64_t first)
{
    for (size_t i = 0; i < served.size(); ++i) {
        const Hash &expected = row[size_t(first) + i];
        if (served[i] != expected)
            return fail(TlogError::TileMismatch,
                tilePath(tile) + " hash " + std::to_string(i) + " is " + toHex(served[i])
                    + ", the entries give " + toHex(expected));
    }
    return Done {};
}

} // namespace

LogAuditor::LogAuditor(LogClientConfig config, LogFetcher fetcher)
    : m_config(std::move(config))
    , m_fetch(std::move(fetcher))
{ }

TlogResult<std::vector<Hash>> LogAuditor::fetchTile(const Tile &tile) const
{
    return detail::fetchHashTile(m_fetch, tile);
}

TlogResult<std::vector<Bytes>> LogAuditor::fetchBundle(const Tile &bundle) const
{
    auto body = m_fetch(entryBundlePath(bundle));
    if (!body && bundle.partial()) {
        const Tile full { 0, bundle.index, unsigned(kTileWidth) };
        SOTTO_TRY(Bytes fullBody, m_fetch(entryBundlePath(full)));
        SOTTO_TRY(std::vector<Bytes> entries, parseEntryBundle(fullBody, unsigned(kTileWidth)));
        entries.resize(bundle.width);
        return entries;
    }
    if (!body)
        return body.failure();
    return parseEntryBundle(*body, bundle.width);
}

TlogResult<AuditReport> LogAuditor::run(const AuditOptions &options) const
{
    const LogClient client(m_config, m_fetch);
    AuditReport report;
    SOTTO_TRY(report.checkpoint, client.fetchCheckpoint());
    const Checkpoint &cp = report.checkpoint.checkpoint;
    if (options.since && options.since->size > cp.size)
        return fail(TlogError::Rollback,
            "the log's checkpoint has size " + std::to_string(cp.size) + ", smaller than the "
                + std::to_string(options.since->size) + " seen before");

    // Level 0, bundle by bundle. Memory grows with what the log really
    // serves, never with the size it claims: a checkpoint announcing 2^63
    // entries fails at the first missing bundle.
    std::vector<Hash> leaves;
    leaves.reserve(size_t(std::min<uint64_t>(cp.size, uint64_t { 1 } << 20)));
    for (uint64_t n = 0; n * kTileWidth < cp.size; ++n) {
        SOTTO_TRY(Tile tile, tileInTree(0, n, cp.size));
        SOTTO_TRY(std::vector<Bytes> entries, fetchBundle(tile));
        for (size_t i = 0; i < entries.size(); ++i) {
            const uint64_t index = n * kTileWidth + i;
            if (options.onEntry) {
                SOTTO_TRY(Done d, options.onEntry(index, entries[i]));
                (void)d;
            }
            leaves.push_back(leafHash(entries[i]));
        }
        SOTTO_TRY(std::vector<Hash> served, fetchTile(tile));
        SOTTO_TRY(Done d, compareTile(tile, served, leaves, n * kTileWidth));
        (void)d;
        ++report.tiles;
        report.entries = leaves.size();
        if (options.onProgress)
            options.onProgress(report.entries, cp.size);
    }

    // The rows above, each recomputed from the one below and compared with
    // every tile the log serves for it (full and the right-edge partial one).
    std::vector<std::vector<Hash>> levels;
    levels.push_back(std::move(leaves));
    while (levels.back().size() >= kTileWidth) {
        std::vector<Hash> above = nextTileLevel(levels.back());
        const auto level = unsigned(levels.size());
        for (uint64_t n = 0; n * kTileWidth < above.size(); ++n) {
            SOTTO_TRY(Tile tile, tileInTree(level, n, cp.size));
            SOTTO_TRY(std::vector<Hash> served, fetchTile(tile));
            SOTTO_TRY(Done d, compareTile(tile, served, above, n * kTileWidth));
            (void)d;
            ++report.tiles;
        }
        levels.push_back(std::move(above));
    }

    // The root of the recomputed tree, from the verified rows.
    Hash root = emptyTreeHash();
    if (cp.size > 0) {
        TileHashSource rows(cp.size, [&](const Tile &tile) -> TlogResult<std::vector<Hash>> {
            const auto &row = levels.at(tile.level);
            const auto first = ptrdiff_t(tile.index * kTileWidth);
            return std::vector<Hash>(row.begin() + first, row.begin() + first + tile.width);
        });
        SOTTO_TRY(root, rows.subtreeHash(0, cp.size));
    }
    if (root != cp.root)
        return fail(TlogError::RootMismatch,
            "the " + std::to_string(cp.size) + " entries hash to " + base64Encode(root)
                + ", the checkpoint says " + base64Encode(cp.root));

    // Every served tile now equals the recomputed one, so a consistency
    // proof read from them is the one the recomputed tree gives.
    if (options.since) {
        SOTTO_TRY(Done d, client.checkConsistency(*options.since, cp));
        (void)d;
    }
    return report;
}

} // namespace sotto::tlog
