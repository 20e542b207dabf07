// SPDX-License-Identifier: GPL-3.0-or-later
// C2SP tlog-tiles v1.0.0: tile and entry-bundle paths (including the spec's
// own example, 1234067 -> x001/x234/067), tile arithmetic at the right edge
// of a tree, and the strict tile / entry-bundle decoders.
#include "protocol/tlog/tiles.h"

#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>

namespace sotto::tlog {
namespace {

TEST(TilePaths, IndexEncoding)
{
    EXPECT_EQ(encodeTileIndex(1234067), "x001/x234/067"); // tlog-tiles example
    EXPECT_EQ(encodeTileIndex(0), "000");
    EXPECT_EQ(encodeTileIndex(999), "999");
    EXPECT_EQ(encodeTileIndex(1000), "x001/000");
    EXPECT_EQ(
        encodeTileIndex(std::numeric_limits<uint64_t>::max()), "x018/x446/x744/x073/x709/x551/615");
}

TEST(TilePaths, FullPartialAndEntries)
{
    EXPECT_EQ(tilePath({ 0, 1234067, 256 }), "tile/0/x001/x234/067");
    EXPECT_EQ(tilePath({ 1, 0, 17 }), "tile/1/000.p/17");
    EXPECT_EQ(entryBundlePath({ 0, 1234067, 255 }), "tile/entries/x001/x234/067.p/255");
    EXPECT_EQ(entryBundlePath({ 0, 5, 256 }), "tile/entries/005");
    EXPECT_EQ(tilePath({ 2, 3, 256 }, TilePathStyle::GoSumdb), "tile/8/2/003");
    EXPECT_EQ(entryBundlePath({ 0, 3, 9 }, TilePathStyle::GoSumdb), "tile/8/data/003.p/9");
}

TEST(TileArithmetic, RightEdgeOfTree)
{
    // 70000 leaves: 273 full level-0 tiles + 112 hashes; 273 level-1 hashes
    // (one full tile + 17); 1 level-2 hash.
    const uint64_t size = 70000;
    auto t = tileInTree(0, 272, size);
    ASSERT_RESULT_OK(t);
    EXPECT_EQ(*t, (Tile { 0, 272, 256 }));
    t = tileInTree(0, 273, size);
    ASSERT_RESULT_OK(t);
    EXPECT_EQ(*t, (Tile { 0, 273, 112 }));
    EXPECT_TRUE(t->partial());
    EXPECT_RESULT_ERROR(tileInTree(0, 274, size), TlogError::InvalidTile);
    t = tileInTree(1, 1, size);
    ASSERT_RESULT_OK(t);
    EXPECT_EQ(*t, (Tile { 1, 1, 17 }));
    t = tileInTree(2, 0, size);
    ASSERT_RESULT_OK(t);
    EXPECT_EQ(*t, (Tile { 2, 0, 1 }));
    EXPECT_RESULT_ERROR(tileInTree(3, 0, size), TlogError::InvalidTile);
    EXPECT_RESULT_ERROR(tileInTree(64, 0, size), TlogError::InvalidTile);
    EXPECT_EQ(tilesOfTree(size).size(), 274u + 2u + 1u);
    EXPECT_TRUE(tilesOfTree(0).empty());
    EXPECT_EQ(tilesOfTree(256), (std::vector<Tile> { { 0, 0, 256 }, { 1, 0, 1 } }));

    t = tileForNode(0, 69999, size);
    ASSERT_RESULT_OK(t);
    EXPECT_EQ(*t, (Tile { 0, 273, 112 }));
    t = tileForNode(8, 256, size);
    ASSERT_RESULT_OK(t);
    EXPECT_EQ(*t, (Tile { 1, 1, 17 }));
    EXPECT_RESULT_ERROR(tileForNode(3, 0, size), TlogError::InvalidTile);

    // Huge trees: no overflow at the top levels.
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    t = tileInTree(7, 0, max);
    ASSERT_RESULT_OK(t);
    EXPECT_EQ(t->width, 255u);
    EXPECT_RESULT_ERROR(tileInTree(8, 0, max), TlogError::InvalidTile);
}

TEST(TileData, HashTile)
{
    std::vector<Hash> hashes;
    for (unsigned i = 0; i < 3; ++i)
        hashes.push_back(leafHash(asBytes(std::to_string(i))));
    const Bytes body = encodeHashTile(hashes);
    EXPECT_EQ(body.size(), 96u);
    auto parsed = parseHashTile({ 0, 0, 3 }, body);
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(*parsed, hashes);
    EXPECT_RESULT_ERROR(parseHashTile({ 0, 0, 4 }, body), TlogError::MalformedTile);
    EXPECT_RESULT_ERROR(
        parseHashTile({ 0, 0, 3 }, ByteView(body).first(95)), TlogError::MalformedTile);
}

TEST(TileData, EntryBundle)
{
    const std::vector<Bytes> entries = { toBytes("first"), Bytes {}, Bytes(300, 0x5a) };
    auto body = encodeEntryBundle(entries);
    ASSERT_RESULT_OK(body);
    EXPECT_EQ(body->size(), 2 + 5 + 2 + 0 + 2 + 300u);
    EXPECT_EQ((*body)[0], 0u);
    EXPECT_EQ((*body)[1], 5u);
    auto parsed = parseEntryBundle(*body, 3);
    ASSERT_RESULT_OK(parsed);
    EXPECT_EQ(*parsed, entries);

    EXPECT_RESULT_ERROR(parseEntryBundle(*body, 4), TlogError::MalformedEntryBundle);
    EXPECT_RESULT_ERROR(parseEntryBundle(*body, 2), TlogError::MalformedEntryBundle);
    EXPECT_RESULT_ERROR(parseEntryBundle(ByteView(*body).first(body->size() - 1), 3),
        TlogError::MalformedEntryBundle);
    EXPECT_RESULT_ERROR(
        parseEntryBundle(ByteView(*body).first(1), 1), TlogError::MalformedEntryBundle);
    EXPECT_RESULT_OK(parseEntryBundle({}, 0));

    const std::vector<Bytes> tooLarge = { Bytes(65536, 0) };
    EXPECT_RESULT_ERROR(encodeEntryBundle(tooLarge), TlogError::EntryTooLarge);
    const std::vector<Bytes> largest = { Bytes(65535, 1) };
    auto big = encodeEntryBundle(largest);
    ASSERT_RESULT_OK(big);
    auto back = parseEntryBundle(*big, 1);
    ASSERT_RESULT_OK(back);
    EXPECT_EQ(*back, largest);
}

} // namespace
} // namespace sotto::tlog

