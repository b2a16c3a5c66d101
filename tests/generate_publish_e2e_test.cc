// The tools end to end: `safetynet generate` -> `safetynet publish` (paced)
// -> the daemon -> `safetynet verify` / `safetynet replay`, and the
// publisher's pacing against the broker's 5 MiB per-partition retention.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "events/divisions.h"
#include "tests/harness.h"
#include "tests/json_schema_check.h"

namespace safetynet::test {
namespace {

// The trend's months say what the lists and counts say on each month's
// reading day: coverage and item counts as /v1/coverage and
// /v1/rectifications on that date, findings open at the month's end as a
// walk over every finding's opening and clearing dates gives them.
void ExpectTrendAgreesWithTheLists(int port, const std::string& region, int from, int to) {
  const HttpReply trend =
      HttpGet(port, "/v1/trends?region=" + region + "&from=" + std::to_string(from) + "&to=" + std::to_string(to));
  ASSERT_EQ(trend.status, 200) << trend.body;
  const Json t = trend.json();
  std::vector<Json> findings;
  for (std::string cursor;;) {
    const Json page = HttpGet(port, "/v1/findings?region=" + region + "&limit=1000&cursor=" + cursor).json();
    for (const Json& f : page["findings"]) findings.push_back(f);
    if (page["next"].is_null()) break;
    cursor = page["next"];
  }
  ASSERT_FALSE(findings.empty());
  int months = 0;
  int64_t open_seen = 0;
  for (const Json& m : t["months"]) {
    ++months;
    const int month = m["month"];
    const std::string date = std::to_string(m["date"].get<int>());
    SCOPED_TRACE(month);
    EXPECT_EQ(date.substr(0, 6), std::to_string(month));
    const Json cov = HttpGet(port, "/v1/coverage?region=" + region + "&date=" + date).json();
    EXPECT_EQ(m["tiers"], cov["tiers"]);
    EXPECT_EQ(m["population"], cov["population"]);
    const Json items = HttpGet(port, "/v1/rectifications?limit=1&region=" + region + "&date=" + date).json();
    EXPECT_EQ(m["items"], items["counts"]);
    std::map<std::string, int64_t> open;
    for (const Json& f : findings) {
      const bool opened = f["opened_on"].get<int>() / 100 <= month;
      const bool cleared = f["status"] == "cleared" && f["cleared_on"].get<int>() / 100 <= month;
      if (opened && !cleared) ++open[f["check"].get<std::string>()];
    }
    for (const auto& [check, n] : m["findings_open"].items()) {
      EXPECT_EQ(n.get<int64_t>(), open[check]) << check;
      open_seen += n.get<int64_t>();
    }
  }
  EXPECT_EQ(months, (to / 100 - from / 100) * 12 + to % 100 - from % 100 + 1);
  EXPECT_GT(open_seen, 0);
  // Bad months are refused with their reason.
  for (const char* bad : {"from=201913", "to=2019", "from=201906&to=201901", "from=200001&to=201001"}) {
    const HttpReply r = HttpGet(port, std::string("/v1/trends?region=23&") + bad);
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
}

// Every page of the gap list, on the ledger's date, on a day before it and on
// a day long after it: as many persons as /v1/coverage counts, each a gap
// that began by that date.
void ExpectGapListsAgreeWithCoverage(int port, const std::string& region) {
  const Json latest = HttpGet(port, "/v1/coverage?region=" + region).json();
  const int32_t ledger_date = latest["date"];
  for (const int32_t date : {ledger_date, 20190215, ledger_date + 10000}) {  // today, a day of the past, a year on
    const Json cov = HttpGet(port, "/v1/coverage?region=" + region + "&date=" + std::to_string(date)).json();
    for (const char* tier : {"basic", "critical_illness", "medical_assistance"}) {
      SCOPED_TRACE(std::to_string(date) + " " + tier);
      int64_t listed = 0;
      for (std::string cursor;;) {
        const Json page = HttpGet(port, "/v1/coverage/gaps?limit=1000&region=" + region + "&tier=" + tier +
                                            "&date=" + std::to_string(date) + "&cursor=" + cursor)
                              .json();
        ASSERT_TRUE(page["persons"].is_array()) << page;
        for (const Json& p : page["persons"]) EXPECT_LE(p["since"].get<int32_t>(), date);
        listed += static_cast<int64_t>(page["persons"].size());
        if (page["next"].is_null()) break;
        cursor = page["next"];
      }
      EXPECT_EQ(listed, cov["tiers"][tier]["gaps"].get<int64_t>());
    }
  }
}

// Every typed answer is what /openapi.json says of its route: each route
// whose 200 has a schema of its own is asked (about a person, claim and item
// of the ledger) and its answer checked against that schema, field by field.
void ExpectAnswersFitTheDocument(int port) {
  const Json doc = HttpGet(port, "/openapi.json").json();
  const Json gaps = HttpGet(port, "/v1/coverage/gaps?region=23&tier=basic&limit=1").json();
  ASSERT_FALSE(gaps["persons"].empty());
  const std::string person = gaps["persons"][0]["person"];
  const Json c6 = HttpGet(port, "/v1/findings?check=C6&limit=1").json();
  ASSERT_FALSE(c6["findings"].empty());
  std::string item = HttpGet(port, "/v1/rectifications?limit=1").json()["items"][0]["item_id"];
  for (size_t at = item.find('/'); at != std::string::npos; at = item.find('/')) item.replace(at, 1, "%2F");
  const std::map<std::string, std::string> asked = {
      {"/v1/coverage", "/v1/coverage?region=2301"},
      {"/v1/coverage/regions", "/v1/coverage/regions?region=23"},
      {"/v1/trends", "/v1/trends?region=23"},
      {"/v1/coverage/gaps", "/v1/coverage/gaps?region=23&tier=medical_assistance"},
      {"/v1/persons/{person}/ledger", "/v1/persons/" + person + "/ledger"},
      {"/v1/claims/{claim_id}", "/v1/claims/" + c6["findings"][0]["subject"].get<std::string>()},
      {"/v1/findings", "/v1/findings?region=23&limit=50"},
      {"/v1/rectifications", "/v1/rectifications?region=23&limit=50"},
      {"/v1/rectifications/{item_id}", "/v1/rectifications/" + item},
      {"/v1/events", "/v1/events?limit=50"},
      {"/v1/events/{event}", "/v1/events/1"},
  };
  size_t typed = 0;
  for (const auto& [path, ops] : doc["paths"].items()) {
    const Json& content = ops["get"]["responses"]["200"]["content"];
    if (!content.contains("application/json")) continue;
    const Json& schema = content["application/json"]["schema"];
    if (!schema.contains("properties")) continue;
    ++typed;
    ASSERT_TRUE(asked.count(path)) << path << " has a schema but this test asks nothing of it";
    const HttpReply r = HttpGet(port, asked.at(path));
    ASSERT_EQ(r.status, 200) << asked.at(path) << ": " << r.body;
    EXPECT_EQ(SchemaMismatch(Json::parse(r.body), schema), "") << asked.at(path);
  }
  EXPECT_EQ(typed, asked.size());
}

class ToolsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = StartBroker();
    daemon_ = std::make_unique<DaemonProcess>(dir_.path() + "/data", broker_->bootstrap());
  }
  double M(const char* name) const { return Metric(daemon_->http_port(), name); }
  double Accounted() const { return test::Accounted(daemon_->http_port()); }
  std::string Tool(const std::string& args) const { return SafetynetPath() + " " + args + " 2>&1"; }

