// Policies of the medical-insurance bureaus and the monthly data exchange.
//
// Every year the province publishes a policy for everyone and five of its six
// cities their own (two of them for REGISTERED_POOR only), effective for the
// calendar year, in the December before (the first year: on the run's first
// day). The first year's city policies break one rule each — deductible above
// 6,000 yuan (C3), poor ratio not ordinary + 5 points or segment lists of
// different lengths (C4), cap below 300,000 yuan (C5) — and one of them is
// re-published with the same policy_id a quarter into the run, fixing it.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "tools/generate/calendar.h"
#include "tools/generate/province.h"
#include "tools/generate/regions.h"

namespace safetynet::gen::internal {
namespace {

constexpr double kRosterOnTimeShare = 0.92;

// Three segments of the amount above the deductible (fen), each paying 10
// points more than the one before.
std::vector<Segment> Segments(int64_t second_from, int64_t third_from, int first_ratio_bp) {
  return {{0, first_ratio_bp}, {second_from, first_ratio_bp + 1000}, {third_from, first_ratio_bp + 2000}};
}

std::vector<Segment> Raised(std::vector<Segment> segments, int by_bp) {
  for (Segment& s : segments) s.ratio_bp += by_bp;
  return segments;
}

std::string SegmentsJson(const std::vector<Segment>& segments) {
  std::string json = "[";
  for (const Segment& s : segments) {
    if (json.size() > 1) json.push_back(',');
    json.append("{\"from\":");
    AppendInt(&json, s.from);
    json.append(",\"ratio_bp\":");
    AppendInt(&json, s.ratio_bp);
    json.push_back('}');
  }
  json.push_back(']');
  return json;
}

// The region prefix a policy covers: "230000" -> "23", "230100" -> "2301".
std::string_view Scope(std::string_view region) {
  while (region.size() >= 2 && region.ends_with("00")) {
    region.remove_suffix(2);
  }
  return region;
}

}  // namespace

void Province::PublishPolicies(int month_index) {
  const int year = month_ / 100;
  if (month_index == 0) PublishYear(year, month_ * 100 + 1);
  if (month_ % 100 == 12 && month_index + 1 < opts_.months) {
    PublishYear(year + 1, month_ * 100 + RandomDay(20));
  }
  const int republish_month = opts_.months >= 2 ? std::max(1, opts_.months / 4) : 0;
  if (month_index != republish_month) return;
  for (auto it = policies_.rbegin(); it != policies_.rend(); ++it) {
    if (it->region == "230200" && it->year == year) {
      Policy fixed = *it;
      fixed.published_on = month_ * 100 + (month_index == 0 ? 25 : 10);
      fixed.critical_deductible = 600000;
      fixed.assistance_annual_limit += 1000000;
      Publish(std::move(fixed));
      return;
    }
  }
}

void Province::PublishYear(int year, int date) {
  const bool first_year = year == start_year_;
  Policy province;
  province.region = kProvinceCode;
  province.year = year;
  province.effective_from = MakeDate(year, 1, 1);
  province.effective_to = MakeDate(year, 12, 31);
  province.published_on = date;
  province.critical_deductible = 600000;
  province.critical_ordinary_deductible = 1200000;
  province.critical_ordinary_segments = Segments(5000000, 10000000, 6000);
  province.critical_segments = Raised(province.critical_ordinary_segments, 500);
  // Jilin 2019: no cap for the rural poor from 2019-01-01 to 2020-12-31.
  province.critical_cap = year <= 2020 ? 0 : 40000000;
  province.assistance_ratio_bp = 7000;
  province.assistance_annual_limit = 2000000;

  Policy harbin = province;
  harbin.region = "230100";
  harbin.critical_deductible = 500000;
  harbin.critical_ordinary_deductible = 1000000;
  harbin.critical_ordinary_segments = Segments(4000000, 8000000, 6000);
  harbin.critical_segments = Raised(harbin.critical_ordinary_segments, 500);
  harbin.assistance_ratio_bp = 7500;  // Heilongjiang: 75% from 2019
  harbin.assistance_annual_limit = 3000000;

  Policy harbin_poor = harbin;
  harbin_poor.identity = static_cast<int>(Identity::kRegisteredPoor);
  harbin_poor.critical_deductible = 400000;
  harbin_poor.assistance_ratio_bp = 8000;
  harbin_poor.assistance_annual_limit = 5000000;

  Policy qiqihar_poor = province;
  qiqihar_poor.region = "230200";
  qiqihar_poor.identity = static_cast<int>(Identity::kRegisteredPoor);
  qiqihar_poor.critical_deductible = first_year ? 800000 : 600000;
  qiqihar_poor.assistance_ratio_bp = 7500;
  qiqihar_poor.assistance_annual_limit = 3000000;

  Policy shuangyashan = province;
  shuangyashan.region = "230500";
  shuangyashan.critical_ordinary_segments = Segments(5000000, 10000000, 5500);
  shuangyashan.critical_segments = Raised(shuangyashan.critical_ordinary_segments, first_year ? 300 : 500);

  Policy jiamusi = province;
  jiamusi.region = "230800";
  jiamusi.critical_cap = first_year ? 20000000 : 0;

  Policy suihua = province;
  suihua.region = "231200";
  suihua.max_total_reimbursement_bp = 9000;
  if (first_year) suihua.critical_segments.pop_back();

  for (Policy* p : {&province, &harbin, &harbin_poor, &qiqihar_poor, &shuangyashan, &jiamusi, &suihua}) {
    p->policy_id =
        "P" + seed_text_ + "-" + std::string(p->region) + "-" + std::to_string(year) + (p->identity >= 0 ? "-RP" : "");
    Publish(std::move(*p));
  }
}

void Province::Publish(Policy policy) {
  std::string body;
  EventBody b(&body, PayloadType::kPolicyPublished, policy.published_on, "medical-insurance-bureau-", policy.region,
              policy.region, "");
  b.Str("policy_id", policy.policy_id).Int("year", policy.year);
  if (policy.identity >= 0) {
    b.Str("identity", IdentityName(static_cast<Identity>(policy.identity)));
  }
  b.Int("effective_from", policy.effective_from)
      .Int("effective_to", policy.effective_to)
      .Int("critical_deductible", policy.critical_deductible)
      .Int("critical_ordinary_deductible", policy.critical_ordinary_deductible)
      .Raw("critical_segments", SegmentsJson(policy.critical_segments))
      .Raw("critical_ordinary_segments", SegmentsJson(policy.critical_ordinary_segments))
      .Int("critical_cap", policy.critical_cap)
      .Int("assistance_ratio_bp", policy.assistance_ratio_bp)
      .Int("assistance_annual_limit", policy.assistance_annual_limit)
      .Int("max_total_reimbursement_bp", policy.max_total_reimbursement_bp)
      .Int("out_of_catalog_max_bp", policy.out_of_catalog_max_bp)
      .Finish();
  emitter_->Defer(policy.published_on, PayloadType::kPolicyPublished, std::move(body));
  policies_.push_back(std::move(policy));
}

// domain.md "Policy in force", over the versions published by `date`.
const Policy& Province::PolicyInForce(const Person& p, bool poor, int date) const {
  static const Policy kNone = [] {
    Policy none;
    none.critical_deductible = 600000;
    none.critical_ordinary_deductible = 1200000;
    none.critical_ordinary_segments = Segments(5000000, 10000000, 6000);
    none.critical_segments = Raised(none.critical_ordinary_segments, 500);
    return none;
  }();
  const std::string_view county = CountyCode(p);
  const Policy* best = &kNone;
  size_t best_scope = 0;
  bool best_named = false;
  for (const Policy& policy : policies_) {
    if (policy.published_on > date || date < policy.effective_from ||
        (policy.effective_to != 0 && date > policy.effective_to)) {
      continue;
    }
    const std::string_view scope = Scope(policy.region);
    const bool named = policy.identity >= 0;
    if (!county.starts_with(scope) || (named && (!poor || policy.identity != static_cast<int>(p.identity)))) {
      continue;
    }
    if (scope.size() > best_scope || (scope.size() == best_scope && named >= best_named)) {
      best = &policy;
      best_scope = scope.size();
      best_named = named;
    }
  }
  return *best;
}

void Province::PlanRosterDeliveries() {
  const auto counties = Counties();
  for (size_t c = 0; c < counties.size(); ++c) {
    // Roster to the insurance agency by the 10th, compared list back to
    // health and hospitals by the 20th (Jilin 三(一)); a few are late.
    const int roster_day =
        static_cast<int>(rng_.Chance(kRosterOnTimeShare) ? rng_.Between(2, 10) : rng_.Between(11, 20));
    const int compared_day =
        static_cast<int>(rng_.Chance(kRosterOnTimeShare) ? rng_.Between(12, 20) : rng_.Between(21, 28));
    for (const bool compared : {false, true}) {
      const int date = month_ * 100 + (compared ? compared_day : roster_day);
      std::string body;
      EventBody(&body, PayloadType::kRosterDelivered, date, compared ? "medical-insurance-" : "poverty-office-",
                counties[c].code, counties[c].code, "")
          .Int("period", month_)
          .Str("kind", compared ? "COMPARED_TO_HEALTH" : "ROSTER_TO_INSURANCE")
          .Int("row_count", county_poor_[c])
          .Finish();
      emitter_->Defer(date, PayloadType::kRosterDelivered, std::move(body));
    }
  }
}

}  // namespace safetynet::gen::internal
