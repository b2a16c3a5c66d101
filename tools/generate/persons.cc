// Persons of the province: who they are (resident ID number, county,
// identity), when they join the roster, lose or regain their identity or move,
// and their yearly enrollment and contribution.

#include <algorithm>

#include "tools/generate/calendar.h"
#include "tools/generate/province.h"
#include "tools/generate/regions.h"

namespace safetynet::gen::internal {
namespace {

// Shares of the identities on the roster, in Identity order.
constexpr int kIdentityWeights[] = {60, 8, 12, 7, 10, 3};
// Birth decades from the 1930s to the 2010s: the poor population is old.
constexpr int kFirstBirthYear = 1930;
constexpr int kDecadeWeights[] = {4, 10, 18, 20, 15, 10, 8, 9, 6};
// Identities recorded since the roster was built (建档立卡, 2014).
constexpr int kRosterBuiltOn = 20140101;

constexpr double kLateJoinShare = 0.12;
constexpr double kEmployeeSchemeShare = 0.06;
constexpr double kChronicOlderShare = 0.35;  // over 40
constexpr double kChronicYoungerShare = 0.04;
constexpr double kNeverEnrolledShare = 0.06;
constexpr double kReasonRecordedShare = 0.5;
constexpr double kValidToShare = 0.25;
constexpr double kWrongSubsidyShare = 0.02;
// Monthly hazards.
constexpr double kRevokePerMonth = 0.004;
constexpr double kMovePerMonth = 0.0015;
constexpr double kRegrantPerMonth = 0.06;
constexpr double kLapsePerMonth = 0.004;
constexpr double kRestorePerMonth = 0.3;
constexpr double kInpatientPerMonth = 0.022;
constexpr double kOutpatientPerMonth = 0.16;
constexpr double kChronicVisitPerMonth = 0.7;

// GB 11643 check character of the resident ID number.
constexpr int kIdWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kIdCheck[] = "10X98765432";

struct Reason {
  std::string_view name;
  std::string_view evidence;
};
// The three groups of domain.md: covered elsewhere, not required, a gap.
constexpr Reason kCoveredElsewhere[] = {
    {"EMPLOYEE_INSURANCE", "已参加城镇职工基本医疗保险"},
    {"ENROLLED_ELSEWHERE", "已在务工地异地参保"},
};
constexpr Reason kNotRequired[] = {
    {"DECEASED", "死亡，已注销户籍"},
    {"MILITARY_SERVICE", "应征入伍"},
    {"IMPRISONED", "服刑人员"},
    {"EMIGRATED", "出国定居"},
};
constexpr Reason kStillAGap[] = {
    {"CANNOT_AFFORD", "家庭困难无力缴费"},          {"REFUSED", "本人拒绝缴费"}, {"LOST_CONTACT", "长期外出务工失联"},
    {"IDENTITY_ERROR", "身份证号码与户籍信息不符"}, {"OTHER", "待核实"},
};

// Personal contribution of the resident scheme (城乡居民医保个人缴费).
int64_t PersonalDueFen(int year) {
  constexpr int64_t kByYear[] = {22000, 25000, 28000, 32000, 35000, 38000, 40000};
  if (year < 2018) return 18000;
  if (year <= 2024) return kByYear[year - 2018];
  return 40000 + 2000 * (year - 2024);
}

// Civil affairs (民政) keeps the extreme-poor and low-income rosters, the
// poverty-alleviation office (扶贫办) the others.
std::string_view RosterSource(Identity identity) {
  return identity == Identity::kExtremePoorSupported || identity == Identity::kLowIncome ? "civil-affairs-"
                                                                                         : "poverty-office-";
}

}  // namespace

void Province::CreatePersons() {
  const auto counties = Counties();
  county_weights_.clear();
  for (const County& c : counties) county_weights_.push_back(c.weight);
  county_poor_.assign(counties.size(), 0);
  const int birth_days = DaysBetween(MakeDate(kFirstBirthYear, 1, 1), MakeDate(start_year_, 1, 1));
  birth_counts_.assign(counties.size() * static_cast<size_t>(birth_days), 0);

  persons_.resize(static_cast<size_t>(opts_.persons));
  for (Person& p : persons_) {
    p.home_county = static_cast<uint16_t>(rng_.Pick(county_weights_));
    p.county = p.home_county;
    p.join_month =
        opts_.months > 1 && rng_.Chance(kLateJoinShare) ? static_cast<uint16_t>(rng_.Between(1, opts_.months - 1)) : 0;
    p.identity = static_cast<Identity>(rng_.Pick(kIdentityWeights));
    if (rng_.Chance(kEmployeeSchemeShare)) p.flags |= kEmployeeScheme;
    if (rng_.Chance(kNeverEnrolledShare)) {
      constexpr int kCategoryWeights[] = {50, 25, 25};
      p.skipped = static_cast<uint8_t>(1 << rng_.Pick(kCategoryWeights));
      if (rng_.Chance(kReasonRecordedShare)) p.flags |= kReasonPending;
    }
    // Birth date and sequence number, unique per county and birth date.
    const bool male = rng_.Chance(0.5);
    while (true) {
      const int decade = static_cast<int>(rng_.Pick(kDecadeWeights));
      const int year = std::min(kFirstBirthYear + 10 * decade + static_cast<int>(rng_.Below(10)), start_year_ - 1);
      const int day_of_year = static_cast<int>(rng_.Below(IsLeapYear(year) ? 366 : 365));
      p.birth_date = AddDays(MakeDate(year, 1, 1), day_of_year);
      const int day_index = DaysBetween(MakeDate(kFirstBirthYear, 1, 1), p.birth_date);
      if (day_index < 0 || day_index >= birth_days) continue;
      uint16_t& count = birth_counts_[p.home_county * static_cast<size_t>(birth_days) + static_cast<size_t>(day_index)];
      // The first two digits name the police station (派出所) in real
      // numbers; a fixed offset per county and date imitates that.
      const int sequence = (p.home_county * 7 + day_index) % 40 * 20 + 2 * count + (male ? 1 : 2);
      if (sequence > 999) continue;
      ++count;
      p.id_sequence = static_cast<uint16_t>(sequence);
      break;
    }
    const bool older = YearOf(p.birth_date) < start_year_ - 40;
    if (rng_.Chance(older ? kChronicOlderShare : kChronicYoungerShare)) {
      p.flags |= kChronic;
      p.chronic_diagnosis = static_cast<uint8_t>(rng_.Below(256));
    }
  }
}

void Province::PlanPersons(int month_index) {
  const int first_date = month_ * 100 + 1;
  const bool january = month_ % 100 == 1;
  std::fill(county_poor_.begin(), county_poor_.end(), 0);
  for (uint32_t i = 0; i < persons_.size(); ++i) {
    Person& p = persons_[i];
    if (p.join_month > month_index) continue;
    int from_day = 1;
    if (p.join_month == month_index) {
      from_day = static_cast<int>(month_index == 0 ? rng_.Between(1, 5) : rng_.Between(1, 28));
      Schedule(from_day, i, ActivityKind::kJoin);
    } else {
      const bool poor = IsPoor(p, first_date);
      if (poor) ++county_poor_[p.county];
      if (p.flags & kDormant) continue;
      if (january) {
        from_day = static_cast<int>(rng_.Between(2, 20));
        Schedule(from_day, i, ActivityKind::kYearStart);
      }
      if (poor && p.poor_from < first_date) {
        if (rng_.Chance(kRevokePerMonth)) {
          Schedule(RandomDay(from_day), i, ActivityKind::kRevoke);
        } else if (rng_.Chance(kMovePerMonth)) {
          Schedule(RandomDay(from_day), i, ActivityKind::kMove);
        }
      } else if (!poor && rng_.Chance(kRegrantPerMonth)) {
        Schedule(RandomDay(from_day), i, ActivityKind::kRegrant);
      }
      if (p.lapsed != 0) {
        if (rng_.Chance(kRestorePerMonth)) {
          const uint8_t category = p.lapsed & static_cast<uint8_t>(-p.lapsed);
          Schedule(RandomDay(from_day), i, ActivityKind::kRestore, category);
        }
      } else if (poor && p.enrolled != 0 && rng_.Chance(kLapsePerMonth)) {
        uint8_t category = static_cast<uint8_t>(1 << rng_.Below(3));
        if ((p.enrolled & category) == 0) category = p.enrolled & -p.enrolled;
        Schedule(RandomDay(from_day), i, ActivityKind::kLapse, category);
      }
    }
    if (rng_.Chance(kInpatientPerMonth)) {
      Schedule(RandomDay(from_day), i, ActivityKind::kClaim, static_cast<uint8_t>(Visit::kInpatient));
    }
    if (rng_.Chance(kOutpatientPerMonth)) {
      Schedule(RandomDay(from_day), i, ActivityKind::kClaim, static_cast<uint8_t>(Visit::kOutpatient));
    }
    if ((p.flags & kChronic) && rng_.Chance(kChronicVisitPerMonth)) {
      Schedule(RandomDay(from_day), i, ActivityKind::kClaim, static_cast<uint8_t>(Visit::kChronicOutpatient));
    }
  }
}

void Province::RunActivity(const Activity& activity, int date) {
  Person& p = persons_[activity.person];
  current_id_ = PersonId(p);
  emitter_->SetContext(date, CountyCode(p), current_id_);
  switch (activity.kind) {
    case ActivityKind::kJoin: Join(p, date); break;
    case ActivityKind::kYearStart:
      p.enrolled = 0;
      p.lapsed = 0;
      Enroll(p, date, MakeDate(YearOf(date), 1, 1));
      break;
    case ActivityKind::kRevoke: Revoke(p, date); break;
    case ActivityKind::kRegrant: Regrant(p, date); break;
    case ActivityKind::kMove: Move(p, date); break;
    case ActivityKind::kLapse:
      if (p.enrolled & activity.arg) {
        ChangeEnrollment(p, date, date, activity.arg, false);
        p.lapsed |= activity.arg;
      }
      break;
    case ActivityKind::kRestore:
      if (p.lapsed & activity.arg) {
        p.lapsed &= static_cast<uint8_t>(~activity.arg);
        if (activity.arg != kAssistanceBit || IsPoor(p, date)) {
          ChangeEnrollment(p, date, date, activity.arg, true);
        }
      }
      break;
    case ActivityKind::kClaim:
      if ((p.flags & kDormant) == 0) {
        SettleClaim(p, static_cast<Visit>(activity.arg), date);
      }
      break;
  }
}

void Province::Join(Person& p, int date) {
  int valid_from;
  if (p.join_month == 0) {
    // On the roster for years already: recorded in the first delivery.
    const int64_t last = DayNumber(date) - 1;
    valid_from = DateFromDayNumber(rng_.Between(std::min(DayNumber(kRosterBuiltOn), last), last));
  } else {
    valid_from = AddDays(date, -static_cast<int>(rng_.Between(0, 20)));
  }
  const int valid_to =
      rng_.Chance(kValidToShare) ? MakeDate(YearOf(date) + static_cast<int>(rng_.Below(3)), 12, 31) : 0;
  p.poor_from = valid_from;
  p.poor_to = valid_to;
  WriteGrant(p, date, valid_from, valid_to);
  if (p.flags & kReasonPending) RecordReasons(p, date);
  Enroll(p, date, p.join_month == 0 ? MakeDate(YearOf(date), 1, 1) : date);
}

void Province::RecordReasons(Person& p, int date) {
  p.flags &= static_cast<uint8_t>(~kReasonPending);
  // The groups and the reasons within them in turn, so that small runs
  // have all three groups.
  const uint64_t turn = reasons_recorded_++;
  const uint64_t group = turn % 3;
  const uint64_t index = turn / 3;
  const Reason& reason = group == 0   ? kCoveredElsewhere[index % std::size(kCoveredElsewhere)]
                         : group == 1 ? kNotRequired[index % std::size(kNotRequired)]
                                      : kStillAGap[index % std::size(kStillAGap)];
  if (group == 1) {
    // Nobody enrolls a deceased or emigrated person in any tier.
    p.skipped = kAllCategories;
    p.flags |= kDormant;
  }
  for (uint8_t category = kBasicBit; category <= kAssistanceBit; category = static_cast<uint8_t>(category << 1)) {
    if ((p.skipped & category) == 0) continue;
    EventBody(&body_, PayloadType::kNonEnrollmentReasonRecorded, date, "medical-insurance-", CountyCode(p),
              CountyCode(p), current_id_)
        .Str("tier", TierName(TierOf(p, category)))
        .Str("reason", reason.name)
        .Str("evidence", reason.evidence)
        .Finish();
    emitter_->Emit(PayloadType::kNonEnrollmentReasonRecorded, body_);
  }
}

void Province::Enroll(Person& p, int date, int effective_on) {
  const uint8_t eligible = kBasicBit | kCriticalBit | (IsPoor(p, date) ? kAssistanceBit : 0);
  for (uint8_t category = kBasicBit; category <= kAssistanceBit; category = static_cast<uint8_t>(category << 1)) {
    if ((eligible & category) && (p.skipped & category) == 0) {
      ChangeEnrollment(p, date, effective_on, category, true);
    }
  }
  if ((p.flags & kEmployeeScheme) == 0 && (p.enrolled & kBasicBit)) {
    PayContribution(p, date);
  }
}

void Province::PayContribution(Person& p, int date) {
  const int64_t due = PersonalDueFen(YearOf(date));
  int64_t subsidy = 0;
  std::string_view fund = "财政扶贫资金";
  if (IsPoor(p, date)) {
    switch (p.identity) {
      case Identity::kExtremePoorSupported:
        subsidy = due;  // 全额资助
        fund = "民政医疗救助资金";
        break;
      case Identity::kLowIncome:
        subsidy = due * 7 / 10;
        fund = "民政医疗救助资金";
        break;
      case Identity::kMarginal: subsidy = 5000; break;
      case Identity::kRegisteredPoor:
      case Identity::kLiftedKeepsPolicy:
      case Identity::kImmediateAid:
        subsidy = 10000;  // fixed subsidy (定额资助)
        break;
    }
    if ((p.identity == Identity::kExtremePoorSupported || p.identity == Identity::kRegisteredPoor) &&
        rng_.Chance(kWrongSubsidyShare)) {
      subsidy = p.identity == Identity::kExtremePoorSupported ? due / 2 : 0;
    }
  }
  EventBody body(&body_, PayloadType::kContributionPaid, date, "tax-bureau-", CountyCode(p), CountyCode(p),
                 current_id_);
  body.Int("year", YearOf(date)).Int("personal_due", due).Int("subsidy", subsidy);
  if (subsidy > 0) body.Str("subsidy_source", fund);
  body.Finish();
  emitter_->Emit(PayloadType::kContributionPaid, body_);
}

void Province::Revoke(Person& p, int date) {
  if (!IsPoor(p, date) || p.poor_from >= date) return;
  // Often recorded weeks after the fact: revoked_on lies before the date.
  const int revoked_on = std::max(AddDays(p.poor_from, 1), AddDays(date, -static_cast<int>(rng_.Between(0, 45))));
  EventBody(&body_, PayloadType::kIdentityRevoked, date, RosterSource(p.identity), CountyCode(p), CountyCode(p),
            current_id_)
      .Str("identity", IdentityName(p.identity))
      .Int("revoked_on", revoked_on)
      .Finish();
  emitter_->Emit(PayloadType::kIdentityRevoked, body_);
  p.poor_to = AddDays(revoked_on, -1);
  p.lapsed &= static_cast<uint8_t>(~kAssistanceBit);
  if (p.enrolled & kAssistanceBit) {
    ChangeEnrollment(p, date, revoked_on, kAssistanceBit, false);
  }
}

void Province::Regrant(Person& p, int date) {
  if (IsPoor(p, date)) return;
  if (rng_.Chance(0.5)) {
    // Returned to poverty: watched as marginal, aided at once or low-income.
    constexpr Identity kReturned[] = {Identity::kMarginal, Identity::kImmediateAid, Identity::kLowIncome};
    p.identity = kReturned[rng_.Below(3)];
  }
  p.poor_from = date;
  p.poor_to = 0;
  WriteGrant(p, date, date, 0);
  if ((p.skipped & kAssistanceBit) == 0 && (p.enrolled & kAssistanceBit) == 0) {
    ChangeEnrollment(p, date, date, kAssistanceBit, true);
  }
}

void Province::Move(Person& p, int date) {
  const auto counties = Counties();
  const int city = counties[p.county].city_index;
  uint16_t target = p.county;
  if (rng_.Chance(0.7)) {
    std::vector<uint16_t> same_city;
    for (uint16_t c = 0; c < counties.size(); ++c) {
      if (counties[c].city_index == city && c != p.county) same_city.push_back(c);
    }
    if (!same_city.empty()) target = same_city[rng_.Below(same_city.size())];
  }
  while (target == p.county) {
    target = static_cast<uint16_t>(rng_.Pick(county_weights_));
  }
  p.county = target;
  // A later revocation must fall inside this grant's interval too, so that
  // it ends both: the known interval now starts with the move.
  p.poor_from = date;
  WriteGrant(p, date, date, p.poor_to);
}

void Province::ChangeEnrollment(Person& p, int date, int effective_on, uint8_t category, bool enrolled) {
  EventBody(&body_, PayloadType::kEnrollmentChanged, date, "medical-insurance-", CountyCode(p), CountyCode(p),
            current_id_)
      .Str("tier", TierName(TierOf(p, category)))
      .Bool("enrolled", enrolled)
      .Int("effective_on", effective_on)
      .Finish();
  emitter_->Emit(PayloadType::kEnrollmentChanged, body_);
  if (enrolled) {
    p.enrolled |= category;
  } else {
    p.enrolled &= static_cast<uint8_t>(~category);
  }
}

void Province::WriteGrant(const Person& p, int date, int valid_from, int valid_to) {
  EventBody(&body_, PayloadType::kIdentityGranted, date, RosterSource(p.identity), CountyCode(p), CountyCode(p),
            current_id_)
      .Str("identity", IdentityName(p.identity))
      .Int("valid_from", valid_from)
      .Int("valid_to", valid_to)
      .Finish();
  emitter_->Emit(PayloadType::kIdentityGranted, body_);
}

std::string_view Province::PersonId(const Person& p) {
  const std::string_view region = Counties()[p.home_county].code;
  std::copy(region.begin(), region.end(), person_id_);
  int birth = p.birth_date;
  for (int i = 13; i >= 6; --i, birth /= 10) person_id_[i] = char('0' + birth % 10);
  int sequence = p.id_sequence;
  for (int i = 16; i >= 14; --i, sequence /= 10) {
    person_id_[i] = char('0' + sequence % 10);
  }
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (person_id_[i] - '0') * kIdWeights[i];
  person_id_[17] = kIdCheck[sum % 11];
  return std::string_view(person_id_, sizeof(person_id_));
}

std::string_view Province::CountyCode(const Person& p) const { return Counties()[p.county].code; }

Tier Province::TierOf(const Person& p, uint8_t category) const {
  if (category == kBasicBit) {
    return (p.flags & kEmployeeScheme) ? Tier::kBasicEmployee : Tier::kBasicResident;
  }
  return category == kCriticalBit ? Tier::kCriticalIllness : Tier::kMedicalAssistance;
}

}  // namespace safetynet::gen::internal