namespace sotto::tlog {
namespace {

// Serves the tiles of a MemoryTree: tile (L, N) holds the hashes of the
// complete subtrees of 256^L leaves starting at N * 256.
struct TiledMemoryLog {
    MemoryTree tree;
    size_t reads = 0;
    std::optional<Tile> corrupt;

    TlogResult<std::vector<Hash>> read(const Tile &t)
    {
        ++reads;
        std::vector<Hash> out;
        const uint64_t span = uint64_t { 1 } << (kTileHeight * t.level);
        for (uint64_t j = 0; j < t.width; ++j) {
            const uint64_t node = t.index * kTileWidth + j;
            out.push_back(tree.subtreeHash(node * span, (node + 1) * span));
        }
        if (corrupt && *corrupt == t)
            out[0][0] ^= 1;
        return out;
    }
};

TEST(TileHashSource, ProofsFromTilesMatchTheTree)
{
    TiledMemoryLog log;
    const uint64_t size = 70000;
    for (uint64_t i = 0; i < size; ++i)
        log.tree.append(leafHash(asBytes(std::to_string(i))));
    const Hash root = log.tree.root();

    TileHashSource tiles(size, [&](const Tile &t) { return log.read(t); });
    auto fromTiles = tiles.subtreeHash(0, size);
    ASSERT_RESULT_OK(fromTiles);
    EXPECT_EQ(*fromTiles, root);

    for (uint64_t index : { uint64_t { 0 }, uint64_t { 255 }, uint64_t { 256 }, uint64_t { 65535 },
             uint64_t { 65536 }, uint64_t { 69887 }, uint64_t { 69999 } }) {
        SCOPED_TRACE(index);
        auto proof = inclusionProof(index, size, tiles.source());
        auto want = inclusionProof(index, size, log.tree.source());
        ASSERT_RESULT_OK(proof);
        ASSERT_RESULT_OK(want);
        EXPECT_EQ(*proof, *want);
        std::vector<Bytes> bytes;
        for (const Hash &h : *proof)
            bytes.emplace_back(h.begin(), h.end());
        EXPECT_RESULT_OK(
            verifyInclusion(index, size, log.tree.subtreeHash(index, index + 1), bytes, root));
    }
    for (uint64_t size1 : { uint64_t { 1 }, uint64_t { 256 }, uint64_t { 1000 }, uint64_t { 65536 },
             uint64_t { 69999 } }) {
        SCOPED_TRACE(size1);
        auto proof = consistencyProof(size1, size, tiles.source());
        auto want = consistencyProof(size1, size, log.tree.source());
        ASSERT_RESULT_OK(proof);
        ASSERT_RESULT_OK(want);
        EXPECT_EQ(*proof, *want);
    }
    // Tiles are read once each, then cached.
    EXPECT_LE(log.reads, tilesOfTree(size).size());
}

TEST(TileHashSource, BadTilesAreCaught)
{
    TiledMemoryLog log;
    const uint64_t size = 1000;
    for (uint64_t i = 0; i < size; ++i)
        log.tree.append(leafHash(asBytes(std::to_string(i))));
    const Hash root = log.tree.root();

    // A modified tile gives a proof that does not reach the signed root.
    // Leaf 300's path uses MTH(D[0:256]), the first hash of level-1 tile 0.
    log.corrupt = Tile { 1, 0, 3 };
    TileHashSource tiles(size, [&](const Tile &t) { return log.read(t); });
    auto proof = inclusionProof(300, size, tiles.source());
    ASSERT_RESULT_OK(proof);
    std::vector<Bytes> bytes;
    for (const Hash &h : *proof)
        bytes.emplace_back(h.begin(), h.end());
    EXPECT_RESULT_ERROR(verifyInclusion(300, size, log.tree.subtreeHash(300, 301), bytes, root),
        TlogError::RootMismatch);

    // A truncated tile, and a reader that fails: the error comes through.
    TileHashSource truncated(size, [&](const Tile &t) -> TlogResult<std::vector<Hash>> {
        auto hashes = log.read(t);
        hashes->pop_back();
        return hashes;
    });
    EXPECT_RESULT_ERROR(inclusionProof(0, size, truncated.source()), TlogError::MalformedTile);
    TileHashSource missing(size, [](const Tile &t) -> TlogResult<std::vector<Hash>> {
        return fail(TlogError::InvalidTile, "no tile " + tilePath(t));
    });
    EXPECT_RESULT_ERROR(consistencyProof(10, size, missing.source()), TlogError::InvalidTile);
    EXPECT_RESULT_ERROR(tiles.subtreeHash(0, size + 1), TlogError::InvalidTile);
}

} // namespace
} // namespace sotto::tlog
