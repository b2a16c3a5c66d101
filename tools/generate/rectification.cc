// Inspectors' rectification items (整改): opened by supervision, patrol or
// audit (督查, 巡查, 审计) with a deadline, then progressed, rectified and
// verified (销号); some are reopened after verification, some left open past
// their deadline. An item's whole life is decided when it opens and kept by
// the Emitter until its dates; steps after the run's last day do not happen.

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "tools/generate/calendar.h"
#include "tools/generate/province.h"
#include "tools/generate/regions.h"

namespace safetynet::gen::internal {
namespace {

enum class Subject { kRegion, kHospital, kClaim };

struct Topic {
  std::string_view category;  // a check id of domain.md or free text
  std::string_view description;
  Subject subject;
  std::string_view unit_suffix;  // of the responsible unit's name
  int weight;
};

constexpr Topic kTopics[] = {
    {"C1", "建档立卡贫困人口未全部参保", Subject::kRegion, "扶贫办", 15},
    {"C2", "特困供养人员个人缴费未全额资助", Subject::kRegion, "民政局", 5},
    {"C6", "医疗救助比例未达到规定标准", Subject::kClaim, "医疗保障局", 12},
    {"C7", "县域内目录外费用占比超过10%", Subject::kHospital, "", 15},
    {"C8", "报销金额超过医疗费用，存在过度保障", Subject::kClaim, "医疗保障局", 5},
    {"C11", "贫困人口名单未按时交换比对", Subject::kRegion, "扶贫办", 8},
    {"一站式结算", "未设置一站式结算窗口", Subject::kHospital, "", 10},
    {"政策宣传", "医保扶贫政策宣传不到位", Subject::kRegion, "医疗保障局", 10},
    {"慢病管理", "门诊慢特病认定办理滞后", Subject::kRegion, "医疗保障局", 10},
    {"先诊疗后付费", "未落实先诊疗后付费", Subject::kHospital, "", 10},
};

constexpr auto kTopicWeights = [] {
  std::array<int, std::size(kTopics)> weights{};
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = kTopics[i].weight;
  return weights;
}();

constexpr std::string_view kHospitalNames[] = {"人民医院", "中医医院", "中心卫生院"};
constexpr std::string_view kVerifiers[] = {"省医疗保障局督查组", "市医疗保障局督查组", "市扶贫办"};

// On time; verified then reopened; progressed only; rectified late; untouched.
constexpr int kOutcomeWeights[] = {50, 10, 15, 10, 15};

}  // namespace

void Province::PlanRectification() {
  const auto counties = Counties();
  const auto cities = Cities();
  const int64_t items = 2 + opts_.persons / 1000 + (rng_.Chance(0.5) ? 1 : 0);
  for (int64_t i = 0; i < items; ++i) {
    const int opened_on = month_ * 100 + RandomDay(1);
    const Topic& topic = kTopics[rng_.Pick(kTopicWeights)];
    size_t county = rng_.Pick(county_weights_);
    std::string subject;
    const uint64_t recent = recent_claims_[rng_.Below(recent_claims_.size())];
    if (topic.subject == Subject::kClaim && recent != 0) {
      county = recent & 1023;
      subject = "C" + seed_text_ + "-";
      AppendPadded(&subject, recent >> 10, 6);
    }
    const bool city_level = topic.subject != Subject::kHospital && rng_.Chance(0.25);
    const std::string_view region = city_level ? counties[county].city_code : counties[county].code;
    const std::string_view region_name = city_level ? cities[counties[county].city_index].name : counties[county].name;
    std::string unit(region_name);
    if (topic.subject == Subject::kHospital || subject.empty()) {
      if (topic.subject == Subject::kRegion) {
        subject = region;
      } else {
        const size_t level = rng_.Below(3);
        subject = "H" + std::string(counties[county].code) + "00" + std::to_string(level + 1);
        if (topic.subject == Subject::kHospital) unit.append(kHospitalNames[level]);
      }
    }
    unit.append(topic.unit_suffix);

    std::string item_id = "R" + seed_text_ + "-";
    AppendPadded(&item_id, next_item_++, 5);
    const int deadline = AddDays(opened_on, rng_.Chance(0.8) ? 30 : 60);

    std::string body;
    EventBody(&body, PayloadType::kRectificationOpened, opened_on, "inspector-", region, region, "")
        .Str("item_id", item_id)
        .Str("category", topic.category)
        .Str("subject", subject)
        .Str("description", topic.description)
        .Str("responsible_unit", unit)
        .Int("deadline", deadline)
        .Finish();
    emitter_->Defer(opened_on, PayloadType::kRectificationOpened, std::move(body));

    // The later steps, each a few days after the one before.
    int on = opened_on;
    bool stopped = false;
    const auto step = [&](PayloadType type, int after_min, int after_max, std::string_view key, std::string_view text) {
      on = AddDays(on, static_cast<int>(rng_.Between(after_min, after_max)));
      stopped = stopped || on > end_date_;
      if (stopped) return;
      const bool inspector = type == PayloadType::kRectificationVerified || type == PayloadType::kRectificationReopened;
      std::string step_body;
      EventBody(&step_body, type, on, inspector ? "inspector-" : "medical-insurance-", region, region, "")
          .Str("item_id", item_id)
          .Str(key, text)
          .Finish();
      emitter_->Defer(on, type, std::move(step_body));
    };
    const int span = DaysBetween(opened_on, deadline);
    const std::string_view verifier = kVerifiers[rng_.Below(std::size(kVerifiers))];
    const size_t outcome = rng_.Pick(kOutcomeWeights);
    switch (outcome) {
      case 0:
      case 1:
        step(PayloadType::kRectificationProgressed, 3, 10, "note", "已制定整改方案，正在推进");
        step(PayloadType::kRectificationRectified, 3, span / 2, "evidence", "已完成整改，提交佐证材料");
        step(PayloadType::kRectificationVerified, 1, std::max(1, DaysBetween(on, deadline)), "verifier", verifier);
        if (outcome == 0) break;
        step(PayloadType::kRectificationReopened, 10, 40, "reason", "复查发现问题反弹");
        if (rng_.Chance(0.5)) {
          step(PayloadType::kRectificationRectified, 10, 20, "evidence", "再次整改到位");
        }
        break;
      case 2: step(PayloadType::kRectificationProgressed, 5, 15, "note", "整改推进中，尚未完成"); break;
      case 3:
        step(PayloadType::kRectificationProgressed, 5, 10, "note", "整改进度滞后");
        on = deadline;
        step(PayloadType::kRectificationRectified, 5, 30, "evidence", "已完成整改，逾期");
        step(PayloadType::kRectificationVerified, 3, 10, "verifier", verifier);
        break;
      default: break;
    }
  }
}

}  // namespace safetynet::gen::internal
