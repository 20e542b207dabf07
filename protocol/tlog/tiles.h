// SPDX-License-Identifier: GPL-3.0-or-later
// C2SP tlog-tiles v1.0.0: how a log publishes its Merkle tree as static
// files. A tile at level L and index N holds up to 256 consecutive hashes of
// tree level 8*L, starting at hash N*256; a tile with fewer than 256 hashes
// is partial and carries its width W in the path. Entry bundles hold the
// leaves themselves, 256 per bundle, each as a big-endian uint16 length and
// the bytes.
//
//   tile/<L>/<N>[.p/<W>]        hash tiles
//   tile/entries/<N>[.p/<W>]    entry bundles
//
// <N> is written in 3-digit path elements, all but the last prefixed with
// 'x' (1234067 -> x001/x234/067), so no directory holds more than 1000
// entries. Go's golang.org/x/mod/sumdb/tlog predates the spec and inserts
// the tile height: tile/8/<L>/<N> and tile/8/data/<N> (TilePathStyle::GoSumdb).
#pragma once

#include "protocol/tlog/error.h"
#include "protocol/tlog/merkle.h"

#include "protocol/common/bytes.h"

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace sotto::tlog {

constexpr unsigned kTileHeight = 8;
constexpr uint64_t kTileWidth = 256; // 2^kTileHeight
// tlog-tiles: L is at most 63 (a 64-bit tree size needs no more levels).
constexpr unsigned kMaxTileLevel = 63;

enum class TilePathStyle { C2sp, GoSumdb };

struct Tile {
    unsigned level = 0; // tile level: holds hashes of tree level 8 * level
    uint64_t index = 0;
    unsigned width = kTileWidth; // 1..256; 256 is a full tile

    bool partial() const { return width < kTileWidth; }
    bool operator==(const Tile &) const = default;
};

// "x001/x234/067" for 1234067; "000" for 0.
std::string encodeTileIndex(uint64_t index);
std::string tilePath(const Tile &tile, TilePathStyle style = TilePathStyle::C2sp);
// The entry bundle with index `tile.index` (tile.level is ignored).
std::string entryBundlePath(const Tile &bundle, TilePathStyle style = TilePathStyle::C2sp);

// The tile of level `level` and index `index` as it exists in a tree of
// `treeSize` leaves: its width, partial at the right edge. InvalidTile when
// the tile lies entirely beyond the tree or the level exceeds 63.
TlogResult<Tile> tileInTree(unsigned level, uint64_t index, uint64_t treeSize);
// The tile that stores the hash of the tree node at (treeLevel, nodeIndex),
// where treeLevel is a multiple of 8, for a tree of `treeSize` leaves.
TlogResult<Tile> tileForNode(unsigned treeLevel, uint64_t nodeIndex, uint64_t treeSize);
// Every tile (full and partial) a tree of `treeSize` leaves publishes, level
// by level: what an auditor fetches. Empty for size 0. About size / 255
// entries: for trees an auditor can download, not for arbitrary sizes.
std::vector<Tile> tilesOfTree(uint64_t treeSize);

// A hash tile's body: exactly width * 32 bytes (MalformedTile otherwise).
TlogResult<std::vector<Hash>> parseHashTile(const Tile &tile, ByteView data);
Bytes encodeHashTile(std::span<const Hash> hashes);

// An entry bundle of exactly `width` entries, nothing after the last.
TlogResult<std::vector<Bytes>> parseEntryBundle(ByteView data, unsigned width);
TlogResult<Bytes> encodeEntryBundle(std::span<const Bytes> entries);

// Reads the hashes of one tile (from disk, or fetched from a log), already
// decoded with parseHashTile. The tile's width is the one it has in the tree
// being read.
using TileReader = std::function<TlogResult<std::vector<Hash>>(const Tile &tile)>;

// Merkle Tree Hashes of ranges of a tree of `treeSize` leaves, computed
// from its tiles: the hash source for proofs served by a tiled log. A
// complete subtree of height h is read from the tile row below it (8 *
// floor(h / 8)) and hashed up at most 7 levels; other ranges are split as
// RFC 6962 Section 2.1 does. Nothing read here is trusted: the proof it
// yields is checked against a signed root by the verifier.
class TileHashSource {
public:
    TileHashSource(uint64_t treeSize, TileReader reader);

    TlogResult<Hash> subtreeHash(uint64_t begin, uint64_t end);
    SubtreeHashSource source();

private:
    TlogResult<Hash> completeSubtreeHash(unsigned height, uint64_t index);
    TlogResult<const std::vector<Hash> *> readTile(const Tile &tile);

    uint64_t m_treeSize;
    TileReader m_reader;
    std::map<std::pair<unsigned, uint64_t>, std::vector<Hash>> m_cache;
};

} // namespace sotto::tlog
