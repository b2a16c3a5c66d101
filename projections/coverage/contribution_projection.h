// ContributionProjection: C2, the contribution subsidy (资助参保, Heilongjiang
// 二(一)2). For each person and year, the latest ContributionPaid in ledger
// order is wrong when the person holds EXTREME_POOR_SUPPORTED on its
// occurred_on and the subsidy is not the whole personal contribution, or holds
// REGISTERED_POOR (and not the former) and got no subsidy. Subject:
// person/year. Re-evaluated when the person's identities change.
// Column family `contributions`: person[32] || year u32 -> occurred_on,
// personal_due, subsidy, seq (svarints/varint), and the region under which
// the monthly report counts the subsidy (`subsidies`: persons and amount per
// region prefix and month of the payment, counted when the subsidy is above 0
// and the person has a region, under the person's current one).
// Thread-safety: see projection.h.
#pragma once

#include "projections/core/prefix_deltas.h"
#include "projections/core/projection.h"
#include "projections/findings/findings.h"

namespace safetynet {

class ContributionProjection final : public Projection {
 public:
  ContributionProjection(Findings* findings, PrefixDeltas<2>* subsidies) : findings_(findings), subsidies_(subsidies) {}
  void Apply(const AppliedEvent& ev, Txn& txn) override;
  void Reevaluate(Txn& txn, Check check, std::string_view subject) override;

 private:
  // C2 for the person-year at `key` (person[32] || year), and where its subsidy counts.
  void Evaluate(Txn& txn, std::string_view key, int32_t year, std::string_view value);
  Findings* findings_;
  PrefixDeltas<2>* subsidies_;
};

}  // namespace safetynet
