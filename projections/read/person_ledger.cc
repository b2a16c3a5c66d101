#include "projections/read/person_ledger.h"

#include <set>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "events/ledger.h"
#include "projections/claims/claim_projection.h"
#include "projections/core/record.h"
#include "projections/coverage/coverage_timeline.h"
#include "projections/coverage/person_projection.h"
#include "projections/findings/findings.h"

namespace safetynet {
namespace {

constexpr size_t kLedgerEventsMax = 10000;

const char* StatusName(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::kNone: return "not_poor";
    case CoverageStatus::kCovered: return "covered";
    case CoverageStatus::kExcluded: return "excluded";
    case CoverageStatus::kGap: return "gap";
  }
  return "?";
}

// What the person projection holds: identities, enrollments, reasons, coverage.
void AddPersonState(const PersonState& ps, int32_t today, PersonLedger* out) {
  if (!ps.region.empty()) out->region = RegionCode{ps.region};
  for (const auto& iv : ps.intervals) {
    out->identities.push_back({fb::EnumNameIdentity(iv.identity), iv.from,
                               iv.to == 0 ? std::nullopt : std::optional<int32_t>(iv.to), iv.Empty(),
                               EventSeq{iv.seq}});
  }
  for (size_t t = 0; t < kTierCount; ++t) {
    for (const auto& p : ps.enrollments[t]) {
      out->enrollments.push_back({fb::EnumNamesTier()[t], p.enrolled, p.effective_on, EventSeq{p.seq}});
    }
  }
  for (const auto& v : ps.reasons) {
    for (const auto& r : v) {
      out->reasons.push_back({fb::EnumNameTier(r.tier), fb::EnumNameReason(r.reason), r.occurred_on, EventSeq{r.seq}});
    }
  }
  static_assert(kCategoryCount == 3);
  out->coverage.date = today;
  out->coverage.basic = StatusName(StatusOn(ps, Category::kBasic, today));
  out->coverage.critical_illness = StatusName(StatusOn(ps, Category::kCriticalIllness, today));
  out->coverage.medical_assistance = StatusName(StatusOn(ps, Category::kMedicalAssistance, today));
}

// The person's events in ledger order, the contributions among them and the
// claims they name.
Status AddEvents(const Store& store, EventCodec& codec, std::string_view person_key, PersonLedger* out,
                 std::set<std::string>* claims) {
  auto it = store.NewIterator(Cf::kPersonEvents);
  for (it->Seek(person_key); it->Valid() && it->key().starts_with(person_key); it->Next()) {
    if (out->events.size() == kLedgerEventsMax) {
      out->events_truncated = true;
      break;
    }
    const uint64_t seq = DecodeU64(it->key().substr(32));
    auto rec = ReadLogRecord(store, seq);
    if (!rec.ok()) return rec.status();
    const fb::Event* e = ReadEvent(rec->event);
    if (e->payload_type() == fb::Payload::ContributionPaid) {
      const auto* p = e->payload_as_ContributionPaid();
      out->contributions.push_back({p->year(), p->personal_due(), p->subsidy(),
                                    p->subsidy_source() ? p->subsidy_source()->str() : "", EventSeq{seq}});
    }
    if (const std::string_view id = ClaimIdOf(*e); !id.empty()) claims->emplace(id);
    auto shown = EventOf(codec, seq, rec->event, nullptr);
    if (!shown.ok()) return shown.status();
    out->events.push_back(std::move(*shown));
  }
  return it->status();
}

// Findings about the person (C1 per category, C2 per year) and their claims.
Status AddFindings(const Store& store, std::string_view person_key, const std::set<std::string>& claims,
                   PersonLedger* out) {
  Status read;
  auto add = [&](Check check, const std::string& subject) {
    FindingState f;
    bool found = false;
    if (Status st = LoadIfPresent(store, Cf::kFindings, FindingKey(check, subject), &f, &found); !st.ok()) read = st;
    if (found) out->findings.push_back(FindingOf(check, subject, f));
  };
  const std::string hex = ToHex(person_key);
  for (size_t c = 0; c < kCategoryCount; ++c) add(Check::kC1, hex + "/" + CategoryName(static_cast<Category>(c)));
  auto c2 = store.NewIterator(Cf::kFindings);
  const std::string c2_prefix = FindingKey(Check::kC2, hex + "/");
  for (c2->Seek(c2_prefix); c2->Valid() && c2->key().starts_with(c2_prefix); c2->Next()) {
    add(Check::kC2, std::string(c2->key().substr(1)));
  }
  if (!c2->status().ok()) return c2->status();
  for (const std::string& id : claims) {
    for (Check check : {Check::kC6, Check::kC8, Check::kC9, Check::kC10}) add(check, id);
  }
  return read;
}

}  // namespace

Result<PersonLedger> PersonLedgerOf(const Store& store, const ProjectionSet& set, EventCodec& codec,
                                    std::string_view person_key) {
  PersonState ps;
  const Status person = LoadPerson(store, person_key, &ps);
  if (!person.ok() && !person.IsNotFound()) return person;
  PersonLedger out;
  out.person = ToHex(person_key);
  AddPersonState(ps, set.ledger_date(), &out);
  std::set<std::string> claims;
  if (Status st = AddEvents(store, codec, person_key, &out, &claims); !st.ok()) return st;
  if (out.events.empty() && person.IsNotFound()) return Status::NotFound("unknown person");
  for (const std::string& id : claims) {
    ClaimFacts& c = out.claims.emplace_back();
    Status st = LoadClaimFacts(store, id, &c);
    // Every event of a claim_id makes its record: one missing is damage, not an unknown person.
    if (st.IsNotFound()) return Status::Corruption("claim " + id + " of the person's events has no record");
    if (!st.ok()) return st;
  }
  if (Status st = AddFindings(store, person_key, claims, &out); !st.ok()) return st;
  return out;
}

}  // namespace safetynet
