#include "projections/rectification/rectification_counts.h"

#include <algorithm>

#include "events/date.h"

namespace safetynet {
namespace {

constexpr size_t kLate = 4;

size_t StatusCounter(ItemStatus s) { return static_cast<size_t>(s) - 1; }  // kOpen .. kClosed -> 0 .. 3

// The item's per-date counters, each +1 from where its run starts and -1
// where it ends, times `sign`.
void AppendOnDate(const RectificationItem& item, int64_t sign, std::vector<DatedChange>* out) {
  if (!item.is_item()) return;
  std::vector<int32_t> dates;
  for (const RectificationStep& s : item.steps) dates.push_back(s.occurred_on);
  if (item.deadline > 0) dates.push_back(AddDays(item.deadline, 1));  // overdue and late from then on
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  ItemStatus status = ItemStatus::kNone;
  bool late = false;
  for (int32_t d : dates) {
    const ItemStatus s = item.StatusOn(d);
    const bool l = item.LateOn(d);
    if (s != status) {
      if (status != ItemStatus::kNone) out->push_back({d, StatusCounter(status), -sign});
      if (s != ItemStatus::kNone) out->push_back({d, StatusCounter(s), sign});
      status = s;
    }
    if (l != late) {
      out->push_back({d, kLate, l ? sign : -sign});
      late = l;
    }
  }
}

// The item's months: first opened, rectified or cleared, verified (each month once).
void AppendMonths(const RectificationItem& item, int64_t sign, std::vector<DatedChange>* out) {
  if (!item.is_item()) return;
  const size_t first = out->size();
  out->push_back({item.opened_on / 100, 0, sign});
  for (const RectificationStep& s : item.steps) {
    if (s.kind == StepKind::kRectified || s.kind == StepKind::kFindingCleared) {
      out->push_back({s.occurred_on / 100, 1, sign});
    } else if (s.kind == StepKind::kVerified) {
      out->push_back({s.occurred_on / 100, 2, sign});
    }
  }
  std::sort(out->begin() + first, out->end());
  out->erase(std::unique(out->begin() + first, out->end()), out->end());
}

template <size_t N>
void Apply(const RectificationItem& before, const RectificationItem& after,
           void (*append)(const RectificationItem&, int64_t, std::vector<DatedChange>*), PrefixDeltas<N>* deltas) {
  std::vector<DatedChange> removed, added;
  append(before, -1, &removed);
  append(after, +1, &added);
  deltas->Replace(0, before.region, std::move(removed), after.region, std::move(added));
}

}  // namespace

int64_t RectificationCounts::OnDate::of(ItemStatus s) const {
  switch (s) {
    case ItemStatus::kOpen: return open;
    case ItemStatus::kOverdue: return overdue;
    case ItemStatus::kRectified: return rectified;
    case ItemStatus::kClosed: return closed;
    case ItemStatus::kNone: return 0;
  }
  return 0;
}

void RectificationCounts::Replace(const RectificationItem& before, const RectificationItem& after) {
  Apply(before, after, AppendOnDate, &on_date_);
  Apply(before, after, AppendMonths, &months_);
}

RectificationCounts::OnDate RectificationCounts::Query(std::string_view prefix, int32_t date) const {
  const auto n = on_date_.Query(prefix, 0, date);
  return OnDate{n[0], n[1], n[2], n[3], n[4]};
}

RectificationCounts::InMonth RectificationCounts::Month(std::string_view prefix, int32_t yyyymm) const {
  const auto n = months_.At(prefix, 0, yyyymm);
  return InMonth{n[0], n[1], n[2]};
}

}  // namespace safetynet
