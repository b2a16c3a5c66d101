#include "projections/coverage/coverage_index.h"

#include <algorithm>
#include <tuple>
#include <vector>

namespace safetynet {
namespace {

// Each run of a timeline contributes +1 to its status from its start and -1
// from the next run's start.
struct Change {
  int32_t date;
  CoverageStatus status;
  int64_t delta;
};

void AppendChanges(const Timeline& t, int64_t sign, std::vector<Change>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].status == CoverageStatus::kNone) continue;
    out->push_back({t[i].from, t[i].status, sign});
    if (i + 1 < t.size()) out->push_back({t[i + 1].from, t[i].status, -sign});
  }
}

// Sums changes of the same (date, status) and drops those that cancel.
void Net(std::vector<Change>* changes) {
  std::sort(changes->begin(), changes->end(),
            [](const Change& a, const Change& b) { return std::tie(a.date, a.status) < std::tie(b.date, b.status); });
  size_t out = 0;
  for (size_t i = 0; i < changes->size();) {
    Change sum = (*changes)[i];
    size_t j = i + 1;
    for (; j < changes->size() && (*changes)[j].date == sum.date && (*changes)[j].status == sum.status; ++j) {
      sum.delta += (*changes)[j].delta;
    }
    if (sum.delta != 0) (*changes)[out++] = sum;
    i = j;
  }
  changes->resize(out);
}

void Add(PrefixDeltas<3>& deltas, std::string_view region, Category c, int32_t date, CoverageStatus s, int64_t delta) {
  const size_t counter = s == CoverageStatus::kCovered ? 0 : s == CoverageStatus::kExcluded ? 1 : 2;
  deltas.Add(region, static_cast<uint8_t>(c), date, counter, delta);
}

}  // namespace

void CoverageIndex::Replace(Category c, std::string_view old_region, const Timeline& old_t, std::string_view new_region,
                            const Timeline& new_t) {
  if (old_region == new_region && old_t == new_t) return;
  std::vector<Change> changes;
  if (old_region == new_region) {
    // Only the dates where the two timelines differ change the counts.
    AppendChanges(old_t, -1, &changes);
    AppendChanges(new_t, +1, &changes);
    Net(&changes);
    for (const Change& ch : changes) Add(deltas_, new_region, c, ch.date, ch.status, ch.delta);
    return;
  }
  AppendChanges(old_t, -1, &changes);
  for (const Change& ch : changes) Add(deltas_, old_region, c, ch.date, ch.status, ch.delta);
  changes.clear();
  AppendChanges(new_t, +1, &changes);
  for (const Change& ch : changes) Add(deltas_, new_region, c, ch.date, ch.status, ch.delta);
}

CoverageCounts CoverageIndex::Query(std::string_view prefix, Category c, int32_t date) const {
  const auto n = deltas_.Query(prefix, static_cast<uint8_t>(c), date);
  return CoverageCounts{n[0], n[1], n[2]};
}

}  // namespace safetynet
