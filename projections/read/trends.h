// The trend of a region over months, for the dashboard's charts: on each
// month's last day (the ledger's date for the month it is in), coverage per
// tier, the findings open per check and the rectification items per status
// and late. GET /v1/trends?region=&from=YYYYMM&to=YYYYMM. `to` defaults to the ledger's month, `from` to eleven months
// before it; at most kMaxTrendMonths months. Every figure is a lookup in the projections' per-prefix counts
// (coverage_index.h, finding_counts.h, rectification_counts.h): the cost grows with the months, not the province.
// Thread-safety: safe from any thread.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "projections/core/projection_set.h"
#include "projections/read/queries.h"
#include "projections/read/rectification_queries.h"

namespace safetynet {

inline constexpr int kMaxTrendMonths = 120;

struct TrendMonth {
  int32_t month = 0;
  int32_t date = 0;
  int64_t population = 0;
  Named<TierCoverage> tiers;
  Named<int64_t> findings_open;
  ItemCounts items;
  template <typename V>
  void Describe(V& v) const {
    v("month", month, "YYYYMM.");
    v("date", date, "The day its figures are read on: its last, or the ledger's date in the running month.");
    v("population", population, "As /v1/coverage on that day.");
    v("tiers", tiers, "As /v1/coverage on that day.");
    v("findings_open", findings_open, "Per check, open at the month's end.");
    v("items", items, "Rectification items per status, and late, on that day.");
  }
};
struct Trend {
  RegionCode region;
  std::optional<int32_t> from, to;  // null on an empty ledger
  std::vector<TrendMonth> months;
  template <typename V>
  void Describe(V& v) const {
    v("region", region, "Region prefix.");
    v("from", from, "First month YYYYMM; null on an empty ledger.");
    v("to", to, "Last month YYYYMM.");
    v("months", months, "From from to to.");
  }
};
Result<Trend> TrendOf(const ProjectionSet& set, std::string_view region, std::string_view from, std::string_view to);

}  // namespace safetynet
