// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/tiles.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <string>

namespace sotto::tlog {

namespace {

constexpr size_t kEntryLengthBytes = 2; // big-endian uint16 (tlog-tiles "Log entries")
constexpr uint64_t kMaxEntryLength = 0xffff;

std::string widthSuffix(unsigned width)
{
    return width < kTileWidth ? ".p/" + std::to_string(width) : std::string();
}

// Number of hashes at tree level 8 * level in a tree of treeSize leaves.
uint64_t hashesAtTileLevel(unsigned level, uint64_t treeSize)
{
    const unsigned shift = level * kTileHeight;
    return shift >= 64 ? 0 : treeSize >> shift;
}

} // namespace

std::string encodeTileIndex(uint64_t index)
{
    // Groups of three decimal digits, most significant first; every group
    // but the last is an "x"-prefixed directory (tlog-tiles, "<N>").
    std::vector<unsigned> groups;
    do {
        groups.push_back(unsigned(index % 1000));
        index /= 1000;
    } while (index > 0);
    std::string out;
    for (size_t i = groups.size(); i-- > 0;) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%s%03u", i > 0 ? "x" : "", groups[i]);
        out += buf;
        if (i > 0)
            out += '/';
    }
    return out;
}

std::string tilePath(const Tile &tile, TilePathStyle style)
{
    const std::string prefix = style == TilePathStyle::GoSumdb ? "tile/8/" : "tile/";
    return prefix + std::to_string(tile.level) + "/" + encodeTileIndex(tile.index)
        + widthSuffix(tile.width);
}

std::string entryBundlePath(const Tile &bundle, TilePathStyle style)
{
    const std::string prefix = style == TilePathStyle::GoSumdb ? "tile/8/data/" : "tile/entries/";
    return prefix + encodeTileIndex(bundle.index) + widthSuffix(bundle.width);
}

TlogResult<Tile> tileInTree(unsigned level, uint64_t index, uint64_t treeSize)
{
    if (level > kMaxTileLevel)
        return fail(TlogError::InvalidTile, "tile level " + std::to_string(level) + " above 63");
    const uint64_t count = hashesAtTileLevel(level, treeSize);
    const uint64_t fullTiles = count / kTileWidth;
    if (index < fullTiles)
        return Tile { level, index, unsigned(kTileWidth) };
    if (index == fullTiles && count % kTileWidth != 0)
        return Tile { level, index, unsigned(count % kTileWidth) };
    return fail(TlogError::InvalidTile,
        "tile " + std::to_string(level) + "/" + std::to_string(index) + " lies beyond a tree of "
            + std::to_string(treeSize) + " leaves");
}

TlogResult<Tile> tileForNode(unsigned treeLevel, uint64_t nodeIndex, uint64_t treeSize)
{
    if (treeLevel % kTileHeight != 0)
        return fail(TlogError::InvalidTile,
            "tree level " + std::to_string(treeLevel) + " is not stored in a tile row");
    return tileInTree(treeLevel / kTileHeight, nodeIndex / kTileWidth, treeSize);
}

std::vector<Tile> tilesOfTree(uint64_t treeSize)
{
    std::vector<Tile> out;
    for (unsigned level = 0; level <= kMaxTileLevel; ++level) {
        const uint64_t count = hashesAtTileLevel(level, treeSize);
        if (count == 0)
            break;
        const uint64_t tiles = (count + kTileWidth - 1) / kTileWidth;
        for (uint64_t i = 0; i < tiles; ++i)
            out.push_back(*tileInTree(level, i, treeSize));
    }
    return out;
}

TlogResult<std::vector<Hash>> parseHashTile(const Tile &tile, ByteView data)
{
    if (data.size() != size_t(tile.width) * kHashLength)
        return fail(TlogError::MalformedTile,
            "tile " + tilePath(tile) + " must be " + std::to_string(tile.width * kHashLength)
                + " bytes, got " + std::to_string(data.size()));
    std::vector<Hash> out(tile.width);
    for (size_t i = 0; i < out.size(); ++i)
        std::copy_n(data.begin() + ptrdiff_t(i * kHashLength), kHashLength, out[i].begin());
    return out;
}

Bytes encodeHashTile(std::span<const Hash> hashes)
{
    Bytes out;
    out.reserve(hashes.size() * kHashLength);
    for (const Hash &h : hashes)
        out.insert(out.end(), h.begin(), h.end());
    return out;
}

