// ClaimProjection: the claim ledger (ClaimState per claim_id, in column
// family `claims`, and the person -> claims index `person_claims`) and the
// claim checks of ../shared/spec/domain.md that depend on one claim, its
// person and the policy in force:
//   C6  medical assistance below its ratio of the in-policy self-paid cost
//       left after tiers 1 and 2, within the annual limit used up by the
//       person's earlier claims of the year (all of them re-evaluated together);
//   C8  over-protection: net payments above the cost, or above the ceiling;
//   C9  the poor-person critical-illness deductible used outside a valid
//       identity interval;
//   C10 payments left on a claim_id that has no live claim;
//   C7  (aggregated per hospital and month, see hospital_month.h) the
//       out-of-catalogue share of poor patients' county-internal costs.
// A claim's checks are evaluated when one of its events arrives, again when
// its person's identities or region change, and again when a policy is
// published whose effective dates (or its replaced version's) contain the
// claim's discharge date: the policy in force may have changed. C6, C10 and
// C7 also wait for their settlement window: until the ledger's date is past
// it they do not hold, and they are evaluated again when it passes, with no
// new event for the claim (column family `settlement_due`).
// Thread-safety: see projection.h.
#pragma once

#include <string>
#include <vector>

#include "projections/claims/claim_months.h"
#include "projections/claims/claim_state.h"
#include "projections/core/projection.h"
#include "projections/core/settlement_due.h"
#include "projections/findings/findings.h"
#include "projections/policy/policy.h"

namespace safetynet {

// The claim_id of a claim or payment event; empty for other events.
std::string_view ClaimIdOf(const fb::Event& e);

class ClaimProjection final : public Projection {
 public:
  // `ledger_date` is the ledger's date after the event being applied; the
  // checks that compare payments with what is due (C6, C10) and the monthly
  // aggregate (C7) wait `window_days` after their date (domain.md,
  // "Settlement window"; docs/decisions.md for C7).
  ClaimProjection(const PolicyRegistry* policies, Findings* findings, ClaimMonths* months, const int32_t* ledger_date,
                  int32_t window_days)
      : policies_(policies),
        findings_(findings),
        months_(months),
        ledger_date_(ledger_date),
        window_days_(window_days) {}
  // Evaluates what waited for the windows the ledger's date has now passed.
  void PassDate(Txn& txn, int32_t previous) override;
  void Reevaluate(Txn& txn, Check check, std::string_view subject) override;
  void Apply(const AppliedEvent& ev, Txn& txn) override;

 private:
  // Whether the settlement window after `d0` has passed on the ledger's date.
  bool WindowPassed(int32_t d0) const;
  // Notes that `subject` (kind: claim or hospital month) must be evaluated
  // again once the window after `d0` passes, unless it has.
  void AwaitWindow(Txn& txn, int32_t d0, DueKind kind, std::string_view subject);
  // C8, C9, C10 for the claim, and its part of C7 and of the monthly
  // report's sums (which may update `claim`). `before` is the claim as it
  // was before the event being applied, when that changed it.
  void Evaluate(Txn& txn, const std::string& claim_id, ClaimState& claim, const ClaimState* before = nullptr);
  // C6-C9 for every claim discharged within the effective dates of `now` or
  // of `before` (the version it replaced), and C7 for their hospital months.
  void Reevaluate(Txn& txn, const Policy& now, const Policy* before);
  // C7 for one hospital and month after `counted` (old) was replaced in it.
  void EvaluateHospitalMonth(Txn& txn, const std::string& key);
  // C6 for the claims of the person discharged in `year` on or after
  // `from_date` (earlier ones only count towards the limit used).
  // `changed` (with its claim_id) is a claim whose entry in the person-year
  // working set (assistance_year.h) must be refreshed first, or removed when
  // it no longer belongs there.
  void EvaluateAssistance(Txn& txn, const std::string& person_hex, int32_t year, int32_t from_date = 0,
                          std::string_view changed_id = {}, const ClaimState* changed = nullptr);

  const PolicyRegistry* policies_;
  Findings* findings_;
  ClaimMonths* months_;
  // C6 for the person-year of the claim.
  void EvaluateAssistanceOf(Txn& txn, const std::string& claim_id);

  const int32_t* ledger_date_;
  int32_t window_days_;
};

Status LoadClaim(const Store& store, std::string_view claim_id, ClaimState* out);
// The person's claim_ids (column family `person_claims`: person[32] -> sorted
// list, varint n then n x bytes), read through the Txn.
std::vector<std::string> PersonClaims(const Txn& txn, std::string_view person_key);
void SetPersonClaims(Txn& txn, std::string_view person_key, const std::vector<std::string>& ids);
// Key in `claims_by_month`: discharge month u32 || claim region(6) || claim_id.
std::string ClaimMonthKey(int32_t month, std::string_view region, std::string_view claim_id);

}  // namespace safetynet
