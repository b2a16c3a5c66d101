#include "projections/claims/claim_projection.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

#include "events/codec_util.h"
#include "events/date.h"
#include "events/money.h"
#include "projections/claims/assistance_year.h"
#include "projections/claims/hospital_month.h"
#include "projections/core/record.h"
#include "projections/coverage/person_projection.h"

namespace safetynet {

std::string_view ClaimIdOf(const fb::Event& e) {
  using P = fb::Payload;
  switch (e.payload_type()) {
    case P::ClaimSettled: return e.payload_as_ClaimSettled()->claim_id()->string_view();
    case P::ClaimReversed: return e.payload_as_ClaimReversed()->claim_id()->string_view();
    case P::ReimbursementPaid: return e.payload_as_ReimbursementPaid()->claim_id()->string_view();
    case P::ReimbursementReversed: return e.payload_as_ReimbursementReversed()->claim_id()->string_view();
    default: return {};
  }
}

namespace {

using P = fb::Payload;

// `ledger_date` is the ledger's date after `e`.
void Fold(const fb::Event& e, uint64_t seq, int32_t ledger_date, ClaimState* c) {
  switch (e.payload_type()) {
    case P::ClaimSettled: {
      const auto* p = e.payload_as_ClaimSettled();
      // A settlement that makes the claim live (the first, or one after a
      // reversal) starts its settlement window anew: its payments are due again.
      if (!c->live) c->settled_seen_on = ledger_date;
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
      c->net[static_cast<size_t>(*p->tier())] = AddFen(c->net[static_cast<size_t>(*p->tier())], p->amount());
      c->one_stop = c->one_stop || p->one_stop();
      if (*p->tier() == fb::Tier::CRITICAL_ILLNESS) {
        c->min_critical_deductible = std::min(c->min_critical_deductible, p->deductible_applied());
      }
      break;
    }
    case P::ReimbursementReversed: {
      const auto* p = e.payload_as_ReimbursementReversed();
      c->net[static_cast<size_t>(*p->tier())] = SubFen(c->net[static_cast<size_t>(*p->tier())], p->amount());
      break;
    }
    default: break;
  }
  // A payment may name the person (and the region) before the claim arrives.
  if (c->person.empty() && e.person_id() != nullptr) c->person = e.person_id()->str();
  if (!c->settled) c->region = e.region()->str();
  c->last_seen_on = ledger_date;
}

}  // namespace

std::vector<std::string> PersonClaims(const Txn& txn, std::string_view person_key) {
  std::vector<std::string> ids;
  std::string v;
  if (!txn.Get(Cf::kPersonClaims, person_key, &v).ok()) return ids;
  ByteReader r(v);
  const uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) ids.emplace_back(r.Bytes());
  return ids;
}

void SetPersonClaims(Txn& txn, std::string_view person_key, const std::vector<std::string>& ids) {
  if (ids.empty()) return txn.Delete(Cf::kPersonClaims, std::string(person_key));
  ByteWriter w;
  w.Varint(ids.size());
  for (const auto& id : ids) w.Bytes(id);
  txn.Put(Cf::kPersonClaims, std::string(person_key), std::move(w.buffer()));
}

std::string ClaimMonthKey(int32_t month, std::string_view region, std::string_view claim_id) {
  std::string k;
  PutU32(&k, static_cast<uint32_t>(month));
  k.append(region);
  k.append(claim_id);
  return k;
}

Status LoadClaim(const Store& store, std::string_view claim_id, ClaimState* out) {
  return LoadRecord(store, Cf::kClaims, claim_id, out);
}

bool ClaimProjection::WindowPassed(int32_t d0) const { return *ledger_date_ > AddDays(d0, window_days_); }

void ClaimProjection::AwaitWindow(Txn& txn, int32_t d0, DueKind kind, std::string_view subject) {
  if (!WindowPassed(d0)) MarkDue(txn, kind, AddDays(d0, window_days_ + 1), subject);
}

void ClaimProjection::PassDate(Txn& txn, int32_t previous) {
  const std::vector<std::string> claims = TakeDue(txn, DueKind::kClaim, previous, *ledger_date_);
  const std::vector<std::string> hospital_months = TakeDue(txn, DueKind::kHospitalMonth, previous, *ledger_date_);
  std::set<std::pair<std::string, int32_t>> person_years;  // ordered: a deterministic evaluation order
  for (const std::string& claim_id : claims) {
    ClaimState c;
    if (!LoadRecord(txn, Cf::kClaims, claim_id, &c).ok()) continue;
    Evaluate(txn, claim_id, c);
    if (c.settled && !c.person.empty()) person_years.emplace(c.person, c.discharged_on / 10000);
  }
  for (const auto& [person, year] : person_years) EvaluateAssistance(txn, person, year);
  for (const std::string& key : hospital_months) EvaluateHospitalMonth(txn, key);
}

