// Read side of the rectification items: the list with counts per status on a
// date, one item with its whole history, and the month's figures for the
// monthly report.
// Thread-safety: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/store.h"
#include "projections/read/queries.h"
#include "projections/rectification/rectification_item.h"

namespace safetynet {

// The items of a region prefix per status on a date, and those late (C12),
// from the counts index.
struct ItemCounts {
  int64_t open = 0, overdue = 0, rectified = 0, closed = 0, late = 0;
  template <typename V>
  void Describe(V& v) const {
    v("open", open, "");
    v("overdue", overdue, "Open past the deadline.");
    v("rectified", rectified, "Rectified, not yet verified.");
    v("closed", closed, "Verified (销号).");
    v("late", late, "Late on the date (C12).");
  }
};
ItemCounts ItemCountsOf(const ProjectionSet& set, std::string_view region, int32_t date);

// A rectification item as the list shows it.
struct Item {
  std::string item_id;
  std::string category;
  std::string subject;
  RegionCode region;
  std::string status;
  bool late = false;
  int32_t deadline = 0;
  std::string responsible_unit;
  int32_t opened_on = 0;
  template <typename V>
  void Describe(V& v) const {
    v("item_id", item_id, "auto:CHECK:SUBJECT for automatic items.");
    v("category", category, "The check (C6) or the inspectors' category.");
    v("subject", subject, "");
    v("region", region, "The county.");
    v("status", status, "open, overdue, rectified or closed on the date.");
    v("late", late, "Late on the date (C12).");
    v("deadline", deadline, "");
    v("responsible_unit", responsible_unit, "");
    v("opened_on", opened_on, "The first opening.");
  }
};

// GET /v1/rectifications?region=&status=&late=&date=: items existing on
// `date` (default: the ledger's date) whose region starts with `region`,
// with their status and lateness (C12) on that date; counts per status and
// of late items over the region, before the status and late filters and
// paging (from the counts index: rectification_counts.h).
struct ItemsRequest {
  RegionDate at;
  ItemStatus status = ItemStatus::kNone;  // kNone: any
  std::optional<bool> late;
  Page page;
};
Result<ItemsRequest> ParseItemsRequest(const ProjectionSet& set, std::string_view region, std::string_view status,
                                       std::string_view late, std::string_view date, const Page& page);
struct ItemsPage {
  RegionCode region;
  int32_t date = 0;
  std::vector<Item> items;
  ItemCounts counts;
  std::optional<std::string> next;
  template <typename V>
  void Describe(V& v) const {
    v("region", region, "Region prefix.");
    v("date", date, "Business date YYYYMMDD.");
    v("items", items, "The page, by region and item_id.");
    v("counts", counts, "Over the region on the date, before the filters.");
    v("next", next, "Cursor of the next page; null on the last.");
  }
};
Result<ItemsPage> ListRectifications(const Store& store, const ProjectionSet& set, const ItemsRequest& request);

// GET /v1/rectifications/{item_id}?date=: the item, its status on `date`
// and its whole history; NotFound for an unknown item.
struct ItemStep {
  EventSeq seq;
  int32_t occurred_on = 0;
  std::string step;
  std::string text;
  template <typename V>
  void Describe(V& v) const {
    v("seq", seq, "");
    v("occurred_on", occurred_on, "");
    v("step", step, "opened, finding_opened, rectified, finding_cleared, verified, reopened, ...");
    v("text", text, "Note, evidence, verifier or reason.");
  }
};
struct ItemDetail {
  Item item;
  int32_t date = 0;
  std::string description;
  bool automatic = false;
  std::vector<ItemStep> history;
  template <typename V>
  void Describe(V& v) const {
    item.Describe(v);
    v("date", date, "Business date YYYYMMDD the status is on.");
    v("description", description, "");
    v("automatic", automatic, "Opened by a finding.");
    v("history", history, "Every step in ledger order.");
  }
};
Result<ItemDetail> RectificationOf(const Store& store, const ProjectionSet& set, std::string_view item_id,
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
