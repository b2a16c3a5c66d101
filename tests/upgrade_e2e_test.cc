// End to end: projections written by another version of their semantics are
// rebuilt from the log when the daemon starts, and then equal a replay.
#include <gtest/gtest.h>

#include "events/codec_util.h"
#include "events/store.h"
#include "projections/core/projection_set.h"
#include "tests/harness.h"

namespace safetynet::test {
namespace {

TEST(UpgradeE2E, ProjectionsOfAnotherVersionAreRebuiltFromTheLogOnStart) {
  TempDir dir;
  auto broker = StartBroker();
  const std::string data = dir.path() + "/data";
  DaemonProcess daemon(data, broker->bootstrap());
  daemon.LogTo(dir.path() + "/daemon.log");
  daemon.Start();
  Producer producer(broker->bootstrap());
  for (int i = 0; i < 50; ++i) {
    const std::string person = "2301021990010100" + std::to_string(10 + i);
    producer.SendEvent(Event("g" + std::to_string(i), 20200101 + i % 20, "230102", person, "IdentityGranted",
                             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  }
  // The later date once the grants are in: the gaps they leave are seen on
  // their own dates, and their settlement window has passed by it (sent in
  // one go, the later event may be folded first, and the window would run
  // from its date).
  producer.Flush();
  ASSERT_TRUE(WaitUntil([&] { return Accounted(daemon.http_port()) == 50; }));
  producer.SendEvent(Event("later", 20200501, "230102", "", "RectificationProgressed", {{"item_id", "t"}}));
  producer.Flush();
  ASSERT_TRUE(WaitUntil([&] { return Accounted(daemon.http_port()) == 51; }));
  const Json before = HttpGet(daemon.http_port(), "/v1/findings?limit=1000").json();
  ASSERT_GT(before["findings"].size(), 0u);  // the never-enrolled persons' gaps
  ASSERT_EQ(daemon.Stop(), 0);

  // As an older daemon would have left them: version 1, and other contents.
  {
    auto store = OpenRocksStore(data + "/ledger");
    ASSERT_TRUE(store.ok());
    ASSERT_EQ(ProjectionSet::RecordedVersion(**store), kProjectionsVersion);
    Txn txn(**store);
    std::string v1;
    PutU32(&v1, 1);
    txn.Put(Cf::kProjMeta, "projections_version", v1);
    auto it = (*store)->NewIterator(Cf::kFindings);
    for (it->SeekToFirst(); it->Valid(); it->Next()) txn.Delete(Cf::kFindings, std::string(it->key()));
    ASSERT_TRUE((*store)->Write(txn, true).ok());
  }

  daemon.Start();
  const Json after = HttpGet(daemon.http_port(), "/v1/findings?limit=1000").json();
  EXPECT_EQ(after, before);
  ASSERT_EQ(daemon.Stop(), 0);
  const std::string log = ReadFile(dir.path() + "/daemon.log");
  EXPECT_NE(log.find("were built by projections version 1, this daemon's is " + std::to_string(kProjectionsVersion) +
                     ": rebuilding them from the log (51 events)"),
            std::string::npos)
      << log;
  std::string out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " replay --quiet --data " + data + " 2>&1", &out), 0) << out;
  EXPECT_NE(out.find("live projections equal the replay"), std::string::npos) << out;
}

}  // namespace
}  // namespace safetynet::test
