// FindingCounts: the number of findings per region prefix, check and status
// (open, cleared), kept as findings change (prefix_deltas.h, column family
// `finding_counts`), so that the findings list counts without walking the
// findings and the trend (trends.h) reads how many were open at the end of
// each month. A finding contributes as it stands: open from the month of its
// latest opening, and, once cleared, cleared from the month of its clearing
// (an earlier opening and clearing of the same subject is not counted apart).
// Deltas are dated by month (YYYYMM): counts at a month's end are the sums of
// the deltas dated up to it, the current counts the sums of all.
// Thread-safety: one writer (Findings::Record, on the ingest thread) and any
// number of concurrent Query callers.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "projections/core/prefix_deltas.h"
#include "projections/findings/findings.h"

namespace safetynet {

class FindingCounts {
 public:
  struct Counts {
    int64_t open = 0;
    int64_t cleared = 0;
  };
  static constexpr int32_t kNow = std::numeric_limits<int32_t>::max();

  // The index's state, driven by ProjectionSet.
  StagedIndex& staged() { return deltas_; }

  // A finding of `check` was `before` (null: not stored) and is `after`.
  void Replace(Check check, const FindingState* before, const FindingState& after) {
    std::vector<DatedChange> removed;
    if (before != nullptr) removed = Contribution(*before, -1);
    deltas_.Replace(static_cast<uint8_t>(check), before != nullptr ? before->region : after.region, std::move(removed),
                    after.region, Contribution(after, +1));
  }

  // Counts for a region prefix of 0, 2, 4 or 6 digits at the end of month
  // `yyyymm` (kNow: as the findings stand).
  Counts Query(std::string_view prefix, Check check, int32_t yyyymm = kNow) const {
    const auto n = deltas_.Query(prefix, static_cast<uint8_t>(check), yyyymm);
    return Counts{n[kOpen], n[kCleared]};
  }

 private:
  enum Counter : size_t { kOpen = 0, kCleared = 1 };
  static std::vector<DatedChange> Contribution(const FindingState& f, int64_t sign) {
    std::vector<DatedChange> out{{f.opened_on / 100, kOpen, sign}};
    if (!f.open) {
      out.push_back({f.cleared_on / 100, kOpen, -sign});
      out.push_back({f.cleared_on / 100, kCleared, sign});
    }
    return out;
  }
  PrefixDeltas<2> deltas_{Cf::kFindingCounts};
};

}  // namespace safetynet
