#include "projections/coverage/coverage_findings_projection.h"

#include <map>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "projections/core/record.h"
#include "projections/coverage/coverage_timeline.h"
#include "projections/coverage/person_projection.h"

namespace safetynet {

void CoverageFindingsProjection::Evaluate(Txn& txn, std::string_view person_key, uint8_t categories) {
  const PersonState person = RecordOr<PersonState>(txn, Cf::kPersons, person_key);
  // The ledger's date while an event is applied; the day that ended when a
  // pending change is confirmed (facts of the new day have not all arrived).
  const int32_t today = findings_->judged_date();
  const std::string person_hex = ToHex(person_key);
  for (size_t i = 0; i < kCategoryCount; ++i) {
    if ((categories & (1u << i)) == 0) continue;
    const auto c = static_cast<Category>(i);
    Evaluation ev;
    if (StatusOn(person, c, today) == CoverageStatus::kGap) {
      ev.holds = true;
      ev.measured = RunStart(ComputeTimeline(person, c), today);  // a gap since this date
    }
    findings_->Record(txn, Check::kC1, person_hex + "/" + CategoryName(c), person.region, ev);
  }
}

void CoverageFindingsProjection::PassDate(Txn&, int32_t previous) {
  // The new day's gap edges are judged on the new day, with the event that
  // brought it (Apply): a change seen then waits for the day's end.
  passed_ = previous;
}

void CoverageFindingsProjection::Reevaluate(Txn& txn, Check check, std::string_view subject) {
  // subject: person (hex) / category
  const size_t slash = subject.find('/');
  std::string person_key;
  const auto category = slash == std::string_view::npos ? std::nullopt : CategoryFromName(subject.substr(slash + 1));
  if (check != Check::kC1 || !category || !FromHex(subject.substr(0, slash), &person_key)) return;
  Evaluate(txn, person_key, static_cast<uint8_t>(1u << static_cast<uint8_t>(*category)));
}

void CoverageFindingsProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  std::map<std::string, uint8_t> due;  // person -> categories to evaluate (bit per category)
  if (passed_) {
    // Persons whose gap started or ended on a day in (previous, today].
    std::string begin, end;
    PutDate(&begin, *passed_ + 1);
    PutDate(&end, *ledger_date_ + 1);
    txn.ScanRange(Cf::kGapEdges, begin, end, [&](std::string_view key, std::string_view) {
      due[std::string(key.substr(5))] |= static_cast<uint8_t>(1u << static_cast<uint8_t>(key[4]));
    });
    passed_.reset();
  }
  using P = fb::Payload;
  const fb::Event& e = *ev.event;
  const P type = e.payload_type();
  if (type == P::IdentityGranted || type == P::IdentityRevoked || type == P::EnrollmentChanged ||
      type == P::NonEnrollmentReasonRecorded) {
    due[PersonKey(e.person_id()->string_view())] |= static_cast<uint8_t>((1u << kCategoryCount) - 1);
  }
  // Persons in key order, then categories in order: the changes' order is deterministic.
  for (const auto& [person_key, categories] : due) Evaluate(txn, person_key, categories);
}

}  // namespace safetynet
