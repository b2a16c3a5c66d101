// Outbound findings (即时上报) end to end: every opening and clearing the
// ledger records reaches the safetynet.findings topic at least once, keyed by
// finding, even when the daemon is SIGKILLed repeatedly while it works.
#include <gtest/gtest.h>

#include <set>

#include "tests/harness.h"

namespace safetynet::test {
namespace {

// Every change the ledger recorded, by change_id, as /v1/findings/changes lists them.
std::map<std::string, Json> LedgerChanges(int port) {
  std::map<std::string, Json> out;
  std::string cursor;
  do {
    const Json j =
        HttpGet(port, "/v1/findings/changes?limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor)).json();
    for (const auto& c : j["changes"]) out[c["change_id"].get<std::string>()] = c;
    cursor = j["next"].is_null() ? "" : j["next"].get<std::string>();
  } while (!cursor.empty());
  return out;
}

TEST(OutboundE2E, EveryOpeningAndClearingIsPublishedAcrossSigkill) {
  TempDir dir;
  auto broker = StartBroker();
  DaemonProcess daemon(dir.path(), broker->bootstrap());
  daemon.Start();
  Producer producer(broker->bootstrap());
  // 1,500 claims paid above their cost (C8 opens once their settlement
  // window has passed); for every third one the payment comes first, which
  // opens nothing (the claim arrives within its window).
  const int kClaims = 1500;
  for (int i = 0; i < kClaims; ++i) {
    char person[32];
    std::snprintf(person, sizeof(person), "2301021970%08d", i);
    const std::string claim_id = "OB-" + std::to_string(i);
    const Json claim = Event("c-" + std::to_string(i), 20200310, "230102", person, "ClaimSettled",
                             {{"claim_id", claim_id},
                              {"visit", "OUTPATIENT"},
                              {"hospital_id", "H1"},
                              {"admitted_on", 20200310},
                              {"discharged_on", 20200310},
                              {"total", 1000},
                              {"out_of_catalog", 0},
                              {"in_policy", 1000}});
    const Json pay = Event("p-" + std::to_string(i), 20200311, "230102", person, "ReimbursementPaid",
                           {{"claim_id", claim_id}, {"tier", "BASIC_RESIDENT"}, {"amount", 1500}});
    if (i % 3 == 0) {
      producer.SendEvent(pay);
      producer.SendEvent(claim);
    } else {
      producer.SendEvent(claim);
      producer.SendEvent(pay);
    }
  }
  producer.Flush();
  for (int kill = 0; kill < 3; ++kill) {
    const double before = Metric(daemon.http_port(), "safetynet_events_appended_total");
    WaitUntil([&] { return Metric(daemon.http_port(), "safetynet_events_appended_total") > before; },
              std::chrono::seconds(10));
    daemon.Kill();
    daemon.Start();
  }
  ASSERT_TRUE(WaitUntil([&] { return Appended(daemon.http_port()) == 2 * kClaims; }));
  // Then the ledger's date moves past the claims' window: every C8 opens in that one event.
  producer.SendEvent(
      Event("tick", 20200501, "230102", "", "RectificationProgressed", {{"item_id", "tick"}, {"note", "time passes"}}));
  producer.Flush();
  ASSERT_TRUE(WaitUntil([&] { return Appended(daemon.http_port()) == 2 * kClaims + 1; }));

  const auto expected = LedgerChanges(daemon.http_port());
  const Json counts = HttpGet(daemon.http_port(), "/v1/findings?status=open").json()["counts"];
  EXPECT_EQ(counts["C8"], kClaims);
  // C8 opens once per claim, and nothing else changes: a payment before its claim opens no C10.
  ASSERT_EQ(expected.size(), static_cast<size_t>(kClaims));
  for (const auto& [id, change] : expected) EXPECT_EQ(change["check"], "C8") << change;

  TopicReader reader(broker->bootstrap(), "safetynet.findings", 4);
  std::set<std::string> seen;
  std::vector<std::pair<std::string, std::string>> msgs;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen.size() < expected.size() && std::chrono::steady_clock::now() < deadline) {
    msgs.clear();
    reader.Poll(std::chrono::milliseconds(200), &msgs);
    for (const auto& [key, value] : msgs) {
      const Json j = Json::parse(value);
      const std::string id = j["change_id"];
      ASSERT_EQ(expected.count(id), 1u) << "published a change the ledger does not have: " << value;
      // The API names the region beside its code; the record carries the code.
      Json answered = expected.at(id);
      EXPECT_EQ(answered["region_name"], "道里区");
      answered.erase("region_name");
      EXPECT_EQ(j, answered);
      EXPECT_EQ(key, j["check"].get<std::string>() + "/" + j["subject"].get<std::string>());
      seen.insert(id);
    }
  }
  EXPECT_EQ(seen.size(), expected.size()) << "changes never published";
}

}  // namespace
}  // namespace safetynet::test
