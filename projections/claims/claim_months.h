// ClaimMonths: the monthly report's sums over the claims it counts (live, of
// a person poor on the discharge date: docs/reports.md), per claim region
// prefix and discharge month, kept as claims and persons change
// (prefix_deltas.h, column family `claim_months`, dated YYYYMM and not
// cumulative), so that the report adds a few numbers instead of walking the
// month's claims. Inpatient persons are distinct persons, counted once under
// each prefix that has any of their counted inpatient claims of the month:
// column family `inpatient_months` (person[32] ‖ month -> the claim regions
// of those claims with their number) keeps what that needs.
// Sums are plain int64 additions (a province's month is far from overflow).
// Thread-safety: one writer (ClaimProjection, on the ingest thread) and any
// number of concurrent Month callers.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "projections/claims/claim_state.h"
#include "projections/core/prefix_deltas.h"

namespace safetynet {

class ClaimMonths {
 public:
  struct Sums {
    int64_t claims = 0, inpatient_person_times = 0, inpatient_persons = 0;
    int64_t total = 0, in_policy = 0, out_of_catalog = 0;
    int64_t county_total = 0, county_out_of_catalog = 0, outside_total = 0, outside_out_of_catalog = 0;
    int64_t one_stop = 0;
    std::array<int64_t, kTierCount> paid{};  // net, per tier
  };

  // The index's state, driven by ProjectionSet.
  StagedIndex& staged() { return sums_; }

  // A claim counted as `before` (null: not counted) is now counted as
  // `after` (null: not counted); `txn` holds the inpatient months.
  void Replace(Txn& txn, const ClaimState* before, const ClaimState* after);

  // The sums for a claim region prefix of 0, 2, 4 or 6 digits and a month.
  Sums Month(std::string_view prefix, int32_t yyyymm) const;

 private:
  static constexpr size_t kPaid = 11;  // the first counter of the paid amounts
  void Add(const ClaimState& c, int64_t sign);
  // The person's counted inpatient claims of the month in `region` change by `delta`.
  void AddInpatient(Txn& txn, const ClaimState& c, int64_t delta);

  PrefixDeltas<kPaid + kTierCount> sums_{Cf::kClaimMonths};
};

}  // namespace safetynet
