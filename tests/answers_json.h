// The read side's answers as the API writes them (daemon/json_out.h), taken
// in process from string parameters as the HTTP layer gets them: for tests
// that hold the API's JSON against a fold, a replay or the lists' counts.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "daemon/json_out.h"
#include "projections/read/audit_queries.h"
#include "projections/read/queries.h"
#include "projections/read/rectification_queries.h"

namespace safetynet::testing_answers {

template <typename T>
Result<Json> AsJson(const Result<T>& r) {
  if (!r.ok()) return r.status();
  return Json::parse(ToJson(*r));
}

inline Result<Json> CoverageJson(const ProjectionSet& set, std::string_view region, std::string_view date) {
  auto at = ParseRegionDate(set, region, date);
  if (!at.ok()) return at.status();
  return Json::parse(ToJson(Coverage(set, *at)));
}

inline Result<Json> GapsJson(const Store& store, const ProjectionSet& set, std::string_view region,
                             std::string_view tier, std::string_view date, const Page& page) {
  auto r = ParseGapsRequest(set, region, tier, date, page);
  if (!r.ok()) return r.status();
  return AsJson(ListGaps(store, *r));
}

inline Result<Json> FindingsJson(const Store& store, const ProjectionSet& set, std::string_view region,
                                 std::string_view check, std::string_view status, const Page& page) {
  auto r = ParseFindingsRequest(region, check, status, page);
  if (!r.ok()) return r.status();
  return AsJson(ListFindings(store, set, *r));
}

inline Result<Json> RectificationsJson(const Store& store, const ProjectionSet& set, std::string_view region,
                                       std::string_view status, std::string_view late, std::string_view date,
                                       const Page& page) {
  auto r = ParseItemsRequest(set, region, status, late, date, page);
  if (!r.ok()) return r.status();
  return AsJson(ListRectifications(store, set, *r));
}

inline Result<Json> ClaimJson(const Store& store, std::string_view claim_id) {
  return AsJson(ClaimOf(store, claim_id));
}

}  // namespace safetynet::testing_answers
