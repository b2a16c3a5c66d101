// History: answers "as the ledger stood after event SEQ" (known_at=SEQ, or
// known_on=YYYYMMDD: the last seq ingested on that UTC day) for the query
// routes that allow it (../shared/spec/interface.md).
//
// The ingest loop takes a snapshot of the whole store every
// `interval_events` events (a RocksDB checkpoint: hard links of immutable
// files, taken at a projections' checkpoint) into DATA/history/, keeping
// the latest `keep`. A point is materialised once: the nearest snapshot at
// or before it is copied (hard links again) and the log after it folded in
// up to SEQ, exactly as `safetynet replay --until-seq SEQ` folds it — so
// the answer equals a replay to that seq followed by the same query. Its
// cost is the fold of at most `interval_events` events (plus the time since
// the last snapshot), or of SEQ events before the oldest snapshot kept; the
// last few points stay materialised for the next question.
// Thread-safety: Poll() on the ingest thread; At() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <future>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "events/status.h"
#include "events/store.h"
#include "projections/core/projection_set.h"

namespace safetynet {

struct HistoryOptions {
  uint64_t interval_events = 1000000;
  size_t keep = 16;  // snapshots kept (the oldest go)
  size_t views = 2;  // materialised points kept
};

class History {
 public:
  // The ledger as it stood after one event: its projections, to query.
  struct View {
    uint64_t seq = 0;
    std::string dir;
    std::unique_ptr<Store> store;
    std::unique_ptr<ProjectionSet> projections;
    ~View();
  };

  History(Store& live, std::string data_dir, HistoryOptions options);
  // Takes a snapshot when `applied_seq` is an interval past the last one.
  void Poll(uint64_t applied_seq);
  // The view after event `seq` (Invalid past the log's durable head).
  Result<std::shared_ptr<const View>> At(uint64_t seq);
  // Stops the folds under way (they answer Retryable) and any later one:
  // the daemon is stopping.
  void Cancel() { cancelled_.store(true); }
  // The seq of known_on=`day`: the last seq ingested on or before that UTC
  // day (0 when nothing was).
  Result<uint64_t> SeqKnownOn(int32_t day) const;

 private:
  Result<std::shared_ptr<const View>> Materialise(uint64_t seq);

  Store& live_;
  std::string dir_;
  HistoryOptions options_;
  uint64_t last_snapshot_ = 0;
  std::atomic<bool> cancelled_{false};
  using Pending = std::shared_future<Result<std::shared_ptr<const View>>>;
  std::mutex mu_;                                 // the cache and the points being materialised
  std::list<std::shared_ptr<const View>> views_;  // most recent first
  std::map<uint64_t, Pending> pending_;           // asked again meanwhile: wait for the same one
};

}  // namespace safetynet
