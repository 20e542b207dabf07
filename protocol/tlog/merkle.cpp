// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/tlog/merkle.h"

#include "protocol/crypto/hash.h"

#include <algorithm>
#include <bit>
#include <string>

namespace sotto::tlog {

namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

Hash toHash(const Bytes &digest)
{
    Hash h {};
    std::copy_n(digest.begin(), kHashLength, h.begin());
    return h;
}

std::string hex(const Hash &h)
{
    return toHex(h);
}

// The largest power of two strictly less than n (RFC 6962 Section 2.1's k),
// for n >= 2.
uint64_t splitPoint(uint64_t n)
{
    return std::bit_floor(n - 1);
}

TlogResult<Hash> checkedHash(ByteView bytes, const char *what)
{
    if (bytes.size() != kHashLength)
        return fail(TlogError::InvalidHashLength,
            std::string(what) + " must be 32 bytes, got " + std::to_string(bytes.size()));
    return hashFromBytes(bytes);
}

TlogStatus checkProofLength(std::span<const Bytes> proof, size_t expected)
{
    if (proof.size() != expected)
        return fail(TlogError::WrongProofLength,
            "proof has " + std::to_string(proof.size()) + " hashes, the tree sizes require "
                + std::to_string(expected));
    for (size_t i = 0; i < proof.size(); ++i) {
        if (proof[i].size() != kHashLength)
            return fail(TlogError::InvalidHashLength,
                "proof element " + std::to_string(i) + " is " + std::to_string(proof[i].size())
                    + " bytes, not 32");
    }
    return Done {};
}

TlogStatus compareRoot(const Hash &computed, const Hash &expected, const char *which)
{
    if (computed != expected)
        return fail(TlogError::RootMismatch,
            std::string(which) + ": expected root " + hex(expected) + ", proof gives "
                + hex(computed));
    return Done {};
}

TlogStatus append(std::vector<Hash> &out, const SubtreeHashSource &source, uint64_t b, uint64_t e)
{
    SOTTO_TRY(Hash h, source(b, e));
    out.push_back(h);
    return Done {};
}

// RFC 9162 Section 2.1.3.1 PATH(m, D[begin:end]), appended to `out`.
TlogStatus path(uint64_t m, uint64_t begin, uint64_t end, const SubtreeHashSource &source,
    std::vector<Hash> &out)
{
    const uint64_t n = end - begin;
    if (n <= 1)
        return Done {};
    const uint64_t k = splitPoint(n);
    if (m < k) {
        if (auto ok = path(m, begin, begin + k, source, out); !ok)
            return ok;
        return append(out, source, begin + k, end);
    }
    if (auto ok = path(m - k, begin + k, end, source, out); !ok)
        return ok;
    return append(out, source, begin, begin + k);
}

// RFC 9162 Section 2.1.4.1 SUBPROOF(m, D[begin:end], b), appended to `out`.
TlogStatus subproof(uint64_t m, uint64_t begin, uint64_t end, bool b,
    const SubtreeHashSource &source, std::vector<Hash> &out)
{
    const uint64_t n = end - begin;
    if (m == n) {
        if (!b)
            return append(out, source, begin, end);
        return Done {};
    }
    const uint64_t k = splitPoint(n);
    if (m <= k) {
        if (auto ok = subproof(m, begin, begin + k, b, source, out); !ok)
            return ok;
        return append(out, source, begin + k, end);
    }
    if (auto ok = subproof(m - k, begin + k, end, false, source, out); !ok)
        return ok;
    return append(out, source, begin, begin + k);
}

} // namespace

TlogResult<Hash> hashFromBytes(ByteView bytes)
{
    if (bytes.size() != kHashLength)
        return fail(TlogError::InvalidHashLength,
            "hash must be 32 bytes, got " + std::to_string(bytes.size()));
    Hash h {};
    std::copy(bytes.begin(), bytes.end(), h.begin());
    return h;
}

Hash emptyTreeHash()
{
    return toHash(crypto::sha256({}));
}

Hash leafHash(ByteView leaf)
{
    const uint8_t prefix[] = { kLeafPrefix };
    return toHash(crypto::sha256(concat({ prefix, leaf })));
}

Hash nodeHash(ByteView left, ByteView right)
{
    const uint8_t prefix[] = { kNodePrefix };
    return toHash(crypto::sha256(concat({ prefix, left, right })));
}

Hash rootFromLeafHashes(std::span<const Hash> leaves)
{
    // RFC 6962 Section 2.1: MTH(D[n]) = H(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
    if (leaves.empty())
        return emptyTreeHash();
    if (leaves.size() == 1)
        return leaves[0];
    const uint64_t k = splitPoint(leaves.size());
    return nodeHash(rootFromLeafHashes(leaves.first(k)), rootFromLeafHashes(leaves.subspan(k)));
}

Hash MemoryTree::subtreeHash(uint64_t begin, uint64_t end) const
{
    return rootFromLeafHashes(std::span<const Hash>(m_leaves).subspan(begin, end - begin));
}

// The path from leaf `index` to the root of a tree whose last leaf is
// `last` splits into the levels where the two differ (an "inner" sibling
// each) and, above, the levels where the index is a right child of a
// complete subtree on the border (one sibling per set bit).
size_t inclusionProofLength(uint64_t index, uint64_t treeSize)
{
    if (index >= treeSize)
        return 0;
    const uint64_t last = treeSize - 1;
    const auto inner = std::bit_width(index ^ last);
    return size_t(inner) + size_t(std::popcount(index >> inner));
}

