// libFuzzer target for the projections: the input is read as a program of
// events — grants, revocations, enrollments, contributions, reasons, claims,
// reversals, payments, policies, roster deliveries, rectification steps —
// over a few persons, claims, hospitals and regions, with dates that move
// and amounts up to the largest accepted. Each event goes through the
// inbound codec (so only valid events reach the ledger), then the whole
// projection set folds them in batches over an in-memory store, and every
// query runs on the result. Under ASan and UBSan, any overflow, bad access
// or undefined behaviour is a finding; besides, the fold must be a pure
// function of the log: folding the same stored events again, cut into other
// batches and checkpoints, gives the same projections byte for byte.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "events/batch_pipeline.h"
#include "events/codec.h"
#include "events/date.h"
#include "events/money.h"
#include "projections/core/projection_set.h"
#include "projections/read/audit_queries.h"
#include "projections/read/monthly_report.h"
#include "projections/read/queries.h"
#include "projections/read/rectification_queries.h"
#include "tests/mem_store.h"

namespace {

using namespace safetynet;
using nlohmann::json;

// Reads the fuzzer's bytes as small choices; zeros once they run out.
class Program {
 public:
  Program(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  uint32_t Pick(uint32_t n) { return n == 0 ? 0 : Byte() % n; }
  int64_t Amount() {
    static constexpr int64_t kAmounts[] = {
        0, 1, 99, 10000, 123456, 5000000, 100000000, kAmountMaxFen - 1, kAmountMaxFen};
    return kAmounts[Pick(std::size(kAmounts))];
  }
  int32_t Ratio() {
    static constexpr int32_t kRatios[] = {0, 1, 500, 5500, 7000, 7500, 9999, 10000, 100000};
    return kRatios[Pick(std::size(kRatios))];
  }

 private:
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

constexpr const char* kIdentities[] = {"REGISTERED_POOR", "EXTREME_POOR_SUPPORTED", "LOW_INCOME",
                                       "MARGINAL",        "LIFTED_KEEPS_POLICY",    "IMMEDIATE_AID"};
constexpr const char* kTiers[] = {"BASIC_RESIDENT",     "BASIC_EMPLOYEE",  "CRITICAL_ILLNESS",
                                  "MEDICAL_ASSISTANCE", "HOSPITAL_WAIVER", "SUPPLEMENTARY"};
constexpr const char* kReasons[] = {"EMPLOYEE_INSURANCE", "DECEASED", "CANNOT_AFFORD", "OTHER"};
constexpr const char* kVisits[] = {"INPATIENT", "OUTPATIENT", "CHRONIC_OUTPATIENT"};
constexpr const char* kRegions[] = {"230102", "230103", "230202"};

struct Msg {
  json event;
  TopicKind topic;
};

Msg Next(Program& p, int n, int* date) {
  *date = AddDays(*date, p.Pick(4) == 0 ? p.Pick(60) : 0);  // time passes now and then
  const std::string person = "2301021980010100" + std::to_string(10 + p.Pick(6));
  const std::string claim = "C" + std::to_string(p.Pick(6));
  const int32_t on = AddDays(*date, -static_cast<int>(p.Pick(40)));  // often dated in the past
  json e = {
      {"event_id", "f" + std::to_string(n)}, {"occurred_on", on}, {"source", "fuzz"}, {"region", kRegions[p.Pick(3)]}};
  const auto with_person = [&] { e["person_id"] = person; };
  switch (p.Pick(13)) {
    case 0:
      with_person();
      e["payload_type"] = "IdentityGranted";
      e["payload"] = {{"identity", kIdentities[p.Pick(6)]},
                      {"valid_from", AddDays(on, -static_cast<int>(p.Pick(400)))}};
      if (p.Pick(3) == 0) e["payload"]["valid_to"] = AddDays(on, static_cast<int>(p.Pick(200)));
      return {e, TopicKind::kRoster};
    case 1:
      with_person();
      e["payload_type"] = "IdentityRevoked";
      e["payload"] = {{"identity", kIdentities[p.Pick(6)]}, {"revoked_on", AddDays(on, -static_cast<int>(p.Pick(60)))}};
      return {e, TopicKind::kRoster};
    case 2:
      with_person();
      e["payload_type"] = "EnrollmentChanged";
      e["payload"] = {{"tier", kTiers[p.Pick(4)]},
                      {"enrolled", p.Pick(3) != 0},
                      {"effective_on", AddDays(on, -static_cast<int>(p.Pick(60)))}};
      return {e, TopicKind::kEnrollment};
    case 3:
      with_person();
      e["payload_type"] = "ContributionPaid";
      e["payload"] = {{"year", on / 10000}, {"personal_due", p.Amount()}, {"subsidy", p.Amount()}};
      return {e, TopicKind::kEnrollment};
    case 4:
      with_person();
      e["payload_type"] = "NonEnrollmentReasonRecorded";
      e["payload"] = {{"tier", kTiers[p.Pick(4)]}, {"reason", kReasons[p.Pick(4)]}};
      return {e, TopicKind::kEnrollment};
    case 5:
    case 6: {
      with_person();
      const int64_t total = p.Amount(), ooc = p.Pick(2) ? 0 : total / 3;
      const int32_t discharged = AddDays(on, -static_cast<int>(p.Pick(10)));
      e["payload_type"] = "ClaimSettled";
      e["payload"] = {{"claim_id", claim},
                      {"visit", kVisits[p.Pick(3)]},
                      {"hospital_id", "H" + std::to_string(p.Pick(2))},
                      {"county_internal", p.Pick(2) != 0},
                      {"admitted_on", AddDays(discharged, -static_cast<int>(p.Pick(9)))},
                      {"discharged_on", discharged},
                      {"total", total},
                      {"out_of_catalog", ooc},
                      {"in_policy", total - ooc - (p.Pick(2) ? 0 : total / 10)}};
      return {e, TopicKind::kClaims};
    }
    case 7:
      with_person();
      e["payload_type"] = "ClaimReversed";
      e["payload"] = {{"claim_id", claim}};
      return {e, TopicKind::kClaims};
    case 8:
    case 9:
      if (p.Pick(2)) with_person();
      e["payload_type"] = p.Pick(4) == 0 ? "ReimbursementReversed" : "ReimbursementPaid";
      e["payload"] = {{"claim_id", claim}, {"tier", kTiers[p.Pick(6)]}, {"amount", p.Amount()}};
      if (e["payload_type"] == "ReimbursementPaid") e["payload"]["deductible_applied"] = p.Amount();
      return {e, TopicKind::kReimbursements};
    case 10:
      e["payload_type"] = "PolicyPublished";
      e["payload"] = {{"policy_id", "P" + std::to_string(p.Pick(3))},
                      {"year", on / 10000},
                      {"effective_from", p.Pick(2) ? 0 : AddDays(on, -static_cast<int>(p.Pick(300)))},
                      {"critical_deductible", p.Amount()},
                      {"critical_ordinary_deductible", p.Amount()},
                      {"critical_cap", p.Amount()},
                      {"assistance_ratio_bp", p.Ratio()},
                      {"assistance_annual_limit", p.Amount()},
                      {"max_total_reimbursement_bp", p.Ratio()},
                      {"out_of_catalog_max_bp", p.Ratio()},
                      {"critical_segments", json::array({{{"from", 0}, {"ratio_bp", p.Ratio() % 10001}}})},
                      {"critical_ordinary_segments", json::array({{{"from", 0}, {"ratio_bp", p.Ratio() % 10001}}})}};
      if (p.Pick(2)) e["payload"]["identity"] = kIdentities[p.Pick(6)];
      return {e, TopicKind::kPolicy};
    case 11: {
      const int32_t period = (on / 100) - p.Pick(3);
      e["payload_type"] = "RosterDelivered";
      e["payload"] = {{"period", period % 100 == 0 ? period - 88 : period},
                      {"kind", p.Pick(2) ? "ROSTER_TO_INSURANCE" : "COMPARED_TO_HEALTH"},
                      {"row_count", 1}};
      return {e, TopicKind::kRoster};
    }
    default: {
      static constexpr const char* kSteps[] = {"RectificationOpened", "RectificationProgressed",
                                               "RectificationRectified", "RectificationVerified",
                                               "RectificationReopened"};
      const std::string item = p.Pick(2) ? "R" + std::to_string(p.Pick(2)) : "auto:C6:" + claim;
      e["payload_type"] = kSteps[p.Pick(5)];
      e["payload"] = {{"item_id", item}};
      if (e["payload_type"] == "RectificationOpened")
        e["payload"]["deadline"] = AddDays(on, static_cast<int>(p.Pick(60)));
      return {e, TopicKind::kRectification};
    }
  }
}

// Folds the stored events into a fresh store through the batch pipeline, a
// batch every `batch` events and a checkpoint whenever `checkpoint` writes
// are held (the last one at the end).
std::string Fold(const std::vector<std::string>& stored, size_t batch, size_t checkpoint, test::MemStore* store) {
  auto set = ProjectionSet::Open(*store);
  if (!set.ok()) std::abort();
  BatchPipeline pipeline(
      *store, {.sync = false, .checkpoint_entries = checkpoint, .checkpoint_interval = std::chrono::milliseconds(0)},
      {set->get()});
  for (size_t i = 0; i < stored.size(); ++i) {
    (*set)->Apply(i + 1, stored[i], pipeline.staged());
    if ((i + 1) % batch == 0 || i + 1 == stored.size()) {
      (*set)->FinishBatch(pipeline.staged());
      if (!pipeline.Submit().ok()) std::abort();
    }
  }
  if (!pipeline.Checkpoint().ok()) std::abort();
  // Every query, for the arithmetic of the read side.
  const ProjectionSet& p = **set;
  (void)ListFindings(*store, p, FindingsRequest{});
  (void)FindingChangesJson(*store, Page{});
  if (auto r = ParseItemsRequest(p, "23", "", "", "", Page{}); r.ok()) (void)ListRectifications(*store, p, *r);
  (void)ListGaps(*store, GapsRequest{RegionDate{"", p.ledger_date()}, Category::kCriticalIllness, Page{}});
  (void)Coverage(p, RegionDate{"2301", p.ledger_date()});
  for (int c = 0; c < 6; ++c) (void)ClaimOf(*store, "C" + std::to_string(c));
  const int32_t month = p.ledger_date() / 100;
  if (IsValidMonth(month)) (void)MonthlyReportJson(p, "23", std::to_string(month));
  return ProjectionDigestHex(*store);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static PersonHasher hasher(std::string(32, 'k'));
  static EventCodec codec(&hasher);
  Program program(data, size);
  std::vector<std::string> stored;
  int date = 20200101;
  for (int n = 0; !program.done() && n < 400; ++n) {
    const Msg m = Next(program, n, &date);
    std::string bytes;
    if (codec.DecodeInbound(m.event.dump(), m.topic, &bytes).ok()) stored.push_back(std::move(bytes));
  }
  if (stored.empty()) return 0;
  test::MemStore a, b;
  const std::string one = Fold(stored, 7, 40, &a);
  const std::string other = Fold(stored, stored.size(), size_t{1} << 30, &b);
  if (one != other) {
    std::fprintf(stderr,
                 "invariant broken: the projections depend on where batches or checkpoints were cut (%zu events)\n",
                 stored.size());
    std::abort();
  }
  return 0;
}
