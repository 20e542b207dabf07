// SPDX-License-Identifier: GPL-3.0-or-later
// C2SP tlog-tiles v1.0.0: tile and entry-bundle paths (including the spec's
// own example, 1234067 -> x001/x234/067), tile arithmetic at the right edge
// of a tree, and the strict tile / entry-bundle decoders.
#include "protocol/tlog/tiles.h"

#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <limits>

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
