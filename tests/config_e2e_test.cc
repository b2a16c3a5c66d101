// The daemon's configuration file end to end: the documented example parses,
// a file's settings are used (topic names, secrets from a key file), a bad
// file (an unknown key, a value of the wrong type or range, an unknown log
// level, consumer-group assignment) is refused with exit code 2 naming the
// key; generated secrets are made safely, outside the data directory.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daemon/config.h"
#include "daemon/secrets.h"
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
  const auto refused = [&](const std::string& toml) {
    std::ofstream(path) << toml;
    Config c;
    const Status st = LoadConfigFile(path, &c);
    EXPECT_TRUE(st.IsInvalid()) << toml;
    return st.message();
  };
  EXPECT_NE(refused("[kafka]\nassignment = \"round-robin\"\n").find("kafka.assignment must be \"static\""),
            std::string::npos);
  EXPECT_NE(refused("[kafka]\nassignment = \"group\"\n").find("kafka.assignment = \"group\" is refused"),
            std::string::npos);
  EXPECT_NE(refused("[kafka\n").find("line 1"), std::string::npos);
  EXPECT_NE(refused("[http]\nlisten_port = 8080\n").find("unknown key http.listen_port"), std::string::npos);
  EXPECT_NE(refused("colour = \"red\"\n").find("unknown key colour"), std::string::npos);
  EXPECT_NE(refused("[http]\nthreads = \"eight\"\n").find("http.threads must be an integer"), std::string::npos);
  EXPECT_NE(refused("[http]\nthreads = 0\n").find("http.threads must be between 1 and 256"), std::string::npos);
  EXPECT_NE(refused("[ingest]\nsync_writes = 1\n").find("ingest.sync_writes must be true or false"), std::string::npos);
  EXPECT_NE(refused("log_level = \"verbose\"\n").find("log_level must be one of"), std::string::npos);
  EXPECT_NE(refused("[[access.tokens]]\nname = \"x\"\ncolour = \"red\"\n").find("unknown key colour"),
            std::string::npos);
}

TEST(ConfigE2E, ABadKeyStopsTheDaemonWithTwoNamingIt) {
  TempDir dir;
  const std::string config = dir.path() + "/safetynet.toml";
  std::ofstream(config) << "log_level = \"loud\"\n";
  std::string out;
  EXPECT_EQ(
      RunCommand(SafetynetdPath() + " --config " + config + " --embedded-kafka --data " + dir.path() + "/data 2>&1",
                 &out),
      2)
      << out;
  EXPECT_NE(out.find("log_level must be one of"), std::string::npos) << out;
}

TEST(Secrets, GeneratedOnceSafelyAndRefusedWhenExposed) {
  TempDir dir;
  const std::string secrets = dir.path() + "/s";
  auto first = ReadOrCreateSecret(secrets, "person.key");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->size(), 64u);
  struct stat st {};
  ASSERT_EQ(::stat(secrets.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((secrets + "/person.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(*ReadOrCreateSecret(secrets, "person.key"), *first);  // read, not made again
  // A file readable by others is refused, not used.
  ASSERT_EQ(::chmod((secrets + "/person.key").c_str(), 0644), 0);
  auto exposed = ReadOrCreateSecret(secrets, "person.key");
  ASSERT_FALSE(exposed.ok());
  EXPECT_NE(exposed.status().message().find("readable by group or others"), std::string::npos);
  // A symlink planted in a secret's place is not followed, neither to read nor to write.
  const std::string target = dir.path() + "/elsewhere";
  std::ofstream(target) << "0000000000000000000000000000000000000000000000000000000000000000\n";
  ASSERT_EQ(::symlink(target.c_str(), (secrets + "/deadletter.key").c_str()), 0);
  auto planted = ReadOrCreateSecret(secrets, "deadletter.key");
  ASSERT_FALSE(planted.ok());
  EXPECT_NE(planted.status().message().find("symlink"), std::string::npos) << planted.status().message();
  // A symlink as the directory is refused.
  ASSERT_EQ(::symlink(dir.path().c_str(), (dir.path() + "/link").c_str()), 0);
  EXPECT_FALSE(ReadOrCreateSecret(dir.path() + "/link", "x.key").ok());
}

TEST(Secrets, TheDefaultDirectoryIsBesideTheDataDirectory) {
  Config c;
  c.data_dir = "/srv/ledger/data/";
  EXPECT_EQ(SecretsDir(c), "/srv/ledger/data-secrets");
  c.secrets_dir = "/etc/safetynet";
  EXPECT_EQ(SecretsDir(c), "/etc/safetynet");
}

TEST(ConfigE2E, GeneratedSecretsAreOutsideTheDataDirectoryAndOldOnesMoveThere) {
  TempDir dir;
  auto broker = StartBroker();
  const std::string data = dir.path() + "/data";
  // An older daemon's secrets inside the data directory: moved out on start.
  std::filesystem::create_directories(data + "/secrets");
  const std::string old_key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  {
    const std::string path = data + "/secrets/person.key";
    std::ofstream(path) << old_key << "\n";
    ::chmod(path.c_str(), 0600);
  }
  // No key in the environment: the daemon uses (and makes) the files.
  DaemonProcess daemon(data, broker->bootstrap(), {{"SAFETYNET_PERSON_KEY", ""}, {"SAFETYNET_DEADLETTER_KEY", ""}});
  daemon.Start();
  EXPECT_EQ(daemon.Stop(), 0);
  EXPECT_FALSE(std::filesystem::exists(data + "/secrets")) << "secrets left in the data directory";
  EXPECT_EQ(ReadFile(dir.path() + "/data-secrets/person.key"), old_key + "\n");
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/data-secrets/deadletter.key"));
  for (const auto& f : std::filesystem::recursive_directory_iterator(data)) {
    if (!f.is_regular_file()) continue;
    EXPECT_EQ(ReadFile(f.path()).find(old_key), std::string::npos) << f.path();
  }
}

TEST(ConfigE2E, RenamedTopicAndKeyFileFromTheConfigFile) {
  TempDir dir;
  TopicNames t;
  t.roster = "custom.roster";
  auto topics = t.Inbound();
  auto broker = EmbeddedKafka::Start(topics, 2);
  ASSERT_TRUE(broker.ok());
  const std::string key_file = dir.path() + "/person.key";
  std::ofstream(key_file) << "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
  const std::string config = dir.path() + "/safetynet.toml";
  std::ofstream(config) << "[kafka]\ngroup_id = \"sn-test\"\n"
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
  ASSERT_TRUE(WaitUntil([&] { return Appended(daemon.http_port()) == 1; }, std::chrono::seconds(60)));
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
