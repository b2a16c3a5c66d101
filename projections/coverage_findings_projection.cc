#include "projections/coverage_findings_projection.h"

#include <map>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "events/date.h"
#include "projections/coverage_timeline.h"
#include "projections/person_projection.h"
#include "projections/record.h"
#include "projections/settlement_due.h"

namespace safetynet {

Status CoverageFindingsProjection::Load(const Store& store, int32_t date) {
  evaluated_date_ = date;
  auto it = store.NewIterator(Cf::kGapsPending);
  for (it->SeekToFirst(); it->Valid(); it->Next()) pending_.Add(it->key());
  return it->status();
}

bool CoverageFindingsProjection::Confirm(Txn& txn, const std::string& key) {
  const int32_t today = *ledger_date_;
  std::string v;
  if (pending_.MayContain(key) && txn.Get(Cf::kGapsPending, key, &v).ok()) {
    // Confirmed once the ledger's date is later than since + window (as a
    // settlement window passes): every event of the boundary day counts.
    if (today <= AddDays(static_cast<int32_t>(DecodeU32(v)), window_days_)) return false;
    txn.Delete(Cf::kGapsPending, key);  // confirmed: the finding takes over
    return true;
  }
  std::string since;
  PutDate(&since, today);
  txn.Put(Cf::kGapsPending, key, std::move(since));
  pending_.Add(key);
  MarkDue(txn, DueKind::kCoverageGap, AddDays(today, window_days_ + 1), key);
  return false;
}

void CoverageFindingsProjection::Forget(Txn& txn, const std::string& key) {
  std::string v;
  if (pending_.MayContain(key) && txn.Get(Cf::kGapsPending, key, &v).ok()) txn.Delete(Cf::kGapsPending, key);
}

void CoverageFindingsProjection::Evaluate(Txn& txn, std::string_view person_key, uint8_t categories) {
  const PersonState person = RecordOr<PersonState>(txn, Cf::kPersons, person_key);
  const int32_t today = *ledger_date_;
  const std::string person_hex = ToHex(person_key);
  for (size_t i = 0; i < kCategoryCount; ++i) {
    if ((categories & (1u << i)) == 0) continue;
    const auto c = static_cast<Category>(i);
    const std::string subject = person_hex + "/" + CategoryName(c);
    std::string pending_key(person_key);
    pending_key.push_back(static_cast<char>(c));
    Evaluation ev;
    if (StatusOn(person, c, today) == CoverageStatus::kGap) {
      ev.holds = findings_->IsOpen(txn, Check::kC1, subject) || Confirm(txn, pending_key);
      ev.measured = RunStart(ComputeTimeline(person, c), today);  // a gap since this date
    } else {
      Forget(txn, pending_key);
    }
    findings_->Record(txn, Check::kC1, subject, person.region, ev);
  }
}

void CoverageFindingsProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  const int32_t today = *ledger_date_;
  std::map<std::string, uint8_t> due;  // person -> categories to evaluate (bit per category)
  if (today > evaluated_date_) {
    // Persons whose gap started or ended on a day in (evaluated, today].
    std::string begin, end;
    PutDate(&begin, evaluated_date_ + 1);
    PutDate(&end, today + 1);
    txn.ScanRange(Cf::kGapEdges, begin, end, [&](std::string_view key, std::string_view) {
      due[std::string(key.substr(5))] |= static_cast<uint8_t>(1u << static_cast<uint8_t>(key[4]));
    });
    // Gaps whose confirmation fell due.
    for (const std::string& key : TakeDue(txn, DueKind::kCoverageGap, evaluated_date_, today)) {
      due[key.substr(0, 32)] |= static_cast<uint8_t>(1u << static_cast<uint8_t>(key[32]));
    }
    evaluated_date_ = today;
  }
  using P = fb::Payload;
  const P type = e.payload_type();
  if (type == P::IdentityGranted || type == P::IdentityRevoked || type == P::EnrollmentChanged ||
      type == P::NonEnrollmentReasonRecorded) {
    const std::string person_key = PersonKey(e.person_id()->string_view());
    due[person_key] |= static_cast<uint8_t>((1u << kCategoryCount) - 1);
  }
  // Persons in key order, then categories in order: the changes' order is deterministic.
  for (const auto& [person_key, categories] : due) Evaluate(txn, person_key, categories);
}

}  // namespace safetynet
