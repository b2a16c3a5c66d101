#include "projections/coverage_findings_projection.h"

#include <map>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "projections/coverage_timeline.h"
#include "projections/person_projection.h"
#include "projections/record.h"

namespace safetynet {

void CoverageFindingsProjection::Evaluate(Txn& txn, std::string_view person_key, uint8_t categories, uint64_t seq,
                                          int32_t occurred_on) {
  const PersonState person = RecordOr<PersonState>(txn, Cf::kPersons, person_key);
  const int32_t today = *ledger_date_;
  const std::string person_hex = ToHex(person_key);
  for (size_t i = 0; i < kCategoryCount; ++i) {
    if ((categories & (1u << i)) == 0) continue;
    const auto c = static_cast<Category>(i);
    Evaluation ev;
    if (StatusOn(person, c, today) == CoverageStatus::kGap) {
      ev.holds = true;
      ev.measured = RunStart(ComputeTimeline(person, c), today);  // a gap since this date
    }
    findings_->Record(txn, Check::kC1, person_hex + "/" + CategoryName(c), person.region, ev, seq, occurred_on);
  }
}

void CoverageFindingsProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  const int32_t on = *e.occurred_on();
  std::map<std::string, uint8_t> due;  // person -> categories to evaluate (bit per category)
  if (*ledger_date_ > evaluated_date_) {
    // Persons whose gap started or ended on a day in (evaluated, today].
    std::string begin, end;
    PutDate(&begin, evaluated_date_ + 1);
    PutDate(&end, *ledger_date_ + 1);
    txn.ScanRange(Cf::kGapEdges, begin, end, [&](std::string_view key, std::string_view) {
      due[std::string(key.substr(5))] |= static_cast<uint8_t>(1u << static_cast<uint8_t>(key[4]));
    });
    evaluated_date_ = *ledger_date_;
  }
  using P = fb::Payload;
  const P type = e.payload_type();
  if (type == P::IdentityGranted || type == P::IdentityRevoked || type == P::EnrollmentChanged ||
      type == P::NonEnrollmentReasonRecorded) {
    const std::string person_key = PersonKey(e.person_id()->string_view());
    due[person_key] |= static_cast<uint8_t>((1u << kCategoryCount) - 1);
  }
  // Persons in key order, then categories in order: the changes' order is deterministic.
  for (const auto& [person_key, categories] : due) Evaluate(txn, person_key, categories, ev.seq, on);
}

}  // namespace safetynet
