// The log's Merkle tree (events/merkle.h), kept beside the log: every
// complete subtree of 2^kMerkleStoredLevel leaves or more is stored in
// column family `merkle` by the batch that completes it, so the tree's state
// per append is the frontier (O(log n) hashes, rebuilt from the store on
// open) and one node write per 8 events on average. Nodes below that level
// are recomputed from the log's chain hashes (at most 16 records). A tree
// head or proof for any size up to the durable head reads O(log n) nodes.
// Byte layout: events/FORMAT.md.
// Thread-safety: MerkleWriter belongs to the ingest thread; MerkleReader
// reads what is durable and may be used from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/merkle.h"
#include "events/status.h"
#include "events/store.h"

namespace safetynet {

inline constexpr uint32_t kMerkleStoredLevel = 4;

std::string MerkleNodeKey(merkle::NodeId node);

// Reads the tree of the durable log.
class MerkleReader {
 public:
  explicit MerkleReader(const Store& store) : store_(store) {}
  // RFC 9162's MTH of the first `size` events (size ≤ the durable head).
  Result<Digest> Root(uint64_t size) const;
  // The audit path of event `seq` in the tree of `size` events.
  Result<std::vector<Digest>> Inclusion(uint64_t seq, uint64_t size) const;
  Result<std::vector<Digest>> Consistency(uint64_t from, uint64_t to) const;
  // The leaf hash of event `seq`: SHA-256(0x00 ‖ its chain hash).
  Result<Digest> Leaf(uint64_t seq) const;
  // The complete subtrees of the tree of `size` events, largest first.
  Result<std::vector<Digest>> FrontierNodes(uint64_t size) const;
  // Any subtree of the recursion: D[start, start + size).
  Result<Digest> Subtree(uint64_t start, uint64_t size) const;

 private:
  // A complete subtree (size a power of two, start a multiple of it).
  Result<Digest> Complete(uint64_t start, uint64_t size) const;
  Result<Digest> FromLog(uint64_t start, uint64_t size) const;

  const Store& store_;
};

// Whether the tree of a log of `size` events is stored: false for a ledger
// written before the tree, or whose build was interrupted (the last node is
// written last), until MerkleWriter::Open builds it.
bool MerkleTreeStored(const Store& store, uint64_t size);

// The log at one point: the chain hash of event `seq` (zeros at 0) and the
// Merkle root of the first `seq` events.
struct LogPoint {
  uint64_t seq = 0;
  Digest chain_head{};
  Digest root{};
};
Result<LogPoint> LogPointAt(const Store& store, uint64_t seq);

// Appends leaves and stages the nodes they complete into the batch.
class MerkleWriter {
 public:
  MerkleWriter() = default;  // the empty tree
  // The tree of a log of `size` events, from the store. A ledger written
  // before the tree existed has its nodes built first (durably, once).
  static Result<MerkleWriter> Open(Store& store, uint64_t size);

  void Append(Txn& txn, const Digest& chain_hash);
  const merkle::Frontier& frontier() const { return frontier_; }
  // Back to an earlier state (a batch that was not written).
  void Reset(merkle::Frontier frontier) { frontier_ = std::move(frontier); }

 private:
  explicit MerkleWriter(merkle::Frontier f) : frontier_(std::move(f)) {}
  merkle::Frontier frontier_;
};

}  // namespace safetynet
