// RectificationProjection: the rectification items (see rectification_item.h)
// from the `safetynet.rectification` events and, automatically, from every
// finding that opens (told by Findings through FindingListener).
// Column families (layouts in events/FORMAT.md):
//   rectifications            item_id -> RectificationItem
//   rectifications_by_region  region(6) || item_id -> ""
//   rectification_counts, rectification_months  (rectification_counts.h)
// Thread-safety: see projection.h.
#pragma once

#include <string>
#include <string_view>

#include "projections/core/projection.h"
#include "projections/findings/findings.h"
#include "projections/rectification/rectification_counts.h"
#include "projections/rectification/rectification_item.h"

namespace safetynet {

// "auto:C6:claim-1"
std::string AutoItemId(Check check, std::string_view subject);

class RectificationProjection final : public Projection, public FindingListener {
 public:
  RectificationProjection(int32_t auto_deadline_days, RectificationCounts* counts)
      : auto_deadline_days_(auto_deadline_days), counts_(counts) {}
  void Apply(const AppliedEvent& ev, Txn& txn) override;
  void OnFindingChange(Txn& txn, const FindingChange& change, bool first) override;

 private:
  int32_t auto_deadline_days_;
  RectificationCounts* counts_;
};

Status LoadRectificationItem(const Store& store, std::string_view item_id, RectificationItem* out);

}  // namespace safetynet
