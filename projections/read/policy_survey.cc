#include "projections/read/policy_survey.h"

#include <optional>

#include "projections/policy/policy.h"

namespace safetynet {
namespace {

Json SegmentsJson(const std::vector<Segment>& segs) {
  Json out = Json::array();
  for (const auto& s : segs) out.push_back({{"from", s.from}, {"ratio_bp", s.ratio_bp}});
  return out;
}

}  // namespace

Result<Json> PolicySurveyJson(const Store& store, const ProjectionSet& set, std::string_view region_s,
                              std::string_view date_s) {
  std::string region;
  int32_t date = 0;
  Status st = ParseRegion(region_s, &region);
  if (st.ok() && region.empty()) st = Status::Invalid("region is required");
  if (st.ok()) st = ParseDate(date_s, set.ledger_date(), &date);
  if (!st.ok()) return st;
  region.resize(6, '0');
  PolicyRegistry policies;
  st = policies.Load(store);
  if (!st.ok()) return st;

  Json rows = Json::array();
  std::vector<std::optional<fb::Identity>> populations = {std::nullopt};
  for (size_t i = 0; i <= static_cast<size_t>(fb::Identity::MAX); ++i)
    populations.push_back(static_cast<fb::Identity>(i));
  for (const auto& identity : populations) {
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
  return Json{{"region", region}, {"date", date}, {"populations", std::move(rows)}};
}

}  // namespace safetynet
