// Folding the log into projections: the one loop over log records that
// replay, a rebuild in place and the daemon's catch-up after a crash share.
// Thread-safety: as the pipeline's (one thread).
#pragma once

#include <cstdint>
#include <functional>

#include "events/batch_pipeline.h"
#include "events/status.h"
#include "events/store.h"
#include "projections/core/projection_set.h"

namespace safetynet {

struct FoldOptions {
  uint64_t after_seq = 0;  // the last event the projections have seen
  uint64_t until_seq = 0;  // the last event to fold
  size_t batch_events = 20000;
  // Stages what each participant adds at the end of a batch (at least
  // set.FinishBatch); called before every Submit.
  std::function<void(Txn&)> finish_batch;
  std::function<void(uint64_t done, uint64_t total)> progress;  // may be empty
  // Asked at every batch (may be empty): true stops the fold with Retryable.
  std::function<bool()> cancelled;
};

// Folds the verified records (after_seq, until_seq] of `source`'s log into
// `set`, submitting a batch to `pipeline` every batch_events; returns the
// number of events folded. Waits for the last batch (Drain), but does not
// checkpoint.
Result<uint64_t> FoldLog(const Store& source, ProjectionSet& set, BatchPipeline& pipeline, const FoldOptions& opts);

}  // namespace safetynet
