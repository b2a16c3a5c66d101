// Read side of the rectification items: the list with counts per status on a
// date, one item with its whole history, and the month's figures for the
// monthly report.
// Thread-safety: safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "events/store.h"
#include "projections/read/queries.h"

namespace safetynet {

// GET /v1/rectifications?region=&status=&late=&date=: items existing on
// `date` (default: the ledger's date) whose region starts with `region`,
// with their status and lateness (C12) on that date; counts per status and
// of late items over the region, before the status and late filters and
// paging (from the counts index: rectification_counts.h).
Result<Json> RectificationsJson(const Store& store, const ProjectionSet& set, std::string_view region,
                                std::string_view status, std::string_view late, std::string_view date,
                                const Page& page);

// The items of a region prefix per status on `date`, and those late (C12),
// from the counts index: {"open","overdue","rectified","closed","late"}.
Json ItemCountsJson(const ProjectionSet& set, std::string_view region, int32_t date);

// GET /v1/rectifications/{item_id}?date=: the item, its status on `date`
// and its whole history; NotFound for an unknown item.
Result<Json> RectificationJson(const Store& store, const ProjectionSet& set, std::string_view item_id,
                               std::string_view date);

// The monthly report's figures for the items of a region prefix (definitions
// in docs/reports.md): items first opened in the month; items with a
// rectification or clearing step in the month; items verified in the month;
// items late (C12) on the month's last day.
struct RectificationMonth {
  int64_t opened = 0;
  int64_t rectified = 0;
  int64_t closed = 0;
  int64_t late = 0;
};
RectificationMonth RectificationsInMonth(const ProjectionSet& set, std::string_view region_prefix, int32_t yyyymm);

}  // namespace safetynet
