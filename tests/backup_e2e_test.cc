// Online backup and restore end to end: `safetynet backup` while the daemon
// ingests; the backup verifies, its projections equal a replay of its own
// log at its seq; a daemon started on the restored copy resumes from the
// backup's offsets and ends with every event exactly once. And a backup
// taken with no daemon running.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "tests/harness.h"

namespace safetynet::test {
namespace {

Json Grant(int i) {
  char person[32];
  std::snprintf(person, sizeof(person), "2301021965%08d", i);
  return Event("b-" + std::to_string(i), 20200101 + i % 28, "230102", person, "IdentityGranted",
               {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}});
}

uint64_t BackupSeq(const std::string& out) {
  std::smatch m;
  const std::regex seq("at seq ([0-9]+)");
  return std::regex_search(out, m, seq) ? std::stoull(m[1]) : 0;
}

TEST(BackupE2E, ABackupTakenMidIngestVerifiesReplaysAndRestores) {
  TempDir dir;
  auto broker = StartBroker();
  const std::string data = dir.path() + "/data";
  DaemonProcess daemon(data, broker->bootstrap());
  daemon.Start();
  Producer producer(broker->bootstrap());
  constexpr int kEvents = 30000;
  for (int i = 0; i < kEvents; ++i) producer.SendEvent(Grant(i));
  producer.Flush();
  // Mid-ingest, once the projections have a checkpoint (the backup holds
  // them as of that checkpoint, the log up to the batch being written).
  ASSERT_TRUE(WaitUntil([&] { return Metric(daemon.http_port(), "safetynet_projection_checkpoints_total") > 0; }));
  const std::string backup = dir.path() + "/backup";
  std::string out;
  ASSERT_EQ(RunCommand(SafetynetPath() + " backup --data " + data + " --out " + backup + " 2>&1", &out), 0) << out;
  const uint64_t seq = BackupSeq(out);
  EXPECT_GT(seq, 0u) << out;
  ASSERT_TRUE(WaitUntil([&] { return Accounted(daemon.http_port()) == kEvents; }, std::chrono::seconds(120)));
  EXPECT_EQ(daemon.Stop(), 0);
  EXPECT_LE(seq, static_cast<uint64_t>(kEvents));

  // The backup alone: the chain verifies, its projections are those of its seq.
  EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + backup + " 2>&1", &out), 0) << out;
  EXPECT_NE(out.find("chain intact: " + std::to_string(seq) + " records"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " replay --quiet --data " + backup + " --out " + dir.path() + "/r 2>&1", &out),
            0)
      << out;
  EXPECT_NE(out.find("live projections equal the replay"), std::string::npos) << out;

  // Restored (copied to a new data directory) and started: it resumes from
  // the backup's offsets, and every event ends in the ledger exactly once.
  const std::string restored = dir.path() + "/restored";
  std::filesystem::copy(backup, restored, std::filesystem::copy_options::recursive);
  DaemonProcess again(restored, broker->bootstrap());
  again.Start();
  ASSERT_TRUE(WaitUntil([&] { return Accounted(again.http_port()) >= kEvents; }, std::chrono::seconds(120)));
  EXPECT_EQ(Metric(again.http_port(), "safetynet_events_appended_total"), kEvents);
  EXPECT_EQ(Metric(again.http_port(), "safetynet_events_duplicate_total"), 0);
  EXPECT_EQ(again.Stop(), 0);
  EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + restored + " 2>&1", &out), 0) << out;
}

TEST(BackupE2E, ABackupWithoutARunningDaemonAndIntoANonEmptyDirectory) {
  TempDir dir;
  auto broker = StartBroker();
  const std::string data = dir.path() + "/data";
  {
    DaemonProcess daemon(data, broker->bootstrap());
    daemon.Start();
    Producer producer(broker->bootstrap());
    for (int i = 0; i < 100; ++i) producer.SendEvent(Grant(i));
    producer.Flush();
    ASSERT_TRUE(WaitUntil([&] { return Accounted(daemon.http_port()) == 100; }));
    EXPECT_EQ(daemon.Stop(), 0);
  }
  std::string out;
  ASSERT_EQ(RunCommand(SafetynetPath() + " backup --data " + data + " --out " + dir.path() + "/b 2>&1", &out), 0)
      << out;
  EXPECT_EQ(BackupSeq(out), 100u) << out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " backup --data " + data + " --out " + dir.path() + "/b 2>&1", &out), 2)
      << out;
  EXPECT_NE(out.find("is not empty"), std::string::npos) << out;
}

}  // namespace
}  // namespace safetynet::test
