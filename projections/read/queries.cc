#include "projections/read/queries.h"

#include <charconv>
#include <map>

#include "events/codec_util.h"
#include "events/date.h"
#include "events/ledger.h"
#include "projections/core/record.h"
#include "projections/coverage/coverage_timeline.h"
#include "projections/coverage/person_projection.h"
#include "projections/findings/findings.h"
#include "projections/read/audit_queries.h"

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

Json NullableDate(int32_t d) { return d == 0 ? Json(nullptr) : Json(d); }

}  // namespace

Status ParseRegion(std::string_view s, std::string* out) {
  if ((s.size() != 0 && s.size() != 2 && s.size() != 4 && s.size() != 6) ||
      s.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::Invalid("region must be a 2-, 4- or 6-digit prefix");
  }
  out->assign(s);
  return Status::Ok();
}

Status ParseDate(std::string_view s, int32_t fallback, int32_t* out) {
  if (s.empty()) {
    *out = fallback;
    return Status::Ok();
  }
  int32_t d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || ptr != s.data() + s.size() || !IsValidDate(d)) {
    return Status::Invalid("date must be YYYYMMDD");
  }
  *out = d;
  return Status::Ok();
}

Status ParseMonth(std::string_view s, const char* name, int32_t fallback, int32_t* out) {
  if (s.empty()) {
    *out = fallback;
    return Status::Ok();
  }
  int32_t m = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), m);
  if (ec != std::errc() || ptr != s.data() + s.size() || !IsValidMonth(m)) {
    return Status::Invalid(std::string(name) + " must be YYYYMM");
  }
  *out = m;
  return Status::Ok();
}

Status ParsePage(std::string_view limit, std::string_view cursor, Page* out) {
  out->limit = 100;
  if (!limit.empty()) {
    size_t n = 0;
    auto [ptr, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc() || ptr != limit.data() + limit.size() || n == 0 || n > 1000) {
      return Status::Invalid("limit must be 1..1000");
    }
    out->limit = n;
  }
  out->cursor.clear();
  if (!cursor.empty() && !FromHex(cursor, &out->cursor)) return Status::Invalid("cursor is not a token we issued");
  return Status::Ok();
}

Result<Json> CoverageJson(const ProjectionSet& set, std::string_view region_s, std::string_view date_s) {
  std::string region;
  int32_t date = 0;
  Status st = ParseRegion(region_s, &region);
  if (st.ok()) st = ParseDate(date_s, set.ledger_date(), &date);
  if (!st.ok()) return st;
  Json out;
  out["region"] = region;
  out["date"] = date;
  int64_t population = 0;
  Json tiers = Json::object();
  for (size_t i = 0; i < kCategoryCount; ++i) {
    const auto c = static_cast<Category>(i);
    const CoverageCounts n = set.coverage().Query(region, c, date);
    population = n.population();  // the same for every category
    const int64_t denominator = n.population() - n.excluded;
    tiers[CategoryName(c)] = {{"covered", n.covered},
                              {"excluded", n.excluded},
                              {"gaps", n.gaps},
                              {"rate_bp", denominator == 0 ? Json(nullptr) : Json(n.covered * 10000 / denominator)}};
  }
  out["population"] = population;
  out["tiers"] = std::move(tiers);
  return out;
}

Result<Json> CoverageBreakdownJson(const ProjectionSet& set, std::string_view region, std::string_view date) {
  auto whole = CoverageJson(set, region, date);
  if (!whole.ok()) return whole.status();
  const std::string date_s = std::to_string((*whole)["date"].get<int32_t>());
  Json subregions = Json::array();
  for (const std::string& child : set.coverage().Subregions((*whole)["region"].get<std::string>())) {
    auto c = CoverageJson(set, child, date_s);
    if (!c.ok()) return c.status();
    if ((*c)["population"].get<int64_t>() > 0) subregions.push_back(std::move(*c));
  }
  Json out;
  out["region"] = (*whole)["region"];
  // The regions above it, province first, for a breadcrumb trail.
  const std::string code = (*whole)["region"];
  Json above = Json::array();
  for (size_t n = 2; n < code.size(); n += 2) above.push_back({{"region", code.substr(0, n)}});
  out["above"] = std::move(above);
  out["date"] = (*whole)["date"];
  out["coverage"] = std::move(*whole);
  out["subregions"] = std::move(subregions);
  return out;
}

Json PageCollector::Next() const { return more_ ? Json(ToHex(last_)) : Json(nullptr); }

