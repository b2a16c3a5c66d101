// ContributionProjection: C2, the contribution subsidy (资助参保, Heilongjiang
// 二(一)2). For each person and year, the latest ContributionPaid in ledger
// order is wrong when the person holds EXTREME_POOR_SUPPORTED on its
// occurred_on and the subsidy is not the whole personal contribution, or holds
// REGISTERED_POOR (and not the former) and got no subsidy. Subject:
// person/year. Re-evaluated when the person's identities change.
// Column family `contributions`: person[32] || year u32 -> occurred_on,
// personal_due, subsidy, seq (svarints/varint).
// Thread-safety: see projection.h.
#pragma once

#include "projections/core/projection.h"
#include "projections/findings/findings.h"

namespace safetynet {

class ContributionProjection final : public Projection {
 public:
  explicit ContributionProjection(Findings* findings) : findings_(findings) {}
  void Apply(const AppliedEvent& ev, Txn& txn) override;
  void Reevaluate(Txn& txn, Check check, std::string_view subject) override;

 private:
  void Evaluate(Txn& txn, std::string_view person_key, int32_t year, std::string_view value);
  Findings* findings_;
};

}  // namespace safetynet
