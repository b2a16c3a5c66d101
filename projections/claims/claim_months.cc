#include "projections/claims/claim_months.h"

#include <map>
#include <set>

#include "events/codec_util.h"
#include "projections/coverage/person_projection.h"

namespace safetynet {
namespace {

std::string InpatientKey(std::string_view person_hex, int32_t month) {
  std::string k = PersonKey(person_hex);
  PutU32(&k, static_cast<uint32_t>(month));
  return k;
}

std::map<std::string, int64_t> DecodeRegions(std::string_view v) {
  std::map<std::string, int64_t> out;
  ByteReader r(v);
  const uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    std::string region(r.Bytes());
    out[std::move(region)] = r.Signed();
  }
  return out;
}

std::set<std::string> PrefixesOf(const std::map<std::string, int64_t>& regions) {
  std::set<std::string> out;
  for (const auto& [region, n] : regions) {
    ForEachRegionPrefix(region, [&](std::string_view p) { out.emplace(p); });
  }
  return out;
}

}  // namespace

void ClaimMonths::Add(const ClaimState& c, int64_t sign) {
  const bool inpatient = c.visit == fb::Visit::INPATIENT;
  decltype(sums_)::Counts d{};
  d[0] = sign;
  d[1] = inpatient ? sign : 0;
  // d[2], inpatient persons: AddInpatient
  d[3] = sign * c.total;
  d[4] = sign * c.in_policy;
  d[5] = sign * c.out_of_catalog;
  (c.county_internal ? d[6] : d[8]) = sign * c.total;
  (c.county_internal ? d[7] : d[9]) = sign * c.out_of_catalog;
  d[10] = c.one_stop ? sign : 0;
  for (size_t t = 0; t < kTierCount; ++t) d[kPaid + t] = sign * c.net[t];
  sums_.Add(c.region, 0, c.discharged_on / 100, d);
}

void ClaimMonths::AddInpatient(Txn& txn, const ClaimState& c, int64_t delta) {
  const int32_t month = c.discharged_on / 100;
  const std::string key = InpatientKey(c.person, month);
  std::string v;
  std::map<std::string, int64_t> regions;
  if (txn.Get(Cf::kInpatientMonths, key, &v).ok()) regions = DecodeRegions(v);
  const std::set<std::string> before = PrefixesOf(regions);
  if ((regions[c.region] += delta) <= 0) regions.erase(c.region);
  const std::set<std::string> after = PrefixesOf(regions);
  for (const std::string& p : before) {
    if (!after.contains(p)) sums_.AddAt(p, 0, month, 2, -1);
  }
  for (const std::string& p : after) {
    if (!before.contains(p)) sums_.AddAt(p, 0, month, 2, +1);
  }
  if (regions.empty()) return txn.Delete(Cf::kInpatientMonths, key);
  ByteWriter w;
  w.Varint(regions.size());
  for (const auto& [region, n] : regions) {
    w.Bytes(region);
    w.Signed(n);
  }
  txn.Put(Cf::kInpatientMonths, key, std::move(w.buffer()));
}

void ClaimMonths::Replace(Txn& txn, const ClaimState* before, const ClaimState* after) {
  const auto inpatient = [](const ClaimState* c) { return c != nullptr && c->visit == fb::Visit::INPATIENT; };
  if (before != nullptr) Add(*before, -1);
  if (after != nullptr) Add(*after, +1);
  // The distinct persons change only when the person, month or region of a counted inpatient claim does.
  const bool same_place = inpatient(before) && inpatient(after) && before->person == after->person &&
                          before->discharged_on / 100 == after->discharged_on / 100 && before->region == after->region;
  if (same_place) return;
  if (inpatient(before)) AddInpatient(txn, *before, -1);
  if (inpatient(after)) AddInpatient(txn, *after, +1);
}

ClaimMonths::Sums ClaimMonths::Month(std::string_view prefix, int32_t yyyymm) const {
  const auto n = sums_.At(prefix, 0, yyyymm);
  Sums s;
  s.claims = n[0];
  s.inpatient_person_times = n[1];
  s.inpatient_persons = n[2];
  s.total = n[3];
  s.in_policy = n[4];
  s.out_of_catalog = n[5];
  s.county_total = n[6];
  s.county_out_of_catalog = n[7];
  s.outside_total = n[8];
  s.outside_out_of_catalog = n[9];
  s.one_stop = n[10];
  for (size_t t = 0; t < kTierCount; ++t) s.paid[t] = n[kPaid + t];
  return s;
}

}  // namespace safetynet
