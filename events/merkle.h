// The Merkle tree of RFC 9162 (§2.1) over the log, as ../shared/spec/
// interface.md ("The verifiable log, exactly") fixes it: leaf i (0-based) is
// event seq = i + 1, its input the 32 bytes of that event's chain hash, so
// leaf_hash = SHA-256(0x00 ‖ chain_hash) and a node is
// SHA-256(0x01 ‖ left ‖ right). This file is the tree's arithmetic alone —
// hashing, the frontier kept while appending, audit paths and consistency
// proofs over any source of subtree hashes, and their verification — with no
// storage (events/merkle_store.h keeps the tree beside the log).
// Thread-safety: functions are pure; a Frontier belongs to one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "events/crypto.h"
#include "events/status.h"

namespace safetynet::merkle {

Digest LeafHash(const Digest& chain_hash);
Digest NodeHash(const Digest& left, const Digest& right);
// The root of the empty tree: SHA-256 of nothing.
Digest EmptyRoot();
// The largest power of two strictly below n (n ≥ 2): where RFC 9162 splits D[n].
uint64_t SplitPoint(uint64_t n);
// A complete subtree: 2^level leaves starting at index << level.
struct NodeId {
  uint32_t level = 0;
  uint64_t index = 0;
};

// The right edge of a tree being appended to: one complete subtree per set
// bit of its size, largest first. Appending is O(1) amortised (at most log n
// hashes) and reports every complete subtree it finishes.
class Frontier {
 public:
  using OnNode = std::function<void(NodeId node, const Digest& hash)>;

  // `nodes`: the complete subtrees of a tree of `size` leaves, largest first
  // (one per set bit of size).
  static Result<Frontier> FromNodes(uint64_t size, std::vector<Digest> nodes);

  // Appends a leaf (its leaf hash); `on_node` (may be empty) sees the leaf
  // and every node it completes, lowest level first.
  void Append(const Digest& leaf_hash, const OnNode& on_node = {});
  uint64_t size() const { return size_; }
  Digest Root() const;
  const std::vector<Digest>& nodes() const { return nodes_; }

 private:
  uint64_t size_ = 0;
  std::vector<Digest> nodes_;  // largest first
};

// The hash of the subtree over leaves [start, start + size) of the tree
// being proven; every call the proofs make is a node of RFC 9162's
// recursion (complete subtrees, or the right edge of the tree at its size).
using SubtreeHashFn = std::function<Result<Digest>(uint64_t start, uint64_t size)>;

// The hash of D[start, start + size) from complete subtrees alone (the split
// of RFC 9162 down to powers of two); `complete` answers aligned powers of two.
Result<Digest> SubtreeFromComplete(uint64_t start, uint64_t size, const SubtreeHashFn& complete);

// RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of `size`
// leaves, from the leaf's sibling up. Invalid unless index < size.
Result<std::vector<Digest>> InclusionPath(uint64_t index, uint64_t size, const SubtreeHashFn& subtree);
// RFC 9162 §2.1.4.1: the consistency proof from the tree of `from` leaves to
// the tree of `to` leaves. Invalid unless 1 ≤ from ≤ to.
Result<std::vector<Digest>> ConsistencyPath(uint64_t from, uint64_t to, const SubtreeHashFn& subtree);

// RFC 9162 §2.1.3.2. Ok, or Invalid naming why the path does not prove it.
Status VerifyInclusion(uint64_t index, uint64_t size, const Digest& leaf_hash, std::span<const Digest> path,
                       const Digest& root);
// RFC 9162 §2.1.4.2 (from == to: the path is empty and the roots equal).
Status VerifyConsistency(uint64_t from, uint64_t to, const Digest& from_root, const Digest& to_root,
                         std::span<const Digest> path);

// Lowercase hex of a digest, and back (Invalid unless 64 hex characters).
std::string Hex(const Digest& d);
Result<Digest> ParseHex(std::string_view hex);

}  // namespace safetynet::merkle
