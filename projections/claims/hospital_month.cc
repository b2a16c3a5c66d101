#include "projections/claims/hospital_month.h"

#include "events/codec_util.h"

namespace safetynet {

std::string HospitalMonthKey(std::string_view hospital_id, int32_t month) {
  std::string k(hospital_id);
  k.push_back('\0');
  PutU32(&k, static_cast<uint32_t>(month));
  return k;
}

std::string HospitalMonth::Encode() const {
  ByteWriter w;
  w.Signed(out_of_catalog);
  w.Signed(total);
  w.Varint(regions.size());
  for (const auto& [region, n] : regions) {
    w.Bytes(region);
    w.Signed(n);
  }
  w.Signed(seen_on);
  return std::move(w.buffer());
}

bool HospitalMonth::Decode(std::string_view bytes, HospitalMonth* out) {
  ByteReader r(bytes);
  HospitalMonth h;
  h.out_of_catalog = r.Signed();
  h.total = r.Signed();
  const uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    std::string region(r.Bytes());
    h.regions[region] = r.Signed();
  }
  h.seen_on = static_cast<int32_t>(r.Signed());
  if (!r.ok() || !r.done()) return false;
  *out = std::move(h);
  return true;
}

}  // namespace safetynet
