#include "projections/rectification/rectification_item.h"

#include "events/codec_util.h"

namespace safetynet {
namespace {

constexpr uint64_t kVersion = 1;
constexpr uint8_t kLastKind = static_cast<uint8_t>(StepKind::kFindingCleared);

}  // namespace

std::string_view StepName(StepKind k) {
  switch (k) {
    case StepKind::kOpened: return "opened";
    case StepKind::kProgressed: return "progressed";
    case StepKind::kRectified: return "rectified";
    case StepKind::kVerified: return "verified";
    case StepKind::kReopened: return "reopened";
    case StepKind::kFindingOpened: return "finding_opened";
    case StepKind::kFindingReopened: return "finding_reopened";
    case StepKind::kFindingCleared: return "finding_cleared";
  }
  return "?";
}

std::string_view ItemStatusName(ItemStatus s) {
  switch (s) {
    case ItemStatus::kNone: return "";
    case ItemStatus::kOpen: return "open";
    case ItemStatus::kOverdue: return "overdue";
    case ItemStatus::kRectified: return "rectified";
    case ItemStatus::kClosed: return "closed";
  }
  return "";
}

ItemStatus RectificationItem::StatusOn(int32_t d) const {
  if (!is_item()) return ItemStatus::kNone;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if (it->occurred_on > d) continue;
    switch (it->kind) {
      case StepKind::kVerified: return ItemStatus::kClosed;
      case StepKind::kRectified:
      case StepKind::kFindingCleared: return ItemStatus::kRectified;
      default: return deadline < d ? ItemStatus::kOverdue : ItemStatus::kOpen;
    }
  }
  return ItemStatus::kNone;
}

bool RectificationItem::LateOn(int32_t d) const {
  if (!is_item()) return false;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if (it->occurred_on > d) continue;
    return it->kind == StepKind::kVerified ? it->occurred_on > deadline : deadline < d;
  }
  return false;  // nothing yet on d
}

std::string RectificationItem::Encode() const {
  ByteWriter w;
  w.Varint(kVersion);
  w.Varint((manual ? 1 : 0) | (automatic ? 2 : 0));
  w.Bytes(category);
  w.Bytes(subject);
  w.Bytes(region);
  w.Bytes(description);
  w.Bytes(responsible_unit);
  w.Signed(deadline);
  w.Signed(opened_on);
  w.Varint(steps.size());
  for (const RectificationStep& s : steps) {
    w.Varint(s.seq);
    w.Signed(s.occurred_on);
    w.Varint(static_cast<uint8_t>(s.kind));
    w.Bytes(s.text);
  }
  return std::move(w.buffer());
}

bool RectificationItem::Decode(std::string_view bytes, RectificationItem* out) {
  ByteReader r(bytes);
  if (r.Varint() != kVersion) return false;
  RectificationItem item;
  const uint64_t flags = r.Varint();
  item.manual = (flags & 1) != 0;
  item.automatic = (flags & 2) != 0;
  item.category = std::string(r.Bytes());
  item.subject = std::string(r.Bytes());
  item.region = std::string(r.Bytes());
  item.description = std::string(r.Bytes());
  item.responsible_unit = std::string(r.Bytes());
  item.deadline = static_cast<int32_t>(r.Signed());
  item.opened_on = static_cast<int32_t>(r.Signed());
  const uint64_t n = r.Varint();
  if (!r.ok() || n > bytes.size()) return false;
  item.steps.resize(n);
  for (RectificationStep& s : item.steps) {
    s.seq = r.Varint();
    s.occurred_on = static_cast<int32_t>(r.Signed());
    const uint64_t kind = r.Varint();
    if (kind == 0 || kind > kLastKind) return false;
    s.kind = static_cast<StepKind>(kind);
    s.text = std::string(r.Bytes());
  }
  if (!r.ok() || !r.done()) return false;
  *out = std::move(item);
  return true;
}

}  // namespace safetynet
