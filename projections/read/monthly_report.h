// The monthly dispatch report (调度报表) for a region prefix and a month.
// Definitions (docs/reports.md has them in full):
//  - population and covered per category: coverage on the month's last day;
//  - claims counted: live claims (the latest settlement, not reversed) whose
//    discharge date is in the month, whose claim region starts with the
//    prefix, and whose person is poor on the discharge date;
//  - costs and payments: sums over those claims, net payments per tier;
//  - ratios in bp, floor, null when the denominator is 0;
//  - beside the month, the year to date (January to the month) of every
//    figure that adds up over months;
//  - one row per region one level below (a province's cities, a city's
//    counties) in "subregions", shaped as the region's own.
// Every figure comes from what the projections keep per region prefix and
// month (coverage_index.h, claim_months.h, rectification_counts.h, the
// subsidies of contribution_projection.h): a few lookups, whatever the size
// of the province. Sums are plain int64 additions.
// Thread-safety: safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "projections/core/projection_set.h"
#include "projections/read/queries.h"
#include "projections/read/report_table.h"

namespace safetynet {

Result<Json> MonthlyReportJson(const ProjectionSet& set, std::string_view region, std::string_view month);
// The report as it is filed: a title row, Chinese headers, the region's
// total then each region below it, amounts in yuan, ratios in percent.
ReportTable MonthlyReportTable(const Json& report);

}  // namespace safetynet