// A consistency proof is the inclusion path of the first tree's last node at
// the level of its largest complete right subtree, plus that subtree's hash
// unless the first tree is itself complete (then its root is the seed).
size_t consistencyProofLength(uint64_t size1, uint64_t size2)
{
    if (size1 == 0 || size1 >= size2)
        return 0;
    const int level = std::countr_zero(size1);
    const uint64_t node = (size1 - 1) >> level;
    const uint64_t last = (size2 - 1) >> level;
    const auto inner = std::bit_width(node ^ last);
    const size_t seed = std::has_single_bit(size1) ? 0 : 1;
    return seed + size_t(inner) + size_t(std::popcount(node >> inner));
}

TlogResult<std::vector<Hash>> inclusionProof(
    uint64_t index, uint64_t treeSize, const SubtreeHashSource &source)
{
    if (index >= treeSize)
        return fail(TlogError::IndexOutOfRange,
            "leaf index " + std::to_string(index) + " is not below tree size "
                + std::to_string(treeSize));
    std::vector<Hash> out;
    if (auto ok = path(index, 0, treeSize, source, out); !ok)
        return ok.failure();
    return out;
}

TlogResult<std::vector<Hash>> consistencyProof(
    uint64_t size1, uint64_t size2, const SubtreeHashSource &source)
{
    if (size1 == 0 || size1 > size2)
        return fail(TlogError::InvalidTreeSizes,
            "no consistency proof from size " + std::to_string(size1) + " to size "
                + std::to_string(size2));
    std::vector<Hash> out;
    if (auto ok = subproof(size1, 0, size2, true, source, out); !ok)
        return ok.failure();
    return out;
}

TlogResult<Hash> rootFromInclusionProof(
    uint64_t index, uint64_t treeSize, ByteView leaf, std::span<const Bytes> proof)
{
    if (index >= treeSize)
        return fail(TlogError::IndexOutOfRange,
            "leaf index " + std::to_string(index) + " is not below tree size "
                + std::to_string(treeSize));
    SOTTO_TRY(Hash r, checkedHash(leaf, "leaf hash"));
    if (auto lengthOk = checkProofLength(proof, inclusionProofLength(index, treeSize)); !lengthOk)
        return lengthOk.failure();

    // RFC 9162 Section 2.1.3.2 steps 1-4, with fn the node index and sn the
    // last node index at the current level.
    uint64_t fn = index;
    uint64_t sn = treeSize - 1;
    for (const Bytes &p : proof) {
        if (sn == 0) // unreachable after the length check; kept as the RFC's guard
            return fail(TlogError::WrongProofLength, "proof longer than the path to the root");
        if ((fn & 1) == 1 || fn == sn) {
            r = nodeHash(p, r);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            r = nodeHash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return fail(TlogError::WrongProofLength, "proof shorter than the path to the root");
    return r;
}

TlogStatus verifyInclusion(
    uint64_t index, uint64_t treeSize, ByteView leaf, std::span<const Bytes> proof, ByteView root)
{
    SOTTO_TRY(Hash expected, checkedHash(root, "root"));
    SOTTO_TRY(Hash computed, rootFromInclusionProof(index, treeSize, leaf, proof));
    return compareRoot(computed, expected, "inclusion");
}

TlogStatus verifyConsistency(uint64_t size1, uint64_t size2, ByteView root1Bytes,
    ByteView root2Bytes, std::span<const Bytes> proof)
{
    SOTTO_TRY(Hash root1, checkedHash(root1Bytes, "first root"));
    SOTTO_TRY(Hash root2, checkedHash(root2Bytes, "second root"));
    if (size1 == 0)
        return fail(TlogError::InvalidTreeSizes,
            "consistency from the empty tree is not provable (size1 = 0)");
    if (size1 > size2)
        return fail(TlogError::InvalidTreeSizes,
            "first tree (" + std::to_string(size1) + ") is larger than the second ("
                + std::to_string(size2) + ")");
    if (size1 == size2) {
        // RFC 9162 Section 2.1.4.2 step 1: same size, empty proof, same root.
        if (auto lengthOk = checkProofLength(proof, 0); !lengthOk)
            return lengthOk.failure();
        return compareRoot(root1, root2, "consistency between equal sizes");
    }
    if (auto lengthOk = checkProofLength(proof, consistencyProofLength(size1, size2)); !lengthOk)
        return lengthOk.failure();

    // RFC 9162 Section 2.1.4.2 steps 2-7. When size1 is a power of two the
    // first tree is a complete subtree and its root starts the path.
    std::vector<ByteView> path;
    path.reserve(proof.size() + 1);
    if (std::has_single_bit(size1))
        path.push_back(root1);
    for (const Bytes &p : proof)
        path.push_back(p);

    uint64_t fn = size1 - 1;
    uint64_t sn = size2 - 1;
    while ((fn & 1) == 1) {
        fn >>= 1;
        sn >>= 1;
    }
    SOTTO_TRY(Hash fr, hashFromBytes(path[0]));
    Hash sr = fr;
    for (size_t i = 1; i < path.size(); ++i) {
        const ByteView c = path[i];
        if (sn == 0) // unreachable after the length check; kept as the RFC's guard
            return fail(TlogError::WrongProofLength, "proof longer than the path to the root");
        if ((fn & 1) == 1 || fn == sn) {
            fr = nodeHash(c, fr);
            sr = nodeHash(c, sr);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            sr = nodeHash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return fail(TlogError::WrongProofLength, "proof shorter than the path to the root");
    if (auto firstOk = compareRoot(fr, root1, "consistency, first tree"); !firstOk)
        return firstOk.failure();
    return compareRoot(sr, root2, "consistency, second tree");
}

} // namespace sotto::tlog
