#include "projections/read/monthly_report.h"

#include <charconv>
#include <numeric>

#include "events/date.h"
#include "events/money.h"
#include "projections/claims/claim_months.h"
#include "projections/read/rectification_queries.h"

namespace safetynet {
namespace {

// floor(num x 10000 / den) in 128 bits; null when den is 0 (sums are >= 0 here).
Json Ratio(int64_t num, int64_t den) { return den <= 0 ? Json(nullptr) : Json(MulDiv(num, 10000, den)); }

// CSV columns: (JSON path, Chinese header).
const std::vector<std::pair<std::string, std::string>>& Columns() {
  static const std::vector<std::pair<std::string, std::string>> kColumns = {
      {"/region", "地区"},
      {"/month", "月份"},
      {"/population", "贫困人口数"},
      {"/covered/basic", "参加基本医保人数"},
      {"/covered/critical_illness", "参加大病保险人数"},
      {"/covered/medical_assistance", "纳入医疗救助人数"},
      {"/subsidised_persons", "资助参保人数"},
      {"/subsidy_amount", "资助参保金额(分)"},
      {"/inpatient_persons", "住院人数"},
      {"/inpatient_person_times", "住院人次"},
      {"/claims", "结算单数"},
      {"/total", "医疗费总额(分)"},
      {"/in_policy", "政策范围内费用(分)"},
      {"/out_of_catalog", "目录外费用(分)"},
      {"/payments/basic", "基本医保支付(分)"},
      {"/payments/critical_illness", "大病保险支付(分)"},
      {"/payments/medical_assistance", "医疗救助支付(分)"},
      {"/payments/hospital_waiver", "医疗机构减免(分)"},
      {"/payments/supplementary", "商业补充保险支付(分)"},
      {"/personal", "个人自付(分)"},
      {"/reimbursement_ratio_bp", "实际报销比例(基点)"},
      {"/in_policy_reimbursement_ratio_bp", "政策范围内报销比例(基点)"},
      {"/out_of_catalog_share_county_bp", "县域内目录外费用占比(基点)"},
      {"/out_of_catalog_share_outside_bp", "县域外目录外费用占比(基点)"},
      {"/one_stop_settlements", "一站式结算单数"},
      {"/rectification_items/opened", "新增整改事项数"},
      {"/rectification_items/rectified", "已整改事项数"},
      {"/rectification_items/closed", "已销号事项数"},
      {"/rectification_items/late", "逾期未销号事项数"},
  };
  return kColumns;
}

}  // namespace

Result<Json> MonthlyReportJson(const ProjectionSet& set, std::string_view region_s, std::string_view month_s) {
  std::string region;
  Status st = ParseRegion(region_s, &region);
  if (!st.ok()) return st;
  int32_t month = 0;
  auto [ptr, ec] = std::from_chars(month_s.data(), month_s.data() + month_s.size(), month);
  if (ec != std::errc() || ptr != month_s.data() + month_s.size() || !IsValidMonth(month)) {
    return Status::Invalid("month must be YYYYMM");
  }
  const int32_t last_day = month * 100 + DaysInMonth(month / 100, month % 100);

  Json out;
  out["region"] = region;
  out["month"] = month;
  // Population and coverage: the coverage answer on the month's last day.
  auto coverage = CoverageJson(set, region, std::to_string(last_day));
  if (!coverage.ok()) return coverage.status();
  out["population"] = (*coverage)["population"];
  Json covered = Json::object();
  for (const auto& [category, counts] : (*coverage)["tiers"].items()) covered[category] = counts["covered"];
  out["covered"] = std::move(covered);

  // Subsidised persons: the latest ContributionPaid per person and year, paid
  // in the month with a subsidy, under the person's region (kept as they change).
  const auto subsidies = set.subsidies().At(region, 0, month);
  const int64_t subsidised = subsidies[0], subsidy = subsidies[1];
  out["subsidised_persons"] = subsidised;
  out["subsidy_amount"] = subsidy;

  // The month's claims: their sums, kept as claims and persons change (claim_months.h).
  const ClaimMonths::Sums m = set.claim_months().Month(region, month);
  const std::array<int64_t, kTierCount>& paid = m.paid;
  const auto tier = [&](fb::Tier t) { return paid[static_cast<size_t>(t)]; };
  const int64_t payments = std::accumulate(paid.begin(), paid.end(), int64_t{0}, AddFen);
  out["inpatient_persons"] = m.inpatient_persons;
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

  const RectificationMonth items = RectificationsInMonth(set, region, month);
  out["rectification_items"] = {
      {"opened", items.opened}, {"rectified", items.rectified}, {"closed", items.closed}, {"late", items.late}};
  return out;
}

std::string MonthlyReportCsv(const Json& report) {
  std::string header = "\xEF\xBB\xBF", row;  // BOM: Excel reads the file as UTF-8
  for (const auto& [path, name] : Columns()) {
    if (!row.empty()) header += ",", row += ",";
    header += name;
    const Json& v = report.at(Json::json_pointer(path));
    row += v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump();
  }
  return header + "\r\n" + row + "\r\n";
}

}  // namespace safetynet
