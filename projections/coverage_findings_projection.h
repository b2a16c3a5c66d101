// CoverageFindingsProjection: C1, a poor person not covered in a category
// (basic, critical illness, medical assistance) on the ledger's current date
// — the greatest occurred_on seen — once the gap is confirmed: it has been a
// gap on the ledger's date continuously while that date advanced by the
// settlement window. Roster and enrollment facts travel on two topics, and
// enrollments are often recorded after their effective date, so a gap that
// lasts only until the other topic's facts arrive opens nothing, in any
// delivery order within the window (docs/decisions.md). Subject:
// person/category.
//
// Column family `gaps_pending`: person[32] || category u8 -> the ledger date
// u32 since which an unconfirmed gap has been seen; its confirmation is due
// in `settlement_due` (settlement_due.h). Re-evaluated for a person when one
// of their roster or enrollment events arrives, when a confirmation falls
// due, and, as the ledger's date advances, for every person whose gap starts
// or ends on a day it passes (`gap_edges`, kept by PersonProjection).
// Thread-safety: see projection.h.
#pragma once

#include "projections/findings.h"
#include "projections/key_filter.h"
#include "projections/person_state.h"
#include "projections/projection.h"

namespace safetynet {

class CoverageFindingsProjection final : public Projection {
 public:
  // `ledger_date` is the ledger's date after the event being applied.
  CoverageFindingsProjection(const int32_t* ledger_date, int32_t window_days, Findings* findings)
      : ledger_date_(ledger_date), window_days_(window_days), findings_(findings) {}
  // Learns which gaps are pending; `date` is the ledger date the stored state reflects.
  Status Load(const Store& store, int32_t date);
  // After an abandoned batch: the ledger date the stored state reflects.
  void Init(int32_t date) { evaluated_date_ = date; }
  void Apply(const AppliedEvent& ev, Txn& txn) override;

 private:
  // C1 for the person's categories whose bit is set in `categories`.
  void Evaluate(Txn& txn, std::string_view person_key, uint8_t categories);
  // For a gap not yet a finding: whether it is confirmed now (seen since at
  // least the window ago); starts watching it when it is new.
  bool Confirm(Txn& txn, const std::string& pending_key);
  // The gap ended: it is no longer watched.
  void Forget(Txn& txn, const std::string& pending_key);

  const int32_t* ledger_date_;
  int32_t window_days_;
  Findings* findings_;
  int32_t evaluated_date_ = 0;
  KeyFilter pending_;  // keys of `gaps_pending` (and possibly a few more)
};

}  // namespace safetynet
