#include "projections/core/projection_set.h"

#include <cassert>

#include "events/codec.h"
#include "events/codec_util.h"
#include "projections/claims/claim_projection.h"
#include "projections/coverage/contribution_projection.h"
#include "projections/coverage/coverage_findings_projection.h"
#include "projections/coverage/person_projection.h"
#include "projections/findings/exchange_projection.h"
#include "projections/policy/policy_projection.h"
#include "projections/rectification/rectification_projection.h"

namespace safetynet {
namespace {

constexpr std::string_view kAppliedSeqKey = "applied_seq";
constexpr std::string_view kLedgerDateKey = "ledger_date";
constexpr std::string_view kVersionKey = "projections_version";

// Every option, its key in `proj_meta` and the words that name it to a user.
struct OptionField {
  std::string_view key;
  int32_t ProjectionOptions::*member;
  std::string_view what;
};
constexpr OptionField kOptionFields[] = {
    {"auto_deadline_days", &ProjectionOptions::auto_deadline_days,
     "rectification deadline (rectification.auto_deadline_days)"},
    {"settlement_window_days", &ProjectionOptions::settlement_window_days,
     "settlement window (findings.settlement_window_days)"},
};

std::optional<int32_t> ReadU32(const Store& store, std::string_view key) {
  std::string v;
  if (!store.Get(Cf::kProjMeta, key, &v).ok() || v.size() != 4) return std::nullopt;
  return static_cast<int32_t>(DecodeU32(v));
}

}  // namespace

// Order matters: claims read the person state and the policies as they are
// after the same event.
ProjectionSet::ProjectionSet(const ProjectionOptions& options) : options_(options) {
  indexes_ = {&coverage_.staged(), &finding_counts_.staged(), &claim_months_.staged(), &subsidies_};
  for (StagedIndex* i : rectification_counts_.staged()) indexes_.push_back(i);
  findings_.Configure(&pending_date_, options_.settlement_window_days);
  findings_.set_counts(&finding_counts_);
  // Each check's findings are evaluated by one projection (see Reevaluate).
  const auto owns = [&](Projection* p, std::initializer_list<Check> checks) {
    for (Check c : checks) owner_[static_cast<size_t>(c)] = p;
  };
  projections_.push_back(std::make_unique<PersonProjection>(&coverage_));
  projections_.push_back(std::make_unique<CoverageFindingsProjection>(&pending_date_, &findings_));
  owns(projections_.back().get(), {Check::kC1});
  projections_.push_back(std::make_unique<PolicyProjection>(&policies_, &findings_));
  owns(projections_.back().get(), {Check::kC3, Check::kC4, Check::kC5});
  projections_.push_back(std::make_unique<ClaimProjection>(&policies_, &findings_, &claim_months_, &pending_date_,
                                                           options_.settlement_window_days));
  owns(projections_.back().get(), {Check::kC6, Check::kC7, Check::kC8, Check::kC9, Check::kC10});
  projections_.push_back(std::make_unique<ContributionProjection>(&findings_, &subsidies_));
  owns(projections_.back().get(), {Check::kC2});
  projections_.push_back(
      std::make_unique<ExchangeProjection>(&findings_, &pending_date_, options_.settlement_window_days));
  owns(projections_.back().get(), {Check::kC11});
  auto rectifications = std::make_unique<RectificationProjection>(options_.auto_deadline_days, &rectification_counts_);
  findings_.set_listener(rectifications.get());
  projections_.push_back(std::move(rectifications));
}

ProjectionOptions ProjectionSet::RecordedOptions(const Store& store) {
  ProjectionOptions o;
  for (const OptionField& f : kOptionFields) {
    if (auto v = ReadU32(store, f.key)) o.*f.member = *v;
  }
  return o;
}

uint64_t ProjectionSet::RecordedAppliedSeq(const Store& store) {
  std::string v;
  return store.Get(Cf::kProjMeta, kAppliedSeqKey, &v).ok() && v.size() == 8 ? DecodeU64(v) : 0;
}

uint32_t ProjectionSet::RecordedVersion(const Store& store) {
  if (auto v = ReadU32(store, kVersionKey)) return static_cast<uint32_t>(*v);
  std::string applied;
  return store.Get(Cf::kProjMeta, kAppliedSeqKey, &applied).ok() ? 1 : 0;
}

Result<std::unique_ptr<ProjectionSet>> ProjectionSet::Open(const Store& store, const ProjectionOptions* requested) {
  ProjectionOptions options = requested != nullptr ? *requested : ProjectionOptions();
  for (const OptionField& f : kOptionFields) {
    const std::optional<int32_t> recorded = ReadU32(store, f.key);
    if (!recorded) continue;
    if (requested != nullptr && requested->*f.member != *recorded) {
      return Status::Invalid(std::string(f.what) + " of " + std::to_string(requested->*f.member) +
                             " days requested, but the projections in this data directory were built with " +
                             std::to_string(*recorded) + " days; keep that value or start from a fresh data directory");
    }
    options.*f.member = *recorded;
  }
  auto set = std::unique_ptr<ProjectionSet>(new ProjectionSet(options));
  std::string v;
  if (store.Get(Cf::kProjMeta, kAppliedSeqKey, &v).ok()) set->pending_seq_ = DecodeU64(v);
  if (store.Get(Cf::kProjMeta, kLedgerDateKey, &v).ok()) set->pending_date_ = static_cast<int32_t>(DecodeU32(v));
  set->applied_seq_ = set->pending_seq_;
  set->ledger_date_ = set->pending_date_;
  set->committed_ = set->checkpointing_ = {set->pending_seq_, set->pending_date_};
  Status st;
  for (StagedIndex* i : set->indexes_) {
    if (st.ok()) st = i->Load(store);
  }
  if (st.ok()) st = set->policies_.Load(store);
  if (st.ok()) st = set->findings_.Load(store);
  if (!st.ok()) return st;
  return set;
}

void ProjectionSet::Apply(uint64_t seq, std::string_view bytes, Txn& txn) {
  assert(seq == pending_seq_ + 1 && "projections must see every sequence number once, in order");
  const fb::Event* event = ReadEvent(bytes);
  const AppliedEvent ev{seq, event, bytes};
  const int32_t occurred_on = *event->occurred_on();
  const std::string_view region = event->region()->string_view();
  if (occurred_on > pending_date_) {
    // The ledger's date moves on: first what the dates passed bring (on the
    // state the previous day ended with), then the event.
    const int32_t previous = pending_date_;
    pending_date_ = occurred_on;
    findings_.BeginDate(seq, occurred_on, region, previous);
    for (auto& p : projections_) p->PassDate(txn, previous);
    for (const auto& [check, subject] : findings_.TakeDue(txn, previous, pending_date_)) {
      if (Projection* owner = owner_[static_cast<size_t>(check)]) owner->Reevaluate(txn, check, subject);
    }
  }
  findings_.BeginEvent(seq, occurred_on, region);
  for (auto& p : projections_) p->Apply(ev, txn);
  pending_seq_ = seq;
}

void ProjectionSet::FinishBatch(Txn& txn) {
  for (StagedIndex* i : indexes_) i->Flush(txn);
  txn.Put(Cf::kProjMeta, std::string(kAppliedSeqKey), EncodeU64(pending_seq_));
  std::string d;
  PutDate(&d, pending_date_);
  txn.Put(Cf::kProjMeta, std::string(kLedgerDateKey), std::move(d));
  for (const OptionField& f : kOptionFields) {
    std::string days;
    PutU32(&days, static_cast<uint32_t>(options_.*f.member));
    txn.Put(Cf::kProjMeta, std::string(f.key), std::move(days));
  }
  std::string version;
  PutU32(&version, kProjectionsVersion);
  txn.Put(Cf::kProjMeta, std::string(kVersionKey), std::move(version));
  finished_.emplace_back(pending_seq_, pending_date_);
}

void ProjectionSet::Committed() {
  assert(!finished_.empty());
  for (StagedIndex* i : indexes_) i->Committed();
  committed_ = finished_.front();
  finished_.pop_front();
}

void ProjectionSet::CheckpointBegun() {
  for (StagedIndex* i : indexes_) i->CheckpointBegun();
  checkpointing_ = committed_;
}

void ProjectionSet::Checkpointed() {
  for (StagedIndex* i : indexes_) i->Checkpointed();
  applied_seq_.store(checkpointing_.first, std::memory_order_release);
  ledger_date_.store(checkpointing_.second, std::memory_order_release);
}

void ProjectionSet::Abandon() {
  // Only the last checkpoint is in the store: the state folds from there.
  for (StagedIndex* i : indexes_) i->Abandon();
  finished_.clear();
  committed_ = checkpointing_ = {applied_seq_.load(), ledger_date_.load()};
  pending_seq_ = committed_.first;
  pending_date_ = committed_.second;
}

}  // namespace safetynet
