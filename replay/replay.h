// Offline work on a ledger: rebuild every projection from the event log,
// verify the hash chain, compute the projections' digest.
// Thread-safety: functions own what they open; run one at a time per output.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "events/status.h"
#include "events/store.h"
#include "projections/projection_set.h"

namespace safetynet {

struct VerifyResult {
  uint64_t records = 0;
  uint64_t first_bad_seq = 0;  // 0 when the chain is intact
  std::string problem;         // one line when first_bad_seq != 0
};
// Walks the log from seq 1: gap-free sequence numbers, each stored hash equal
// to the recomputed chain hash, the head record matching the last one.
Result<VerifyResult> VerifyChain(const Store& store);

struct ReplayOptions {
  uint64_t until_seq = 0;  // 0 = the whole log
  // The projections' settings; null: those recorded in the source.
  const ProjectionOptions* projection_options = nullptr;
  size_t batch_events = 20000;
  std::function<void(uint64_t done, uint64_t total)> progress;  // may be empty
};
struct ReplayResult {
  uint64_t events = 0;
  std::string digest;  // ProjectionDigestHex of the rebuilt projections
};
// Folds the log of `source` into fresh projections in `target` (an empty store).
Result<ReplayResult> Rebuild(const Store& source, Store& target, const ReplayOptions& opts);
// Rebuilds the projections of a ledger in place: clears every projection
// column family of `store` and folds its own log into it.
Result<ReplayResult> RebuildInPlace(Store& store, const ReplayOptions& opts);

}  // namespace safetynet