Result<Json> GapsJson(const Store& store, const ProjectionSet& set, std::string_view region_s, std::string_view tier_s,
                      std::string_view date_s, const Page& page) {
  std::string region;
  int32_t date = 0;
  Status st = ParseRegion(region_s, &region);
  if (st.ok()) st = ParseDate(date_s, set.ledger_date(), &date);
  if (!st.ok()) return st;
  const auto cat = CategoryFromName(tier_s.empty() ? "basic" : tier_s);
  if (!cat) return Status::Invalid("tier must be basic, critical_illness or medical_assistance (or a Tier name)");

  std::string prefix(1, static_cast<char>(*cat));
  prefix += region;
  auto it = store.NewIterator(Cf::kCoverageGaps);
  if (!page.cursor.empty() && page.cursor.compare(0, prefix.size(), prefix) == 0) {
    it->Seek(page.cursor);
    if (it->Valid() && it->key() == page.cursor) it->Next();
  } else {
    it->Seek(prefix);
  }
  Json persons = Json::array();
  std::string last_key;
  bool more = false;
  std::vector<GapRun> runs;
  for (; it->Valid() && it->key().substr(0, prefix.size()) == prefix; it->Next()) {
    if (!DecodeGapRuns(it->value(), &runs)) return Status::Corruption("gap runs unreadable");
    const GapRun* hit = nullptr;
    for (const auto& r : runs) {
      if (r.from <= date && (r.to == 0 || date < r.to)) hit = &r;
    }
    if (hit == nullptr) continue;
    if (persons.size() == page.limit) {
      more = true;
      break;
    }
    const std::string_view key = it->key();
    const std::string person_key(key.substr(7));
    PersonState ps;
    st = LoadPerson(store, person_key, &ps);
    if (!st.ok()) return st;
    Json ids = Json::array();
    for (auto id : ps.IdentitiesOn(date)) ids.push_back(fb::EnumNameIdentity(id));
    const ReasonPoint* reason = ps.ReasonOn(*cat, date);
    persons.push_back({{"person", ToHex(person_key)},
                       {"region", std::string(key.substr(1, 6))},
                       {"identities", std::move(ids)},
                       {"tier", CategoryName(*cat)},
                       {"reason", reason ? Json(fb::EnumNameReason(reason->reason)) : Json(nullptr)},
                       {"since", hit->from}});
    last_key.assign(key);
  }
  if (!it->status().ok()) return it->status();
  Json out;
  out["region"] = region;
  out["tier"] = CategoryName(*cat);
  out["date"] = date;
  out["persons"] = std::move(persons);
  out["next"] = more ? Json(ToHex(last_key)) : Json(nullptr);
  return out;
}

Result<std::string> ResolvePerson(const Store& store, std::string_view person,
                                  const std::function<std::string(std::string_view)>& hash_raw) {
  Status read;
  auto known = [&store, &read](const std::string& key) {
    auto it = store.NewIterator(Cf::kPersonEvents);
    it->Seek(key);
    if (!it->status().ok()) read = it->status();
    return it->Valid() && it->key().substr(0, key.size()) == key;
  };
  if (person.size() == 64) {
    std::string key = PersonKey(person);
    if (key.size() == 32 && known(key)) return key;
  }
  std::string key = PersonKey(hash_raw(person));
  if (key.size() == 32 && known(key)) return key;
  if (!read.ok()) return read;
  return Status::NotFound("unknown person");
}

Result<Json> EventJson(EventCodec& codec, uint64_t seq, std::string_view bytes, const Digest* hash) {
  std::string text;
  Status st = codec.ToJson(bytes, &text);
  if (!st.ok()) return st;
  const fb::Event* e = ReadEvent(bytes);
  Json out;
  out["seq"] = seq;
  out["event_id"] = e->event_id()->str();
  out["type"] = PayloadName(e->payload_type());
  out["event"] = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (hash != nullptr) out["hash"] = ToHex(*hash);
  return out;
}

