#include "projections/rectification/rectification_counts.h"

#include <algorithm>
#include <tuple>

#include "events/date.h"

namespace safetynet {
namespace {

constexpr size_t kLate = 4;

struct Change {
  int32_t date;
  size_t counter;
  int64_t delta;
  auto operator<=>(const Change&) const = default;
};

size_t StatusCounter(ItemStatus s) { return static_cast<size_t>(s) - 1; }  // kOpen .. kClosed -> 0 .. 3

// The item's per-date counters, each +1 from where its run starts and -1
// where it ends, times `sign`.
void AppendOnDate(const RectificationItem& item, int64_t sign, std::vector<Change>* out) {
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
void AppendMonths(const RectificationItem& item, int64_t sign, std::vector<Change>* out) {
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

// Sums the changes of the same (date, counter) and drops those that cancel.
void Net(std::vector<Change>* changes) {
  std::sort(changes->begin(), changes->end(),
            [](const Change& a, const Change& b) { return std::tie(a.date, a.counter) < std::tie(b.date, b.counter); });
  size_t out = 0;
  for (size_t i = 0; i < changes->size();) {
    Change sum = (*changes)[i];
    size_t j = i + 1;
    for (; j < changes->size() && (*changes)[j].date == sum.date && (*changes)[j].counter == sum.counter; ++j) {
      sum.delta += (*changes)[j].delta;
    }
    if (sum.delta != 0) (*changes)[out++] = sum;
    i = j;
  }
  changes->resize(out);
}

template <size_t N>
void Apply(const RectificationItem& before, const RectificationItem& after,
           void (*append)(const RectificationItem&, int64_t, std::vector<Change>*), PrefixDeltas<N>* deltas) {
  std::vector<Change> changes;
  if (before.is_item() && after.is_item() && before.region == after.region) {
    append(before, -1, &changes);
    append(after, +1, &changes);
    Net(&changes);
    for (const Change& c : changes) deltas->Add(after.region, 0, c.date, c.counter, c.delta);
    return;
  }
  append(before, -1, &changes);
  for (const Change& c : changes) deltas->Add(before.region, 0, c.date, c.counter, c.delta);
  changes.clear();
  append(after, +1, &changes);
  for (const Change& c : changes) deltas->Add(after.region, 0, c.date, c.counter, c.delta);
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
