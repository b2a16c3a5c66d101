#include "projections/coverage_findings_projection.h"

#include <set>
#include <utility>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "projections/coverage_timeline.h"
#include "projections/person_projection.h"

namespace safetynet {

void CoverageFindingsProjection::Evaluate(Txn& txn, std::string_view person_key, Category c, uint64_t seq,
                                          int32_t occurred_on) {
  PersonState person;
  std::string v;
  if (txn.Get(Cf::kPersons, person_key, &v).ok()) PersonState::Decode(v, &person);
  const int32_t today = *ledger_date_;
  Evaluation ev;
  if (StatusOn(person, c, today) == CoverageStatus::kGap) {
    ev.holds = true;
    ev.measured = RunStart(ComputeTimeline(person, c), today);  // a gap since this date
  }
  findings_->Record(txn, Check::kC1, ToHex(person_key) + "/" + CategoryName(c), person.region, ev, seq, occurred_on);
}

void CoverageFindingsProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  const int32_t on = *e.occurred_on();
  std::set<std::pair<std::string, Category>> due;
  if (*ledger_date_ > evaluated_date_) {
    // Persons whose gap started or ended on a day in (evaluated, today].
    std::string begin, end;
    PutDate(&begin, evaluated_date_ + 1);
    PutDate(&end, *ledger_date_ + 1);
    txn.ScanRange(Cf::kGapEdges, begin, end, [&](std::string_view key, std::string_view) {
      due.emplace(std::string(key.substr(5)), static_cast<Category>(key[4]));
    });
    evaluated_date_ = *ledger_date_;
  }
  using P = fb::Payload;
  const P type = e.payload_type();
  if (type == P::IdentityGranted || type == P::IdentityRevoked || type == P::EnrollmentChanged ||
      type == P::NonEnrollmentReasonRecorded) {
    const std::string person_key = PersonKey(e.person_id()->string_view());
    for (size_t c = 0; c < kCategoryCount; ++c) due.emplace(person_key, static_cast<Category>(c));
  }
  for (const auto& [person_key, c] : due) Evaluate(txn, person_key, c, ev.seq, on);
}

}  // namespace safetynet
