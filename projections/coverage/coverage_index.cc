#include "projections/coverage/coverage_index.h"

#include <vector>

namespace safetynet {
namespace {

size_t Counter(CoverageStatus s) { return s == CoverageStatus::kCovered ? 0 : s == CoverageStatus::kExcluded ? 1 : 2; }

// Each run of a timeline contributes +1 to its status from its start and -1
// from the next run's start.
void AppendChanges(const Timeline& t, int64_t sign, std::vector<DatedChange>* out) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].status == CoverageStatus::kNone) continue;
    out->push_back({t[i].from, Counter(t[i].status), sign});
    if (i + 1 < t.size()) out->push_back({t[i + 1].from, Counter(t[i].status), -sign});
  }
}

}  // namespace

void CoverageIndex::Replace(Category c, std::string_view old_region, const Timeline& old_t, std::string_view new_region,
                            const Timeline& new_t) {
  if (old_region == new_region && old_t == new_t) return;
  std::vector<DatedChange> removed, added;
  AppendChanges(old_t, -1, &removed);
  AppendChanges(new_t, +1, &added);
  deltas_.Replace(static_cast<uint8_t>(c), old_region, std::move(removed), new_region, std::move(added));
}

CoverageCounts CoverageIndex::Query(std::string_view prefix, Category c, int32_t date) const {
  const auto n = deltas_.Query(prefix, static_cast<uint8_t>(c), date);
  return CoverageCounts{n[0], n[1], n[2]};
}

}  // namespace safetynet
