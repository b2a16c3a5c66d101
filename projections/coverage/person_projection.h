// PersonProjection folds roster and enrollment events into PersonState
// (column family `persons`), the coverage deltas (CoverageIndex) and the gap
// index (column family `coverage_gaps`: who is a gap, where, and when).
// Thread-safety: see projection.h.
#pragma once

#include <string>

#include "projections/core/projection.h"
#include "projections/coverage/coverage_index.h"

namespace safetynet {

class PersonProjection final : public Projection {
 public:
  explicit PersonProjection(CoverageIndex* coverage) : coverage_(coverage) {}
  void Apply(const AppliedEvent& ev, Txn& txn) override;

 private:
  CoverageIndex* coverage_;
};

// Key of a person in `persons`: the 32 raw bytes of the pseudonym.
std::string PersonKey(std::string_view person_hex);
// Key in `coverage_gaps`: category(1) || region(6) || person(32).
std::string GapKey(Category c, std::string_view region, std::string_view person_key);

// Key in `gap_edges`: date u32 || category(1) || person(32).
std::string GapEdgeKey(int32_t date, Category c, std::string_view person_key);

// Gap runs as stored in `coverage_gaps`: [from, to) pairs, to = 0 open.
struct GapRun {
  int32_t from = 0;
  int32_t to = 0;
};
std::vector<GapRun> GapRuns(const Timeline& t);
std::string EncodeGapRuns(const std::vector<GapRun>& runs);
bool DecodeGapRuns(std::string_view bytes, std::vector<GapRun>* out);

Status LoadPerson(const Store& store, std::string_view person_key, PersonState* out);

}  // namespace safetynet
