// The coverage status of one person in one category as a step function of the
// business date, exactly as ../shared/spec/domain.md defines coverage:
// not in the poor population, covered, excluded or gap. The function only
// changes at dates named by the person's events (interval bounds, effective
// dates, reason dates), so it is a short list of runs.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "projections/coverage/person_state.h"

namespace safetynet {

enum class CoverageStatus : uint8_t { kNone, kCovered, kExcluded, kGap };

// A run starts at `from` (inclusive) and lasts until the next run's `from`.
struct Run {
  int32_t from = 0;
  CoverageStatus status = CoverageStatus::kNone;
  bool operator==(const Run&) const = default;
};
// Always starts with a run from 0 (before any date); consecutive runs differ.
using Timeline = std::vector<Run>;

CoverageStatus StatusOn(const PersonState& person, Category c, int32_t d);
Timeline ComputeTimeline(const PersonState& person, Category c);
CoverageStatus StatusOn(const Timeline& t, int32_t d);
// The start of the run that contains d.
int32_t RunStart(const Timeline& t, int32_t d);

}  // namespace safetynet
