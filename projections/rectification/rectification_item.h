// Rectification items (整改事项) and their lifecycle, as spec/domain.md
// defines them. An item comes from a RectificationOpened event or,
// automatically, from a finding that opens (item_id "auto:" + check + ":" +
// subject, deadline = the finding's first opening date + the configured
// number of days). Its lifecycle is its steps in ledger order: the item's
// rectification events and, for an automatic item, its finding's openings
// and clearings at the sequence numbers of the events that caused them.
//
// Stored in `rectifications` (item_id -> RectificationItem, layout in
// events/FORMAT.md) and indexed by region in `rectifications_by_region`.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace safetynet {

enum class StepKind : uint8_t {
  kOpened = 1,       // RectificationOpened
  kProgressed,       // RectificationProgressed
  kRectified,        // RectificationRectified
  kVerified,         // RectificationVerified (销号)
  kReopened,         // RectificationReopened
  kFindingOpened,    // the finding opened for the first time
  kFindingReopened,  // the finding opened again
  kFindingCleared,   // the finding cleared
};
std::string_view StepName(StepKind k);  // "finding_cleared"

struct RectificationStep {
  uint64_t seq = 0;
  int32_t occurred_on = 0;
  StepKind kind = StepKind::kOpened;
  std::string text;  // note, evidence, verifier or reason; empty for finding steps
};

enum class ItemStatus : uint8_t { kNone, kOpen, kOverdue, kRectified, kClosed };
std::string_view ItemStatusName(ItemStatus s);  // "overdue"; "" for kNone

struct RectificationItem {
  bool manual = false;     // has a RectificationOpened
  bool automatic = false;  // has a finding opening
  std::string category;    // check id ("C6") or the inspectors' free text
  std::string subject;
  std::string region;  // 6 digits; empty until the item is opened
  std::string description;
  std::string responsible_unit;
  int32_t deadline = 0;
  int32_t opened_on = 0;                 // occurred_on of the first opening step
  std::vector<RectificationStep> steps;  // ledger order

  // Steps may arrive before the item is opened (Kafka orders only within a
  // partition); such a record is kept but is not an item yet.
  bool is_item() const { return manual || automatic; }

  // The status on date d: from the steps with occurred_on <= d, the last in
  // ledger order decides: closed after a verification, rectified after a
  // rectification or a clearing, otherwise overdue when deadline < d, else
  // open. kNone when the record is not an item or no step is dated <= d.
  ItemStatus StatusOn(int32_t d) const;
  // Late (C12) on date d: not closed on d and past its deadline (whatever
  // its status: a rectified item still awaits its verification), or closed
  // on d by a verification dated after the deadline.
  bool LateOn(int32_t d) const;

  std::string Encode() const;
  static bool Decode(std::string_view bytes, RectificationItem* out);
};

}  // namespace safetynet