  TempDir dir_;
  std::unique_ptr<EmbeddedKafka> broker_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(ToolsE2E, GeneratedProvinceIsIngestedCompletelyAndReplaysToTheSameDigest) {
  const std::string file = dir_.path() + "/province.jsonl";
  std::string out;
  ASSERT_EQ(RunCommand(Tool("generate --seed 3 --persons 400 --months 6 --out " + file), &out), 0) << out;
  const int lines = CountLines(file);
  ASSERT_GT(lines, 1000);
  daemon_->Start();
  ASSERT_EQ(RunCommand(Tool("publish --brokers " + broker_->bootstrap() + " " + file), &out), 0) << out;
  ASSERT_TRUE(WaitUntil([&] { return Accounted() >= lines; })) << Accounted() << " of " << lines;
  EXPECT_EQ(Accounted(), lines);
  EXPECT_GT(M("safetynet_events_rejected_total"), 0);   // the generator's malformed lines
  EXPECT_GT(M("safetynet_events_duplicate_total"), 0);  // and its re-sent ones
  EXPECT_EQ(M("safetynet_offset_jumps_total"), 0);
  const Json cov = HttpGet(daemon_->http_port(), "/v1/coverage?region=23").json();
  EXPECT_GT(cov["population"].get<int>(), 0);
  ExpectAnswersFitTheDocument(daemon_->http_port());

  // Monthly reports add up: the province's totals are the sums of its cities'
  // ("2300": the province's own policies, whose findings make items).
  // Every city of the province as the division table has it, and "2300"
  // (events of the province itself).
  std::vector<std::string> cities = {"2300"};
  for (const Division& d : DivisionsUnder("23")) cities.emplace_back(d.code);
  int64_t items_seen = 0;
  std::map<int, Json> province;
  for (int month : {201901, 201902, 201903, 201904}) {
    const auto url = [&](const std::string& r) {
      return "/v1/reports/monthly?region=" + r + "&month=" + std::to_string(month);
    };
    province[month] = HttpGet(daemon_->http_port(), url("23")).json();
    const Json& p = province[month];
    int64_t claims = 0, total = 0, assistance = 0, personal = 0, person_times = 0, subsidised = 0, subsidy = 0;
    Json items = {{"opened", 0}, {"rectified", 0}, {"closed", 0}, {"late", 0}};
    for (const std::string& city : cities) {
      const Json c = HttpGet(daemon_->http_port(), url(city)).json();
      claims += c["claims"].get<int64_t>();
      total += c["total"].get<int64_t>();
      assistance += c["payments"]["medical_assistance"].get<int64_t>();
      personal += c["personal"].get<int64_t>();
      person_times += c["inpatient_person_times"].get<int64_t>();
      subsidised += c["subsidised_persons"].get<int64_t>();
      subsidy += c["subsidy_amount"].get<int64_t>();
      for (auto& [k, v] : items.items()) v = v.get<int64_t>() + c["rectification_items"][k].get<int64_t>();
    }
    SCOPED_TRACE(month);
    // The report's own rows are those cities' reports.
    for (const Json& row : p["subregions"]) {
      EXPECT_EQ(row["claims"], HttpGet(daemon_->http_port(), url(row["region"].get<std::string>())).json()["claims"])
          << row["region"];
    }
    EXPECT_GT(p["claims"].get<int64_t>(), 0);
    EXPECT_EQ(p["claims"], claims);
    EXPECT_EQ(p["total"], total);
    EXPECT_EQ(p["payments"]["medical_assistance"], assistance);
    EXPECT_EQ(p["personal"], personal);
    EXPECT_EQ(p["inpatient_person_times"], person_times);
    EXPECT_EQ(p["subsidised_persons"], subsidised);
    EXPECT_EQ(p["subsidy_amount"], subsidy);
    EXPECT_EQ(p["rectification_items"], items);
    items_seen += items["opened"].get<int64_t>() + items["rectified"].get<int64_t>();
    EXPECT_EQ(p["total"].get<int64_t>() - p["personal"].get<int64_t>(),
              p["payments"]["basic"].get<int64_t>() + p["payments"]["critical_illness"].get<int64_t>() +
                  p["payments"]["medical_assistance"].get<int64_t>() + p["payments"]["hospital_waiver"].get<int64_t>() +
                  p["payments"]["supplementary"].get<int64_t>());
  }
  EXPECT_GT(items_seen, 0);
  // The generated cities have policies of their own: the survey lists them.
  const Json survey = HttpGet(daemon_->http_port(), "/v1/reports/policy-survey?region=23&quarter=2019Q1").json();
  ASSERT_FALSE(survey["subregions"].empty()) << survey;
  ExpectTrendAgreesWithTheLists(daemon_->http_port(), "23", 201901, 201906);
  ExpectTrendAgreesWithTheLists(daemon_->http_port(), "2301", 201812, 201904);
  ExpectGapListsAgreeWithCoverage(daemon_->http_port(), "23");
  ASSERT_EQ(daemon_->Stop(), 0);

  // The CLI gives the same report offline.
  ASSERT_EQ(RunCommand(SafetynetPath() + " report monthly --data " + dir_.path() +
                           "/data --region 23 --month 201903 2>/dev/null",
                       &out),
            0)
      << out;
  EXPECT_EQ(Json::parse(out), province[201903]);
  ASSERT_EQ(
      RunCommand(Tool("report monthly --data " + dir_.path() + "/data --region 23 --month 201903 --format csv"), &out),
      0);
  EXPECT_EQ(out.substr(0, 3), "\xEF\xBB\xBF");
  ASSERT_EQ(RunCommand(SafetynetPath() + " report survey --data " + dir_.path() +
                           "/data --region 23 --quarter 2019Q1 2>/dev/null",
                       &out),
            0)
      << out;
  EXPECT_EQ(Json::parse(out), survey);
  ASSERT_EQ(RunCommand(Tool("report survey --data " + dir_.path() + "/data --region 23 --quarter 2019Q1 --format xlsx"),
                       &out),
            0);
  EXPECT_EQ(out.substr(0, 2), "PK");  // a zip: the workbook

  ASSERT_EQ(RunCommand(Tool("verify --data " + dir_.path() + "/data"), &out), 0) << out;
  ASSERT_EQ(RunCommand(Tool("replay --quiet --data " + dir_.path() + "/data"), &out), 0) << out;
  EXPECT_NE(out.find("live projections equal the replay"), std::string::npos) << out;
  // A replay up to a point of the log prints a digest and does not compare.
  ASSERT_EQ(RunCommand(Tool("replay --quiet --until-seq 100 --data " + dir_.path() + "/data"), &out), 0) << out;
  EXPECT_NE(out.find("replayed 100 events"), std::string::npos) << out;
}

// 8,000 messages of ~1 KiB on one key: more than the broker keeps per partition.
std::string WriteBigOneKeyFile(const std::string& path) {
  std::ofstream out(path);
  const std::string pad(1000, 'x');
  for (int i = 0; i < 8000; ++i) {
    Json e = Event("big-" + std::to_string(i), 20200101, "230102", "230102199001017777", "IdentityGranted",
                   {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}});
    e["source"] = "s";
    e["payload"]["valid_to"] = 0;
    std::string v = e.dump();
    v.insert(v.size() - 1, ",\"pad\":\"" + pad + "\"");  // rejected (unknown field), but big
    out << v << "\n";
  }
  return path;
}

TEST_F(ToolsE2E, PacedPublishingNeverOverrunsTheBrokerRetention) {
  const std::string file = WriteBigOneKeyFile(dir_.path() + "/big.jsonl");
  daemon_->Start();
  std::string out;
  ASSERT_EQ(RunCommand(Tool("publish --ahead-bytes 1000000 --brokers " + broker_->bootstrap() + " " + file), &out), 0)
      << out;
  ASSERT_TRUE(WaitUntil([&] { return Accounted() >= 8000; }));
  EXPECT_EQ(M("safetynet_offset_jumps_total"), 0) << out;
  EXPECT_EQ(M("safetynet_events_rejected_total"), 8000);
}

TEST_F(ToolsE2E, UnpacedPublishingWhileTheDaemonIsDownLosesMessagesAndTheDaemonSaysSo) {
  const std::string file = WriteBigOneKeyFile(dir_.path() + "/big.jsonl");
  std::string out;
  ASSERT_EQ(RunCommand(Tool("publish --no-pace --brokers " + broker_->bootstrap() + " " + file), &out), 0) << out;
  daemon_->Start();
  ASSERT_TRUE(WaitUntil([&] { return M("safetynet_offset_jumps_total") >= 1; }));
  EXPECT_GT(M("safetynet_messages_skipped_total"), 0);
  // Every message is either in the ledger's accounts or counted as lost.
  ASSERT_TRUE(WaitUntil([&] { return M("safetynet_messages_skipped_total") + Accounted() >= 8000; }));
  EXPECT_EQ(M("safetynet_messages_skipped_total") + Accounted(), 8000);
}

TEST_F(ToolsE2E, PacedPublishingGivesUpWhenNoDaemonConsumes) {
  const std::string file = WriteBigOneKeyFile(dir_.path() + "/big.jsonl");
  std::string out;
  const int rc = RunCommand(
      Tool("publish --ahead-bytes 100000 --stall-timeout 2 --brokers " + broker_->bootstrap() + " " + file), &out);
  EXPECT_EQ(rc, 3) << out;
  EXPECT_NE(out.find("made no progress"), std::string::npos) << out;
}

TEST_F(ToolsE2E, ReplayRefusesToOverwriteWhatItDidNotMake) {
  daemon_->Start();
  Producer producer(broker_->bootstrap());
  producer.SendEvent(Event("e1", 20200101, "230102", "230102199001010011", "IdentityGranted",
                           {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  producer.Flush();
  ASSERT_TRUE(WaitUntil([&] { return Accounted() == 1; }));
  ASSERT_EQ(daemon_->Stop(), 0);
  const std::string data = dir_.path() + "/data";
  std::string out;
  // The live data directory, or its ledger: refused, nothing touched.
  EXPECT_EQ(RunCommand(Tool("replay --quiet --data " + data + " --out " + data), &out), 2) << out;
  EXPECT_NE(out.find("would overwrite the live ledger"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(Tool("replay --quiet --data " + data + " --out " + data + "/ledger/"), &out), 2) << out;
  EXPECT_EQ(RunCommand(Tool("verify --data " + data), &out), 0) << out;
  // A directory holding something else: refused, its file kept.
  const std::string other = dir_.path() + "/other";
  std::filesystem::create_directories(other);
  std::ofstream(other + "/thesis.txt") << "keep me";
  EXPECT_EQ(RunCommand(Tool("replay --quiet --data " + data + " --out " + other), &out), 2) << out;
  EXPECT_NE(out.find("not empty and was not made by a replay"), std::string::npos) << out;
  EXPECT_EQ(ReadFile(other + "/thesis.txt"), "keep me");
  // A new directory, then the same one again (a replay made it): fine.
  const std::string fresh = dir_.path() + "/fresh";
  EXPECT_EQ(RunCommand(Tool("replay --quiet --data " + data + " --out " + fresh), &out), 0) << out;
  EXPECT_EQ(RunCommand(Tool("replay --quiet --data " + data + " --out " + fresh), &out), 0) << out;
  EXPECT_NE(out.find("live projections equal the replay"), std::string::npos) << out;
}

TEST_F(ToolsE2E, BadUsageExitsWithTwo) {
  std::string out;
  EXPECT_EQ(RunCommand(Tool("frobnicate"), &out), 2);
  EXPECT_EQ(RunCommand(Tool("verify --data " + dir_.path() + "/nothing-here"), &out), 2) << out;
  EXPECT_EQ(RunCommand(Tool("generate --persons 0"), &out), 2);
}

}  // namespace
}  // namespace safetynet::test