Result<Json> PersonLedgerJson(const Store& store, const ProjectionSet& set, EventCodec& codec,
                              std::string_view person_key) {
  PersonState ps;
  Status st = LoadPerson(store, person_key, &ps);
  if (!st.ok() && !st.IsNotFound()) return st;
  const int32_t today = set.ledger_date();

  Json out;
  out["person"] = ToHex(person_key);
  out["region"] = ps.region.empty() ? Json(nullptr) : Json(ps.region);
  Json identities = Json::array();
  for (const auto& iv : ps.intervals) {
    identities.push_back({{"identity", fb::EnumNameIdentity(iv.identity)},
                          {"valid_from", iv.from},
                          {"valid_to", NullableDate(iv.to)},
                          {"emptied_by_revocation", iv.Empty()},
                          {"seq", iv.seq}});
  }
  out["identities"] = std::move(identities);
  Json enrollments = Json::array();
  for (size_t t = 0; t < kTierCount; ++t) {
    for (const auto& p : ps.enrollments[t]) {
      enrollments.push_back({{"tier", fb::EnumNamesTier()[t]},
                             {"enrolled", p.enrolled},
                             {"effective_on", p.effective_on},
                             {"seq", p.seq}});
    }
  }
  out["enrollments"] = std::move(enrollments);
  Json reasons = Json::array();
  for (const auto& v : ps.reasons) {
    for (const auto& r : v) {
      reasons.push_back({{"tier", fb::EnumNameTier(r.tier)},
                         {"reason", fb::EnumNameReason(r.reason)},
                         {"occurred_on", r.occurred_on},
                         {"seq", r.seq}});
    }
  }
  out["reasons"] = std::move(reasons);
  Json coverage;
  coverage["date"] = today;
  for (size_t c = 0; c < kCategoryCount; ++c) {
    coverage[CategoryName(static_cast<Category>(c))] = StatusName(StatusOn(ps, static_cast<Category>(c), today));
  }
  out["coverage"] = std::move(coverage);

  // Contributions and claims come from the person's events, in ledger order.
  Json contributions = Json::array();
  std::map<std::string, Json> claims;
  Json events = Json::array();
  auto it = store.NewIterator(Cf::kPersonEvents);
  size_t n = 0;
  bool truncated = false;
  for (it->Seek(person_key); it->Valid() && it->key().substr(0, 32) == person_key; it->Next()) {
    if (++n > kLedgerEventsMax) {
      truncated = true;
      break;
    }
    const uint64_t seq = DecodeU64(it->key().substr(32));
    std::string value;
    LogRecord rec;
    st = store.Get(Cf::kLog, LogKey(seq), &value);
    if (st.ok()) st = ParseLogValue(seq, value, &rec);
    if (!st.ok()) return st;
    const fb::Event* e = ReadEvent(rec.event);
    auto ev = EventJson(codec, seq, rec.event, nullptr);
    if (!ev.ok()) return ev.status();
    using P = fb::Payload;
    switch (e->payload_type()) {
      case P::ContributionPaid: {
        const auto* p = e->payload_as_ContributionPaid();
        contributions.push_back({{"year", p->year()},
                                 {"personal_due", p->personal_due()},
                                 {"subsidy", p->subsidy()},
                                 {"subsidy_source", p->subsidy_source() ? p->subsidy_source()->str() : ""},
                                 {"seq", seq}});
        break;
      }
      case P::ClaimSettled: {
        const auto* p = e->payload_as_ClaimSettled();
        Json& c = claims[p->claim_id()->str()];
        c["claim_id"] = p->claim_id()->str();
        c["settlement"] = (*ev)["event"]["payload"];
        c["settled_seq"] = seq;
        c["live"] = true;
        break;
      }
      case P::ClaimReversed: {
        Json& c = claims[e->payload_as_ClaimReversed()->claim_id()->str()];
        c["claim_id"] = e->payload_as_ClaimReversed()->claim_id()->str();
        c["live"] = false;
        break;
      }
      case P::ReimbursementPaid:
      case P::ReimbursementReversed: {
        const bool paid = e->payload_type() == P::ReimbursementPaid;
        const std::string id = paid ? e->payload_as_ReimbursementPaid()->claim_id()->str()
                                    : e->payload_as_ReimbursementReversed()->claim_id()->str();
        const fb::Tier tier =
            paid ? *e->payload_as_ReimbursementPaid()->tier() : *e->payload_as_ReimbursementReversed()->tier();
        const int64_t amount =
            paid ? e->payload_as_ReimbursementPaid()->amount() : e->payload_as_ReimbursementReversed()->amount();
        Json& c = claims[id];
        c["claim_id"] = id;
        Json& net = c["net_payments"][fb::EnumNameTier(tier)];
        net = (net.is_null() ? 0 : net.get<int64_t>()) + (paid ? amount : -amount);
        c["payments"].push_back({{"tier", fb::EnumNameTier(tier)},
                                 {"amount", paid ? amount : -amount},
                                 {"kind", paid ? "paid" : "reversed"},
                                 {"occurred_on", *e->occurred_on()},
                                 {"seq", seq}});
        break;
      }
      default: break;
    }
    events.push_back(std::move(*ev));
  }
  if (!it->status().ok()) return it->status();
  if (n == 0 && st.IsNotFound()) return Status::NotFound("unknown person");
  out["contributions"] = std::move(contributions);
  Json claim_list = Json::array();
  for (auto& [id, c] : claims) claim_list.push_back(std::move(c));
  out["claims"] = std::move(claim_list);
  // Findings about the person (C1 per category, C2 per year) and their claims.
  Json findings = Json::array();
  const std::string hex = ToHex(person_key);
  Status read;
  auto add = [&](Check check, const std::string& subject) {
    FindingState f;
    bool found = false;
    if (Status st = LoadIfPresent(store, Cf::kFindings, FindingKey(check, subject), &f, &found); !st.ok()) read = st;
    if (found) findings.push_back(FindingJson(check, subject, f));
  };
  for (size_t c = 0; c < kCategoryCount; ++c) add(Check::kC1, hex + "/" + CategoryName(static_cast<Category>(c)));
  auto c2 = store.NewIterator(Cf::kFindings);
  const std::string c2_prefix = FindingKey(Check::kC2, hex + "/");
  for (c2->Seek(c2_prefix); c2->Valid() && c2->key().substr(0, c2_prefix.size()) == c2_prefix; c2->Next()) {
    add(Check::kC2, std::string(c2->key().substr(1)));
  }
  if (!c2->status().ok()) return c2->status();
  for (const auto& [id, claim] : claims) {
    for (Check check : {Check::kC6, Check::kC8, Check::kC9, Check::kC10}) add(check, id);
  }
  if (!read.ok()) return read;
  out["findings"] = std::move(findings);
  out["events"] = std::move(events);
  out["events_truncated"] = truncated;
  return out;
}

}  // namespace safetynet
