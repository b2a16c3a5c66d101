// The trend of a region over months, for the dashboard's charts: on each
// month's last day (the ledger's date for the month it is in), coverage per
// tier, the findings open per check and the rectification items per status
// and late. GET /v1/trends?region=&from=YYYYMM&to=YYYYMM:
//   {"region","from","to","months":[{"month","date","population",
//     "tiers":{<as /v1/coverage>},"findings_open":{"C1":n,...},
//     "items":{"open","overdue","rectified","closed","late"}}]}
// `to` defaults to the ledger's month, `from` to eleven months before it; at
// most kMaxTrendMonths months. Every figure is a lookup in the projections'
// per-prefix counts (coverage_index.h, finding_counts.h,
// rectification_counts.h): the cost grows with the months, not the province.
// Thread-safety: safe from any thread.
#pragma once

#include <string_view>

#include "projections/core/projection_set.h"
#include "projections/read/queries.h"

namespace safetynet {

inline constexpr int kMaxTrendMonths = 120;

Result<Json> TrendJson(const ProjectionSet& set, std::string_view region, std::string_view from, std::string_view to);

}  // namespace safetynet
