// Read side of the audit ledgers: findings, a claim with its net payments and
// findings, and the findings list with counts per check.
// Thread-safety: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/store.h"
#include "projections/core/projection_set.h"
#include "projections/findings/findings.h"
#include "projections/read/queries.h"

namespace safetynet {

// A finding as the API lists it.
struct Finding {
  std::string check;
  std::string subject;
  RegionCode region;
  std::string status;
  int64_t measured = 0;
  int64_t threshold = 0;
  EventSeq opened_seq;
  int32_t opened_on = 0;
  std::optional<EventSeq> cleared_seq;
  std::optional<int32_t> cleared_on;
  template <typename V>
  void Describe(V& v) const {
    v("check", check, "C1 to C11.");
    v("subject", subject, "What it is about: a person/category, person/year, policy, claim, hospital/month, ...");
    v("region", region, "The county it is counted under.");
    v("status", status, "open or cleared.");
    v("measured", measured, "The measured value (fen, basis points or days, by check).");
    v("threshold", threshold, "The threshold it is held against.");
    v("opened_seq", opened_seq, "The event that opened it last.");
    v("opened_on", opened_on, "");
    v("cleared_seq", cleared_seq, "The event that cleared it; null while open.");
    v("cleared_on", cleared_on, "");
  }
};
Finding FindingOf(Check check, std::string_view subject, const FindingState& f);

// What the claim ledger holds of a claim (claim_state.h).
struct ClaimFacts {
  std::string claim_id;
  std::optional<std::string> person;
  bool settled = false;
  bool live = false;
  std::optional<EventSeq> settled_seq;
  std::optional<RegionCode> region;
  std::optional<std::string> visit;
  std::string hospital_id;
  bool county_internal = false;
  std::optional<int32_t> admitted_on;
  std::optional<int32_t> discharged_on;
  int64_t total = 0;
  int64_t in_policy = 0;
  int64_t out_of_catalog = 0;
  Named<int64_t> payments;
  int64_t personal = 0;
  bool one_stop = false;
  template <typename V>
  void Describe(V& v) const {
    v("claim_id", claim_id, "");
    v("person", person, "Pseudonym of the person; null when no event named one.");
    v("settled", settled, "Some ClaimSettled was seen.");
    v("live", live, "Settled and not reversed since.");
    v("settled_seq", settled_seq, "The latest ClaimSettled.");
    v("region", region, "Region of the latest settlement (before any: of the latest event).");
    v("visit", visit, "INPATIENT, OUTPATIENT_CHRONIC, ...; null before a settlement.");
    v("hospital_id", hospital_id, "");
    v("county_internal", county_internal, "");
    v("admitted_on", admitted_on, "");
    v("discharged_on", discharged_on, "");
    v("total", total, "Fen.");
    v("in_policy", in_policy, "Fen.");
    v("out_of_catalog", out_of_catalog, "Fen.");
    v("payments", payments, "Net payment per tier, fen.");
    v("personal", personal, "The person's share: total less every net payment, fen.");
    v("one_stop", one_stop, "Some payment was settled one-stop.");
  }
};
Status LoadClaimFacts(const Store& store, std::string_view claim_id, ClaimFacts* out);

// GET /v1/claims/{claim_id}
struct ClaimAnswer {
  ClaimFacts facts;
  std::vector<Finding> findings;
  template <typename V>
  void Describe(V& v) const {
    facts.Describe(v);
    v("findings", findings, "The claim's findings (C6, C8, C9, C10).");
  }
};
// NotFound for an unknown claim_id.
Result<ClaimAnswer> ClaimOf(const Store& store, std::string_view claim_id);

// One opening or clearing, as published on the outbound topic and listed by
// /v1/findings/changes. `key` is its key in `finding_changes`.
Json FindingChangeJson(std::string_view key, const FindingChange& c);

// GET /v1/findings/changes?cursor=&limit=: the openings and clearings in ledger order.
Result<Json> FindingChangesJson(const Store& store, const Page& page);

// GET /v1/findings?region=&check=&status=open|cleared: a page of the
// findings whose region starts with `region` (open ones first, then by
// check, region and subject), and the counts per check over the region in
// that status (all statuses when none is asked), before the check filter.
// Reads a few key ranges: the cost does not grow with the province.
struct FindingsRequest {
  std::string region;
  std::optional<Check> check;
  std::optional<bool> open;  // none: both
  Page page;
};
Result<FindingsRequest> ParseFindingsRequest(std::string_view region, std::string_view check, std::string_view status,
                                             const Page& page);
struct FindingsPage {
  std::vector<Finding> findings;
  Named<int64_t> counts;
  std::optional<std::string> next;
  template <typename V>
  void Describe(V& v) const {
    v("findings", findings, "The page.");
    v("counts", counts, "Per check C1 to C12, over the region in the status asked for.");
    v("next", next, "Cursor of the next page; null on the last.");
  }
};
Result<FindingsPage> ListFindings(const Store& store, const ProjectionSet& set, const FindingsRequest& request);

}  // namespace safetynet
