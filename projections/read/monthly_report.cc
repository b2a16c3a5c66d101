#include "projections/read/monthly_report.h"

#include <numeric>

#include "events/date.h"
#include "events/money.h"
#include "projections/claims/claim_months.h"
#include "projections/read/rectification_queries.h"

namespace safetynet {
namespace {

// floor(num x 10000 / den) in 128 bits; null when den is 0 (sums are >= 0 here).
Json Ratio(int64_t num, int64_t den) { return den <= 0 ? Json(nullptr) : Json(MulDiv(num, 10000, den)); }

ClaimMonths::Sums& operator+=(ClaimMonths::Sums& a, const ClaimMonths::Sums& b) {
  a.claims += b.claims;
  a.inpatient_person_times += b.inpatient_person_times;
  a.inpatient_persons += b.inpatient_persons;
  a.one_stop += b.one_stop;
  a.total = AddFen(a.total, b.total);
  a.in_policy = AddFen(a.in_policy, b.in_policy);
  a.out_of_catalog = AddFen(a.out_of_catalog, b.out_of_catalog);
  a.county_total = AddFen(a.county_total, b.county_total);
  a.county_out_of_catalog = AddFen(a.county_out_of_catalog, b.county_out_of_catalog);
  a.outside_total = AddFen(a.outside_total, b.outside_total);
  a.outside_out_of_catalog = AddFen(a.outside_out_of_catalog, b.outside_out_of_catalog);
  for (size_t t = 0; t < a.paid.size(); ++t) a.paid[t] = AddFen(a.paid[t], b.paid[t]);
  return a;
}

// What happened in a region in a month, or over months: subsidies, the
// counted claims' sums, the items opened, rectified and closed (and, for a
// month alone, the items late on its last day: a stock, not added up).
struct Period {
  int64_t subsidised = 0, subsidy = 0;
  ClaimMonths::Sums claims;
  RectificationMonth items;