void ClaimProjection::EvaluateAssistanceOf(Txn& txn, const std::string& claim_id) {
  ClaimState c;
  if (LoadRecord(txn, Cf::kClaims, claim_id, &c).ok() && c.settled && !c.person.empty()) {
    EvaluateAssistance(txn, c.person, c.discharged_on / 10000);
  }
}

void ClaimProjection::Reevaluate(Txn& txn, Check check, std::string_view subject) {
  if (check == Check::kC6) return EvaluateAssistanceOf(txn, std::string(subject));
  if (check == Check::kC7) {
    // subject: hospital_id / month
    const size_t slash = subject.rfind('/');
    if (slash == std::string_view::npos) return;
    const int32_t month = std::atoi(std::string(subject.substr(slash + 1)).c_str());
    return EvaluateHospitalMonth(txn, HospitalMonthKey(subject.substr(0, slash), month));
  }
  const std::string claim_id(subject);
  ClaimState c;
  if (LoadRecord(txn, Cf::kClaims, claim_id, &c).ok()) Evaluate(txn, claim_id, c);
}

void ClaimProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  const uint64_t seq = ev.seq;
  const P type = e.payload_type();
  if (type == P::PolicyPublished) {
    // The policy projection has already recorded this version.
    const auto& before = policies_->last_replaced();
    const Policy* now = policies_->Find(e.payload_as_PolicyPublished()->policy_id()->string_view());
    if (now != nullptr) Reevaluate(txn, *now, before ? &*before : nullptr);
    return;
  }
  if (type == P::IdentityGranted || type == P::IdentityRevoked) {
    // Poverty status and region feed C6, C8 and C9: re-evaluate the person's claims.
    const std::string person = e.person_id()->str();
    for (const std::string& claim_id : PersonClaims(txn, PersonKey(person))) {
      ClaimState c;
      if (LoadRecord(txn, Cf::kClaims, claim_id, &c).ok()) Evaluate(txn, claim_id, c);
    }
    std::vector<int32_t> years;
    txn.ScanPrefix(Cf::kAssistanceYears, PersonKey(person), [&](std::string_view key, std::string_view) {
      years.push_back(static_cast<int32_t>(DecodeU32(key.substr(32))));
    });
    for (int32_t year : years) EvaluateAssistance(txn, person, year);
    return;
  }
  const std::string claim_id(ClaimIdOf(e));
  if (claim_id.empty()) return;
  ClaimState c = RecordOr<ClaimState>(txn, Cf::kClaims, claim_id);
  const std::string old_person = c.person;
  const int32_t old_year = c.settled ? c.discharged_on / 10000 : 0;
  const int32_t old_discharged = c.settled ? c.discharged_on : 0;
  const std::string old_month_key = c.settled ? ClaimMonthKey(c.discharged_on / 100, c.region, claim_id) : "";
  const ClaimState before = c;
  Fold(e, seq, *ledger_date_, &c);
  txn.Put(Cf::kClaims, claim_id, c.Encode());
  if (c.settled) {
    // The monthly report finds a month's claims by discharge month and region.
    const std::string month_key = ClaimMonthKey(c.discharged_on / 100, c.region, claim_id);
    if (month_key != old_month_key) {
      if (!old_month_key.empty()) txn.Delete(Cf::kClaimsByMonth, old_month_key);
      txn.Put(Cf::kClaimsByMonth, month_key, {});
    }
  }
  if (c.person != old_person) {
    if (!old_person.empty()) {
      auto ids = PersonClaims(txn, PersonKey(old_person));
      ids.erase(std::remove(ids.begin(), ids.end(), claim_id), ids.end());
      SetPersonClaims(txn, PersonKey(old_person), ids);
    }
    auto ids = PersonClaims(txn, PersonKey(c.person));
    ids.insert(std::lower_bound(ids.begin(), ids.end(), claim_id), claim_id);
    SetPersonClaims(txn, PersonKey(c.person), ids);
  }
  Evaluate(txn, claim_id, c, &before);
  // C6 depends on the person's other claims of the year: re-evaluate them all.
  const int32_t year = c.settled ? c.discharged_on / 10000 : 0;
  // Claims discharged before this one (before where it was, too) are not affected.
  const int32_t from =
      old_year == year && old_person == c.person && old_year != 0 ? std::min(old_discharged, c.discharged_on) : 0;
  if (!c.person.empty() && year != 0) EvaluateAssistance(txn, c.person, year, from, claim_id, &c);
  if (!old_person.empty() && old_year != 0 && (old_person != c.person || old_year != year)) {
    EvaluateAssistance(txn, old_person, old_year, 0, claim_id, &c);
  }
}

