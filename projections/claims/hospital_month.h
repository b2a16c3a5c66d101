// The C7 aggregate of one hospital and month (column family
// `hospital_months`, key hospital_id || 0x00 || month u32): the sums of
// out-of-catalogue cost and total cost over the live, county-internal claims
// of poor persons discharged that month at that hospital, and how many of
// them carry each claim region (the threshold is the smallest out-of-catalogue
// maximum among the regions' policies). Layout: svarints out_of_catalog,
// total, varint n, n x (bytes region, svarint claims), svarint seen_on.
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace safetynet {

struct HospitalMonth {
  int64_t out_of_catalog = 0;
  int64_t total = 0;
  std::map<std::string, int64_t> regions;  // claim region -> claims counted
  int32_t seen_on = 0;  // the ledger's date when its first claim was counted: C7's window runs from the later of it
                        // and the month's last day

  std::string Encode() const;
  static bool Decode(std::string_view bytes, HospitalMonth* out);
};

std::string HospitalMonthKey(std::string_view hospital_id, int32_t month);

}  // namespace safetynet
