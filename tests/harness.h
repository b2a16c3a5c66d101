// Test harness for end-to-end tests: an in-process Kafka broker (librdkafka's
// mock cluster) that outlives daemon restarts, the real safetynetd binary run
// as a child process (so it can be SIGKILLed), a Kafka producer, and an HTTP
// client. Waiting is always for a condition with a deadline, never a bare sleep.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "daemon/embedded_kafka.h"

struct rd_kafka_s;

namespace safetynet::test {

using Json = nlohmann::json;

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The default inbound and outbound topics on a mock cluster with 4 partitions
// each, on `brokers` mock brokers.
std::unique_ptr<EmbeddedKafka> StartBroker(int partitions = 4, int brokers = 1);

class Producer {
 public:
  // `max_message_bytes`: the largest message it sends (0: librdkafka's default, about 1 MB).
  explicit Producer(const std::string& brokers, size_t max_message_bytes = 0);
  ~Producer();
  void Send(const std::string& topic, const std::string& key, const std::string& value);

  // Sends an event JSON to the topic its payload_type belongs on, keyed by person_id.
  void SendEvent(const Json& event);
  // Waits until every message is acknowledged; fails the test otherwise.
  void Flush();
  uint64_t sent() const { return sent_; }

 private:
  rd_kafka_s* rk_ = nullptr;
  uint64_t sent_ = 0;
};

// Reads every partition of a topic from the beginning (no consumer group).
class TopicReader {
 public:
  TopicReader(const std::string& brokers, const std::string& topic, int partitions);
  ~TopicReader();
  // Appends the (key, value) of messages arriving within `wait`.
  void Poll(std::chrono::milliseconds wait, std::vector<std::pair<std::string, std::string>>* out);

 private:
  rd_kafka_s* rk_ = nullptr;
};

// The safetynetd binary as a child process; with `brokers` empty, on its own
// embedded broker (--embedded-kafka), whose address bootstrap() tells.
class DaemonProcess {
 public:
  DaemonProcess(std::string data_dir, std::string brokers, std::map<std::string, std::string> env = {},
                std::vector<std::string> extra_args = {});
  ~DaemonProcess();
  // Starts it and waits for its HTTP port (printed on standard output).
  void Start();
  // From now on, standard error goes to `path` (appended) instead of the test's.
  void LogTo(std::string path) { log_path_ = std::move(path); }
  // The embedded broker's bootstrap address (--embedded-kafka only).
  const std::string& bootstrap() const { return bootstrap_; }
  // SIGTERM and wait; returns the exit status.
  int Stop();
  // SIGKILL and wait.
  void Kill();
  bool running() const { return pid_ > 0; }
  int http_port() const { return port_; }
  // Waits for the process to exit on its own; returns its exit code (-1 on timeout).
  int WaitExit(std::chrono::seconds timeout);

 private:
  std::string data_dir_, brokers_, log_path_, bootstrap_;
  std::map<std::string, std::string> env_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  int port_ = 0;
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::string content_disposition;  // of a file to download
  Json json() const { return Json::parse(body, nullptr, false); }
};
// As the auditor whose token every test daemon accepts (kAuditorToken).
HttpReply HttpGet(int port, const std::string& path);
// With another token ("" for none).
HttpReply HttpGetAs(const std::string& token, int port, const std::string& path);

// Reads a Prometheus sample value from /metrics (-1 when absent).
double Metric(int port, const std::string& name);
// Messages the daemon has accounted for (appended + duplicates + rejected)
// once its queries see all of them (projection lag 0); -1 before.
double Accounted(int port);
// Events appended to the log, or -1 while queries do not see them all yet
// (the projections' checkpoint is behind the log).
double Appended(int port);
// Non-empty lines of a file (the messages of a JSON-lines event file).
int CountLines(const std::string& path);

// Polls `done` every 20 ms until it holds; false after `timeout`.
bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Runs a command, returns its exit code and standard output.
int RunCommand(const std::string& cmd, std::string* out = nullptr);
// The whole content of a file ("" when unreadable).
std::string ReadFile(const std::string& path);
// A workbook (the bytes of an .xlsx) opened as a spreadsheet program would,
// with Debian's python3-openpyxl:
// {"title","freeze","merged","rows","data":[{header:{"value","format"}}]}.
Json ReadWorkbook(const std::string& bytes);

// Paths of the built programs (set by CMake).
std::string SafetynetdPath();
std::string SafetynetPath();

// A fixture with a fresh broker, a daemon on a fresh data directory, and a
// producer. Members are destroyed producer, daemon, broker, directory.
class LiveLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = StartBroker();
    std::vector<std::string> args;
    if (const std::string toml = ConfigToml(); !toml.empty()) {
      const std::string path = dir_.path() + "/safetynet.toml";
      std::ofstream(path) << toml;
      args = {"--config", path};
    }
    daemon_ = std::make_unique<DaemonProcess>(dir_.path() + "/data", broker_->bootstrap(),
                                              std::map<std::string, std::string>{}, std::move(args));
    daemon_->Start();
    producer_ = std::make_unique<Producer>(broker_->bootstrap());
  }
  // TOML given to the daemon with --config (none when empty).
  virtual std::string ConfigToml() const { return ""; }
  // The daemon's data directory.
  std::string data_dir() const { return dir_.path() + "/data"; }
  int port() const { return daemon_->http_port(); }

  TempDir dir_;
  std::unique_ptr<EmbeddedKafka> broker_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<Producer> producer_;
};

// One broker and one daemon (on DIR/data) for a whole test suite: made in
// SetUpTestSuite, destroyed in TearDownTestSuite (daemon, then directory,
// then broker).
struct SuiteLedger {
  std::unique_ptr<EmbeddedKafka> broker = StartBroker();
  TempDir dir;
  std::unique_ptr<DaemonProcess> daemon;
  // `config`: TOML text given to the daemon with --config, or none when empty.
  explicit SuiteLedger(const std::string& config = "");
  // Generates a province (`safetynet generate`), publishes it through Kafka
  // and returns once the daemon has accounted for every message.
  void PublishProvince(int seed, int persons, int months);
};

// A minimal event envelope around a payload.
Json Event(const std::string& event_id, int occurred_on, const std::string& region, const std::string& person,
           const std::string& type, const Json& payload);

// The fixed test secret keys (64 hex chars) passed to daemons in tests.
inline constexpr const char* kPersonKeyHex = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
inline constexpr const char* kDeadLetterKeyHex = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
// The auditor token every test daemon accepts (SAFETYNET_AUDITOR_TOKEN).
inline constexpr const char* kAuditorToken = "5a17e7a1a5d170000000000000000000000000000000000000000000000a0d17";
std::string PseudonymOf(const std::string& raw_person_id);

}  // namespace safetynet::test
