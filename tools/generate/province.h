// The simulated province behind GenerateProvince: persons with their poverty
// identities and enrollment, the policies in force, and the month-by-month
// schedule of what happens to whom. Its parts live in one file per concern:
// generate.cc (the month loop), persons.cc (roster and enrollment),
// claims.cc (what a claim costs, what the tiers pay), settlement.cc (writing
// claims and payments, later corrections), policies.cc (policies and the
// monthly data exchange), rectification.cc (inspectors' items). Not
// thread-safe.
//
// All randomness comes from one Rng drawn in a fixed order, so a seed fixes
// the whole history. Everything an activity writes is written when the
// activity runs, in business-date order; what happens later to the same fact
// (a manual payment weeks after discharge, a reversal) is built at once and
// kept by the Emitter until its date.

#ifndef SAFETYNET_TOOLS_GENERATE_PROVINCE_H_
#define SAFETYNET_TOOLS_GENERATE_PROVINCE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/generate/emitter.h"
#include "tools/generate/generate.h"
#include "tools/generate/random.h"

namespace safetynet::gen::internal {

// Enums of events/event.fbs, with the same order as the schema.
enum class Identity : uint8_t {
  kRegisteredPoor,
  kExtremePoorSupported,
  kLowIncome,
  kMarginal,
  kLiftedKeepsPolicy,
  kImmediateAid,
};
enum class Tier : uint8_t {
  kBasicResident,
  kBasicEmployee,
  kCriticalIllness,
  kMedicalAssistance,
  kHospitalWaiver,
  kSupplementary,
};
enum class Visit : uint8_t { kInpatient, kOutpatient, kChronicOutpatient };

std::string_view IdentityName(Identity identity);
std::string_view TierName(Tier tier);
std::string_view VisitName(Visit visit);

// Coverage categories of domain.md, as bits of Person::enrolled and friends.
inline constexpr uint8_t kBasicBit = 1;
inline constexpr uint8_t kCriticalBit = 2;
inline constexpr uint8_t kAssistanceBit = 4;
inline constexpr uint8_t kAllCategories = 7;

// Person::flags.
inline constexpr uint8_t kEmployeeScheme = 1;  // BASIC_EMPLOYEE, no contribution
inline constexpr uint8_t kChronic = 2;         // monthly chronic outpatient care
inline constexpr uint8_t kDormant = 4;         // deceased, emigrated…: no activity
inline constexpr uint8_t kReasonPending = 8;   // records why on joining

struct Person {
  int32_t birth_date;  // YYYYMMDD, part of the resident ID number
  // The identity interval the province knows of now: [poor_from, poor_to],
  // poor_to 0 = open. A revocation sets poor_to to the day before.
  int32_t poor_from = 0;
  int32_t poor_to = 0;
  // Running totals of the year `totals_year`, for critical illness
  // accumulation, its cap, and the assistance annual limit.
  int64_t critical_base_fen = 0;
  int64_t critical_paid_fen = 0;
  int64_t assistance_paid_fen = 0;
  int32_t totals_year = 0;
  uint16_t home_county;  // county of the ID number (never changes)
  uint16_t county;       // county of the latest grant
  uint16_t id_sequence;  // 3-digit sequence of the ID number
  uint16_t join_month;   // month index of the first grant
  Identity identity = Identity::kRegisteredPoor;
  uint8_t flags = 0;
  uint8_t skipped = 0;   // categories never enrolled
  uint8_t enrolled = 0;  // categories enrolled now
  uint8_t lapsed = 0;    // categories ended by a lapse, to be restored
  uint8_t chronic_diagnosis = 0;
};

// Whether the province, as far as it knows now, counts `p` poor on `date`.
inline bool IsPoor(const Person& p, int date) {
  return p.poor_from != 0 && date >= p.poor_from && (p.poor_to == 0 || date <= p.poor_to);
}

struct Segment {
  int64_t from;
  int ratio_bp;
};

// One version of a published policy, as PolicyPublished carries it.
struct Policy {
  std::string policy_id;
  std::string_view region;  // "230000" or a city's code
  int identity = -1;        // an Identity, or -1 for everyone
  int year = 0;
  int effective_from = 0;
  int effective_to = 0;
  int published_on = 0;
  int64_t critical_deductible = 0;
  int64_t critical_ordinary_deductible = 0;
  std::vector<Segment> critical_segments;
  std::vector<Segment> critical_ordinary_segments;
  int64_t critical_cap = 0;
  int assistance_ratio_bp = 7000;
  int64_t assistance_annual_limit = 0;
  int max_total_reimbursement_bp = 0;
  int out_of_catalog_max_bp = 1000;
};

enum class ActivityKind : uint8_t {
  kJoin,
  kYearStart,
  kRevoke,
  kRegrant,
  kMove,
  kLapse,
  kRestore,
  kClaim,
};

// Something a person does on one day of the current month.
struct Activity {
  uint32_t person;
  ActivityKind kind;
  uint8_t arg;  // category bit for a lapse or restore, Visit for a claim
};

class Province {
 public:
  Province(const GenerateOptions& opts, Emitter* emitter);

