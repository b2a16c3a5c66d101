#include "projections/read/queries.h"

#include <charconv>

#include "events/codec_util.h"
#include "events/date.h"
#include "events/ledger.h"
#include "projections/core/record.h"
#include "projections/coverage/coverage_timeline.h"
#include "projections/coverage/person_projection.h"
#include "projections/findings/findings.h"
#include "projections/read/audit_queries.h"

namespace safetynet {
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

Result<RegionDate> ParseRegionDate(const ProjectionSet& set, std::string_view region, std::string_view date) {
  RegionDate at;
  Status st = ParseRegion(region, &at.region);
  if (st.ok()) st = ParseDate(date, set.ledger_date(), &at.date);
  if (!st.ok()) return st;
  return at;
}

CoverageAnswer Coverage(const ProjectionSet& set, const RegionDate& at) {
  CoverageAnswer out;
  out.region = RegionCode{at.region};
  out.date = at.date;
  for (size_t i = 0; i < kCategoryCount; ++i) {
    const auto c = static_cast<Category>(i);
    const CoverageCounts n = set.coverage().Query(at.region, c, at.date);
    out.population = n.population();  // the same for every category
    const int64_t denominator = n.population() - n.excluded;
    TierCoverage& t = out.tiers.Add(CategoryName(c));
    t.covered = n.covered;
    t.excluded = n.excluded;
    t.gaps = n.gaps;
    if (denominator != 0) t.rate_bp = n.covered * 10000 / denominator;
  }
  return out;
}

CoverageBreakdown CoverageRegions(const ProjectionSet& set, const RegionDate& at) {
  CoverageBreakdown out;
  out.region = RegionCode{at.region};
  // The regions above it, province first, for a breadcrumb trail.
  for (size_t n = 2; n < at.region.size(); n += 2) out.above.push_back({RegionCode{at.region.substr(0, n)}});
  out.date = at.date;
  out.coverage = Coverage(set, at);
  for (std::string& child : set.coverage().Subregions(at.region)) {
    CoverageAnswer c = Coverage(set, RegionDate{std::move(child), at.date});
    if (c.population > 0) out.subregions.push_back(std::move(c));
  }
  return out;
}

Result<GapsRequest> ParseGapsRequest(const ProjectionSet& set, std::string_view region, std::string_view tier,
                                     std::string_view date, const Page& page) {
  auto at = ParseRegionDate(set, region, date);
  if (!at.ok()) return at.status();
  const auto cat = CategoryFromName(tier.empty() ? "basic" : tier);
  if (!cat) return Status::Invalid("tier must be basic, critical_illness or medical_assistance (or a Tier name)");
  return GapsRequest{std::move(*at), *cat, page};
}

Result<GapsPage> ListGaps(const Store& store, const GapsRequest& request) {
  const int32_t date = request.at.date;
  GapsPage out;
  out.region = RegionCode{request.at.region};
  out.tier = CategoryName(request.tier);
  out.date = date;
  std::string prefix(1, static_cast<char>(request.tier));
  prefix += request.at.region;
  PageCollector<Gap> persons(request.page);
  auto it = store.NewIterator(Cf::kCoverageGaps);
  std::vector<GapRun> runs;
  for (it->Seek(persons.SeekFrom(prefix)); it->Valid() && it->key().starts_with(prefix) && !persons.full();
       it->Next()) {
    if (!DecodeGapRuns(it->value(), &runs)) return Status::Corruption("gap runs unreadable");
    const GapRun* hit = nullptr;
    for (const auto& r : runs) {
      if (r.from <= date && (r.to == 0 || date < r.to)) hit = &r;
    }
    if (hit == nullptr) continue;
    const std::string_view key = it->key();
    Status st = Status::Ok();
    persons.Offer(key, [&] {
      Gap g;
      PersonState ps;
      st = LoadPerson(store, key.substr(7), &ps);
      g.person = ToHex(key.substr(7));
      g.region = RegionCode{std::string(key.substr(1, 6))};
      for (auto id : ps.IdentitiesOn(date)) g.identities.emplace_back(fb::EnumNameIdentity(id));
      g.tier = out.tier;
      if (const ReasonPoint* reason = ps.ReasonOn(request.tier, date)) g.reason = fb::EnumNameReason(reason->reason);
      g.since = hit->from;
      return g;
    });
    if (!st.ok()) return st;
  }
  if (!it->status().ok()) return it->status();
  out.persons = persons.TakeItems();
  out.next = persons.Next();
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

Result<LoggedEvent> EventOf(EventCodec& codec, uint64_t seq, std::string_view bytes, const Digest* hash) {
  LoggedEvent out;
  Status st = codec.ToJson(bytes, &out.event.text);
  if (!st.ok()) return st;
  const fb::Event* e = ReadEvent(bytes);
  out.seq = EventSeq{seq};
  out.event_id = e->event_id()->str();
  out.type = PayloadName(e->payload_type());
  if (hash != nullptr) out.hash = ToHex(*hash);
  return out;
}

}  // namespace safetynet
