// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 6962 Section 2.1 Merkle trees (the same hashing as RFC 9162 Section
// 2.1 with SHA-256): leaf and node hashing, the tree head of a list of
// leaves, and inclusion / consistency proofs, generated and verified.
//
// Verification is strict, because a lenient verifier lets a log show two
// views of itself: every hash is exactly 32 bytes, the proof has exactly the
// length the tree sizes imply, a consistency proof from the empty tree is an
// error (there is nothing to be consistent with; RFC 9162 Section 2.1.4.2
// starts from a non-empty first tree), and a mismatch reports the expected
// and the computed root.
#pragma once

#include "protocol/tlog/error.h"

#include "protocol/common/bytes.h"

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace sotto::tlog {

constexpr size_t kHashLength = 32;
using Hash = std::array<uint8_t, kHashLength>;

// Checks the length: InvalidHashLength for anything but 32 bytes.
TlogResult<Hash> hashFromBytes(ByteView bytes);

// MTH({}) = SHA-256() (RFC 6962 Section 2.1).
Hash emptyTreeHash();
// MTH({d}) = SHA-256(0x00 || d): the 0x00 prefix keeps a leaf from being
// mistaken for an interior node (second-preimage resistance, Section 2.1).
Hash leafHash(ByteView leaf);
// SHA-256(0x01 || left || right). Takes any bytes so the RFC's test vectors
// on raw strings can be checked; tree code passes 32-byte hashes.
Hash nodeHash(ByteView left, ByteView right);

// The Merkle Tree Hash of leaves given by their leaf hashes.
Hash rootFromLeafHashes(std::span<const Hash> leafHashes);

// Returns MTH(D[begin:end]) for 0 <= begin < end <= tree size. Proof
// generation asks only for ranges that are whole subtrees of the final tree
// or the right edge of it, so a tiled store can answer from its tiles. A
// source that reads from storage or the network reports its failure, which
// the proof functions pass on.
using SubtreeHashSource = std::function<TlogResult<Hash>(uint64_t begin, uint64_t end)>;

// The number of hashes a proof must contain.
size_t inclusionProofLength(uint64_t index, uint64_t treeSize);
size_t consistencyProofLength(uint64_t size1, uint64_t size2);

// RFC 9162 Section 2.1.3.1 PATH(m, D[n]).
TlogResult<std::vector<Hash>> inclusionProof(
    uint64_t index, uint64_t treeSize, const SubtreeHashSource &source);
// RFC 9162 Section 2.1.4.1 PROOF(m, D[n]), for 0 < m <= n.
TlogResult<std::vector<Hash>> consistencyProof(
    uint64_t size1, uint64_t size2, const SubtreeHashSource &source);

// RFC 9162 Section 2.1.3.2. Proof elements are byte strings so that a proof
// read off the wire is length-checked here, not by every caller.
TlogResult<Hash> rootFromInclusionProof(
    uint64_t index, uint64_t treeSize, ByteView leafHash, std::span<const Bytes> proof);
TlogStatus verifyInclusion(uint64_t index, uint64_t treeSize, ByteView leafHash,
    std::span<const Bytes> proof, ByteView root);

// RFC 9162 Section 2.1.4.2. size1 == size2 requires an empty proof and equal
// roots; size1 == 0 is InvalidTreeSizes.
TlogStatus verifyConsistency(
    uint64_t size1, uint64_t size2, ByteView root1, ByteView root2, std::span<const Bytes> proof);

// An in-memory tree of leaf hashes: the reference hash source for tests and
// small logs. subtreeHash is O(end - begin).
class MemoryTree {
public:
    void append(const Hash &leafHash) { m_leaves.push_back(leafHash); }
    uint64_t size() const { return m_leaves.size(); }
    Hash root() const { return rootFromLeafHashes(m_leaves); }
    Hash subtreeHash(uint64_t begin, uint64_t end) const;
    SubtreeHashSource source() const
    {
        return [this](uint64_t b, uint64_t e) -> TlogResult<Hash> { return subtreeHash(b, e); };
    }

private:
    std::vector<Hash> m_leaves;
};

} // namespace sotto::tlog
