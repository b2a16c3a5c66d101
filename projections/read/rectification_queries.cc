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

// Calls fn(item_id, item) for every item whose region starts with `region`,
// in index order (region, then item_id).
template <typename Fn>
Status ForEachItem(const Store& store, std::string_view region, Fn fn) {
  auto it = store.NewIterator(Cf::kRectificationsByRegion);
  for (it->Seek(region); it->Valid() && it->key().substr(0, region.size()) == region; it->Next()) {
    const std::string_view key = it->key();
    if (key.size() <= kRegionLen) continue;
    const std::string_view item_id = key.substr(kRegionLen);
    RectificationItem item;
    Status st = LoadRectificationItem(store, item_id, &item);
    if (!st.ok()) return st;
    fn(key, item_id, item);
  }
  return it->status();
}

bool InMonth(int32_t date, int32_t yyyymm) { return date / 100 == yyyymm; }

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
  PageCollector items(page);
  Json counts;
  int64_t n[5] = {0, 0, 0, 0, 0};
  int64_t late = 0;
  st = ForEachItem(store, region, [&](std::string_view key, std::string_view item_id, const RectificationItem& item) {
    const ItemStatus s = item.StatusOn(date);
    if (s == ItemStatus::kNone) return;
    ++n[static_cast<int>(s)];
    const bool is_late = item.LateOn(date);
    late += is_late ? 1 : 0;
    if (wanted != ItemStatus::kNone && s != wanted) return;
    if (late_filter && *late_filter != is_late) return;
    items.Offer(key, [&] { return ItemJson(item_id, item, s, is_late); });
  });
  if (!st.ok()) return st;
  for (ItemStatus s : {ItemStatus::kOpen, ItemStatus::kOverdue, ItemStatus::kRectified, ItemStatus::kClosed}) {
    counts[std::string(ItemStatusName(s))] = n[static_cast<int>(s)];
  }
  counts["late"] = late;
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

Result<RectificationMonth> RectificationsInMonth(const Store& store, std::string_view region, int32_t yyyymm) {
  RectificationMonth m;
  const int32_t last_day = yyyymm * 100 + DaysInMonth(yyyymm / 100, yyyymm % 100);
  Status st = ForEachItem(store, region, [&](std::string_view, std::string_view, const RectificationItem& item) {
    if (InMonth(item.opened_on, yyyymm)) ++m.opened;
    m.late += item.LateOn(last_day) ? 1 : 0;
    bool rectified = false;
    bool closed = false;
    for (const RectificationStep& s : item.steps) {
      if (!InMonth(s.occurred_on, yyyymm)) continue;
      rectified |= s.kind == StepKind::kRectified || s.kind == StepKind::kFindingCleared;
      closed |= s.kind == StepKind::kVerified;
    }
    m.rectified += rectified ? 1 : 0;
    m.closed += closed ? 1 : 0;
  });
  if (!st.ok()) return st;
  return m;
}

}  // namespace safetynet
