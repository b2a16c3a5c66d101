// The counts kept incrementally (findings per check and status, rectification
// items per status and lateness on a date, their monthly figures, the monthly
// report's claim sums: see
// projections/core/prefix_deltas.h) equal a walk over the stored findings and
// items, for every region prefix of a generated province and every month's
// last day; and a ProjectionSet opened on the store (the counts loaded from
// their column families) answers the same. The fold runs in small batches
// with frequent checkpoints, so the counts cross many batch and checkpoint
// boundaries.
#include "tests/prefix_counts.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "events/codec.h"
#include "events/crypto.h"
#include "events/date.h"
#include "projections/core/projection_set.h"
#include "projections/read/audit_queries.h"
#include "projections/read/rectification_queries.h"
#include "tests/answers_json.h"
#include "tests/mem_store.h"
#include "tools/generate/generate.h"

namespace safetynet {
namespace {

using namespace safetynet::testing_answers;

using nlohmann::json;

TEST(PrefixCounts, EqualAWalkOverFindingsAndItemsForEveryPrefixAndMonth) {
  gen::GenerateOptions opts;
  opts.seed = 5;
  opts.persons = 3000;
  opts.months = 24;
  std::ostringstream generated;
  gen::GenerateProvince(opts, generated);

  test::MemStore store;
  auto set = ProjectionSet::Open(store);
  ASSERT_TRUE(set.ok());
  PersonHasher hasher(std::string(32, 'h'));
  EventCodec codec(&hasher);
  BatchPipeline pipeline(
      store, {.sync = false, .checkpoint_entries = 4000, .checkpoint_interval = std::chrono::milliseconds(0)},
      {set->get()});
  std::istringstream in(generated.str());
  std::set<std::string> event_ids;
  uint64_t seq = 0;
  std::string stored;
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("payload_type") || !j.contains("event_id")) continue;
    bool decoded = false;
    for (size_t t = 0; t < static_cast<size_t>(TopicKind::kUnknown) && !decoded; ++t) {
      decoded = codec.DecodeInbound(line, static_cast<TopicKind>(t), &stored).ok();
    }
    if (!decoded || !event_ids.insert(j["event_id"].get<std::string>()).second) continue;
    (*set)->Apply(++seq, stored, pipeline.staged());
    if (seq % 1000 == 0) {
      (*set)->FinishBatch(pipeline.staged());
      ASSERT_TRUE(pipeline.Submit().ok());
    }
  }
  (*set)->FinishBatch(pipeline.staged());
  ASSERT_TRUE(pipeline.Submit().ok());
  ASSERT_TRUE(pipeline.Checkpoint().ok());
  ASSERT_GT(pipeline.checkpoints(), 10u);

  const test::Walked walked = test::Walk(store);
  const std::set<std::string> prefixes = test::AllPrefixes(walked);
  ASSERT_GT(prefixes.size(), 20u);
  ASSERT_GT(walked.items.size(), 100u);
  std::vector<int32_t> months;
  for (int32_t m = 201901; m <= 202102; m = NextMonth(m)) months.push_back(m);

  // The monthly report's claim sums, for every prefix and month.
  json claims_walked, claims_kept;
  size_t counted = 0, subsidised = 0;
  for (const std::string& p : prefixes) {
    for (int32_t m : months) {
      claims_walked[p][std::to_string(m)] = test::WalkMonthClaims(store, p, m);
      claims_kept[p][std::to_string(m)] = test::ReportMonthClaims(**set, p, m);
      claims_walked[p][std::to_string(m)]["subsidies"] = test::WalkMonthSubsidies(store, p, m);
      claims_kept[p][std::to_string(m)]["subsidies"] = test::ReportMonthSubsidies(**set, p, m);
      subsidised += claims_walked[p][std::to_string(m)]["subsidies"][0].get<size_t>();
      counted += claims_walked[p][std::to_string(m)]["claims"].get<size_t>();
    }
  }
  EXPECT_GT(counted, 1000u);
  EXPECT_GT(subsidised, 1000u);
  EXPECT_EQ(claims_kept, claims_walked);

