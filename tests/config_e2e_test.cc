// The daemon's configuration file end to end: the documented example parses,
// a file's settings are used (consumer-group assignment, topic names, secrets
// from a key file), and a bad file is refused with exit code 2 and its reason.
#include <gtest/gtest.h>

#include <fstream>

#include "daemon/config.h"
#include "tests/harness.h"

namespace safetynet::test {
namespace {

TEST(Config, DocumentedExampleParsesToTheDefaults) {
  Config parsed;
  ASSERT_TRUE(LoadConfigFile(std::string(SOURCE_DIR) + "/ops/safetynet.toml", &parsed).ok());
  const Config defaults;
  EXPECT_EQ(parsed.data_dir, defaults.data_dir);
  EXPECT_EQ(parsed.assignment, defaults.assignment);
  EXPECT_EQ(parsed.http_listen, defaults.http_listen);
  EXPECT_EQ(parsed.batch_events_max, defaults.batch_events_max);
  EXPECT_EQ(parsed.topics.reimbursements, defaults.topics.reimbursements);
  EXPECT_EQ(parsed.sync_writes, defaults.sync_writes);
  EXPECT_EQ(parsed.auto_deadline_days, defaults.auto_deadline_days);
}

TEST(Config, BadValuesAreRefusedWithTheirName) {
  TempDir dir;
  const std::string path = dir.path() + "/bad.toml";
  std::ofstream(path) << "[kafka]\nassignment = \"round-robin\"\n";
  Config c;
  const Status st = LoadConfigFile(path, &c);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("kafka.assignment"), std::string::npos) << st.message();
  std::ofstream(path) << "[kafka\n";
  EXPECT_NE(LoadConfigFile(path, &c).message().find("line 1"), std::string::npos);
}

TEST(ConfigE2E, GroupAssignmentRenamedTopicAndKeyFileFromTheConfigFile) {
  TempDir dir;
  TopicNames t;
  t.roster = "custom.roster";
  auto topics = t.Inbound();
  auto broker = EmbeddedKafka::Start(topics, 2);
  ASSERT_TRUE(broker.ok());
  const std::string key_file = dir.path() + "/person.key";
  std::ofstream(key_file) << "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
  const std::string config = dir.path() + "/safetynet.toml";
  std::ofstream(config) << "[kafka]\nassignment = \"group\"\ngroup_id = \"sn-test\"\n"
                        << "[topics]\nroster = \"custom.roster\"\n"
                        << "[secrets]\nperson_key_file = \"" << key_file << "\"\n";
  // The key file wins over the harness's SAFETYNET_PERSON_KEY environment variable.
  DaemonProcess daemon(dir.path() + "/data", (*broker)->bootstrap(), {}, {"--config", config});
  daemon.Start();
  Producer producer((*broker)->bootstrap());
  const std::string raw = "230102199001010099";
  producer.Send("custom.roster", raw,
                Event("cfg-1", 20200101, "230102", raw, "IdentityGranted",
                      {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}})
                    .dump());
  producer.Flush();
  ASSERT_TRUE(WaitUntil([&] { return Metric(daemon.http_port(), "safetynet_events_appended_total") == 1; },
                        std::chrono::seconds(60)));
  const Json j = HttpGet(daemon.http_port(), "/v1/persons/" + raw + "/ledger").json();
  EXPECT_NE(j["person"], PseudonymOf(raw)) << "the environment key was used instead of the file's";
  EXPECT_EQ(j["person"].get<std::string>().size(), 64u);
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(ConfigE2E, UnreadableConfigExitsWithTwo) {
  std::string out;
  EXPECT_EQ(RunCommand(SafetynetdPath() + " --config /nonexistent.toml 2>&1", &out), 2) << out;
  EXPECT_NE(out.find("/nonexistent.toml"), std::string::npos) << out;
}

}  // namespace
}  // namespace safetynet::test
