// The quarterly policy survey (政策调查表): the policy parameters in force for
// a region and each population (every identity, and a person holding none) on
// a date, as the checks would use them (defaults where no policy applies).
// Thread-safety: safe from any thread (it loads the policies it needs).
#pragma once

#include <string_view>

#include "events/store.h"
#include "projections/core/projection_set.h"
#include "projections/read/queries.h"

namespace safetynet {

// GET /v1/reports/policy-survey?region=&date=; region 2, 4 or 6 digits
// (shorter codes mean the city or province itself: 23 -> 230000).
Result<Json> PolicySurveyJson(const Store& store, const ProjectionSet& set, std::string_view region,
                              std::string_view date);

}  // namespace safetynet
