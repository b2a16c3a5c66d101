#include "projections/read/rectification_queries.h"

#include "events/crypto.h"
#include "events/date.h"
#include "projections/rectification/rectification_projection.h"

namespace safetynet {
namespace {

constexpr size_t kRegionLen = 6;

Json ItemJson(std::string_view item_id, const RectificationItem& item, ItemStatus status, bool late) {
  Json j;
  j["item_id"] = item_id;
  j["category"] = item.category;
  j["subject"] = item.subject;
  j["region"] = item.region;
  j["status"] = ItemStatusName(status);
  j["late"] = late;
  j["deadline"] = item.deadline;
  j["responsible_unit"] = item.responsible_unit;
  j["opened_on"] = item.opened_on;
  return j;
}

Status ParseStatus(std::string_view s, ItemStatus* out) {
  for (ItemStatus st : {ItemStatus::kOpen, ItemStatus::kOverdue, ItemStatus::kRectified, ItemStatus::kClosed}) {
    if (s == ItemStatusName(st)) {
      *out = st;
      return Status::Ok();
    }
  }
  return Status::Invalid("status must be open, overdue, rectified or closed");
}

// Calls fn(key, item_id, item) for the items whose region starts with
// `region`, in index order (region, then item_id), from the first key after
// `after` (empty: from the start), while fn returns true.
template <typename Fn>
Status ForEachItem(const Store& store, std::string_view region, std::string_view after, Fn fn) {
  auto it = store.NewIterator(Cf::kRectificationsByRegion);
  it->Seek(std::max(region, after));
  if (!after.empty() && it->Valid() && it->key() == after) it->Next();
  for (; it->Valid() && it->key().starts_with(region); it->Next()) {
    const std::string_view key = it->key();
    if (key.size() <= kRegionLen) continue;
    const std::string_view item_id = key.substr(kRegionLen);
    RectificationItem item;
    Status st = LoadRectificationItem(store, item_id, &item);
    if (!st.ok()) return st;
    if (!fn(key, item_id, item)) break;
  }
  return it->status();
}

}  // namespace

Result<Json> RectificationsJson(const Store& store, const ProjectionSet& set, std::string_view region_s,
                                std::string_view status_s, std::string_view late_s, std::string_view date_s,
                                const Page& page) {
  std::string region;
  Status st = ParseRegion(region_s, &region);
  if (!st.ok()) return st;
  int32_t date = 0;
  st = ParseDate(date_s, set.ledger_date(), &date);
  if (!st.ok()) return st;
  ItemStatus wanted = ItemStatus::kNone;
  if (!status_s.empty()) {
    st = ParseStatus(status_s, &wanted);
    if (!st.ok()) return st;
  }
  std::optional<bool> late_filter;
  if (late_s == "true" || late_s == "false") {
    late_filter = late_s == "true";
  } else if (!late_s.empty()) {
    return Status::Invalid("late must be true or false");
  }
  // Counts from the index; the page walks the region's items from the cursor
  // and stops once it is full (a status or late filter skips the items that
  // do not match on the way).
  Json counts = ItemCountsJson(set, region, date);
  PageCollector items(page);
  st = ForEachItem(store, region, page.cursor,
                   [&](std::string_view key, std::string_view item_id, const RectificationItem& item) {
                     const ItemStatus s = item.StatusOn(date);
                     if (s == ItemStatus::kNone) return true;
                     const bool is_late = item.LateOn(date);
                     if (wanted != ItemStatus::kNone && s != wanted) return true;
                     if (late_filter && *late_filter != is_late) return true;
                     items.Offer(key, [&] { return ItemJson(item_id, item, s, is_late); });
                     return !items.full();
                   });
  if (!st.ok()) return st;
  Json out;
  out["region"] = region;
  out["date"] = date;
  out["items"] = items.TakeItems();
  out["counts"] = std::move(counts);
  out["next"] = items.Next();
  return out;
}

Result<Json> RectificationJson(const Store& store, const ProjectionSet& set, std::string_view item_id,
                               std::string_view date_s) {
  int32_t date = 0;
  Status st = ParseDate(date_s, set.ledger_date(), &date);
  if (!st.ok()) return st;
  RectificationItem item;
  st = LoadRectificationItem(store, item_id, &item);
  if (st.IsNotFound() || (st.ok() && !item.is_item())) {
    return Status::NotFound("no rectification item " + std::string(item_id));
  }
  if (!st.ok()) return st;
  Json out = ItemJson(item_id, item, item.StatusOn(date), item.LateOn(date));
  out["date"] = date;
  out["description"] = item.description;
  out["automatic"] = item.automatic;
  Json history = Json::array();
  for (const RectificationStep& s : item.steps) {
    Json h;
    h["seq"] = s.seq;
    h["occurred_on"] = s.occurred_on;
    h["step"] = StepName(s.kind);
    h["text"] = s.text;
    history.push_back(std::move(h));
  }
  out["history"] = std::move(history);
  return out;
}

Json ItemCountsJson(const ProjectionSet& set, std::string_view region, int32_t date) {
  const RectificationCounts::OnDate n = set.rectification_counts().Query(region, date);
  Json counts = Json::object();
  for (ItemStatus s : {ItemStatus::kOpen, ItemStatus::kOverdue, ItemStatus::kRectified, ItemStatus::kClosed}) {
    counts[std::string(ItemStatusName(s))] = n.of(s);
  }
  counts["late"] = n.late;
  return counts;
}

RectificationMonth RectificationsInMonth(const ProjectionSet& set, std::string_view region, int32_t yyyymm) {
  const int32_t last_day = LastDayOfMonth(yyyymm);
  const RectificationCounts::InMonth m = set.rectification_counts().Month(region, yyyymm);
  return RectificationMonth{m.opened, m.rectified, m.closed, set.rectification_counts().Query(region, last_day).late};
}

}  // namespace safetynet
