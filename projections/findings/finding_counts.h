// FindingCounts: the number of findings per region prefix, check and status
// (open, cleared), kept as findings change (prefix_deltas.h, column family
// `finding_counts`, every delta dated 0: the counts are the current state's),
// so that the findings list counts without walking the findings.
// Thread-safety: one writer (Findings::Record, on the ingest thread) and any
// number of concurrent Query callers.
#pragma once

#include <cstdint>
#include <string_view>

#include "projections/core/prefix_deltas.h"
#include "projections/findings/findings.h"

namespace safetynet {

class FindingCounts {
 public:
  struct Counts {
    int64_t open = 0;
    int64_t cleared = 0;
  };

  // The index's state, driven by ProjectionSet.
  StagedIndex& staged() { return deltas_; }

  // A finding of `check` was `before` (null: not stored) and is `after`.
  void Replace(Check check, const FindingState* before, const FindingState& after) {
    if (before != nullptr) deltas_.Add(before->region, static_cast<uint8_t>(check), 0, Counter(before->open), -1);
    deltas_.Add(after.region, static_cast<uint8_t>(check), 0, Counter(after.open), +1);
  }

  // Counts for a region prefix of 0, 2, 4 or 6 digits.
  Counts Query(std::string_view prefix, Check check) const {
    const auto n = deltas_.Query(prefix, static_cast<uint8_t>(check), 0);
    return Counts{n[0], n[1]};
  }

 private:
  static size_t Counter(bool open) { return open ? 0 : 1; }
  PrefixDeltas<2> deltas_{Cf::kFindingCounts};
};

}  // namespace safetynet
