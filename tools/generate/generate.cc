#include "tools/generate/generate.h"

#include <string>

#include "tools/generate/calendar.h"
#include "tools/generate/emitter.h"
#include "tools/generate/province.h"

namespace safetynet::gen {
namespace internal {
namespace {

constexpr std::string_view kIdentityNames[] = {
    "REGISTERED_POOR", "EXTREME_POOR_SUPPORTED", "LOW_INCOME", "MARGINAL", "LIFTED_KEEPS_POLICY", "IMMEDIATE_AID",
};
constexpr std::string_view kTierNames[] = {
    "BASIC_RESIDENT", "BASIC_EMPLOYEE", "CRITICAL_ILLNESS", "MEDICAL_ASSISTANCE", "HOSPITAL_WAIVER", "SUPPLEMENTARY",
};
constexpr std::string_view kVisitNames[] = {"INPATIENT", "OUTPATIENT", "CHRONIC_OUTPATIENT"};

}  // namespace

std::string_view IdentityName(Identity identity) { return kIdentityNames[static_cast<int>(identity)]; }
std::string_view TierName(Tier tier) { return kTierNames[static_cast<int>(tier)]; }
std::string_view VisitName(Visit visit) { return kVisitNames[static_cast<int>(visit)]; }

Province::Province(const GenerateOptions& opts, Emitter* emitter)
    : opts_(opts),
      emitter_(emitter),
      rng_(opts.seed, /*stream=*/1),
      seed_text_(std::to_string(opts.seed)),
      start_year_(opts.start_month / 100) {
  const int last_month = AddMonths(opts.start_month, opts.months - 1);
  end_date_ = MakeDate(last_month / 100, last_month % 100, DaysInMonth(last_month / 100, last_month % 100));
}

void Province::Run() {
  CreatePersons();
  for (int m = 0; m < opts_.months; ++m) RunMonth(m);
}

void Province::RunMonth(int month_index) {
  month_ = AddMonths(opts_.start_month, month_index);
  month_days_ = DaysInMonth(month_ / 100, month_ % 100);
  PublishPolicies(month_index);
  PlanPersons(month_index);
  PlanRosterDeliveries();
  PlanRectification();
  for (int day = 1; day <= month_days_; ++day) {
    const int date = month_ * 100 + day;
    emitter_->EmitDue(date);
    for (const Activity& activity : days_[day]) RunActivity(activity, date);
    days_[day].clear();
  }
}

void Province::Schedule(int day, uint32_t person, ActivityKind kind, uint8_t arg) {
  days_[day].push_back(Activity{person, kind, arg});
}

int Province::RandomDay(int from_day) { return static_cast<int>(rng_.Between(from_day, month_days_)); }

}  // namespace internal

namespace {

// Birth dates start in 1930 and precede the run.
constexpr int kFirstStartYear = 1980;
constexpr int kLastStartYear = 2200;

}  // namespace

GenerateStats GenerateProvince(const GenerateOptions& opts, std::ostream& out) {
  const int start_year = opts.start_month / 100;
  if (opts.persons <= 0 || opts.months <= 0 || start_year < kFirstStartYear || start_year > kLastStartYear ||
      !internal::IsValidDate(opts.start_month * 100 + 1)) {
    return {};
  }
  internal::Emitter emitter(opts, &out);
  internal::Province province(opts, &emitter);
  province.Run();
  return emitter.Finish();
}

}  // namespace safetynet::gen
