#include "projections/claims/assistance_year.h"

#include <algorithm>

#include "events/codec_util.h"

namespace safetynet {

std::string AssistanceYearKey(std::string_view person_key, int32_t year) {
  std::string k(person_key);
  PutU32(&k, static_cast<uint32_t>(year));
  return k;
}

AssistanceEntry& AssistanceYear::Upsert(std::string_view claim_id) {
  for (auto& e : entries) {
    if (e.claim_id == claim_id) return e;
  }
  entries.emplace_back().claim_id.assign(claim_id);
  return entries.back();
}

void AssistanceYear::Remove(std::string_view claim_id) {
  entries.erase(
      std::remove_if(entries.begin(), entries.end(), [&](const AssistanceEntry& e) { return e.claim_id == claim_id; }),
      entries.end());
}

std::string AssistanceYear::Encode() const {
  ByteWriter w;
  w.Varint(entries.size());
  for (const auto& e : entries) {
    w.Bytes(e.claim_id);
    w.Signed(e.discharged_on);
    w.Signed(e.window_from);
    w.Varint(e.first_settled_seq);
    w.Varint((e.live ? 1 : 0) | (e.inpatient ? 2 : 0) | (e.evaluated ? 4 : 0) | (e.holds ? 8 : 0));
    w.Bytes(e.region);
    for (int64_t v : {e.in_policy, e.basic, e.critical, e.assistance, e.measured, e.threshold}) w.Signed(v);
  }
  return std::move(w.buffer());
}

bool AssistanceYear::Decode(std::string_view bytes, AssistanceYear* out) {
  ByteReader r(bytes);
  AssistanceYear y;
  const uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    AssistanceEntry e;
    e.claim_id = std::string(r.Bytes());
    e.discharged_on = static_cast<int32_t>(r.Signed());
    e.window_from = static_cast<int32_t>(r.Signed());
    e.first_settled_seq = r.Varint();
    const uint64_t flags = r.Varint();
    e.live = flags & 1;
    e.inpatient = flags & 2;
    e.evaluated = flags & 4;
    e.holds = flags & 8;
    e.region = std::string(r.Bytes());
    for (int64_t* v : {&e.in_policy, &e.basic, &e.critical, &e.assistance, &e.measured, &e.threshold}) *v = r.Signed();
    y.entries.push_back(std::move(e));
  }
  if (!r.ok() || !r.done()) return false;
  *out = std::move(y);
  return true;
}

}  // namespace safetynet