  const json expected = test::FromWalk(walked, prefixes, months);
  EXPECT_EQ(test::FromCounts(**set, prefixes, months), expected);
  // Every list, walked page by page by its cursor, is exactly the findings
  // or items that match, each once, and counts what the walk counts.
  const auto all_pages = [](const std::function<Result<Json>(const Page&)>& query, const char* list) {
    std::vector<Json> got;
    Page page{7, ""};
    for (int pages = 0; pages < 10000; ++pages) {
      auto r = query(page);
      EXPECT_TRUE(r.ok()) << r.status().message();
      if (!r.ok()) break;
      for (const Json& e : (*r)[list]) got.push_back(e);
      if ((*r)["next"].is_null()) break;
      page.cursor.clear();
      EXPECT_TRUE(FromHex((*r)["next"].get<std::string>(), &page.cursor));
    }
    return got;
  };
  size_t listed = 0;
  for (const std::string& region : std::vector<std::string>{"", "23", walked.items.front().first}) {
    for (const std::string status : {"", "open", "cleared"}) {
      for (const std::string check : {"", "C1", "C6"}) {
        SCOPED_TRACE(region + " " + status + " " + check);
        std::multiset<std::string> want, got;
        auto f = store.NewIterator(Cf::kFindings);
        for (f->SeekToFirst(); f->Valid(); f->Next()) {
          FindingState st;
          ASSERT_TRUE(FindingState::Decode(f->value(), &st));
          const std::string name = CheckName(static_cast<Check>(f->key()[0]));
          if (!st.region.starts_with(region) || (!check.empty() && name != check)) continue;
          if (!status.empty() && (status == "open") != st.open) continue;
          want.insert(name + " " + std::string(f->key().substr(1)));
        }
        for (const Json& e : all_pages(
                 [&](const Page& p) { return FindingsJson(store, **set, region, check, status, p); }, "findings")) {
          got.insert(e["check"].get<std::string>() + " " + e["subject"].get<std::string>());
        }
        EXPECT_EQ(got, want);
        listed += got.size();
      }
    }
    for (const std::string status : {"", "open", "overdue", "rectified", "closed"}) {
      for (const std::string late : {"", "true"}) {
        SCOPED_TRACE(region + " " + status + " late=" + late);
        const int32_t date = 202006 * 100 + 30;
        std::multiset<std::string> want, got;
        auto it = store.NewIterator(Cf::kRectifications);
        for (it->SeekToFirst(); it->Valid(); it->Next()) {
          RectificationItem item;
          ASSERT_TRUE(RectificationItem::Decode(it->value(), &item));
          const ItemStatus s = item.StatusOn(date);
          if (s == ItemStatus::kNone || !item.region.starts_with(region)) continue;
          if (!status.empty() && ItemStatusName(s) != status) continue;
          if (!late.empty() && !item.LateOn(date)) continue;
          want.insert(std::string(it->key()));
        }
        for (const Json& e : all_pages(
                 [&](const Page& p) {
                   return RectificationsJson(store, **set, region, status, late, std::to_string(date), p);
                 },
                 "items")) {
          got.insert(e["item_id"].get<std::string>());
        }
        EXPECT_EQ(got, want);
        listed += got.size();
      }
    }
  }
  EXPECT_GT(listed, 1000u);

  // Loaded from the store, the counts are the same.
  auto reopened = ProjectionSet::Open(store);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(test::FromCounts(**reopened, prefixes, months), expected);
  for (const std::string& p : prefixes) {
    for (int32_t m : months) {
      json kept = test::ReportMonthClaims(**reopened, p, m);
      kept["subsidies"] = test::ReportMonthSubsidies(**reopened, p, m);
      EXPECT_EQ(kept, claims_walked[p][std::to_string(m)]);
    }
  }
}

}  // namespace
}  // namespace safetynet
