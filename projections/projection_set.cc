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
  projections_.push_back(std::make_unique<PersonProjection>(&coverage_));
  auto c1 = std::make_unique<CoverageFindingsProjection>(&pending_date_, options_.settlement_window_days, &findings_);
  coverage_findings_ = c1.get();
  projections_.push_back(std::move(c1));
  projections_.push_back(std::make_unique<PolicyProjection>(&policies_, &findings_));
  auto claims =
      std::make_unique<ClaimProjection>(&policies_, &findings_, &pending_date_, options_.settlement_window_days);
  claims_ = claims.get();
  projections_.push_back(std::move(claims));
  projections_.push_back(std::make_unique<ContributionProjection>(&findings_));
  auto exchanges = std::make_unique<ExchangeProjection>(&findings_, &pending_date_, options_.settlement_window_days);
  exchanges_ = exchanges.get();
  projections_.push_back(std::move(exchanges));
  auto rectifications = std::make_unique<RectificationProjection>(options_.auto_deadline_days);
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
                             std::to_string(*recorded) +
                             " days; keep that value or start from a fresh data directory");
    }
    options.*f.member = *recorded;
  }
  auto set = std::unique_ptr<ProjectionSet>(new ProjectionSet(options));
  std::string v;
  if (store.Get(Cf::kProjMeta, kAppliedSeqKey, &v).ok()) set->pending_seq_ = DecodeU64(v);
  if (store.Get(Cf::kProjMeta, kLedgerDateKey, &v).ok()) set->pending_date_ = static_cast<int32_t>(DecodeU32(v));
  set->applied_seq_ = set->pending_seq_;
  set->ledger_date_ = set->pending_date_;
  Status st = set->coverage_.Load(store);
  if (st.ok()) st = set->policies_.Load(store);
  if (st.ok()) st = set->findings_.Load(store);
  if (st.ok()) st = set->coverage_findings_->Load(store, set->pending_date_);
  if (!st.ok()) return st;
  set->InitDates();
  return set;
}

void ProjectionSet::InitDates() {
  coverage_findings_->Init(pending_date_);
  claims_->Init(pending_date_);
  exchanges_->Init(pending_date_);
}

void ProjectionSet::Apply(uint64_t seq, std::string_view bytes, Txn& txn) {
  assert(seq == pending_seq_ + 1 && "projections must see every sequence number once, in order");
  const fb::Event* event = ReadEvent(bytes);
  const AppliedEvent ev{seq, event, bytes};
  // The ledger's date includes the event being applied (C1 reads it).
  pending_date_ = std::max(pending_date_, *event->occurred_on());
  findings_.BeginEvent(seq, *event->occurred_on(), event->region()->string_view());
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
  InitDates();
}

}  // namespace safetynet