void ClaimProjection::EvaluateAssistance(Txn& txn, const std::string& person_hex, int32_t year, int32_t from_date,
                                         std::string_view changed_id, const ClaimState* changed) {
  const std::string person_key = PersonKey(person_hex);
  const std::string key = AssistanceYearKey(person_key, year);
  AssistanceYear summary = RecordOr<AssistanceYear>(txn, Cf::kAssistanceYears, key);
  bool dirty = false;
  if (changed != nullptr) {
    // Refresh (or drop) the changed claim's entry.
    const bool belongs = changed->settled && changed->person == person_hex && changed->discharged_on / 10000 == year;
    if (!belongs) {
      const size_t before = summary.entries.size();
      summary.Remove(changed_id);
      dirty = summary.entries.size() != before;
    } else {
      AssistanceEntry& e = summary.Upsert(changed_id);
      e.discharged_on = changed->discharged_on;
      e.window_from = changed->WindowFrom();
      e.first_settled_seq = changed->first_settled_seq;
      e.live = changed->live;
      e.inpatient = changed->visit == fb::Visit::INPATIENT;
      e.region = changed->region;
      e.in_policy = changed->in_policy;
      e.basic = changed->BasicPaid();
      e.critical = changed->Net(fb::Tier::CRITICAL_ILLNESS);
      e.assistance = changed->Net(fb::Tier::MEDICAL_ASSISTANCE);
      dirty = true;
    }
  }
  const PersonState person = RecordOr<PersonState>(txn, Cf::kPersons, person_key);
  // The annual limit is used up in (discharged_on, first settlement) order.
  std::sort(summary.entries.begin(), summary.entries.end(), [](const auto& a, const auto& b) {
    return std::tie(a.discharged_on, a.first_settled_seq) < std::tie(b.discharged_on, b.first_settled_seq);
  });
  int64_t used = 0;  // assistance paid on the earlier live claims of the year
  for (AssistanceEntry& e : summary.entries) {
    if (e.discharged_on >= from_date) {
      const std::string& region = person.region.empty() ? e.region : person.region;
      const std::vector<fb::Identity> identities = person.IdentitiesOn(e.discharged_on);
      Evaluation c6;
      if (e.live && e.inpatient && !identities.empty()) {
        const PolicyTerms terms = policies_->TermsFor(region, identities, e.discharged_on);
        int64_t base = std::max<int64_t>(0, SubFen(SubFen(e.in_policy, e.basic), e.critical));
        if (terms.assistance_annual_limit != 0) {
          base = std::min(base, std::max<int64_t>(0, SubFen(terms.assistance_annual_limit, used)));
        }
        c6.threshold = MulDivCeil(base, terms.assistance_ratio_bp, 10000);
        c6.measured = e.assistance;
        // Judged once the claim's settlement window has passed: its payments had time to arrive.
        const bool short_paid = e.assistance < c6.threshold;
        c6.holds = short_paid && WindowPassed(e.window_from);
        if (short_paid) AwaitWindow(txn, e.window_from, DueKind::kClaim, e.claim_id);
      }
      // Only a changed evaluation, or one whose change is pending, can change the finding.
      if (!e.evaluated || e.holds != c6.holds || e.measured != c6.measured || e.threshold != c6.threshold ||
          findings_->MayBePending(Check::kC6, e.claim_id)) {
        findings_->Record(txn, Check::kC6, e.claim_id, region, c6);
        e.evaluated = true;
        e.holds = c6.holds;
        e.measured = c6.measured;
        e.threshold = c6.threshold;
        dirty = true;
      }
    }
    if (e.live) used = AddFen(used, e.assistance);
  }
  if (!dirty) return;
  if (summary.entries.empty()) {
    txn.Delete(Cf::kAssistanceYears, key);
  } else {
    txn.Put(Cf::kAssistanceYears, key, summary.Encode());
  }
}

