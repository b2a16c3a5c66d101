// RectificationCounts: the rectification items' figures per region prefix,
// kept as items change (prefix_deltas.h), so that lists and the monthly
// report count without walking the items:
//   rectification_counts  per date: items open, overdue, rectified, closed
//                         and late (C12) from that date on (sums of deltas
//                         dated <= d: the counts on d);
//   rectification_months  per month (dated YYYYMM, not cumulative): items
//                         first opened, with a rectification or clearing
//                         step, with a verification in the month.
// An item's status and lateness change only on its steps' dates and the day
// after its deadline, so its contribution is a short run of dates.
// Thread-safety: one writer (RectificationProjection, on the ingest thread)
// and any number of concurrent readers.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "projections/core/prefix_deltas.h"
#include "projections/rectification/rectification_item.h"

namespace safetynet {

class RectificationCounts {
 public:
  struct OnDate {
    int64_t open = 0, overdue = 0, rectified = 0, closed = 0, late = 0;
    int64_t of(ItemStatus s) const;
  };
  struct InMonth {
    int64_t opened = 0, rectified = 0, closed = 0;
  };

  // The indexes' state, driven by ProjectionSet.
  std::vector<StagedIndex*> staged() { return {&on_date_, &months_}; }

  // An item was `before` (is_item() false: not an item yet) and is `after`.
  void Replace(const RectificationItem& before, const RectificationItem& after);

  // The counts on `date` / in month `yyyymm` for a region prefix of 0, 2, 4 or 6 digits.
  OnDate Query(std::string_view prefix, int32_t date) const;
  InMonth Month(std::string_view prefix, int32_t yyyymm) const;

 private:
  PrefixDeltas<5> on_date_{Cf::kRectificationCounts};  // open, overdue, rectified, closed, late
  PrefixDeltas<3> months_{Cf::kRectificationMonths};   // opened, rectified, closed
};

}  // namespace safetynet
