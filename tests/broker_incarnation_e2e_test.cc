// End-to-end: the ledger's positions belong to the broker that gave them
// (events/positions.h). The embedded broker is new at every start, so a
// restart must neither skip new messages as "already read" nor double old
// ones; a broker that goes back below the stored offsets on the same cluster
// (a recreated topic) is reported, counted and ingested, never skipped.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <fstream>

#include "tests/harness.h"

namespace safetynet::test {
namespace {

constexpr const char* kRoster = "safetynet.roster";

Json Grant(const std::string& id, const std::string& person) {
  return Event(id, 20200101, "230102", person, "IdentityGranted",
               {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}, {"valid_to", 0}});
}

// Publishes grants `from`..`to`-1 with kcat, as a user would (key, tab, JSON).
void KcatGrants(const std::string& dir, const std::string& bootstrap, int from, int to) {
  const std::string file = dir + "/kcat-" + std::to_string(from) + ".tsv";
  {
    std::ofstream out(file);
    for (int i = from; i < to; ++i) {
      char person[32];
      std::snprintf(person, sizeof(person), "2301021980%08d", i);
      out << person << "\t" << Grant("g-" + std::to_string(i), person).dump() << "\n";
    }
  }
  std::string out;
  ASSERT_EQ(RunCommand("kcat -P -b " + bootstrap + " -t " + kRoster + " -K '\t' -l " + file + " 2>&1", &out), 0) << out;
}

double M(const DaemonProcess& d, const char* name) { return Metric(d.http_port(), name); }

void WaitAccounted(const DaemonProcess& d, double n) {
  ASSERT_TRUE(WaitUntil([&] { return Accounted(d.http_port()) >= n; }))
      << "accounted " << Accounted(d.http_port()) << " of " << n;
}

TEST(BrokerIncarnationE2E, EmbeddedBrokerRestartLandsEveryNewEventAndDoublesNone) {
  TempDir dir;
  DaemonProcess daemon(dir.path() + "/data", /*brokers=*/"");
  daemon.LogTo(dir.path() + "/daemon.log");
  daemon.Start();
  ASSERT_FALSE(daemon.bootstrap().empty());
  KcatGrants(dir.path(), daemon.bootstrap(), 0, 400);
  WaitAccounted(daemon, 400);
  EXPECT_EQ(daemon.Stop(), 0);

  // A clean stop, then a kill: each start is a new embedded broker whose offsets begin at 0.
  int next = 400;
  for (const bool kill : {false, true}) {
    SCOPED_TRACE(kill ? "after SIGKILL" : "after a clean stop");
    daemon.Start();
    // New events, and some old ones sent again (a producer retrying across the restart).
    KcatGrants(dir.path(), daemon.bootstrap(), next, next + 300);
    KcatGrants(dir.path(), daemon.bootstrap(), 0, 50);
    const double duplicates_before = next == 400 ? 0 : 50;
    WaitAccounted(daemon, next + 300 + duplicates_before + 50);
    EXPECT_EQ(M(daemon, "safetynet_events_appended_total"), next + 300);
    EXPECT_EQ(M(daemon, "safetynet_events_duplicate_total"), duplicates_before + 50);
    EXPECT_EQ(M(daemon, "safetynet_offset_rewinds_total"), 0);
    EXPECT_EQ(M(daemon, "safetynet_offset_jumps_total"), 0);
    EXPECT_EQ(HttpGet(daemon.http_port(), "/healthz").json()["status"], "ok");
    next += 300;
    if (kill) {
      daemon.Kill();
    } else {
      EXPECT_EQ(daemon.Stop(), 0);
    }
  }
  const std::string log = ReadFile(dir.path() + "/daemon.log");
  EXPECT_NE(log.find("broker incarnation 1 (the embedded broker)"), std::string::npos) << log;
  EXPECT_NE(log.find("broker incarnation 2 (the embedded broker) follows incarnation 1"), std::string::npos) << log;
  EXPECT_NE(log.find("broker incarnation 3 (the embedded broker) follows incarnation 2"), std::string::npos) << log;

  std::string out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + dir.path() + "/data", &out), 0) << out;
  EXPECT_NE(out.find("chain intact: 1000 records"), std::string::npos) << out;
}

// A broker that cannot name its cluster (Metadata below v2) keeps the
// ledger's incarnation; when its partitions then start below the stored
// offsets — a recreated topic — the ledger reports a rewind and ingests.
TEST(BrokerIncarnationE2E, OffsetsBehindTheStoredOnesAreARewindReportedAndIngested) {
  TempDir dir;
  auto old_broker = StartBroker();
  constexpr int16_t kMetadata = 3;
  ASSERT_EQ(rd_kafka_mock_set_apiversion(old_broker->cluster(), kMetadata, 0, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  {
    DaemonProcess daemon(dir.path() + "/data", old_broker->bootstrap());
    daemon.Start();
    KcatGrants(dir.path(), old_broker->bootstrap(), 0, 200);
    WaitAccounted(daemon, 200);
    EXPECT_EQ(daemon.Stop(), 0);
  }
  old_broker.reset();
  auto recreated = StartBroker();
  ASSERT_EQ(rd_kafka_mock_set_apiversion(recreated->cluster(), kMetadata, 0, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  DaemonProcess daemon(dir.path() + "/data", recreated->bootstrap());
  daemon.LogTo(dir.path() + "/daemon.log");
  daemon.Start();
  KcatGrants(dir.path(), recreated->bootstrap(), 200, 260);  // new: offsets 0.. below the stored ones
  KcatGrants(dir.path(), recreated->bootstrap(), 0, 20);     // old ones again
  WaitAccounted(daemon, 200 + 60 + 20);
  EXPECT_EQ(M(daemon, "safetynet_events_appended_total"), 260);
  EXPECT_EQ(M(daemon, "safetynet_events_duplicate_total"), 20);
  EXPECT_GE(M(daemon, "safetynet_offset_rewinds_total"), 1);
  EXPECT_EQ(M(daemon, "safetynet_offset_jumps_total"), 0);
  const Json health = HttpGet(daemon.http_port(), "/healthz").json();
  EXPECT_EQ(health["status"], "degraded") << health;
  ASSERT_FALSE(health["problems"].empty());
  EXPECT_NE(health["problems"][0].get<std::string>().find("went back from offset"), std::string::npos) << health;
  Json jumps;
  ASSERT_TRUE(WaitUntil([&] {
    jumps = HttpGet(daemon.http_port(), "/v1/offset-jumps").json()["offset_jumps"];
    return jumps.size() == static_cast<size_t>(M(daemon, "safetynet_offset_rewinds_total"));
  })) << jumps;
  for (const Json& j : jumps) {
    EXPECT_EQ(j["kind"], "rewind");
    EXPECT_EQ(j["incarnation"], 1);
    EXPECT_LT(j["got"].get<int64_t>(), j["expected"].get<int64_t>());
    EXPECT_EQ(j["skipped"], 0);
  }
  EXPECT_NE(ReadFile(dir.path() + "/daemon.log").find("went back from offset"), std::string::npos);
}

}  // namespace
}  // namespace safetynet::test