  // Writes the whole run through the emitter.
  void Run();

 private:
  // generate.cc
  void RunMonth(int month_index);
  void Schedule(int day, uint32_t person, ActivityKind kind, uint8_t arg = 0);
  int RandomDay(int from_day);  // a day of the current month >= from_day

  // persons.cc
  void CreatePersons();
  void PlanPersons(int month_index);
  void RunActivity(const Activity& activity, int date);
  void Join(Person& p, int date);
  void RecordReasons(Person& p, int date);
  void Enroll(Person& p, int date, int effective_on);
  void PayContribution(Person& p, int date);
  void Revoke(Person& p, int date);
  void Regrant(Person& p, int date);
  void Move(Person& p, int date);
  void ChangeEnrollment(Person& p, int date, int effective_on, uint8_t category, bool enrolled);
  void WriteGrant(const Person& p, int date, int valid_from, int valid_to);
  std::string_view PersonId(const Person& p);  // into person_id_
  std::string_view CountyCode(const Person& p) const;
  Tier TierOf(const Person& p, uint8_t category) const;

  // claims.cc
  void SettleClaim(Person& p, Visit visit, int date);

  // policies.cc
  void PublishPolicies(int month_index);
  void PublishYear(int year, int date);
  void Publish(Policy policy);
  const Policy& PolicyInForce(const Person& p, bool poor, int date) const;
  void PlanRosterDeliveries();

  // rectification.cc
  void PlanRectification();

  const GenerateOptions opts_;
  Emitter* emitter_;
  Rng rng_;
  std::string seed_text_;
  int start_year_;
  int month_ = 0;       // YYYYMM of the current month
  int month_days_ = 0;  // days in it
  int end_date_ = 0;    // last day of the run
  std::vector<Person> persons_;
  std::vector<uint16_t> birth_counts_;  // persons per (county, birth date)
  std::vector<int> county_weights_;
  std::vector<int64_t> county_poor_;  // poor persons per county, month start
  std::vector<Policy> policies_;      // every version, in ledger order
  std::array<std::vector<Activity>, 32> days_;
  uint64_t next_claim_ = 1;
  uint64_t next_item_ = 1;
  uint64_t reasons_recorded_ = 0;
  // Recent claims for inspectors to name: claim number << 10 | county index.
  std::array<uint64_t, 64> recent_claims_{};
  uint64_t claims_settled_ = 0;
  std::string body_;
  char person_id_[18];
  std::string_view current_id_;  // person_id of the running activity
};

}  // namespace safetynet::gen::internal

#endif  // SAFETYNET_TOOLS_GENERATE_PROVINCE_H_
