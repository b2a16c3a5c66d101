#include "projections/coverage/coverage_timeline.h"

#include <algorithm>

#include "events/date.h"

namespace safetynet {

CoverageStatus StatusOn(const PersonState& p, Category c, int32_t d) {
  if (!p.PoorOn(d)) return CoverageStatus::kNone;
  if (p.EnrolledOn(c, d)) return CoverageStatus::kCovered;
  const ReasonPoint* reason = p.ReasonOn(c, d);
  if (reason != nullptr) {
    switch (GroupOf(reason->reason)) {
      case ReasonGroup::kCoveredElsewhere: return CoverageStatus::kCovered;
      case ReasonGroup::kNotRequired: return CoverageStatus::kExcluded;
      case ReasonGroup::kStillGap: break;
    }
  }
  return CoverageStatus::kGap;
}

Timeline ComputeTimeline(const PersonState& p, Category c) {
  std::vector<int32_t> points;
  for (const auto& iv : p.intervals) {
    if (iv.Empty()) continue;
    points.push_back(iv.from);
    if (iv.to != 0) points.push_back(NextDay(iv.to));
  }
  if (points.empty()) return {Run{}};  // never poor: never counted
  for (size_t t = 0; t < kTierCount; ++t) {
    if (CategoryOfTier(static_cast<fb::Tier>(t)) != c) continue;
    for (const auto& e : p.enrollments[t]) points.push_back(e.effective_on);
  }
  for (const auto& r : p.reasons[static_cast<size_t>(c)]) points.push_back(r.occurred_on);
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());

  Timeline t{Run{}};
  for (int32_t d : points) {
    const CoverageStatus s = StatusOn(p, c, d);
    if (s != t.back().status) t.push_back({d, s});
  }
  return t;
}

CoverageStatus StatusOn(const Timeline& t, int32_t d) {
  auto it = std::upper_bound(t.begin(), t.end(), d, [](int32_t day, const Run& r) { return day < r.from; });
  return it == t.begin() ? CoverageStatus::kNone : std::prev(it)->status;
}

int32_t RunStart(const Timeline& t, int32_t d) {
  auto it = std::upper_bound(t.begin(), t.end(), d, [](int32_t day, const Run& r) { return day < r.from; });
  return it == t.begin() ? 0 : std::prev(it)->from;
}

}  // namespace safetynet
