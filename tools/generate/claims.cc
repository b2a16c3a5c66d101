// What a claim costs and what each tier pays on it (三重保障): basic
// insurance, critical illness insurance and medical assistance computed the
// way the tiers work, with the mistakes the ledger's checks exist for (short
// assistance, the poor deductible applied to a person no longer poor…) mixed
// in at low rates.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "tools/generate/calendar.h"
#include "tools/generate/claim.h"
#include "tools/generate/regions.h"

namespace safetynet::gen::internal {
namespace {

struct Diagnosis {
  std::string_view icd10;
  int64_t median_total_fen;
  int stay_min_days;
  int stay_max_days;
  int weight;
};

constexpr Diagnosis kInpatient[] = {
    {"I63.9", 900000, 7, 15, 18},  {"J18.9", 600000, 5, 10, 15},  {"J44.1", 800000, 7, 14, 10},
    {"I25.1", 1200000, 5, 10, 10}, {"I50.9", 1000000, 7, 14, 8},  {"E11.9", 500000, 5, 10, 6},
    {"K80.2", 1400000, 5, 9, 5},   {"K35.8", 800000, 4, 7, 4},    {"S72.0", 3500000, 10, 20, 4},
    {"C34.9", 3500000, 10, 25, 4}, {"C16.9", 4000000, 12, 25, 3}, {"I61.9", 4500000, 14, 30, 3},
    {"N18.5", 1500000, 7, 14, 3},  {"M17.9", 5500000, 10, 18, 2},
};
constexpr Diagnosis kOutpatient[] = {
    {"J06.9", 12000, 0, 0, 30}, {"K29.7", 15000, 0, 0, 20}, {"M54.5", 18000, 0, 0, 15},
    {"I10", 10000, 0, 0, 20},   {"J20.9", 13000, 0, 0, 15},
};
// Chronic and special diseases treated as outpatients (门诊慢特病).
constexpr Diagnosis kChronicDiseases[] = {
    {"I10", 40000, 0, 0, 35},   {"E11.9", 60000, 0, 0, 25}, {"I25.1", 55000, 0, 0, 15},
    {"J44.1", 50000, 0, 0, 15}, {"N18.5", 500000, 0, 0, 5}, {"C34.9", 800000, 0, 0, 5},
};

// A roughly log-normal spread of costs around a diagnosis' median.
constexpr int kSpreadPerMille[] = {350, 500, 650, 800, 1000, 1250, 1600, 2100, 3000, 4500};
constexpr int kSpreadWeights[] = {4, 10, 16, 20, 20, 14, 8, 5, 2, 1};

// Critical illness cap for persons who are not poor (Jilin: >= 200,000 yuan).
constexpr int64_t kOrdinaryCriticalCapFen = 20000000;

const Diagnosis& PickDiagnosis(std::span<const Diagnosis> table, uint64_t x) {
  int64_t total = 0;
  for (const Diagnosis& d : table) total += d.weight;
  auto left = static_cast<int64_t>(x % static_cast<uint64_t>(total));
  for (const Diagnosis& d : table) {
    left -= d.weight;
    if (left < 0) return d;
  }
  return table.back();
}

struct BasicRule {
  int64_t deductible_fen;
  int ratio_bp;
  int64_t max_fen;  // per claim; 0 = none
};

// Basic insurance of the county (not in PolicyPublished): resident or
// employee scheme, the poor with a halved deductible and +5 points.
BasicRule BasicRuleFor(Visit visit, bool employee, bool internal, bool poor) {
  switch (visit) {
    case Visit::kInpatient:
      if (employee) return internal ? BasicRule{60000, 9000, 0} : BasicRule{120000, 8000, 0};
      if (internal) return poor ? BasicRule{20000, 8500, 0} : BasicRule{40000, 8000, 0};
      return poor ? BasicRule{50000, 6500, 0} : BasicRule{100000, 6000, 0};
    case Visit::kOutpatient: return employee ? BasicRule{0, 6000, 30000} : BasicRule{0, 5000, 10000};
    case Visit::kChronicOutpatient: break;
  }
  return employee ? BasicRule{0, 8000, 0} : poor ? BasicRule{0, 7000, 0} : BasicRule{0, 6500, 0};
}

// What segments pay on `above` (the amount above the deductible).
int64_t SegmentedPay(int64_t above, const std::vector<Segment>& segments) {
  int64_t pay = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    const int64_t low = segments[i].from;
    const int64_t high = i + 1 < segments.size() ? segments[i + 1].from : std::numeric_limits<int64_t>::max();
    if (above <= low) break;
    pay += (std::min(above, high) - low) * segments[i].ratio_bp / 10000;
  }
  return pay;
}

constexpr double kInpatientInternalShare = 0.85;
constexpr double kOtherInternalShare = 0.95;
constexpr double kPrePaidShare = 0.08;        // 先行自付 lowers in_policy
constexpr double kPoorLineMisapplied = 0.10;  // of critical payments, not poor
constexpr double kShortAssistanceShare = 0.03;
constexpr double kWaiverShare = 0.06;
constexpr double kSupplementaryPoorShare = 0.05;
constexpr double kSupplementaryOtherShare = 0.08;

struct Hospital {
  std::string id;
  bool internal;
  bool loose;  // bills more outside the catalogue than allowed
};

size_t CountyIndex(std::string_view code) {
  const auto counties = Counties();
  for (size_t c = 0; c < counties.size(); ++c) {
    if (counties[c].code == code) return c;
  }
  return 0;
}

// The county's people's hospital (001), its hospital of traditional Chinese
// medicine (002) or a township health centre (003); outside the county the
// city's main district or, for the provincial hospitals, Harbin's Nangang.
Hospital PickHospital(Rng& rng, const Person& p, Visit visit) {
  static const size_t kProvincialCounty = CountyIndex("230103");
  const auto counties = Counties();
  size_t county = p.county;
  const bool inpatient = visit == Visit::kInpatient;
  if (!rng.Chance(inpatient ? kInpatientInternalShare : kOtherInternalShare)) {
    county = kProvincialCounty;
    if (rng.Chance(0.6)) {
      const int city = counties[p.county].city_index;
      for (size_t c = 0; c < counties.size(); ++c) {
        if (counties[c].city_index == city) {
          county = c;
          break;
        }
      }
    }
  }
  constexpr int kInpatientLevels[] = {60, 25, 15};
  constexpr int kOutpatientLevels[] = {30, 20, 50};
  const int level = 1 + static_cast<int>(rng.Pick(inpatient ? kInpatientLevels : kOutpatientLevels));
  Hospital h;
  h.id = "H";
  h.id.append(counties[county].code);
  h.id.append("00");
  h.id.push_back(static_cast<char>('0' + level));
  h.internal = county == p.county;
  h.loose = (county * 3 + static_cast<size_t>(level)) * 2654435761u % 97 % 10 == 0;
  return h;
}

}  // namespace

