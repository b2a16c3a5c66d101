// Read side of the projections: the answers of the query API as JSON values.
// Parameters arrive as strings from the HTTP layer; a bad one is an Invalid
// status naming it (HTTP 400), an unknown person NotFound (HTTP 404).
// Thread-safety: safe from any thread given a thread-private EventCodec.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "events/codec.h"
#include "events/store.h"
#include "projections/core/projection_set.h"

namespace safetynet {

using Json = nlohmann::ordered_json;

// Parses a region prefix: "" or 2, 4 or 6 digits.
Status ParseRegion(std::string_view s, std::string* out);
// Parses a YYYYMMDD date; empty means `fallback`.
Status ParseDate(std::string_view s, int32_t fallback, int32_t* out);
// Parses a YYYYMM month named `name` in the error; empty means `fallback`.
Status ParseMonth(std::string_view s, const char* name, int32_t fallback, int32_t* out);

Result<Json> CoverageJson(const ProjectionSet& set, std::string_view region, std::string_view date);
// Coverage of a region and of each region one level below it with anyone in
// the population on the date: {"region","above":[{"region"}],"date","coverage":{...},"subregions":[{...}]},
// "above" being the regions that contain it, province first,
// each entry shaped as CoverageJson. For the dashboard's drill-down.
Result<Json> CoverageBreakdownJson(const ProjectionSet& set, std::string_view region, std::string_view date);

struct Page {
  size_t limit = 100;
  std::string cursor;  // opaque token from a previous page's "next"
};
Status ParsePage(std::string_view limit, std::string_view cursor, Page* out);

// One page of a list that is walked in key order to its end (the walk goes on
// past the page, e.g. to count per check or status): the entries after the
// cursor, at most `limit` of them; "next" is the last one's key (hex) when
// more follow.
class PageCollector {
 public:
  explicit PageCollector(const Page& page) : page_(page) {}
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
  Json TakeItems() { return std::move(items_); }
  Json Next() const;

 private:
  const Page& page_;
  Json items_ = Json::array();
  std::string last_;
  bool more_ = false;
};

Result<Json> GapsJson(const Store& store, const ProjectionSet& set, std::string_view region, std::string_view tier,
                      std::string_view date, const Page& page);

// Resolves a person named by raw ID or by pseudonym (64 hex characters) to
// the person's key; NotFound when the ledger has no event of that person.
Result<std::string> ResolvePerson(const Store& store, std::string_view person,
                                  const std::function<std::string(std::string_view)>& hash_raw);

Result<Json> PersonLedgerJson(const Store& store, const ProjectionSet& set, EventCodec& codec,
                              std::string_view person_key);

// One log record in the API's form {"seq","event_id","type","event","hash"}.
Result<Json> EventJson(EventCodec& codec, uint64_t seq, std::string_view event_bytes, const Digest* hash);

}  // namespace safetynet
