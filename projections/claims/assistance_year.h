// AssistanceYear: the working set of check C6 for one person and discharge
// year (column family `assistance_years`, key person[32] || year u32): for
// each of the person's settled claims of the year, what C6 reads (liveness,
// visit, discharge date, first settlement, in-policy cost, basic, critical and
// assistance net payments, region) and the C6 evaluation last recorded, so
// that re-evaluating the year is one read and only changed findings are
// written. Layout: varint n, then per claim: bytes claim_id, svarint
// discharged_on, svarint window_from, varint first_settled_seq, varint flags (1 live, 2 inpatient,
// 4 evaluated, 8 holds), bytes region, svarints in_policy, basic, critical,
// assistance, measured, threshold.
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace safetynet {

struct AssistanceEntry {
  std::string claim_id;
  int32_t discharged_on = 0;
  int32_t window_from = 0;  // C6's settlement window runs from this date (ClaimState::WindowFrom)
  uint64_t first_settled_seq = 0;
  bool live = false;
  bool inpatient = false;
  std::string region;  // the claim event's region
  int64_t in_policy = 0;
  int64_t basic = 0;
  int64_t critical = 0;
  int64_t assistance = 0;
  // The C6 evaluation last recorded.
  bool evaluated = false;
  bool holds = false;
  int64_t measured = 0;
  int64_t threshold = 0;
};

struct AssistanceYear {
  std::vector<AssistanceEntry> entries;

  AssistanceEntry& Upsert(std::string_view claim_id);
  void Remove(std::string_view claim_id);
  std::string Encode() const;
  static bool Decode(std::string_view bytes, AssistanceYear* out);
};

std::string AssistanceYearKey(std::string_view person_key, int32_t year);

}  // namespace safetynet
