#include "projections/read/audit_queries.h"

#include "events/codec_util.h"
#include "events/crypto.h"
#include "projections/claims/claim_projection.h"
#include "projections/core/record.h"
#include "projections/findings/finding_counts.h"
#include "projections/findings/findings.h"

namespace safetynet {
Finding FindingOf(Check check, std::string_view subject, const FindingState& f) {
  Finding out;
  out.check = CheckName(check);
  out.subject = subject;
  out.region = RegionCode{f.region};
  out.status = f.open ? "open" : "cleared";
  out.measured = f.measured;
  out.threshold = f.threshold;
  out.opened_seq = EventSeq{f.opened_seq};
  out.opened_on = f.opened_on;
  if (f.cleared_seq != 0) out.cleared_seq = EventSeq{f.cleared_seq};
  if (f.cleared_on != 0) out.cleared_on = f.cleared_on;
  return out;
}

Json FindingChangeJson(std::string_view key, const FindingChange& c) {
  const uint64_t seq = DecodeU64(key);
  const uint32_t index = DecodeU32(key.substr(8));
  return {{"change_id", std::to_string(seq) + "." + std::to_string(index)},
          {"check", CheckName(c.check)},
          {"subject", c.subject},
          {"status", c.opened ? "open" : "cleared"},
          {"seq", c.seq},
          {"occurred_on", c.occurred_on},
          {"region", c.region},
          {"measured", c.measured},
          {"threshold", c.threshold}};
}

Result<Json> FindingChangesJson(const Store& store, const Page& page) {
  PageCollector<Json> changes(page);
  auto it = store.NewIterator(Cf::kFindingChanges);
  for (it->Seek(changes.SeekFrom("")); it->Valid() && !changes.full(); it->Next()) {
    FindingChange c;
    if (!FindingChange::Decode(it->value(), &c)) return Status::Corruption("finding change unreadable");
    changes.Offer(it->key(), [&] { return FindingChangeJson(it->key(), c); });
  }
  if (!it->status().ok()) return it->status();
  const std::optional<std::string> next = changes.Next();
  return Json{{"changes", changes.TakeItems()}, {"next", next ? Json(*next) : Json(nullptr)}};
}

Status LoadClaimFacts(const Store& store, std::string_view claim_id, ClaimFacts* out) {
  ClaimState c;
  Status st = LoadClaim(store, claim_id, &c);
  if (!st.ok()) return st;
  ClaimFacts& f = *out;
  f.claim_id = claim_id;
  if (!c.person.empty()) f.person = c.person;
  f.settled = c.settled;
  f.live = c.live;
  if (c.settled_seq != 0) f.settled_seq = EventSeq{c.settled_seq};
  if (!c.region.empty()) f.region = RegionCode{c.region};
  if (c.settled) f.visit = fb::EnumNameVisit(c.visit);
  f.hospital_id = c.hospital_id;
  f.county_internal = c.county_internal;
  if (c.admitted_on != 0) f.admitted_on = c.admitted_on;
  if (c.discharged_on != 0) f.discharged_on = c.discharged_on;
  f.total = c.total;
  f.in_policy = c.in_policy;
  f.out_of_catalog = c.out_of_catalog;
  f.payments = {};
  for (size_t t = 0; t < kTierCount; ++t) f.payments.Add(fb::EnumNamesTier()[t], c.net[t]);
  f.personal = c.Personal();
  f.one_stop = c.one_stop;
  return Status::Ok();
}

Result<ClaimAnswer> ClaimOf(const Store& store, std::string_view claim_id) {
  ClaimAnswer out;
  Status st = LoadClaimFacts(store, claim_id, &out.facts);
  if (st.IsNotFound()) return Status::NotFound("unknown claim");
  if (!st.ok()) return st;
  for (Check check : {Check::kC6, Check::kC8, Check::kC9, Check::kC10}) {  // the claim's own checks
    FindingState f;
    bool found = false;
    st = LoadIfPresent(store, Cf::kFindings, FindingKey(check, claim_id), &f, &found);
    if (!st.ok()) return st;
    if (found) out.findings.push_back(FindingOf(check, claim_id, f));
  }
  return out;
}

Result<FindingsRequest> ParseFindingsRequest(std::string_view region, std::string_view check, std::string_view status,
                                             const Page& page) {
  FindingsRequest r;
  Status st = ParseRegion(region, &r.region);
  if (!st.ok()) return st;
  if (!check.empty()) {
    r.check = CheckFromName(check);
    if (!r.check) return Status::Invalid("check must be one of C1..C12");
  }
  if (status == "open" || status == "cleared") {
    r.open = status == "open";
  } else if (!status.empty()) {
    return Status::Invalid("status must be open or cleared");
  }
  r.page = page;
  return r;
}

Result<FindingsPage> ListFindings(const Store& store, const ProjectionSet& set, const FindingsRequest& request) {
  const std::string& region = request.region;
  FindingsPage out;
  // Counts per check over the region, in the status asked for.
  for (int i = 1; i <= kCheckCount; ++i) {
    const auto c = static_cast<Check>(i);
    const FindingCounts::Counts n = set.finding_counts().Query(region, c);
    out.counts.Add(CheckName(c), !request.open ? n.open + n.cleared : *request.open ? n.open : n.cleared);
  }
  // The page: one key range of the index per status and check asked for,
  // in key order (open before cleared, then by check, region, subject).
  PageCollector<Finding> findings(request.page);
  for (const bool open : {true, false}) {
    if (request.open && *request.open != open) continue;
    for (int i = 1; i <= kCheckCount && !findings.full(); ++i) {
      const auto c = static_cast<Check>(i);
      if (request.check && c != *request.check) continue;
      const std::string begin = FindingIndexKey(open, c, region, {});
      const std::string end = FindingIndexKey(open, static_cast<Check>(i + 1), {}, {});
      if (!request.page.cursor.empty() && request.page.cursor >= end) continue;
      auto it = store.NewIterator(Cf::kFindingsByRegion, end);
      for (it->Seek(findings.SeekFrom(begin)); it->Valid() && it->key().starts_with(begin) && !findings.full();
           it->Next()) {
        const std::string_view key = it->key();
        std::string_view subject;
        if (!FindingIndexSubject(key, &subject)) return Status::Corruption("findings_by_region key");
        FindingState f;
        bool found = false;
        Status st = LoadIfPresent(store, Cf::kFindings, FindingKey(c, subject), &f, &found);
        if (!st.ok()) return st;
        if (found) findings.Offer(key, [&] { return FindingOf(c, subject, f); });
      }
      if (!it->status().ok()) return it->status();
    }
  }
  out.findings = findings.TakeItems();
  out.next = findings.Next();
  return out;
}

}  // namespace safetynet
