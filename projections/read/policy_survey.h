// The quarterly policy survey (政策调查表): the policy parameters in force on
// the quarter's last day for a region and for each region one level below it
// (a province's cities, a city's counties), per population (every identity,
// and a person holding none), as the checks would use them (defaults where
// no policy applies).
// Thread-safety: safe from any thread (it loads the policies it needs).
#pragma once

#include <string_view>

#include "events/store.h"
#include "projections/core/projection_set.h"
#include "projections/read/queries.h"
#include "projections/read/report_table.h"

namespace safetynet {

// Parses a quarter "YYYYQn" (n 1..4) to its last day; empty means the quarter
// of `fallback_date`. `label` gets the quarter as "YYYYQn".
Status ParseQuarter(std::string_view s, int32_t fallback_date, int32_t* last_day, std::string* label);

// GET /v1/reports/policy-survey?region=&quarter=; region 2, 4 or 6 digits
// (shorter codes mean the city or province itself: 23 -> 230000):
// {"region","quarter","date","populations":[...],"subregions":[{"region","populations"}]}.
Result<Json> PolicySurveyJson(const Store& store, const ProjectionSet& set, std::string_view region,
                              std::string_view quarter);
// The survey as it is filed: a title row, Chinese headers, one row per
// region and population, the region's own first.
ReportTable PolicySurveyTable(const Json& survey);

}  // namespace safetynet
