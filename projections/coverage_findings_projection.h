// CoverageFindingsProjection: C1, a poor person not covered in a category
// (basic, critical illness, medical assistance) on the ledger's current date
// — the greatest occurred_on seen. Subject: person/category. Re-evaluated for
// a person when one of their roster or enrollment events arrives, and, as the
// ledger's date advances, for every person whose gap starts or ends on a day
// it passes (column family `gap_edges`, kept by PersonProjection).
// Thread-safety: see projection.h.
#pragma once

#include "projections/findings.h"
#include "projections/person_state.h"
#include "projections/projection.h"

namespace safetynet {

class CoverageFindingsProjection final : public Projection {
 public:
  // `ledger_date` is the ledger's date after the event being applied.
  CoverageFindingsProjection(const int32_t* ledger_date, Findings* findings)
      : ledger_date_(ledger_date), findings_(findings) {}
  // The ledger date the stored findings reflect (after a restart).
  void Init(int32_t date) { evaluated_date_ = date; }
  void Apply(const AppliedEvent& ev, Txn& txn) override;

 private:
  // C1 for the person's categories whose bit is set in `categories`.
  void Evaluate(Txn& txn, std::string_view person_key, uint8_t categories, uint64_t seq, int32_t occurred_on);

  const int32_t* ledger_date_;
  Findings* findings_;
  int32_t evaluated_date_ = 0;
};

}  // namespace safetynet