void ClaimProjection::Reevaluate(Txn& txn, const Policy& now, const Policy* before) {
  const auto affected = [&](int32_t date) {
    return now.InEffect(date) || (before != nullptr && before->InEffect(date));
  };
  // The months to visit: from the earliest start to the latest end (open: the last possible month).
  const auto first = [](const Policy& p) { return p.effective_from == 0 ? 190001 : p.effective_from / 100; };
  const auto last = [](const Policy& p) { return p.effective_to == 0 ? 999912 : p.effective_to / 100; };
  int32_t lo = first(now), hi = last(now);
  if (before != nullptr) lo = std::min(lo, first(*before)), hi = std::max(hi, last(*before));
  std::set<std::pair<std::string, int32_t>> person_years;  // ordered: evaluation order is deterministic
  std::set<std::string> hospital_months;
  for (int32_t year = lo / 100; year <= hi / 100; ++year) {
    // One year of `claims_by_month` at a time bounds what is held in memory.
    std::string begin, end;
    PutU32(&begin, static_cast<uint32_t>(std::max(year * 100 + 1, lo)));
    PutU32(&end, static_cast<uint32_t>(std::min(year * 100 + 12, hi) + 1));
    std::vector<std::string> ids;
    txn.ScanRange(Cf::kClaimsByMonth, begin, end,
                  [&](std::string_view key, std::string_view) { ids.emplace_back(key.substr(10)); });
    for (const std::string& claim_id : ids) {
      ClaimState c;
      if (!LoadRecord(txn, Cf::kClaims, claim_id, &c).ok()) continue;
      const int32_t month = c.discharged_on / 100;
      const int32_t last_day = LastDayOfMonth(month);
      if (!c.counted_hospital_month.empty() && affected(last_day)) hospital_months.insert(c.counted_hospital_month);
      if (!affected(c.discharged_on)) continue;
      Evaluate(txn, claim_id, c);
      if (!c.person.empty()) person_years.emplace(c.person, c.discharged_on / 10000);
    }
  }
  for (const auto& [person, year] : person_years) EvaluateAssistance(txn, person, year);
  for (const std::string& key : hospital_months) EvaluateHospitalMonth(txn, key);
}

void ClaimProjection::EvaluateHospitalMonth(Txn& txn, const std::string& key) {
  const HospitalMonth h = RecordOr<HospitalMonth>(txn, Cf::kHospitalMonths, key);
  const size_t nul = key.find('\0');
  const std::string hospital = key.substr(0, nul);
  const auto month = static_cast<int32_t>(DecodeU32(std::string_view(key).substr(nul + 1)));
  const int32_t last_day = LastDayOfMonth(month);
  Evaluation ev;
  std::string region;
  if (h.total > 0) {
    // The smallest maximum among the policies (for no identity) of the claims' regions.
    int32_t max_bp = std::numeric_limits<int32_t>::max();
    for (const auto& [r, n] : h.regions) {
      max_bp = std::min(max_bp, policies_->TermsFor(r, {}, last_day).out_of_catalog_max_bp);
    }
    region = h.regions.begin()->first;
    ev.measured = MulDiv(h.out_of_catalog, 10000, h.total);  // share, bp (floor)
    ev.threshold = max_bp;
    // A month is judged once it is over and its settlement window has passed.
    const bool above = ProductGreater(h.out_of_catalog, 10000, max_bp, h.total);
    const int32_t window_from = std::max(last_day, h.seen_on);
    ev.holds = above && WindowPassed(window_from);
    if (above) AwaitWindow(txn, window_from, DueKind::kHospitalMonth, key);
  }
  findings_->Record(txn, Check::kC7, hospital + "/" + std::to_string(month), region, ev);
}

