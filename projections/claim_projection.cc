#include "projections/claim_projection.h"

#include <algorithm>

#include "projections/person_projection.h"

namespace safetynet {
namespace {

using P = fb::Payload;

std::string_view ClaimIdOf(const fb::Event& e) {
  switch (e.payload_type()) {
    case P::ClaimSettled: return e.payload_as_ClaimSettled()->claim_id()->string_view();
    case P::ClaimReversed: return e.payload_as_ClaimReversed()->claim_id()->string_view();
    case P::ReimbursementPaid: return e.payload_as_ReimbursementPaid()->claim_id()->string_view();
    case P::ReimbursementReversed: return e.payload_as_ReimbursementReversed()->claim_id()->string_view();
    default: return {};
  }
}

void Fold(const fb::Event& e, uint64_t seq, ClaimState* c) {
  switch (e.payload_type()) {
    case P::ClaimSettled: {
      const auto* p = e.payload_as_ClaimSettled();
      c->settled = true;
      c->live = true;
      if (c->first_settled_seq == 0) c->first_settled_seq = seq;
      c->settled_seq = seq;
      c->settled_on = *e.occurred_on();
      c->person = e.person_id()->str();
      c->region = e.region()->str();
      c->visit = *p->visit();
      c->hospital_id = p->hospital_id()->str();
      c->county_internal = p->county_internal();
      c->admitted_on = p->admitted_on();
      c->discharged_on = p->discharged_on();
      c->total = p->total();
      c->out_of_catalog = p->out_of_catalog();
      c->in_policy = p->in_policy();
      c->diagnosis = p->diagnosis() ? p->diagnosis()->str() : std::string();
      break;
    }
    case P::ClaimReversed:
      // A reversal ends the latest settlement; before any settlement it has nothing to end.
      c->live = false;
      break;
    case P::ReimbursementPaid: {
      const auto* p = e.payload_as_ReimbursementPaid();
      c->net[static_cast<size_t>(*p->tier())] += p->amount();
      c->one_stop = c->one_stop || p->one_stop();
      if (*p->tier() == fb::Tier::CRITICAL_ILLNESS) {
        c->min_critical_deductible = std::min(c->min_critical_deductible, p->deductible_applied());
      }
      break;
    }
    case P::ReimbursementReversed: {
      const auto* p = e.payload_as_ReimbursementReversed();
      c->net[static_cast<size_t>(*p->tier())] -= p->amount();
      break;
    }
    default: break;
  }
  // A payment may name the person before the claim arrives.
  if (c->person.empty() && e.person_id() != nullptr) c->person = e.person_id()->str();
}

}  // namespace

Status LoadClaim(const Store& store, std::string_view claim_id, ClaimState* out) {
  std::string v;
  Status st = store.Get(Cf::kClaims, claim_id, &v);
  if (!st.ok()) return st;
  return ClaimState::Decode(v, out) ? Status::Ok() : Status::Corruption("claim state unreadable");
}

void ClaimProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  const P type = e.payload_type();
  if (type == P::IdentityGranted || type == P::IdentityRevoked) {
    // Poverty status and region feed C8 and C9: re-evaluate the person's claims.
    const std::string person_key = PersonKey(e.person_id()->string_view());
    txn.ScanPrefix(Cf::kPersonClaims, person_key, [&](std::string_view key, std::string_view) {
      const std::string claim_id(key.substr(32));
      ClaimState c;
      std::string v;
      if (txn.Get(Cf::kClaims, claim_id, &v).ok() && ClaimState::Decode(v, &c)) {
        Evaluate(txn, claim_id, c, ev.seq, *e.occurred_on());
      }
    });
    return;
  }
  const std::string claim_id(ClaimIdOf(e));
  if (claim_id.empty()) return;
  ClaimState c;
  std::string v;
  if (txn.Get(Cf::kClaims, claim_id, &v).ok()) ClaimState::Decode(v, &c);
  const std::string old_person = c.person;
  Fold(e, ev.seq, &c);
  txn.Put(Cf::kClaims, claim_id, c.Encode());
  if (c.person != old_person) {
    if (!old_person.empty()) txn.Delete(Cf::kPersonClaims, PersonKey(old_person) + claim_id);
    txn.Put(Cf::kPersonClaims, PersonKey(c.person) + claim_id, {});
  }
  Evaluate(txn, claim_id, c, ev.seq, *e.occurred_on());
}

void ClaimProjection::Evaluate(Txn& txn, const std::string& claim_id, const ClaimState& c, uint64_t seq,
                               int32_t occurred_on) {
  PersonState person;
  std::string v;
  if (!c.person.empty() && txn.Get(Cf::kPersons, PersonKey(c.person), &v).ok()) PersonState::Decode(v, &person);
  // The person's region as the domain defines it: the latest grant's, else the event's.
  const std::string& region = person.region.empty() ? c.region : person.region;
  const std::vector<fb::Identity> identities = person.IdentitiesOn(c.discharged_on);
  const bool poor = !identities.empty();
  const int64_t paid = c.NetTotal();

  // C10: payments on a claim_id without a live claim.
  Evaluation c10;
  int64_t absolute = 0;
  for (int64_t n : c.net) absolute += n < 0 ? -n : n;
  c10.holds = !c.live && absolute != 0;
  c10.measured = absolute;
  findings_->Record(txn, Check::kC10, claim_id, region, c10, seq, occurred_on);

  // C8: net payments above the cost, or above the policy's ceiling.
  Evaluation c8;
  if (c.live) {
    const PolicyTerms terms = policies_->TermsFor(region, identities, c.discharged_on);
    c8.measured = paid;
    c8.threshold = c.total;
    c8.holds = paid > c.total;
    if (terms.max_total_reimbursement_bp != 0) {
      // No overflow: validation caps ratios at 100000 bp, and a claim's fen stay far below 9e13.
      const int64_t ceiling = int64_t{terms.max_total_reimbursement_bp} * c.total;
      c8.threshold = std::min(c.total, ceiling / 10000);
      c8.holds = c8.holds || paid * 10000 > ceiling;
    }
  }
  findings_->Record(txn, Check::kC8, claim_id, region, c8, seq, occurred_on);

  // C9: the poor deductible (below the ordinary one) used for someone not poor.
  Evaluation c9;
  if (c.live && !poor && c.min_critical_deductible != std::numeric_limits<int64_t>::max()) {
    const PolicyTerms terms = policies_->TermsFor(region, {}, c.discharged_on);
    c9.measured = c.min_critical_deductible;
    c9.threshold = terms.critical_ordinary_deductible;
    c9.holds = c.min_critical_deductible < terms.critical_ordinary_deductible;
  }
  findings_->Record(txn, Check::kC9, claim_id, region, c9, seq, occurred_on);
}

}  // namespace safetynet
