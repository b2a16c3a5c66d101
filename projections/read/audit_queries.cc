#include "projections/read/audit_queries.h"

#include "events/codec_util.h"
#include "events/crypto.h"
#include "projections/claims/claim_projection.h"
#include "projections/core/record.h"
#include "projections/findings/finding_counts.h"
#include "projections/findings/findings.h"

namespace safetynet {
namespace {

Json NullIfZero(int64_t v) { return v == 0 ? Json(nullptr) : Json(v); }

}  // namespace

Json FindingJson(Check check, std::string_view subject, const FindingState& f) {
  return {{"check", CheckName(check)},
          {"subject", std::string(subject)},
          {"region", f.region},
          {"status", f.open ? "open" : "cleared"},
          {"measured", f.measured},
          {"threshold", f.threshold},
          {"opened_seq", f.opened_seq},
          {"opened_on", f.opened_on},
          {"cleared_seq", NullIfZero(static_cast<int64_t>(f.cleared_seq))},
          {"cleared_on", NullIfZero(f.cleared_on)}};
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
  Json changes = Json::array();
  auto it = store.NewIterator(Cf::kFindingChanges);
  if (page.cursor.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(page.cursor);
    if (it->Valid() && it->key() == page.cursor) it->Next();
  }
  std::string last;
  bool more = false;
  for (; it->Valid(); it->Next()) {
    if (changes.size() == page.limit) {
      more = true;
      break;
    }
    FindingChange c;
    if (!FindingChange::Decode(it->value(), &c)) return Status::Corruption("finding change unreadable");
    changes.push_back(FindingChangeJson(it->key(), c));
    last.assign(it->key());
  }
  if (!it->status().ok()) return it->status();
  return Json{{"changes", std::move(changes)}, {"next", more ? Json(ToHex(last)) : Json(nullptr)}};
}

Result<Json> ClaimJson(const Store& store, std::string_view claim_id) {
  ClaimState c;
  Status st = LoadClaim(store, claim_id, &c);
  if (st.IsNotFound()) return Status::NotFound("unknown claim");
  if (!st.ok()) return st;
  Json payments = Json::object();
  for (size_t t = 0; t < kTierCount; ++t) payments[fb::EnumNamesTier()[t]] = c.net[t];
  Json findings = Json::array();
  for (Check check : {Check::kC6, Check::kC8, Check::kC9, Check::kC10}) {  // the claim's own checks
    FindingState f;
    bool found = false;
    st = LoadIfPresent(store, Cf::kFindings, FindingKey(check, claim_id), &f, &found);
    if (!st.ok()) return st;
    if (found) findings.push_back(FindingJson(check, claim_id, f));
  }
  Json out;
  out["claim_id"] = std::string(claim_id);
  out["person"] = c.person.empty() ? Json(nullptr) : Json(c.person);
  out["settled"] = c.settled;
  out["live"] = c.live;
  out["region"] = c.region.empty() ? Json(nullptr) : Json(c.region);
  out["visit"] = c.settled ? Json(fb::EnumNameVisit(c.visit)) : Json(nullptr);
  out["hospital_id"] = c.hospital_id;
  out["county_internal"] = c.county_internal;
  out["admitted_on"] = NullIfZero(c.admitted_on);
  out["discharged_on"] = NullIfZero(c.discharged_on);
  out["total"] = c.total;
  out["in_policy"] = c.in_policy;
  out["out_of_catalog"] = c.out_of_catalog;
  out["payments"] = std::move(payments);
  out["personal"] = c.Personal();
  out["one_stop"] = c.one_stop;
  out["findings"] = std::move(findings);
  return out;
}

Result<Json> FindingsJson(const Store& store, const ProjectionSet& set, std::string_view region_s,
                          std::string_view check_s, std::string_view status, const Page& page) {
  std::string region;
  Status st = ParseRegion(region_s, &region);
  if (!st.ok()) return st;
  std::optional<Check> check;
  if (!check_s.empty()) {
    check = CheckFromName(check_s);
    if (!check) return Status::Invalid("check must be one of C1..C12");
  }
  if (!status.empty() && status != "open" && status != "cleared") {
    return Status::Invalid("status must be open or cleared");
  }
  // Counts per check over the region, in the status asked for.
  std::map<std::string, int64_t> counts;
  for (int i = 1; i <= kCheckCount; ++i) {
    const auto c = static_cast<Check>(i);
    const FindingCounts::Counts n = set.finding_counts().Query(region, c);
    counts[CheckName(c)] = status == "open" ? n.open : status == "cleared" ? n.cleared : n.open + n.cleared;
  }
  // The page: one key range of the index per status and check asked for,
  // in key order (open before cleared, then by check, region, subject).
  PageCollector findings(page);
  for (const bool open : {true, false}) {
    if (!status.empty() && (status == "open") != open) continue;
    for (int i = 1; i <= kCheckCount && !findings.full(); ++i) {
      const auto c = static_cast<Check>(i);
      if (check && c != *check) continue;
      const std::string begin = FindingIndexKey(open, c, region, {});
      const std::string end = FindingIndexKey(open, static_cast<Check>(i + 1), {}, {});
      if (!page.cursor.empty() && page.cursor >= end) continue;
      auto it = store.NewIterator(Cf::kFindingsByRegion, end);
      for (it->Seek(std::max<std::string_view>(begin, page.cursor));
           it->Valid() && it->key().starts_with(begin) && !findings.full(); it->Next()) {
        const std::string_view key = it->key();
        std::string_view subject;
        if (!FindingIndexSubject(key, &subject)) return Status::Corruption("findings_by_region key");
        FindingState f;
        bool found = false;
        st = LoadIfPresent(store, Cf::kFindings, FindingKey(c, subject), &f, &found);
        if (!st.ok()) return st;
        if (found) findings.Offer(key, [&] { return FindingJson(c, subject, f); });
      }
      if (!it->status().ok()) return it->status();
    }
  }
  Json out;
  out["findings"] = findings.TakeItems();
  out["counts"] = counts;
  out["next"] = findings.Next();
  return out;
}

}  // namespace safetynet
