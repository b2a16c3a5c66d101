// CoverageIndex answers coverage for any region prefix and any date without
// looking at persons: every person's timeline (coverage_timeline.h) is folded
// into per-date deltas of (covered, excluded, gaps), kept for each prefix of
// its region ("" for everything, 2, 4 and 6 digits). Counts on d are the sum of
// the deltas dated <= d. Persisted in column family `coverage` (layout in
// events/FORMAT.md) and held in memory whole (prefixes x categories x distinct
// dates: a few MB for a province).
//
// Thread-safety: one writer (the ingest thread: Replace, Flush, Committed,
// Abandon) and any number of concurrent Query callers.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "events/store.h"
#include "projections/coverage/coverage_timeline.h"

namespace safetynet {

struct CoverageCounts {
  int64_t covered = 0;
  int64_t excluded = 0;
  int64_t gaps = 0;
  int64_t population() const { return covered + excluded + gaps; }
  bool zero() const { return covered == 0 && excluded == 0 && gaps == 0; }
  CoverageCounts& operator+=(const CoverageCounts& o) {
    covered += o.covered, excluded += o.excluded, gaps += o.gaps;
    return *this;
  }
};

class CoverageIndex {
 public:
  // Loads every delta from the store.
  Status Load(const Store& store);

  // Stages the change of one person's timeline in category `c` (old region
  // and timeline replaced by new ones) into the current batch.
  void Replace(Category c, std::string_view old_region, const Timeline& old_t, std::string_view new_region,
               const Timeline& new_t);
  // Writes the staged deltas into `txn` (keys whose total is zero are
  // deleted); the batch's deltas wait in FIFO order for Committed().
  void Flush(Txn& txn);
  // The batch lifecycle (events/batch_pipeline.h): the oldest flushed batch
  // is committed (its deltas join the held ones); the held deltas are being
  // checkpointed; they are in the store, and queries see them from now on.
  void Committed();
  void CheckpointBegun();
  void Checkpointed();
  void Abandon() {
    pending_.clear();
    flushed_.clear();
    held_.clear();
    checkpointing_.clear();
  }

  // Counts on `date` for a region prefix of 0, 2, 4 or 6 digits.
  CoverageCounts Query(std::string_view prefix, Category c, int32_t date) const;
  // The regions one level below `prefix` (2 more digits) that have ever had
  // anyone, in code order; none below a county.
  std::vector<std::string> Subregions(std::string_view prefix) const;

 private:
  // A region prefix packed as (length << 24 | numeric value): cheap to compare.
  using Prefix = uint32_t;
  struct Key {
    Prefix prefix;
    uint8_t category;
    int32_t date;
    auto operator<=>(const Key&) const = default;
  };
  using Deltas = std::map<Key, CoverageCounts>;

  static Prefix PackPrefix(std::string_view digits);
  static std::string UnpackPrefix(Prefix p);
  static std::string EncodeKey(const Key& k);
  // Adds `delta` persons of status `s` from `date` on, under every prefix of `region`.
  void Add(std::string_view region, Category c, int32_t date, CoverageStatus s, int64_t delta);

  mutable std::shared_mutex mu_;
  std::map<Prefix, std::array<std::map<int32_t, CoverageCounts>, kCategoryCount>> committed_;
  // Adds the deltas of `from` to `to` (entries summing to zero are kept: a
  // key written as deleted must still be told apart from one not written).
  static void AddDeltas(const Deltas& from, Deltas* to);

  // Ingest thread only, each stage newer than the next:
  Deltas pending_;              // this batch
  std::deque<Deltas> flushed_;  // staged batches, not yet committed
  Deltas held_;                 // committed, not yet in a checkpoint
  Deltas checkpointing_;        // in the checkpoint being written
};

}  // namespace safetynet
