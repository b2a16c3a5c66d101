// CoverageIndex answers coverage for any region prefix and any date without
// looking at persons: every person's timeline (coverage_timeline.h) is folded
// into per-date deltas of (covered, excluded, gaps), kept for each prefix of
// its region (prefix_deltas.h) in column family `coverage`.
//
// Thread-safety: one writer (the ingest thread: Replace and the index's
// lifecycle) and any number of concurrent Query callers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/store.h"
#include "projections/core/prefix_deltas.h"
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
  // The index's state, driven by ProjectionSet (prefix_deltas.h).
  StagedIndex& staged() { return deltas_; }

  // Stages the change of one person's timeline in category `c` (old region
  // and timeline replaced by new ones) into the current batch.
  void Replace(Category c, std::string_view old_region, const Timeline& old_t, std::string_view new_region,
               const Timeline& new_t);

  // Counts on `date` for a region prefix of 0, 2, 4 or 6 digits.
  CoverageCounts Query(std::string_view prefix, Category c, int32_t date) const;
  // The regions one level below `prefix` (2 more digits) that have ever had
  // anyone, in code order; none below a county.
  std::vector<std::string> Subregions(std::string_view prefix) const { return deltas_.Subregions(prefix); }

 private:
  // Counters: covered, excluded, gaps.
  PrefixDeltas<3> deltas_{Cf::kCoverage};
};

}  // namespace safetynet
