#include "projections/read/rectification_queries.h"

#include "events/crypto.h"
#include "events/date.h"
#include "projections/rectification/rectification_projection.h"

namespace safetynet {
namespace {

constexpr size_t kRegionLen = 6;

Item ItemOf(std::string_view item_id, const RectificationItem& item, ItemStatus status, bool late) {
  return Item{std::string(item_id),
              item.category,
              item.subject,
              RegionCode{item.region},
              std::string(ItemStatusName(status)),
              late,
              item.deadline,
              item.responsible_unit,
              item.opened_on};
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

Result<ItemsRequest> ParseItemsRequest(const ProjectionSet& set, std::string_view region, std::string_view status,
                                       std::string_view late, std::string_view date, const Page& page) {
  auto at = ParseRegionDate(set, region, date);
  if (!at.ok()) return at.status();
  ItemsRequest r{std::move(*at), ItemStatus::kNone, std::nullopt, page};
  if (!status.empty()) {
    if (Status st = ParseStatus(status, &r.status); !st.ok()) return st;
  }
  if (late == "true" || late == "false") {
    r.late = late == "true";
  } else if (!late.empty()) {
    return Status::Invalid("late must be true or false");
  }
  return r;
}

Result<ItemsPage> ListRectifications(const Store& store, const ProjectionSet& set, const ItemsRequest& request) {
  const int32_t date = request.at.date;
  ItemsPage out;
  out.region = RegionCode{request.at.region};
  out.date = date;
  // Counts from the index; the page walks the region's items from the cursor
  // and stops once it is full (a status or late filter skips the items that
  // do not match on the way).
  out.counts = ItemCountsOf(set, request.at.region, date);
  PageCollector<Item> items(request.page);
  Status st = ForEachItem(store, request.at.region, request.page.cursor,
                          [&](std::string_view key, std::string_view item_id, const RectificationItem& item) {
                            const ItemStatus s = item.StatusOn(date);
                            if (s == ItemStatus::kNone) return true;
                            const bool is_late = item.LateOn(date);
                            if (request.status != ItemStatus::kNone && s != request.status) return true;
                            if (request.late && *request.late != is_late) return true;
                            items.Offer(key, [&] { return ItemOf(item_id, item, s, is_late); });
                            return !items.full();
                          });
  if (!st.ok()) return st;
  out.items = items.TakeItems();
  out.next = items.Next();
  return out;
}

Result<ItemDetail> RectificationOf(const Store& store, const ProjectionSet& set, std::string_view item_id,
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
  ItemDetail out{
      ItemOf(item_id, item, item.StatusOn(date), item.LateOn(date)), date, item.description, item.automatic, {}};
  for (const RectificationStep& s : item.steps) {
    out.history.push_back({EventSeq{s.seq}, s.occurred_on, std::string(StepName(s.kind)), s.text});
  }
  return out;
}

ItemCounts ItemCountsOf(const ProjectionSet& set, std::string_view region, int32_t date) {
  const RectificationCounts::OnDate n = set.rectification_counts().Query(region, date);
  return ItemCounts{n.of(ItemStatus::kOpen), n.of(ItemStatus::kOverdue), n.of(ItemStatus::kRectified),
                    n.of(ItemStatus::kClosed), n.late};
}

RectificationMonth RectificationsInMonth(const ProjectionSet& set, std::string_view region, int32_t yyyymm) {
  const int32_t last_day = LastDayOfMonth(yyyymm);
  const RectificationCounts::InMonth m = set.rectification_counts().Month(region, yyyymm);
  return RectificationMonth{m.opened, m.rectified, m.closed, set.rectification_counts().Query(region, last_day).late};
}

}  // namespace safetynet