TlogResult<std::vector<Bytes>> parseEntryBundle(ByteView data, unsigned width)
{
    std::vector<Bytes> out;
    size_t pos = 0;
    while (out.size() < width) {
        if (data.size() - pos < kEntryLengthBytes)
            return fail(TlogError::MalformedEntryBundle,
                "entry bundle ends after " + std::to_string(out.size()) + " of "
                    + std::to_string(width) + " entries");
        const size_t len = size_t(data[pos]) << 8 | data[pos + 1];
        pos += kEntryLengthBytes;
        if (data.size() - pos < len)
            return fail(TlogError::MalformedEntryBundle,
                "entry " + std::to_string(out.size()) + " is truncated: " + std::to_string(len)
                    + " bytes announced, " + std::to_string(data.size() - pos) + " present");
        out.emplace_back(data.begin() + ptrdiff_t(pos), data.begin() + ptrdiff_t(pos + len));
        pos += len;
    }
    if (pos != data.size())
        return fail(TlogError::MalformedEntryBundle,
            std::to_string(data.size() - pos) + " bytes after the last of " + std::to_string(width)
                + " entries");
    return out;
}

TlogResult<Bytes> encodeEntryBundle(std::span<const Bytes> entries)
{
    Bytes out;
    for (size_t i = 0; i < entries.size(); ++i) {
        const Bytes &e = entries[i];
        if (e.size() > kMaxEntryLength)
            return fail(TlogError::EntryTooLarge,
                "entry " + std::to_string(i) + " is " + std::to_string(e.size())
                    + " bytes; an entry bundle holds at most 65535");
        out.push_back(uint8_t(e.size() >> 8));
        out.push_back(uint8_t(e.size()));
        out.insert(out.end(), e.begin(), e.end());
    }
    return out;
}

TileHashSource::TileHashSource(uint64_t treeSize, TileReader reader)
    : m_treeSize(treeSize)
    , m_reader(std::move(reader))
{ }

SubtreeHashSource TileHashSource::source()
{
    return [this](uint64_t b, uint64_t e) { return subtreeHash(b, e); };
}

TlogResult<const std::vector<Hash> *> TileHashSource::readTile(const Tile &tile)
{
    const auto key = std::make_pair(tile.level, tile.index);
    auto it = m_cache.find(key);
    if (it != m_cache.end())
        return &it->second;
    SOTTO_TRY(std::vector<Hash> hashes, m_reader(tile));
    if (hashes.size() != tile.width)
        return fail(TlogError::MalformedTile,
            "tile " + tilePath(tile) + " has " + std::to_string(hashes.size())
                + " hashes, expected " + std::to_string(tile.width));
    return &m_cache.emplace(key, std::move(hashes)).first->second;
}

TlogResult<Hash> TileHashSource::completeSubtreeHash(unsigned height, uint64_t index)
{
    const unsigned level = height / kTileHeight;
    const unsigned rest = height % kTileHeight;
    // The 2^rest hashes at tree level 8 * level under this subtree: aligned,
    // so they sit in one tile.
    const uint64_t first = index << rest;
    const uint64_t count = uint64_t { 1 } << rest;
    SOTTO_TRY(Tile tile, tileInTree(level, first / kTileWidth, m_treeSize));
    SOTTO_TRY(const std::vector<Hash> *hashes, readTile(tile));
    const size_t offset = size_t(first % kTileWidth);
    if (offset + count > hashes->size())
        return fail(TlogError::InvalidTile,
            "subtree of height " + std::to_string(height) + " at " + std::to_string(index)
                + " is not complete in tile " + tilePath(tile));
    std::vector<Hash> row(
        hashes->begin() + ptrdiff_t(offset), hashes->begin() + ptrdiff_t(offset + count));
    while (row.size() > 1) {
        for (size_t i = 0; i < row.size() / 2; ++i)
            row[i] = nodeHash(row[2 * i], row[2 * i + 1]);
        row.resize(row.size() / 2);
    }
    return row[0];
}

TlogResult<Hash> TileHashSource::subtreeHash(uint64_t begin, uint64_t end)
{
    if (begin >= end || end > m_treeSize)
        return fail(TlogError::InvalidTile,
            "range [" + std::to_string(begin) + ", " + std::to_string(end)
                + ") is not a non-empty part of a tree of " + std::to_string(m_treeSize));
    const uint64_t n = end - begin;
    if (std::has_single_bit(n) && begin % n == 0)
        return completeSubtreeHash(unsigned(std::countr_zero(n)), begin / n);
    // RFC 6962 Section 2.1: split at the largest power of two below n.
    const uint64_t k = std::bit_floor(n - 1);
    SOTTO_TRY(Hash left, subtreeHash(begin, begin + k));
    SOTTO_TRY(Hash right, subtreeHash(begin + k, end));
    return nodeHash(left, right);
}

} // namespace sotto::tlog