void ClaimProjection::Evaluate(Txn& txn, const std::string& claim_id, ClaimState& c, const ClaimState* before) {
  const PersonState person =
      c.person.empty() ? PersonState() : RecordOr<PersonState>(txn, Cf::kPersons, PersonKey(c.person));
  // The person's region as the domain defines it: the latest grant's, else the event's.
  const std::string& region = person.region.empty() ? c.region : person.region;
  const std::vector<fb::Identity> identities = person.IdentitiesOn(c.discharged_on);
  const bool poor = !identities.empty();
  const int64_t paid = c.NetTotal();

  // The monthly report: replace what the claim adds to its region and month.
  const bool reported = c.live && poor;
  if (before != nullptr || reported != c.report_counted) {
    const ClaimState& was = before != nullptr ? *before : c;
    months_->Replace(txn, c.report_counted ? &was : nullptr, reported ? &c : nullptr);
    if (reported != c.report_counted) {
      c.report_counted = reported;
      txn.Put(Cf::kClaims, claim_id, c.Encode());
    }
  }

  // C7: replace what this claim adds to its hospital and month.
  const bool counts = c.live && c.county_internal && poor;
  const std::string hm_key = counts ? HospitalMonthKey(c.hospital_id, c.discharged_on / 100) : std::string();
  if (hm_key != c.counted_hospital_month || (counts && (c.counted_out_of_catalog != c.out_of_catalog ||
                                                        c.counted_total != c.total || c.counted_region != c.region))) {
    auto adjust = [&](const std::string& key, int64_t ooc, int64_t total, const std::string& r, int64_t sign) {
      HospitalMonth h = RecordOr<HospitalMonth>(txn, Cf::kHospitalMonths, key);
      if (h.regions.empty()) h.seen_on = *ledger_date_;
      h.out_of_catalog = AddFen(h.out_of_catalog, sign * ooc);
      h.total = AddFen(h.total, sign * total);
      if ((h.regions[r] += sign) == 0) h.regions.erase(r);
      if (h.regions.empty()) {
        txn.Delete(Cf::kHospitalMonths, key);
      } else {
        txn.Put(Cf::kHospitalMonths, key, h.Encode());
      }
    };
    const std::string old_key = c.counted_hospital_month;
    if (!old_key.empty()) adjust(old_key, c.counted_out_of_catalog, c.counted_total, c.counted_region, -1);
    if (counts) adjust(hm_key, c.out_of_catalog, c.total, c.region, +1);
    c.counted_hospital_month = hm_key;
    c.counted_out_of_catalog = counts ? c.out_of_catalog : 0;
    c.counted_total = counts ? c.total : 0;
    c.counted_region = counts ? c.region : std::string();
    txn.Put(Cf::kClaims, claim_id, c.Encode());
    if (!old_key.empty() && old_key != hm_key) EvaluateHospitalMonth(txn, old_key);
    if (counts) EvaluateHospitalMonth(txn, hm_key);
  }

  // C10: payments on a claim_id without a live claim, once the window after
  // its latest event has passed (a payment may come before its claim).
  Evaluation c10;
  int64_t absolute = 0;
  for (int64_t n : c.net) absolute = AddFen(absolute, AbsFen(n));
  const bool orphaned = !c.live && absolute != 0;
  c10.holds = orphaned && WindowPassed(c.last_seen_on);
  c10.measured = absolute;
  if (orphaned) AwaitWindow(txn, c.last_seen_on, DueKind::kClaim, claim_id);
  findings_->Record(txn, Check::kC10, claim_id, region, c10);

  // C8 and C9 compare the payments with what is due, too: like C6 they are
  // judged once the claim's settlement window has passed (docs/decisions.md).
  const bool window_passed = WindowPassed(c.WindowFrom());
  bool awaits_window = false;
  // C8: net payments above the cost, or above the policy's ceiling.
  Evaluation c8;
  if (c.live) {
    const PolicyTerms terms = policies_->TermsFor(region, identities, c.discharged_on);
    c8.measured = paid;
    c8.threshold = c.total;
    bool over = paid > c.total;
    if (terms.max_total_reimbursement_bp != 0) {
      c8.threshold = std::min(c.total, MulDiv(terms.max_total_reimbursement_bp, c.total, 10000));
      over = over || ProductGreater(paid, 10000, terms.max_total_reimbursement_bp, c.total);
    }
    c8.holds = over && window_passed;
    awaits_window |= over;
  }
  findings_->Record(txn, Check::kC8, claim_id, region, c8);

  // C9: the poor deductible (below the ordinary one) used for someone not poor.
  Evaluation c9;
  if (c.live && !poor && c.min_critical_deductible != std::numeric_limits<int64_t>::max()) {
    const PolicyTerms terms = policies_->TermsFor(region, {}, c.discharged_on);
    c9.measured = c.min_critical_deductible;
    c9.threshold = terms.critical_ordinary_deductible;
    const bool below = c.min_critical_deductible < terms.critical_ordinary_deductible;
    c9.holds = below && window_passed;
    awaits_window |= below;
  }
  findings_->Record(txn, Check::kC9, claim_id, region, c9);
  if (awaits_window) AwaitWindow(txn, c.WindowFrom(), DueKind::kClaim, claim_id);
}

}  // namespace safetynet
