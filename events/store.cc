#include "events/store.h"

#include <map>
#include <utility>
#include <vector>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "events/read_cache.h"

namespace safetynet {

const char* CfName(Cf cf) {
  switch (cf) {
    case Cf::kLog: return "log";
    case Cf::kEventIds: return "event_ids";
    case Cf::kPersonEvents: return "person_events";
    case Cf::kDeadLetters: return "deadletters";
    case Cf::kOffsets: return "offsets";
    case Cf::kOffsetJumps: return "offset_jumps";
    case Cf::kBrokers: return "brokers";
    case Cf::kMeta: return "meta";
    case Cf::kMerkle: return "merkle";
    case Cf::kPersons: return "persons";
    case Cf::kCoverage: return "coverage";
    case Cf::kCoverageGaps: return "coverage_gaps";
    case Cf::kProjMeta: return "proj_meta";
    case Cf::kClaims: return "claims";
    case Cf::kPolicies: return "policies";
    case Cf::kFindings: return "findings";
    case Cf::kFindingsByRegion: return "findings_by_region";
    case Cf::kFindingChanges: return "finding_changes";
    case Cf::kPersonClaims: return "person_claims";
    case Cf::kContributions: return "contributions";
    case Cf::kGapEdges: return "gap_edges";
    case Cf::kHospitalMonths: return "hospital_months";
    case Cf::kClaimsByMonth: return "claims_by_month";
    case Cf::kAssistanceYears: return "assistance_years";
    case Cf::kContributionsByMonth: return "contributions_by_month";
    case Cf::kRectifications: return "rectifications";
    case Cf::kRectificationsByRegion: return "rectifications_by_region";
    case Cf::kSettlementDue: return "settlement_due";
    case Cf::kExchanges: return "exchanges";
    case Cf::kFindingsPending: return "findings_pending";
    case Cf::kFindingCounts: return "finding_counts";
    case Cf::kRectificationCounts: return "rectification_counts";
    case Cf::kRectificationMonths: return "rectification_months";
    case Cf::kClaimMonths: return "claim_months";
    case Cf::kInpatientMonths: return "inpatient_months";
    case Cf::kSubsidyMonths: return "subsidy_months";
    case Cf::kCount: break;
  }
  return "?";
}

bool IsRangeScannedCf(Cf cf) {
  switch (cf) {
    case Cf::kContributions:
    case Cf::kGapEdges:
    case Cf::kAssistanceYears:
    case Cf::kClaimsByMonth:
    case Cf::kSettlementDue:
    case Cf::kExchanges: return true;
    default: return false;
  }
}

namespace {
std::array<PendingWrites, kCfCount> EmptyPending() {
  return []<size_t... I>(std::index_sequence<I...>) {
    return std::array<PendingWrites, kCfCount>{PendingWrites(IsRangeScannedCf(static_cast<Cf>(I)))...};
  }
  (std::make_index_sequence<kCfCount>());
}
}  // namespace

Txn::Txn(const Store& store, const Txn* parent, ReadCache* cache)
    : store_(&store), parent_(parent), cache_(cache), pending_(EmptyPending()) {}

Status Txn::Get(Cf cf, std::string_view key, std::string* value) const {
  for (const Txn* t = this; t != nullptr; t = t->parent_) {
    const Pending& pending = t->pending_[static_cast<size_t>(cf)];
    if (pending.empty()) continue;
    if (const auto* staged = pending.Find(key)) {
      if (!*staged) return Status::NotFound("deleted");
      *value = **staged;
      return Status::Ok();
    }
  }
  if (cache_ == nullptr) {
    Status st = store_->Get(cf, key, value);
    NoteReadError(st);
    return st;
  }
  std::optional<std::string> cached;
  if (cache_->Lookup(cf, key, &cached)) {
    if (!cached) return Status::NotFound("absent");
    *value = std::move(*cached);
    return Status::Ok();
  }
  Status st = store_->Get(cf, key, value);
  NoteReadError(st);
  if (st.ok()) {
    cache_->Remember(cf, key, *value);
  } else if (st.IsNotFound()) {
    cache_->Remember(cf, key, std::nullopt);
  }
  return st;
}

void Txn::ScanPrefix(Cf cf, std::string_view prefix,
                     const std::function<void(std::string_view, std::string_view)>& fn) const {
  // [prefix, next prefix): the prefix with its last non-0xff byte incremented.
  std::string end(prefix);
  while (!end.empty() && static_cast<uint8_t>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
  ScanRange(cf, prefix, end, fn);
}

void Txn::ScanRange(Cf cf, std::string_view begin, std::string_view end,
                    const std::function<void(std::string_view, std::string_view)>& fn) const {
  // end empty: unbounded.
  auto in_range = [&](std::string_view k) { return end.empty() || k < end; };
  std::map<std::string, std::optional<std::string>, std::less<>> merged;
  auto it = store_->NewIterator(cf, end);
  for (it->Seek(begin); it->Valid() && in_range(it->key()); it->Next()) {
    merged.emplace(std::string(it->key()), std::string(it->value()));
  }
  NoteReadError(it->status());
  std::vector<const Txn*> chain;
  for (const Txn* t = this; t != nullptr; t = t->parent_) chain.push_back(t);
  for (auto t = chain.rbegin(); t != chain.rend(); ++t) {
    (*t)->pending_[static_cast<size_t>(cf)].ForEachInRange(
        begin, end, [&](const std::string& k, const PendingWrites::Value& v) { merged.insert_or_assign(k, v); });
  }
  for (const auto& [k, v] : merged) {
    if (v) fn(k, *v);
  }
}

size_t Txn::entries() const {
  size_t n = 0;
  for (const auto& p : pending_) n += p.size();
  return n;
}

void Txn::Clear() {
  for (auto& p : pending_) p.clear();
}

std::string ProjectionDigestHex(const Store& store) {
  Sha256 sha;
  sha.Begin();
  for (size_t i = 0; i < kCfCount; ++i) {
    const Cf cf = static_cast<Cf>(i);
    if (!IsProjectionCf(cf)) continue;
    sha.Update(CfName(cf));
    auto it = store.NewIterator(cf);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      sha.Update(EncodeU64(it->key().size()));
      sha.Update(it->key());
      sha.Update(EncodeU64(it->value().size()));
      sha.Update(it->value());
    }
  }
  return ToHex(sha.Finish());
}

}  // namespace safetynet
