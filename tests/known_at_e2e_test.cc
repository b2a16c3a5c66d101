// known_at=SEQ and known_on=YYYYMMDD end to end: a province published
// through Kafka to a daemon that keeps history snapshots; coverage, gaps,
// findings, rectifications and the monthly report asked as the ledger stood
// at random seqs (before the oldest snapshot kept, at one, between, recent)
// equal the same queries on `safetynet replay --until-seq SEQ`'s output;
// known_on of today is the live ledger, of a day before any ingest the empty
// one; routes that cannot answer for the past refuse the parameters.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "daemon/region_names.h"
#include "events/date.h"
#include "events/ledger.h"
#include "projections/read/audit_queries.h"
#include "projections/read/monthly_report.h"
#include "projections/read/queries.h"
#include "projections/read/rectification_queries.h"
#include "tests/answers_json.h"
#include "tests/harness.h"

namespace safetynet::test {
namespace {

using namespace safetynet::testing_answers;

// The same questions, over HTTP with a suffix, and in process on a store.
struct Questions {
  std::vector<std::string> paths;
  std::vector<std::function<Result<safetynet::Json>(const Store&, const ProjectionSet&)>> local;
};

Questions Ask() {
  Questions q;
  const auto add = [&](std::string path, std::function<Result<safetynet::Json>(const Store&, const ProjectionSet&)> f) {
    q.paths.push_back(std::move(path));
    q.local.push_back(std::move(f));
  };
  add("/v1/coverage?region=23&date=20200415",
      [](const Store&, const ProjectionSet& set) { return CoverageJson(set, "23", "20200415"); });
  add("/v1/coverage?region=2301", [](const Store&, const ProjectionSet& set) { return CoverageJson(set, "2301", ""); });
  add("/v1/coverage/gaps?region=23&tier=basic&limit=50", [](const Store& s, const ProjectionSet& set) {
    return GapsJson(s, set, "23", "basic", "", Page{50, ""});
  });
  add("/v1/findings?region=23&limit=50", [](const Store& s, const ProjectionSet& set) {
    return FindingsJson(s, set, "23", "", "", Page{50, ""});
  });
  add("/v1/rectifications?region=23&limit=50", [](const Store& s, const ProjectionSet& set) {
    return RectificationsJson(s, set, "23", "", "", "", Page{50, ""});
  });
  add("/v1/reports/monthly?region=23&month=202003",
      [](const Store&, const ProjectionSet& set) { return MonthlyReportJson(set, "23", "202003"); });
  return q;
}

TEST(KnownAtE2E, PastAnswersEqualAReplayToThatSeqFollowedByTheSameQuery) {
  SuiteLedger ledger("[history]\ninterval_events = 1000\nkeep = 3\n");
  ledger.PublishProvince(21, 400, 6);
  const int port = ledger.daemon->http_port();
  const uint64_t head = static_cast<uint64_t>(Metric(port, "safetynet_events_appended_total"));
  ASSERT_GT(head, 4000u);
  const Questions q = Ask();

  // Before the oldest snapshot kept (folded from the start), between
  // snapshots, and recent.
  std::mt19937_64 rng(5);
  std::vector<uint64_t> points = {1, 700, head / 2 + rng() % 100, head - 3, head};
  for (uint64_t seq : points) {
    const std::string out_dir = ledger.dir.path() + "/replay-" + std::to_string(seq);
    std::string out;
    ASSERT_EQ(RunCommand(SafetynetPath() + " replay --quiet --data " + ledger.dir.path() + "/data --until-seq " +
                             std::to_string(seq) + " --out " + out_dir + " 2>&1",
                         &out),
              0)
        << out;
    auto store = OpenRocksStore(out_dir, /*read_only=*/true);
    ASSERT_TRUE(store.ok());
    auto set = ProjectionSet::Open(**store);
    ASSERT_TRUE(set.ok());
    for (size_t i = 0; i < q.paths.size(); ++i) {
      const HttpReply r = HttpGet(port, q.paths[i] + "&known_at=" + std::to_string(seq));
      ASSERT_EQ(r.status, 200) << q.paths[i] << " at " << seq << ": " << r.body;
      auto expected = q.local[i](**store, **set);
      ASSERT_TRUE(expected.ok()) << expected.status().message();
      AddRegionNames(*expected);
      EXPECT_EQ(Json::parse(r.body), Json::parse(expected->dump())) << q.paths[i] << " known_at=" << seq;
    }
  }
  // A replay past the head is refused, not cut short to it.
  std::string out;
  EXPECT_NE(RunCommand(SafetynetPath() + " replay --quiet --data " + ledger.dir.path() + "/data --until-seq " +
                           std::to_string(head + 1) + " --out " + ledger.dir.path() + "/replay-past 2>&1",
                       &out),
            0);
  EXPECT_NE(out.find("the log ends at seq " + std::to_string(head)), std::string::npos) << out;

  // The answers change with the point asked (the test is not comparing
  // empty ledgers).
  EXPECT_NE(HttpGet(port, q.paths[0] + "&known_at=700").body,
            HttpGet(port, q.paths[0] + "&known_at=" + std::to_string(head)).body);

  // known_on: today is the whole ledger; a day before anything was ingested, the empty one.
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
  const std::string today = std::to_string(DaysToDate(days));
  for (const std::string& path : q.paths) {
    EXPECT_EQ(HttpGet(port, path + "&known_on=" + today).body, HttpGet(port, path).body) << path;
  }
  const Json empty = HttpGet(port, "/v1/coverage?region=23&known_on=19991231").json();
  EXPECT_EQ(empty["population"], 0) << empty.dump();

  // Refused where the past cannot be answered, and bad points.
  EXPECT_EQ(HttpGet(port, "/v1/events?known_at=5").status, 400);
  EXPECT_EQ(HttpGet(port, "/v1/coverage?known_at=" + std::to_string(head + 1)).status, 400);
  EXPECT_EQ(HttpGet(port, "/v1/coverage?known_at=x").status, 400);
  EXPECT_EQ(HttpGet(port, "/v1/coverage?known_on=2020").status, 400);
  EXPECT_EQ(HttpGet(port, "/v1/coverage?known_at=3&known_on=20200101").status, 400);
}

}  // namespace
}  // namespace safetynet::test
