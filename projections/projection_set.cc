#include "projections/projection_set.h"

#include <cassert>

#include "events/codec.h"
#include "events/codec_util.h"
#include "projections/claim_projection.h"
#include "projections/contribution_projection.h"
#include "projections/coverage_findings_projection.h"
#include "projections/exchange_projection.h"
#include "projections/person_projection.h"
#include "projections/policy_projection.h"
#include "projections/rectification_projection.h"

namespace safetynet {
namespace {

constexpr std::string_view kAppliedSeqKey = "applied_seq";
constexpr std::string_view kLedgerDateKey = "ledger_date";
constexpr std::string_view kAutoDeadlineDaysKey = "auto_deadline_days";

}  // namespace

// Order matters: claims read the person state and the policies as they are
// after the same event.
ProjectionSet::ProjectionSet(const ProjectionOptions& options) : options_(options) {
  projections_.push_back(std::make_unique<PersonProjection>(&coverage_));
  auto c1 = std::make_unique<CoverageFindingsProjection>(&pending_date_, &findings_);
  coverage_findings_ = c1.get();
  projections_.push_back(std::move(c1));
  projections_.push_back(std::make_unique<PolicyProjection>(&policies_, &findings_));
  projections_.push_back(std::make_unique<ClaimProjection>(&policies_, &findings_));
  projections_.push_back(std::make_unique<ContributionProjection>(&findings_));
  projections_.push_back(std::make_unique<ExchangeProjection>(&findings_));
  auto rectifications = std::make_unique<RectificationProjection>(options_.auto_deadline_days);
  findings_.set_listener(rectifications.get());
  projections_.push_back(std::move(rectifications));
}

namespace {

// The options recorded with the projections, if any.
std::optional<ProjectionOptions> ReadRecordedOptions(const Store& store) {
  std::string v;
  if (!store.Get(Cf::kProjMeta, kAutoDeadlineDaysKey, &v).ok() || v.size() != 4) return std::nullopt;
  ProjectionOptions o;
  o.auto_deadline_days = static_cast<int32_t>(DecodeU32(v));
  return o;
}

}  // namespace

ProjectionOptions ProjectionSet::RecordedOptions(const Store& store) {
  return ReadRecordedOptions(store).value_or(ProjectionOptions());
}

Result<std::unique_ptr<ProjectionSet>> ProjectionSet::Open(const Store& store, const ProjectionOptions* requested) {
  const std::optional<ProjectionOptions> recorded = ReadRecordedOptions(store);
  ProjectionOptions options = recorded.value_or(requested != nullptr ? *requested : ProjectionOptions());
  if (recorded && requested != nullptr && requested->auto_deadline_days != options.auto_deadline_days) {
    return Status::Invalid("rectification deadline of " + std::to_string(requested->auto_deadline_days) +
                           " days requested, but the projections in this data directory were built with " +
                           std::to_string(options.auto_deadline_days) +
                           " days; keep that value or start from a fresh data directory");
  }
  auto set = std::unique_ptr<ProjectionSet>(new ProjectionSet(options));
  Status st = set->coverage_.Load(store);
  if (st.ok()) st = set->policies_.Load(store);
  if (st.ok()) st = set->findings_.Load(store);
  if (!st.ok()) return st;
  std::string v;
  if (store.Get(Cf::kProjMeta, kAppliedSeqKey, &v).ok()) set->pending_seq_ = DecodeU64(v);
  if (store.Get(Cf::kProjMeta, kLedgerDateKey, &v).ok()) set->pending_date_ = static_cast<int32_t>(DecodeU32(v));
  set->coverage_findings_->Init(set->pending_date_);
  set->applied_seq_ = set->pending_seq_;
  set->ledger_date_ = set->pending_date_;
  return set;
}

void ProjectionSet::Apply(uint64_t seq, std::string_view bytes, Txn& txn) {
  assert(seq == pending_seq_ + 1 && "projections must see every sequence number once, in order");
  const fb::Event* event = ReadEvent(bytes);
  const AppliedEvent ev{seq, event, bytes};
  // The ledger's date includes the event being applied (C1 reads it).
  pending_date_ = std::max(pending_date_, *event->occurred_on());
  for (auto& p : projections_) p->Apply(ev, txn);
  pending_seq_ = seq;
}

void ProjectionSet::FinishBatch(Txn& txn) {
  for (auto& p : projections_) p->Flush(txn);
  coverage_.Flush(txn);
  txn.Put(Cf::kProjMeta, std::string(kAppliedSeqKey), EncodeU64(pending_seq_));
  std::string d;
  PutDate(&d, pending_date_);
  txn.Put(Cf::kProjMeta, std::string(kLedgerDateKey), std::move(d));
  std::string days;
  PutU32(&days, static_cast<uint32_t>(options_.auto_deadline_days));
  txn.Put(Cf::kProjMeta, std::string(kAutoDeadlineDaysKey), std::move(days));
  finished_.emplace_back(pending_seq_, pending_date_);
}

void ProjectionSet::Committed() {
  assert(!finished_.empty());
  for (auto& p : projections_) p->Committed();
  coverage_.Committed();
  applied_seq_.store(finished_.front().first, std::memory_order_release);
  ledger_date_.store(finished_.front().second, std::memory_order_release);
  finished_.pop_front();
}

void ProjectionSet::Abandon() {
  for (auto& p : projections_) p->Abandon();
  coverage_.Abandon();
  finished_.clear();
  pending_seq_ = applied_seq_.load();
  pending_date_ = ledger_date_.load();
}

}  // namespace safetynet
