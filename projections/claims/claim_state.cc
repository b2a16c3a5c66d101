#include "projections/claims/claim_state.h"

#include <numeric>

#include "events/codec_util.h"
#include "events/money.h"

namespace safetynet {

int64_t ClaimState::NetTotal() const { return std::accumulate(net.begin(), net.end(), int64_t{0}, AddFen); }

int64_t ClaimState::BasicPaid() const { return AddFen(Net(fb::Tier::BASIC_RESIDENT), Net(fb::Tier::BASIC_EMPLOYEE)); }

std::string ClaimState::Encode() const {
  ByteWriter w;
  w.Varint(1);  // format version
  w.Varint((settled ? 1 : 0) | (live ? 2 : 0) | (county_internal ? 4 : 0) | (one_stop ? 8 : 0) |
           (report_counted ? 16 : 0));
  w.Varint(first_settled_seq);
  w.Varint(settled_seq);
  w.Signed(settled_on);
  w.Bytes(person);
  w.Bytes(region);
  w.Varint(static_cast<uint8_t>(visit));
  w.Bytes(hospital_id);
  w.Signed(admitted_on);
  w.Signed(discharged_on);
  w.Signed(total);
  w.Signed(out_of_catalog);
  w.Signed(in_policy);
  w.Bytes(diagnosis);
  for (int64_t n : net) w.Signed(n);
  w.Signed(min_critical_deductible == std::numeric_limits<int64_t>::max() ? -1 : min_critical_deductible);
  w.Bytes(counted_hospital_month);
  w.Signed(counted_out_of_catalog);
  w.Signed(counted_total);
  w.Bytes(counted_region);
  w.Signed(settled_seen_on);
  w.Signed(last_seen_on);
  return std::move(w.buffer());
}

bool ClaimState::Decode(std::string_view bytes, ClaimState* out) {
  ByteReader r(bytes);
  if (r.Varint() != 1) return false;
  ClaimState c;
  const uint64_t flags = r.Varint();
  c.settled = flags & 1;
  c.live = flags & 2;
  c.county_internal = flags & 4;
  c.one_stop = flags & 8;
  c.report_counted = flags & 16;
  c.first_settled_seq = r.Varint();
  c.settled_seq = r.Varint();
  c.settled_on = static_cast<int32_t>(r.Signed());
  c.person = std::string(r.Bytes());
  c.region = std::string(r.Bytes());
  c.visit = static_cast<fb::Visit>(r.Varint());
  c.hospital_id = std::string(r.Bytes());
  c.admitted_on = static_cast<int32_t>(r.Signed());
  c.discharged_on = static_cast<int32_t>(r.Signed());
  c.total = r.Signed();
  c.out_of_catalog = r.Signed();
  c.in_policy = r.Signed();
  c.diagnosis = std::string(r.Bytes());
  for (auto& n : c.net) n = r.Signed();
  const int64_t min_ded = r.Signed();
  c.min_critical_deductible = min_ded < 0 ? std::numeric_limits<int64_t>::max() : min_ded;
  c.counted_hospital_month = std::string(r.Bytes());
  c.counted_out_of_catalog = r.Signed();
  c.counted_total = r.Signed();
  c.counted_region = std::string(r.Bytes());
  c.settled_seen_on = static_cast<int32_t>(r.Signed());
  c.last_seen_on = static_cast<int32_t>(r.Signed());
  if (!r.ok() || !r.done()) return false;
  *out = std::move(c);
  return true;
}

}  // namespace safetynet