  Period& operator+=(const Period& o) {
    subsidised += o.subsidised;
    subsidy = AddFen(subsidy, o.subsidy);
    claims += o.claims;
    items.opened += o.items.opened, items.rectified += o.items.rectified, items.closed += o.items.closed;
    return *this;
  }
};

Period InMonth(const ProjectionSet& set, const std::string& region, int32_t month) {
  Period p;
  const auto subsidies = set.subsidies().At(region, 0, month);
  p.subsidised = subsidies[0];
  p.subsidy = subsidies[1];
  p.claims = set.claim_months().Month(region, month);
  p.items = RectificationsInMonth(set, region, month);
  return p;
}

// The figures of a period that add up over months.
Json FlowsJson(const Period& p) {
  const ClaimMonths::Sums& m = p.claims;
  const std::array<int64_t, kTierCount>& paid = m.paid;
  const auto tier = [&](fb::Tier t) { return paid[static_cast<size_t>(t)]; };
  const int64_t payments = std::accumulate(paid.begin(), paid.end(), int64_t{0}, AddFen);
  Json out;
  out["subsidised_persons"] = p.subsidised;
  out["subsidy_amount"] = p.subsidy;
  out["inpatient_person_times"] = m.inpatient_person_times;
  out["claims"] = m.claims;
  out["total"] = m.total;
  out["in_policy"] = m.in_policy;
  out["out_of_catalog"] = m.out_of_catalog;
  out["payments"] = {{"basic", AddFen(tier(fb::Tier::BASIC_RESIDENT), tier(fb::Tier::BASIC_EMPLOYEE))},
                     {"critical_illness", tier(fb::Tier::CRITICAL_ILLNESS)},
                     {"medical_assistance", tier(fb::Tier::MEDICAL_ASSISTANCE)},
                     {"hospital_waiver", tier(fb::Tier::HOSPITAL_WAIVER)},
                     {"supplementary", tier(fb::Tier::SUPPLEMENTARY)}};
  out["personal"] = SubFen(m.total, payments);
  out["reimbursement_ratio_bp"] = Ratio(payments, m.total);
  out["in_policy_reimbursement_ratio_bp"] = Ratio(payments, m.in_policy);
  out["out_of_catalog_share_county_bp"] = Ratio(m.county_out_of_catalog, m.county_total);
  out["out_of_catalog_share_outside_bp"] = Ratio(m.outside_out_of_catalog, m.outside_total);
  out["one_stop_settlements"] = m.one_stop;
  out["rectification_items"] = {
      {"opened", p.items.opened}, {"rectified", p.items.rectified}, {"closed", p.items.closed}};
  return out;
}

// One region's row: the stock on the month's last day, the month's flows
// (with the figures that do not add up over months: persons in hospital,
// items late), and the flows of the year to date.
Result<Json> MonthRow(const ProjectionSet& set, const std::string& region, int32_t month) {
  const int32_t last_day = LastDayOfMonth(month);
  const CoverageAnswer coverage = Coverage(set, RegionDate{region, last_day});
  const Period in_month = InMonth(set, region, month);
  Period year = in_month;
  for (int32_t m = month / 100 * 100 + 1; m < month; m = NextMonth(m)) year += InMonth(set, region, m);
  Json out = FlowsJson(in_month);
  out["inpatient_persons"] = in_month.claims.inpatient_persons;
  out["rectification_items"]["late"] = in_month.items.late;
  out["region"] = region;
  out["month"] = month;
  out["population"] = coverage.population;
  Json covered = Json::object();
  for (const auto& [category, counts] : coverage.tiers.entries) covered[category] = counts.covered;
  out["covered"] = std::move(covered);
  out["year_to_date"] = FlowsJson(year);
  return out;
}

}  // namespace

Result<Json> MonthlyReportJson(const ProjectionSet& set, std::string_view region_s, std::string_view month_s) {
  std::string region;
  Status st = ParseRegion(region_s, &region);
  if (!st.ok()) return st;
  int32_t month = 0;
  if (month_s.empty()) return Status::Invalid("month must be YYYYMM");
  st = ParseMonth(month_s, "month", 0, &month);
  if (!st.ok()) return st;
  auto out = MonthRow(set, region, month);
  if (!out.ok()) return out.status();
  Json subregions = Json::array();
  if (region.size() < 6) {
    for (const std::string& child : set.coverage().Subregions(region)) {
      auto row = MonthRow(set, child, month);
      if (!row.ok()) return row.status();
      subregions.push_back(std::move(*row));
    }
  }
  (*out)["subregions"] = std::move(subregions);
  return out;
}

ReportTable MonthlyReportTable(const Json& report) {
  using K = ReportColumn::Kind;
  ReportTable t;
  const int32_t month = report["month"];
  t.title = RegionTitle(report["region"]) + " " + std::to_string(month / 100) + "年" + std::to_string(month % 100) +
            "月 医疗保障扶贫调度报表";
  t.columns = {{"/region", "地区", K::kRegionName}, {"/region", "区划代码", K::kText}};
  const std::vector<ReportColumn> stock = {
      {"/population", "贫困人口数", K::kCount},
      {"/covered/basic", "参加基本医保人数", K::kCount},
      {"/covered/critical_illness", "参加大病保险人数", K::kCount},
      {"/covered/medical_assistance", "纳入医疗救助人数", K::kCount},
  };
  const std::vector<ReportColumn> flows = {
      {"/subsidised_persons", "资助参保人数", K::kCount},
      {"/subsidy_amount", "资助参保金额(元)", K::kFen},
      {"/inpatient_persons", "住院人数", K::kCount},
      {"/inpatient_person_times", "住院人次", K::kCount},
      {"/claims", "结算单数", K::kCount},
      {"/total", "医疗费总额(元)", K::kFen},
      {"/in_policy", "政策范围内费用(元)", K::kFen},
      {"/out_of_catalog", "目录外费用(元)", K::kFen},
      {"/payments/basic", "基本医保支付(元)", K::kFen},
      {"/payments/critical_illness", "大病保险支付(元)", K::kFen},
      {"/payments/medical_assistance", "医疗救助支付(元)", K::kFen},
      {"/payments/hospital_waiver", "医疗机构减免(元)", K::kFen},
      {"/payments/supplementary", "商业补充保险支付(元)", K::kFen},
      {"/personal", "个人自付(元)", K::kFen},
      {"/reimbursement_ratio_bp", "实际报销比例", K::kBp},
      {"/in_policy_reimbursement_ratio_bp", "政策范围内报销比例", K::kBp},
      {"/out_of_catalog_share_county_bp", "县域内目录外费用占比", K::kBp},
      {"/out_of_catalog_share_outside_bp", "县域外目录外费用占比", K::kBp},
      {"/one_stop_settlements", "一站式结算单数", K::kCount},
      {"/rectification_items/opened", "新增整改事项数", K::kCount},
      {"/rectification_items/rectified", "已整改事项数", K::kCount},
      {"/rectification_items/closed", "已销号事项数", K::kCount},
      {"/rectification_items/late", "逾期未销号事项数", K::kCount},
  };
  t.columns.insert(t.columns.end(), stock.begin(), stock.end());
  t.columns.insert(t.columns.end(), flows.begin(), flows.end());
  for (const ReportColumn& c : flows) {
    // The year to date has what adds up over months: not persons in
    // hospital (distinct per month) nor items late (a stock).
    if (c.path == "/inpatient_persons" || c.path == "/rectification_items/late") continue;
    t.columns.push_back({"/year_to_date" + c.path, "本年累计" + c.header, c.kind});
  }
  t.rows.push_back(report);
  for (const Json& sub : report["subregions"]) t.rows.push_back(sub);
  return t;
}

}  // namespace safetynet
