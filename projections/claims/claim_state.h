// ClaimState: the claim ledger's record of one claim_id (column family
// `claims`), as ../shared/spec/domain.md defines a claim: the latest
// ClaimSettled in ledger order gives its cost parts; a ClaimReversed after it
// makes it not live (a later ClaimSettled brings it back); the net payment of
// each tier is the sum of ReimbursementPaid minus ReimbursementReversed for
// that claim and tier, whatever the order of arrival — payments that arrive
// before their claim are kept here and count once it is settled.
// Thread-safety: plain value.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "events/event_generated.h"
#include "events/money.h"
#include "projections/coverage/person_state.h"

namespace safetynet {

struct ClaimState {
  bool settled = false;            // some ClaimSettled has been seen
  bool live = false;               // settled, and not reversed since the latest settlement
  uint64_t first_settled_seq = 0;  // orders claims of one discharge date (check C6)
  uint64_t settled_seq = 0;        // the latest ClaimSettled
  int32_t settled_on = 0;          // its occurred_on
  std::string person;              // pseudonym (hex) of the latest settlement; may come from a payment first
  std::string region;              // region of the latest ClaimSettled (before any: of the latest event)
  fb::Visit visit = fb::Visit::INPATIENT;
  std::string hospital_id;
  bool county_internal = false;
  int32_t admitted_on = 0;
  int32_t discharged_on = 0;
  int64_t total = 0;
  int64_t out_of_catalog = 0;
  int64_t in_policy = 0;
  std::string diagnosis;
  std::array<int64_t, kTierCount> net{};  // net payment per tier, fen
  bool one_stop = false;                  // some payment was settled one-stop (一站式)
  // Smallest deductible_applied among CRITICAL_ILLNESS payments (check C9).
  int64_t min_critical_deductible = std::numeric_limits<int64_t>::max();
  // What this claim adds to its hospital and month for C7 (empty key: nothing).
  std::string counted_hospital_month;
  int64_t counted_out_of_catalog = 0;
  int64_t counted_total = 0;
  std::string counted_region;
  // Counted in the monthly report's sums (claim_months.h): live, and the
  // person poor on the discharge date, when the claim was last evaluated.
  bool report_counted = false;
  // The settlement windows (domain.md) run from the claim's dates, but never
  // from before the ledger saw the claim: an event delivered after the
  // ledger's date passed its own date gets its whole window too.
  int32_t settled_seen_on = 0;  // the ledger's date after the ClaimSettled that last made the claim live
  int32_t last_seen_on = 0;     // the ledger's date after the claim_id's latest event (C10), >= every occurred_on
  // The claim's settlement window (C6, C8, C9) runs from the later of its
  // discharge and its arrival.
  int32_t WindowFrom() const { return std::max(discharged_on, settled_seen_on); }

  int64_t NetTotal() const;
  int64_t BasicPaid() const;  // both basic schemes
  int64_t Net(fb::Tier t) const { return net[static_cast<size_t>(t)]; }
  int64_t Personal() const { return SubFen(total, NetTotal()); }

  std::string Encode() const;
  static bool Decode(std::string_view bytes, ClaimState* out);
};

}  // namespace safetynet
