#include "projections/policy/policy.h"

#include <algorithm>

#include "events/codec.h"
#include "events/codec_util.h"

namespace safetynet {
namespace {

std::vector<Segment> Segments(const flatbuffers::Vector<const fb::Segment*>* v) {
  std::vector<Segment> out;
  if (v == nullptr) return out;
  for (const fb::Segment* s : *v) out.push_back({s->from(), s->ratio_bp()});
  return out;
}

}  // namespace

std::string ScopeOf(std::string_view region) {
  std::string scope(region);
  while (scope.size() >= 2 && scope.compare(scope.size() - 2, 2, "00") == 0) scope.resize(scope.size() - 2);
  return scope;
}

Policy Policy::FromEvent(const fb::Event& e, uint64_t seq) {
  const auto* p = e.payload_as_PolicyPublished();
  Policy out;
  out.policy_id = p->policy_id()->str();
  out.seq = seq;
  out.region = e.region()->str();
  out.scope = ScopeOf(out.region);
  out.year = p->year();
  if (p->identity().has_value()) out.identity = *p->identity();
  out.effective_from = p->effective_from();
  out.effective_to = p->effective_to();
  out.critical_deductible = p->critical_deductible();
  out.critical_ordinary_deductible = p->critical_ordinary_deductible();
  out.critical_segments = Segments(p->critical_segments());
  out.critical_ordinary_segments = Segments(p->critical_ordinary_segments());
  out.critical_cap = p->critical_cap();
  out.assistance_ratio_bp = p->assistance_ratio_bp();
  out.assistance_annual_limit = p->assistance_annual_limit();
  out.max_total_reimbursement_bp = p->max_total_reimbursement_bp();
  out.out_of_catalog_max_bp = p->out_of_catalog_max_bp();
  return out;
}

Status PolicyRegistry::Load(const Store& store) {
  by_id_.clear();
  auto it = store.NewIterator(Cf::kPolicies);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view v = it->value();
    if (v.size() < 8 || !VerifyEventBuffer(v.substr(8))) return Status::Corruption("policy record unreadable");
    Policy p = Policy::FromEvent(*ReadEvent(v.substr(8)), DecodeU64(v));
    by_id_[p.policy_id] = std::move(p);
  }
  return it->status();
}

const Policy& PolicyRegistry::Publish(Txn& txn, const fb::Event& e, uint64_t seq, std::string_view event_bytes) {
  Policy p = Policy::FromEvent(e, seq);
  std::string value = EncodeU64(seq);
  value.append(event_bytes);
  txn.Put(Cf::kPolicies, p.policy_id, std::move(value));
  Policy& slot = by_id_[p.policy_id];
  last_replaced_.reset();
  if (!slot.policy_id.empty()) last_replaced_ = std::move(slot);
  slot = std::move(p);
  return slot;
}

const Policy* PolicyRegistry::Find(std::string_view policy_id) const {
  const auto it = by_id_.find(std::string(policy_id));
  return it == by_id_.end() ? nullptr : &it->second;
}

const Policy* PolicyRegistry::InForce(std::string_view region, std::span<const fb::Identity> identities,
                                      int32_t date) const {
  const Policy* best = nullptr;
  auto rank = [&](const Policy& p) {
    const bool names_held =
        p.identity.has_value() && std::find(identities.begin(), identities.end(), *p.identity) != identities.end();
    return std::make_tuple(p.scope.size(), names_held ? 1 : 0, p.seq);
  };
  for (const auto& [id, p] : by_id_) {
    if (region.substr(0, p.scope.size()) != p.scope || !p.InEffect(date)) continue;
    // A policy naming an identity the person does not hold is not theirs.
    if (p.identity.has_value() && std::find(identities.begin(), identities.end(), *p.identity) == identities.end()) {
      continue;
    }
    if (best == nullptr || rank(p) > rank(*best)) best = &p;
  }
  return best;
}

PolicyTerms PolicyRegistry::TermsFor(std::string_view region, std::span<const fb::Identity> identities,
                                     int32_t date) const {
  PolicyTerms t;
  t.policy = InForce(region, identities, date);
  if (t.policy != nullptr) {
    t.assistance_ratio_bp = t.policy->assistance_ratio_bp;
    t.assistance_annual_limit = t.policy->assistance_annual_limit;
    t.max_total_reimbursement_bp = t.policy->max_total_reimbursement_bp;
    t.out_of_catalog_max_bp = t.policy->out_of_catalog_max_bp;
    t.critical_ordinary_deductible = t.policy->critical_ordinary_deductible;
  }
  return t;
}

}  // namespace safetynet
