// A disk that fills up while the daemon ingests (R4), end to end: the daemon
// stops consuming with a clear message and exit code 3; nothing past the last
// durable write counts as consumed (the Kafka-side committed offsets never
// pass the ledger's); a restart on a good disk resumes without loss or
// doubling, the chain verifies and the projections equal a replay. The fault
// comes from a RocksDB file system that fails every write once a budget of
// bytes is spent (SAFETYNET_TEST_DISK_FULL_AFTER_BYTES, events/rocks_store.cc).
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include "tests/harness.h"

namespace safetynet::test {
namespace {

// The offsets committed to Kafka under the daemon's group, summed.
int64_t CommittedOffsets(const std::string& brokers) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof(err));
  rd_kafka_conf_set(conf, "group.id", "safetynet", err, sizeof(err));
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(4);
  for (int p = 0; p < 4; ++p) rd_kafka_topic_partition_list_add(parts, "safetynet.roster", p);
  int64_t sum = 0;
  if (rd_kafka_committed(rk, parts, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < parts->cnt; ++i) sum += parts->elems[i].offset > 0 ? parts->elems[i].offset : 0;
  }
  rd_kafka_topic_partition_list_destroy(parts);
  rd_kafka_destroy(rk);
  return sum;
}

TEST(DiskFaultsE2E, AFullDiskStopsIngestWithExitThreeAndARestartResumesWithoutLoss) {
  TempDir dir;
  auto broker = StartBroker();
  const std::string data = dir.path() + "/data";
  // Creating a fresh store spends ~5 MB of the budget (RocksDB rewrites its
  // OPTIONS file as it creates each column family); the rest fills mid-ingest.
  DaemonProcess full(data, broker->bootstrap(), {{"SAFETYNET_TEST_DISK_FULL_AFTER_BYTES", "8000000"}});
  full.LogTo(dir.path() + "/full.log");
  full.Start();
  Producer producer(broker->bootstrap());
  constexpr int kEvents = 20000;
  for (int i = 0; i < kEvents; ++i) {
    char person[32];
    std::snprintf(person, sizeof(person), "2301021975%08d", i);
    producer.SendEvent(Event("d-" + std::to_string(i), 20200101, "230102", person, "IdentityGranted",
                             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  }
  producer.Flush();
  const int code = full.WaitExit(std::chrono::seconds(120));
  EXPECT_EQ(code, 3) << ReadFile(dir.path() + "/full.log");
  const std::string log = ReadFile(dir.path() + "/full.log");
  EXPECT_NE(log.find("ledger write failed, consumption stopped"), std::string::npos) << log;
  EXPECT_NE(log.find("no space left on device"), std::string::npos) << log;
  const int64_t committed = CommittedOffsets(broker->bootstrap());
  EXPECT_LT(committed, kEvents) << "the whole province cannot have been written to the full disk";

  // On a good disk: resumes where the ledger stood, every event once.
  DaemonProcess good(data, broker->bootstrap());
  good.Start();
  ASSERT_TRUE(WaitUntil([&] { return Accounted(good.http_port()) >= kEvents; }, std::chrono::seconds(120)))
      << Accounted(good.http_port());
  EXPECT_EQ(Metric(good.http_port(), "safetynet_events_appended_total"), kEvents);
  EXPECT_EQ(Metric(good.http_port(), "safetynet_events_duplicate_total"), 0);
  EXPECT_EQ(Metric(good.http_port(), "safetynet_offset_rewinds_total"), 0);
  // What counted as consumed before the fault was in the ledger already:
  // nothing of it came again (no duplicates above), and the committed
  // offsets never ran ahead of it.
  EXPECT_GE(Metric(good.http_port(), "safetynet_events_appended_total"), static_cast<double>(committed));
  EXPECT_EQ(good.Stop(), 0);
  std::string out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + data, &out), 0) << out;
  EXPECT_EQ(RunCommand(SafetynetPath() + " replay --quiet --data " + data, &out), 0) << out;
  EXPECT_NE(out.find("live projections equal the replay"), std::string::npos) << out;
}

}  // namespace
}  // namespace safetynet::test