Claim DrawClaim(Rng& rng, const Person& p, Visit visit, int date) {
  const bool inpatient = visit == Visit::kInpatient;
  const Hospital hospital = PickHospital(rng, p, visit);
  const Diagnosis& dx = visit == Visit::kChronicOutpatient ? PickDiagnosis(kChronicDiseases, p.chronic_diagnosis)
                        : inpatient                        ? PickDiagnosis(kInpatient, rng.Next())
                                                           : PickDiagnosis(kOutpatient, rng.Next());
  Claim c;
  c.hospital_id = hospital.id;
  c.county = Counties()[p.county].code;
  c.diagnosis = dx.icd10;
  c.visit = visit;
  c.county_internal = hospital.internal;
  c.discharged_on = date;
  c.admitted_on = inpatient ? AddDays(date, -static_cast<int>(rng.Between(dx.stay_min_days, dx.stay_max_days))) : date;
  c.total = std::max<int64_t>(
      100, dx.median_total_fen * kSpreadPerMille[rng.Pick(kSpreadWeights)] / 1000 * rng.Between(920, 1080) / 1000);
  const int64_t out_of_catalog_bp = inpatient ? (hospital.loose ? rng.Between(900, 2000) : rng.Between(300, 1200))
                                              : (hospital.loose ? rng.Between(500, 1500) : rng.Between(0, 800));
  c.out_of_catalog = c.total * out_of_catalog_bp / 10000;
  c.in_policy = c.total - c.out_of_catalog;
  if (rng.Chance(kPrePaidShare)) c.in_policy -= c.in_policy * rng.Between(100, 500) / 10000;
  return c;
}

