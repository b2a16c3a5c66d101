#include "projections/read/policy_survey.h"

#include <charconv>
#include <optional>

#include "events/date.h"
#include "projections/policy/policy.h"

namespace safetynet {
namespace {

Json SegmentsJson(const std::vector<Segment>& segs) {
  Json out = Json::array();
  for (const auto& s : segs) out.push_back({{"from", s.from}, {"ratio_bp", s.ratio_bp}});
  return out;
}

// The populations of the survey: a person holding no identity, then each.
std::vector<std::optional<fb::Identity>> Populations() {
  std::vector<std::optional<fb::Identity>> out = {std::nullopt};
  for (size_t i = 0; i <= static_cast<size_t>(fb::Identity::MAX); ++i) out.push_back(static_cast<fb::Identity>(i));
  return out;
}

Json PopulationsJson(const PolicyRegistry& policies, const std::string& region, int32_t date) {
  Json rows = Json::array();
  for (const auto& identity : Populations()) {
    std::vector<fb::Identity> held;
    if (identity) held.push_back(*identity);
    const PolicyTerms t = policies.TermsFor(region, held, date);
    Json row;
    row["identity"] = identity ? Json(fb::EnumNameIdentity(*identity)) : Json(nullptr);
    row["policy_id"] = t.policy ? Json(t.policy->policy_id) : Json(nullptr);
    row["policy_region"] = t.policy ? Json(t.policy->region) : Json(nullptr);
    row["assistance_ratio_bp"] = t.assistance_ratio_bp;
    row["assistance_annual_limit"] = t.assistance_annual_limit;
    row["max_total_reimbursement_bp"] = t.max_total_reimbursement_bp;
    row["out_of_catalog_max_bp"] = t.out_of_catalog_max_bp;
    row["critical_ordinary_deductible"] = t.critical_ordinary_deductible;
    row["critical_deductible"] = t.policy ? t.policy->critical_deductible : 0;
    row["critical_cap"] = t.policy ? t.policy->critical_cap : 0;
    row["critical_segments"] = t.policy ? SegmentsJson(t.policy->critical_segments) : Json::array();
    row["critical_ordinary_segments"] = t.policy ? SegmentsJson(t.policy->critical_ordinary_segments) : Json::array();
    rows.push_back(std::move(row));
  }
  return rows;
}

// The populations as people name them on the form (the dashboard alike).
std::string PopulationName(const Json& identity) {
  if (identity.is_null()) return "无特殊身份";
  const std::string id = identity;
  if (id == "REGISTERED_POOR") return "建档立卡贫困人口";
  if (id == "EXTREME_POOR_SUPPORTED") return "特困供养人员";
  if (id == "LOW_INCOME") return "低保对象";
  if (id == "MARGINAL") return "边缘人口";
  if (id == "LIFTED_KEEPS_POLICY") return "脱贫享受政策人口";
  if (id == "IMMEDIATE_AID") return "即时帮扶人口";
  return id;
}

// "0.00元起 50.00%；20000.00元起 60.00%".
std::string SegmentsText(const Json& segments) {
  std::string out;
  for (const Json& s : segments) {
    if (!out.empty()) out += "；";
    out += YuanText(s["from"].get<int64_t>()) + "元起 " + PercentText(s["ratio_bp"].get<int64_t>());
  }
  return out;
}

}  // namespace

Status ParseQuarter(std::string_view s, int32_t fallback_date, int32_t* last_day, std::string* label) {
  int32_t year = fallback_date / 10000;
  int quarter = (fallback_date / 100 % 100 + 2) / 3;
  if (!s.empty()) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
    const bool ok = ec == std::errc() && ptr == s.data() + 4 && s.size() == 6 && (s[4] == 'Q' || s[4] == 'q') &&
                    s[5] >= '1' && s[5] <= '4' && year >= 1900;
    if (!ok) return Status::Invalid("quarter must be YYYYQn, n from 1 to 4");
    quarter = s[5] - '0';
  }
  const int last_month = quarter * 3;
  *last_day = LastDayOfMonth(year * 100 + last_month);
  *label = std::to_string(year) + "Q" + std::to_string(quarter);
  return Status::Ok();
}

Result<Json> PolicySurveyJson(const Store& store, const ProjectionSet& set, std::string_view region_s,
                              std::string_view quarter_s) {
  std::string region, quarter;
  int32_t date = 0;
  Status st = ParseRegion(region_s, &region);
  if (st.ok() && region.empty()) st = Status::Invalid("region is required");
  if (st.ok()) st = ParseQuarter(quarter_s, set.ledger_date(), &date, &quarter);
  if (!st.ok()) return st;
  PolicyRegistry policies;
  st = policies.Load(store);
  if (!st.ok()) return st;
  const auto division = [](std::string code) {
    code.resize(6, '0');
    return code;
  };
  Json subregions = Json::array();
  for (const std::string& child : set.coverage().Subregions(region)) {
    subregions.push_back(
        {{"region", division(child)}, {"populations", PopulationsJson(policies, division(child), date)}});
  }
  return Json{{"region", division(region)},
              {"quarter", quarter},
              {"date", date},
              {"populations", PopulationsJson(policies, division(region), date)},
              {"subregions", std::move(subregions)}};
}

ReportTable PolicySurveyTable(const Json& survey) {
  using K = ReportColumn::Kind;
  ReportTable t;
  const std::string quarter = survey["quarter"];
  t.title = RegionTitle(survey["region"]) + " " + quarter.substr(0, 4) + "年第" + quarter.substr(5) +
            "季度 医疗保障扶贫政策调查表";
  t.columns = {
      {"/region", "地区", K::kRegionName},
      {"/region", "区划代码", K::kText},
      {"/population", "人群", K::kText},
      {"/policy_id", "适用政策", K::kText},
      {"/policy_region", "政策制定地区", K::kRegionName},
      {"/assistance_ratio_bp", "医疗救助比例", K::kBp},
      {"/assistance_annual_limit", "医疗救助年度限额(元)", K::kFen},
      {"/max_total_reimbursement_bp", "综合报销比例上限", K::kBp},
      {"/out_of_catalog_max_bp", "目录外费用占比上限", K::kBp},
      {"/critical_deductible", "大病保险起付线(元)", K::kFen},
      {"/critical_cap", "大病保险封顶线(元)", K::kFen},
      {"/critical_segments_text", "大病保险分段报销比例", K::kText},
      {"/critical_ordinary_deductible", "普通参保人大病保险起付线(元)", K::kFen},
      {"/critical_ordinary_segments_text", "普通参保人大病保险分段报销比例", K::kText},
  };
  const auto add = [&t](const Json& region) {
    for (Json row : region["populations"]) {
      row["region"] = region["region"];
      row["population"] = PopulationName(row["identity"]);
      row["critical_segments_text"] = SegmentsText(row["critical_segments"]);
      row["critical_ordinary_segments_text"] = SegmentsText(row["critical_ordinary_segments"]);
      t.rows.push_back(std::move(row));
    }
  };
  add(survey);
  for (const Json& sub : survey["subregions"]) add(sub);
  return t;
}

}  // namespace safetynet
