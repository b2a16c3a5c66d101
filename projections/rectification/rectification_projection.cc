#include "projections/rectification/rectification_projection.h"

#include "events/date.h"
#include "projections/core/record.h"

namespace safetynet {
namespace {

// Writes the item back, moving its region index entry when the region
// changed, and its contribution to the counts.
void Save(Txn& txn, std::string_view item_id, const RectificationItem& before, const RectificationItem& item,
          RectificationCounts* counts) {
  const std::string region_before = before.is_item() ? before.region : std::string();
  if (!region_before.empty() && region_before != item.region) {
    txn.Delete(Cf::kRectificationsByRegion, region_before + std::string(item_id));
  }
  if (item.is_item() && region_before != item.region) {
    txn.Put(Cf::kRectificationsByRegion, item.region + std::string(item_id), {});
  }
  txn.Put(Cf::kRectifications, std::string(item_id), item.Encode());
  counts->Replace(before, item);
}

// The first opening step (manual or automatic) dates the item.
void NoteOpening(RectificationItem* item, int32_t occurred_on) {
  if (item->opened_on == 0) item->opened_on = occurred_on;
}

}  // namespace

std::string AutoItemId(Check check, std::string_view subject) {
  std::string id = "auto:" + CheckName(check) + ":";
  id.append(subject);
  return id;
}

Status LoadRectificationItem(const Store& store, std::string_view item_id, RectificationItem* out) {
  return LoadRecord(store, Cf::kRectifications, item_id, out);
}

void RectificationProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  const flatbuffers::String* item_id = nullptr;
  RectificationStep step{ev.seq, *e.occurred_on(), StepKind::kOpened, {}};
  const fb::RectificationOpened* opened = nullptr;
  auto text = [](const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); };
  // Every rectification payload names its item and carries one text.
  const auto take = [&](const auto* p, StepKind kind, const flatbuffers::String* t) {
    item_id = p->item_id();
    step.kind = kind;
    step.text = text(t);
  };
  using P = fb::Payload;
  switch (e.payload_type()) {
    case P::RectificationOpened:
      opened = e.payload_as_RectificationOpened();
      take(opened, StepKind::kOpened, opened->description());
      break;
    case P::RectificationProgressed: {
      const auto* p = e.payload_as_RectificationProgressed();
      take(p, StepKind::kProgressed, p->note());
      break;
    }
    case P::RectificationRectified: {
      const auto* p = e.payload_as_RectificationRectified();
      take(p, StepKind::kRectified, p->evidence());
      break;
    }
    case P::RectificationVerified: {
      const auto* p = e.payload_as_RectificationVerified();
      take(p, StepKind::kVerified, p->verifier());
      break;
    }
    case P::RectificationReopened: {
      const auto* p = e.payload_as_RectificationReopened();
      take(p, StepKind::kReopened, p->reason());
      break;
    }
    default: return;
  }
  const std::string_view id = item_id->string_view();
  const RectificationItem before = RecordOr<RectificationItem>(txn, Cf::kRectifications, id);
  RectificationItem item = before;
  if (opened != nullptr) {
    // The latest RectificationOpened (ledger order) describes the item.
    item.manual = true;
    item.category = text(opened->category());
    item.subject = text(opened->subject());
    item.region = e.region()->str();
    item.description = text(opened->description());
    item.responsible_unit = text(opened->responsible_unit());
    item.deadline = opened->deadline();
    NoteOpening(&item, step.occurred_on);
  }
  item.steps.push_back(std::move(step));
  Save(txn, id, before, item, counts_);
}

void RectificationProjection::OnFindingChange(Txn& txn, const FindingChange& change, bool first) {
  const std::string id = AutoItemId(change.check, change.subject);
  const RectificationItem before = RecordOr<RectificationItem>(txn, Cf::kRectifications, id);
  RectificationItem item = before;
  StepKind kind = StepKind::kFindingCleared;
  if (change.opened) kind = first ? StepKind::kFindingOpened : StepKind::kFindingReopened;
  if (first) {
    item.automatic = true;
    NoteOpening(&item, change.occurred_on);
    if (!item.manual) {
      // A RectificationOpened for the same item_id, if any, describes it.
      item.category = CheckName(change.check);
      item.subject = change.subject;
      item.deadline = AddDays(change.occurred_on, auto_deadline_days_);
    }
  }
  // An automatic item follows its finding's region; a manual description wins.
  if (!item.manual) item.region = change.region;
  item.steps.push_back(RectificationStep{change.seq, change.occurred_on, kind, {}});
  Save(txn, id, before, item, counts_);
}

}  // namespace safetynet
