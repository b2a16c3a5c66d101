// Read side of the projections: the answers of the query API as typed
// values (described.h) to typed requests. Requests are parsed from strings
// by the Parse functions here; a bad parameter is an Invalid status naming it
// (HTTP 400), an unknown person NotFound (HTTP 404).
// Thread-safety: safe from any thread given a thread-private EventCodec.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/codec.h"
#include "events/crypto.h"
#include "events/store.h"
#include "projections/core/projection_set.h"
#include "projections/read/described.h"

namespace safetynet {

// The answers not yet typed (the reports, trends, finding changes) are
// still JSON values.
using Json = nlohmann::ordered_json;

// Parses a region prefix: "" or 2, 4 or 6 digits.
Status ParseRegion(std::string_view s, std::string* out);
// Parses a YYYYMMDD date; empty means `fallback`.
Status ParseDate(std::string_view s, int32_t fallback, int32_t* out);
// Parses a YYYYMM month named `name` in the error; empty means `fallback`.
Status ParseMonth(std::string_view s, const char* name, int32_t fallback, int32_t* out);

// A region prefix and a business date (default: the ledger's date).
struct RegionDate {
  std::string region;
  int32_t date = 0;
};
Result<RegionDate> ParseRegionDate(const ProjectionSet& set, std::string_view region, std::string_view date);

struct Page {
  size_t limit = 100;
  std::string cursor;  // opaque token from a previous page's "next"
};
Status ParsePage(std::string_view limit, std::string_view cursor, Page* out);

// One page of a list walked in key order: the entries after the cursor, at
// most `limit` of them; "next" is the last one's key (hex) when more
// follow. The one paging helper of the read side's lists.
template <typename T>
class PageCollector {
 public:
  explicit PageCollector(const Page& page) : page_(page) {}
  // Where the walk starts: the cursor, or `from` when the cursor is before it.
  std::string_view SeekFrom(std::string_view from) const { return std::max<std::string_view>(from, page_.cursor); }
  // Takes the entry at `key` if it belongs on the page; make() builds it.
  template <typename Make>
  void Offer(std::string_view key, Make&& make) {
    if (!page_.cursor.empty() && key <= page_.cursor) return;
    if (items_.size() == page_.limit) {
      more_ = true;
      return;
    }
    items_.push_back(make());
    last_.assign(key);
  }
  // The page is complete and one more entry was offered: a walk can stop.
  bool full() const { return more_; }
  std::vector<T> TakeItems() { return std::move(items_); }
  std::optional<std::string> Next() const { return more_ ? std::optional(ToHex(last_)) : std::nullopt; }

 private:
  const Page& page_;
  std::vector<T> items_;
  std::string last_;
  bool more_ = false;
};

// GET /v1/coverage
struct TierCoverage {
  int64_t covered = 0;
  int64_t excluded = 0;
  int64_t gaps = 0;
  std::optional<int64_t> rate_bp;
  template <typename V>
  void Describe(V& v) const {
    v("covered", covered, "Poor persons covered in the tier on the date.");
    v("excluded", excluded, "Poor persons verified as not to be enrolled (domain.md: excluded).");
    v("gaps", gaps, "Poor persons neither covered nor excluded (C1).");
    v("rate_bp", rate_bp, "covered / (population - excluded), in basis points; null when that is 0.");
  }
};
struct CoverageAnswer {
  RegionCode region;
  int32_t date = 0;
  int64_t population = 0;
  Named<TierCoverage> tiers;
  template <typename V>
  void Describe(V& v) const {
    v("region", region, "Region prefix; empty: the whole ledger.");
    v("date", date, "Business date YYYYMMDD.");
    v("population", population, "Poor persons of the region on the date.");
    v("tiers", tiers, "Per tier: basic, critical_illness, medical_assistance.");
  }
};
CoverageAnswer Coverage(const ProjectionSet& set, const RegionDate& at);

// GET /v1/coverage/regions: a region and each region one level below it
// with anyone in the population on the date, for the dashboard's drill-down.
struct RegionRef {
  RegionCode region;
  template <typename V>
  void Describe(V& v) const {
    v("region", region, "");
  }
};
struct CoverageBreakdown {
  RegionCode region;
  std::vector<RegionRef> above;
  int32_t date = 0;
  CoverageAnswer coverage;
  std::vector<CoverageAnswer> subregions;
  template <typename V>
  void Describe(V& v) const {
    v("region", region, "Region prefix; empty: the whole ledger.");
    v("above", above, "The regions that contain it, province first.");
    v("date", date, "Business date YYYYMMDD.");
    v("coverage", coverage, "The region's coverage.");
    v("subregions", subregions, "Each region one level below with a population on the date, in code order.");
  }
};
CoverageBreakdown CoverageRegions(const ProjectionSet& set, const RegionDate& at);

// GET /v1/coverage/gaps
struct GapsRequest {
  RegionDate at;
  Category tier = Category::kBasic;
  Page page;
};
Result<GapsRequest> ParseGapsRequest(const ProjectionSet& set, std::string_view region, std::string_view tier,
                                     std::string_view date, const Page& page);
struct Gap {
  std::string person;
  RegionCode region;
  std::vector<std::string> identities;
  std::string tier;
  std::optional<std::string> reason;
  int32_t since = 0;
  template <typename V>
  void Describe(V& v) const {
    v("person", person, "Pseudonym (64 hex characters).");
    v("region", region, "The person's county.");
    v("identities", identities, "Poverty identities held on the date.");
    v("tier", tier, "");
    v("reason", reason, "The verified reason for not enrolling, if any was reported.");
    v("since", since, "First day of this gap, YYYYMMDD.");
  }
};
struct GapsPage {
  RegionCode region;
  std::string tier;
  int32_t date = 0;
  std::vector<Gap> persons;
  std::optional<std::string> next;
  template <typename V>
  void Describe(V& v) const {
    v("region", region, "Region prefix.");
    v("tier", tier, "");
    v("date", date, "Business date YYYYMMDD.");
    v("persons", persons, "Gaps of the tier on the date, by region and person.");
    v("next", next, "Cursor of the next page; null on the last.");
  }
};
Result<GapsPage> ListGaps(const Store& store, const GapsRequest& request);

// Resolves a person named by raw ID or by pseudonym (64 hex characters) to
// the person's key; NotFound when the ledger has no event of that person.
Result<std::string> ResolvePerson(const Store& store, std::string_view person,
                                  const std::function<std::string(std::string_view)>& hash_raw);

// One log record in the API's form.
struct LoggedEvent {
  EventSeq seq;
  std::string event_id;
  std::string type;
  JsonText event;
  std::optional<std::string> hash;
  template <typename V>
  void Describe(V& v) const {
    v("seq", seq, "Position in the log.");
    v("event_id", event_id, "");
    v("type", type, "Payload type.");
    v("event", event, "The event as received (events.md), person IDs pseudonymised.");
    v("hash", hash, "Chain hash (hex), where the view shows it.");
  }
};
Result<LoggedEvent> EventOf(EventCodec& codec, uint64_t seq, std::string_view event_bytes, const Digest* hash);

}  // namespace safetynet
