// Read side of the audit ledgers: a claim with its net payments and findings,
// and the findings list with counts per check.
// Thread-safety: safe from any thread.
#pragma once

#include <string_view>

#include "events/store.h"
#include "projections/core/projection_set.h"
#include "projections/findings/findings.h"
#include "projections/read/queries.h"

namespace safetynet {

// GET /v1/claims/{claim_id}; NotFound for an unknown claim_id.
Result<Json> ClaimJson(const Store& store, std::string_view claim_id);

// A finding as the API lists it: {"check","subject","region","status",
// "measured","threshold","opened_seq","opened_on","cleared_seq","cleared_on"}.
Json FindingJson(Check check, std::string_view subject, const FindingState& f);

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
Result<Json> FindingsJson(const Store& store, const ProjectionSet& set, std::string_view region, std::string_view check,
                          std::string_view status, const Page& page);

}  // namespace safetynet
