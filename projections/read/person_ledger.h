// GET /v1/persons/{person}/ledger: everything the ledger knows of one
// person: identities, enrollments, reasons, coverage on the ledger's date,
// contributions, claims (from the claim ledger), findings, and the person's
// events in ledger order.
// Thread-safety: safe from any thread given a thread-private EventCodec.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/codec.h"
#include "events/store.h"
#include "projections/core/projection_set.h"
#include "projections/read/audit_queries.h"
#include "projections/read/described.h"
#include "projections/read/queries.h"

namespace safetynet {

struct IdentitySpan {
  std::string identity;
  int32_t valid_from = 0;
  std::optional<int32_t> valid_to;
  bool emptied_by_revocation = false;
  EventSeq seq;
  template <typename V>
  void Describe(V& v) const {
    v("identity", identity, "");
    v("valid_from", valid_from, "");
    v("valid_to", valid_to, "null: open-ended.");
    v("emptied_by_revocation", emptied_by_revocation, "A revocation left the interval empty.");
    v("seq", seq, "The granting event.");
  }
};
struct EnrollmentChange {
  std::string tier;
  bool enrolled = false;
  int32_t effective_on = 0;
  EventSeq seq;
  template <typename V>
  void Describe(V& v) const {
    v("tier", tier, "");
    v("enrolled", enrolled, "false: withdrawn.");
    v("effective_on", effective_on, "");
    v("seq", seq, "");
  }
};
struct ReasonReport {
  std::string tier;
  std::string reason;
  int32_t occurred_on = 0;
  EventSeq seq;
  template <typename V>
  void Describe(V& v) const {
    v("tier", tier, "");
    v("reason", reason, "");
    v("occurred_on", occurred_on, "");
    v("seq", seq, "");
  }
};
struct PersonCoverage {
  int32_t date = 0;
  std::string basic, critical_illness, medical_assistance;
  template <typename V>
  void Describe(V& v) const {
    v("date", date, "The ledger's date.");
    v("basic", basic, "covered, excluded, gap or not_poor.");
    v("critical_illness", critical_illness, "");
    v("medical_assistance", medical_assistance, "");
  }
};
struct Contribution {
  int32_t year = 0;
  int64_t personal_due = 0;
  int64_t subsidy = 0;
  std::string subsidy_source;
  EventSeq seq;
  template <typename V>
  void Describe(V& v) const {
    v("year", year, "");
    v("personal_due", personal_due, "Fen.");
    v("subsidy", subsidy, "Fen.");
    v("subsidy_source", subsidy_source, "");
    v("seq", seq, "");
  }
};
struct PersonLedger {
  std::string person;
  std::optional<RegionCode> region;
  std::vector<IdentitySpan> identities;
  std::vector<EnrollmentChange> enrollments;
  std::vector<ReasonReport> reasons;
  PersonCoverage coverage;
  std::vector<Contribution> contributions;
  std::vector<ClaimFacts> claims;
  std::vector<Finding> findings;
  std::vector<LoggedEvent> events;
  bool events_truncated = false;
  template <typename V>
  void Describe(V& v) const {
    v("person", person, "Pseudonym (64 hex characters).");
    v("region", region, "The person's county; null before any grant.");
    v("identities", identities, "Poverty identity intervals, as granted and revoked.");
    v("enrollments", enrollments, "Enrollment changes per tier.");
    v("reasons", reasons, "Reasons reported for not enrolling.");
    v("coverage", coverage, "Status per category on the ledger's date.");
    v("contributions", contributions, "Contributions paid, with their subsidies.");
    v("claims", claims, "The person's claims as the claim ledger holds them, by claim_id.");
    v("findings", findings, "Findings about the person (C1, C2) and the person's claims (C6, C8, C9, C10).");
    v("events", events, "The person's events in ledger order.");
    v("events_truncated", events_truncated, "More events than a view lists (10,000).");
  }
};

// NotFound when the ledger has no event of the person.
Result<PersonLedger> PersonLedgerOf(const Store& store, const ProjectionSet& set, EventCodec& codec,
                                    std::string_view person_key);

}  // namespace safetynet
