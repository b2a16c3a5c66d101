// CoverageFindingsProjection: C1, a poor person not covered in a category
// (basic, critical illness, medical assistance) on the ledger's current date
// — the greatest occurred_on seen. Like every finding it is judged on
// complete days, and its opening waits the settlement window besides
// (findings.h): roster and enrollment travel on two topics, and enrollments
// are often recorded after their effective date, so a gap must last before
// it is a finding (docs/decisions.md). Subject: person/category.
// Re-evaluated for a person when one of their roster or enrollment events
// arrives, when a pending change falls due, and, as the ledger's date
// advances, for every person whose gap starts or ends on a day it passes
// (column family `gap_edges`, kept by PersonProjection).
// Thread-safety: see projection.h.
#pragma once

#include <optional>

#include "projections/core/projection.h"
#include "projections/coverage/person_state.h"
#include "projections/findings/findings.h"

namespace safetynet {

class CoverageFindingsProjection final : public Projection {
 public:
  // `ledger_date` is the ledger's date after the event being applied.
  CoverageFindingsProjection(const int32_t* ledger_date, Findings* findings)
      : ledger_date_(ledger_date), findings_(findings) {}
  void PassDate(Txn& txn, int32_t previous) override;
  void Reevaluate(Txn& txn, Check check, std::string_view subject) override;
  void Apply(const AppliedEvent& ev, Txn& txn) override;

 private:
  // C1 for the person's categories whose bit is set in `categories`.
  void Evaluate(Txn& txn, std::string_view person_key, uint8_t categories);

  const int32_t* ledger_date_;
  Findings* findings_;
  std::optional<int32_t> passed_;  // the previous date, when the event being applied moved the ledger's date
};

}  // namespace safetynet