// Critical illness accumulates the year's self-paid amounts (年度累计); the
// ceiling of the policy, if any, cuts the last tiers first.
TierPayments PayTiers(Rng& rng, Person& p, Tier basic_tier, const Claim& c, const Policy& policy, bool poor) {
  const bool inpatient = c.visit == Visit::kInpatient;
  int64_t basic = 0;
  int64_t basic_deductible = 0;
  if (p.enrolled & kBasicBit) {
    const BasicRule rule = BasicRuleFor(c.visit, basic_tier == Tier::kBasicEmployee, c.county_internal, poor);
    basic = std::max<int64_t>(0, c.in_policy - rule.deductible_fen) * rule.ratio_bp / 10000;
    if (rule.max_fen > 0) basic = std::min(basic, rule.max_fen);
    basic_deductible = rule.deductible_fen;
  }
  // Critical illness accumulates the year's self-paid amounts (年度累计).
  int64_t critical = 0;
  int64_t critical_deductible = 0;
  if ((p.enrolled & kCriticalBit) && c.visit != Visit::kOutpatient) {
    const bool poor_line = poor || rng.Chance(kPoorLineMisapplied);
    critical_deductible = poor_line ? policy.critical_deductible : policy.critical_ordinary_deductible;
    const auto& segments = poor_line ? policy.critical_segments : policy.critical_ordinary_segments;
    const int64_t before = p.critical_base_fen;
    p.critical_base_fen += c.in_policy - basic;
    critical = SegmentedPay(std::max<int64_t>(0, p.critical_base_fen - critical_deductible), segments) -
               SegmentedPay(std::max<int64_t>(0, before - critical_deductible), segments);
    const int64_t cap = poor_line ? policy.critical_cap : kOrdinaryCriticalCapFen;
    if (cap > 0) critical = std::min(critical, std::max<int64_t>(0, cap - p.critical_paid_fen));
    p.critical_paid_fen += critical;
  }
  TierPayments t;
  int64_t assistance = 0;
  if (poor && (p.enrolled & kAssistanceBit) && c.visit != Visit::kOutpatient) {
    const int64_t left = c.in_policy - basic - critical;
    const int64_t limit = policy.assistance_annual_limit;
    const int64_t base = limit > 0 ? std::min(left, std::max<int64_t>(0, limit - p.assistance_paid_fen)) : left;
    t.assistance_due = (base * policy.assistance_ratio_bp + 9999) / 10000;
    assistance = t.assistance_due;
    if (inpatient && rng.Chance(kShortAssistanceShare)) assistance = t.assistance_due * rng.Between(50, 90) / 100;
  }
  int64_t waiver = 0;
  int64_t supplementary = 0;
  if (inpatient && poor && rng.Chance(kWaiverShare)) {
    waiver = (c.total - basic - critical - assistance) * rng.Between(10, 30) / 100;
  }
  if (inpatient && rng.Chance(poor ? kSupplementaryPoorShare : kSupplementaryOtherShare)) {
    supplementary = std::max<int64_t>(0, c.in_policy - basic - critical - assistance) * rng.Between(40, 60) / 100;
  }
  if (policy.max_total_reimbursement_bp > 0) {
    // The ceiling (防止过度保障) cuts the last tiers first.
    const int64_t ceiling = c.total * policy.max_total_reimbursement_bp / 10000;
    int64_t excess = basic + critical + assistance + waiver + supplementary - ceiling;
    for (int64_t* amount : {&supplementary, &waiver, &assistance}) {
      const int64_t cut = std::clamp<int64_t>(excess, 0, *amount);
      *amount -= cut;
      excess -= cut;
    }
    t.assistance_due = std::min(t.assistance_due, std::max<int64_t>(0, ceiling - basic - critical));
  }
  p.assistance_paid_fen += assistance;
  t.Add(basic_tier, basic, basic_deductible);
  t.Add(Tier::kCriticalIllness, critical, critical_deductible);
  t.Add(Tier::kMedicalAssistance, assistance, 0);
  t.Add(Tier::kHospitalWaiver, waiver, 0);
  t.Add(Tier::kSupplementary, supplementary, 0);
  return t;
}

}  // namespace safetynet::gen::internal
