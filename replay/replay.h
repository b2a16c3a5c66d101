// Offline work on a ledger: rebuild every projection from the event log,
// verify the hash chain, compute the projections' digest.
// Thread-safety: functions own what they open; run one at a time per output.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "events/batch_pipeline.h"
#include "events/status.h"
#include "events/store.h"
#include "events/tree_head.h"
#include "projections/core/projection_set.h"

namespace safetynet {

struct VerifyResult {
  uint64_t records = 0;
  uint64_t first_bad_seq = 0;  // 0 when the ledger is intact
  std::string problem;         // one line when first_bad_seq != 0
  uint64_t nodes_checked = 0;  // stored Merkle nodes recomputed from the log
  bool tree_stored = true;     // false: a ledger older than the tree, not yet opened by a daemon that builds it
  uint64_t heads_checked = 0;  // tree heads whose root the log reproduces
};
// Walks the log from seq 1: gap-free sequence numbers, each stored hash equal
// to the recomputed chain hash, the head record matching the last one, every
// stored node of the Merkle tree equal to the one recomputed from the chain
// hashes, and for each of `heads` (sizes in any order; their signatures are
// the caller's to check) the root of the log's first tree_size events equal
// to the head's: a log cut short, or rewritten with its stored head and
// chain recomputed, cannot pass a head published before.
Result<VerifyResult> VerifyLedger(const Store& store, std::vector<TreeHead> heads = {});

struct ReplayOptions {
  uint64_t until_seq = 0;  // 0 = the whole log
  // The projections' settings; null: those recorded in the source.
  const ProjectionOptions* projection_options = nullptr;
  size_t batch_events = 20000;
  // Replay holds far more in memory between checkpoints than live ingest
  // and needs no time-based ones (none until the end for a small ledger).
  PipelineOptions pipeline{.sync = false,
                           .checkpoint_entries = size_t{1} << 21,
                           .checkpoint_interval = std::chrono::milliseconds(0),
                           .cache_bytes = size_t{256} << 20};
  std::function<void(uint64_t done, uint64_t total)> progress;  // may be empty
  std::function<bool()> cancelled;                              // may be empty (see FoldOptions)
  // > 0 and before the end: the digest is also taken after this event (a
  // ledger's projections at their checkpoint are compared there).
  uint64_t digest_at = 0;
};
struct ReplayResult {
  uint64_t events = 0;
  std::string digest;     // ProjectionDigestHex of the rebuilt projections
  std::string digest_at;  // the same after opts.digest_at, if asked
};
// Folds the log of `source` into fresh projections in `target` (an empty store).
Result<ReplayResult> Rebuild(const Store& source, Store& target, const ReplayOptions& opts);
// Folds `source`'s log after the seq the projections in `target` reflect up
// to `until_seq` into them, and checkpoints: `target` then holds the
// projections as they stood after event until_seq. Returns the events folded.
Result<uint64_t> FoldForward(const Store& source, Store& target, uint64_t until_seq, const ReplayOptions& opts = {});
// Rebuilds the projections of a ledger in place: clears every projection
// column family of `store` and folds its own log into it.
Result<ReplayResult> RebuildInPlace(Store& store, const ReplayOptions& opts);

}  // namespace safetynet
