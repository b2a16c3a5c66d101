#include "tests/harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "events/crypto.h"
#include "events/topics.h"

namespace safetynet::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/safetynet-test-XXXXXX";
  path_ = mkdtemp(tmpl);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::unique_ptr<EmbeddedKafka> StartBroker(int partitions, int brokers) {
  TopicNames t;
  auto topics = t.Inbound();
  for (const auto& o : t.Outbound()) topics.push_back(o);
  auto ek = EmbeddedKafka::Start(topics, partitions, brokers);
  EXPECT_TRUE(ek.ok()) << ek.status().ToString();
  return std::move(*ek);
}

Producer::Producer(const std::string& brokers, size_t max_message_bytes) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof(err));
  if (max_message_bytes != 0) {
    rd_kafka_conf_set(conf, "message.max.bytes", std::to_string(max_message_bytes + 4096).c_str(), err, sizeof(err));
  }
  rd_kafka_conf_set(conf, "enable.idempotence", "true", err, sizeof(err));
  rd_kafka_conf_set(conf, "linger.ms", "2", err, sizeof(err));
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
  rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  EXPECT_NE(rk_, nullptr) << err;
}

Producer::~Producer() {
  if (rk_ != nullptr) {
    rd_kafka_flush(rk_, 10000);
    rd_kafka_destroy(rk_);
  }
}

void Producer::Send(const std::string& topic, const std::string& key, const std::string& value) {
  for (;;) {
    const auto e = rd_kafka_producev(rk_, RD_KAFKA_V_TOPIC(topic.c_str()),
                                     RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                     RD_KAFKA_V_KEY(key.empty() ? nullptr : key.data(), key.size()),
                                     RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    ASSERT_EQ(e, RD_KAFKA_RESP_ERR__QUEUE_FULL) << rd_kafka_err2str(e);
    rd_kafka_poll(rk_, 10);
  }
  ++sent_;
  rd_kafka_poll(rk_, 0);
}

void Producer::SendEvent(const Json& event) {
  const auto type = event["payload_type"].get<std::string>();
  TopicKind kind = TopicKind::kUnknown;
  for (size_t t = 1; t <= static_cast<size_t>(fb::Payload::MAX); ++t) {
    if (type == fb::EnumNamesPayload()[t]) kind = TopicOfPayload(static_cast<fb::Payload>(t));
  }
  ASSERT_NE(kind, TopicKind::kUnknown) << type;
  const std::string key = event.contains("person_id") ? event["person_id"].get<std::string>() : "";
  Send(TopicNames().NameOf(kind), key, event.dump());
}

void Producer::Flush() { ASSERT_EQ(rd_kafka_flush(rk_, 30000), RD_KAFKA_RESP_ERR_NO_ERROR); }

TopicReader::TopicReader(const std::string& brokers, const std::string& topic, int partitions) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof(err));
  rd_kafka_conf_set(conf, "group.id", "test-reader", err, sizeof(err));
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof(err));
  rd_kafka_conf_set(conf, "fetch.wait.max.ms", "5", err, sizeof(err));
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
  rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
  EXPECT_NE(rk_, nullptr) << err;
  rd_kafka_poll_set_consumer(rk_);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(parts, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(rk_, parts);
  rd_kafka_topic_partition_list_destroy(parts);
}

TopicReader::~TopicReader() {
  if (rk_ != nullptr) {
    rd_kafka_consumer_close(rk_);
    rd_kafka_destroy(rk_);
  }
}

void TopicReader::Poll(std::chrono::milliseconds wait, std::vector<std::pair<std::string, std::string>>* out) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, 10);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      out->emplace_back(std::string(static_cast<const char*>(m->key), m->key_len),
                        std::string(static_cast<const char*>(m->payload), m->len));
    }
    rd_kafka_message_destroy(m);
  }
}

DaemonProcess::DaemonProcess(std::string data_dir, std::string brokers, std::map<std::string, std::string> env,
                             std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)),
      brokers_(std::move(brokers)),
      env_(std::move(env)),
      extra_args_(std::move(extra_args)) {}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) Kill();
}

void DaemonProcess::Start() {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_ = fork();
  ASSERT_GE(pid_, 0);
  if (pid_ == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    setenv("SAFETYNET_PERSON_KEY", kPersonKeyHex, 1);
    setenv("SAFETYNET_DEADLETTER_KEY", kDeadLetterKeyHex, 1);
    setenv("SAFETYNET_AUDITOR_TOKEN", kAuditorToken, 1);
    for (const auto& [k, v] : env_) setenv(k.c_str(), v.c_str(), 1);
    if (!log_path_.empty()) {
      const int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) dup2(fd, 2), close(fd);
    }
    const std::string bin = SafetynetdPath();
    std::vector<std::string> args = {bin, "--data", data_dir_, "--http", "127.0.0.1:0"};
    if (brokers_.empty()) {
      args.push_back("--embedded-kafka");
    } else {
      args.insert(args.end(), {"--brokers", brokers_});
    }
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  // Read standard output until the "http: http://127.0.0.1:PORT/" line.
  std::string text;
  char buf[256];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
    const ssize_t n = read(out[0], buf, sizeof(buf));
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    const auto pos = text.find("http://127.0.0.1:");
    if (pos != std::string::npos && text.find('/', pos + 17) != std::string::npos) {
      port_ = std::stoi(text.substr(pos + 17));
    }
  }
  close(out[0]);
  constexpr std::string_view kBootstrap = "embedded kafka bootstrap: ";
  if (const auto at = text.find(kBootstrap); at != std::string::npos) {
    bootstrap_ = text.substr(at + kBootstrap.size(), text.find('\n', at) - at - kBootstrap.size());
  }
  ASSERT_GT(port_, 0) << "daemon did not report its HTTP port; output: " << text;
}

int DaemonProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  port_ = 0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void DaemonProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  port_ = 0;
}

int DaemonProcess::WaitExit(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

HttpReply HttpGet(int port, const std::string& path) { return HttpGetAs(kAuditorToken, port, path); }

HttpReply HttpGetAs(const std::string& token, int port, const std::string& path) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(10, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto res = cli.Get(path.c_str(), headers);
  if (!res) return {};
  return {res->status, res->body, res->get_header_value("Content-Disposition")};
}

double Metric(int port, const std::string& name) {
  const HttpReply r = HttpGet(port, "/metrics");
  size_t pos = 0;
  while ((pos = r.body.find(name + " ", pos)) != std::string::npos) {
    if (pos == 0 || r.body[pos - 1] == '\n') return std::stod(r.body.substr(pos + name.size() + 1));
    pos += name.size();
  }
  return -1;
}

double Accounted(int port) {
  const double n = Metric(port, "safetynet_events_appended_total") + Metric(port, "safetynet_events_duplicate_total") +
                   Metric(port, "safetynet_events_rejected_total");
  // Read after the counters: at 0, queries see every event counted above.
  return Metric(port, "safetynet_projection_lag") == 0 ? n : -1;
}

double Appended(int port) {
  const double n = Metric(port, "safetynet_events_appended_total");
  return Metric(port, "safetynet_projection_lag") == 0 ? n : -1;
}

int CountLines(const std::string& path) {
  std::ifstream in(path);
  int n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

SuiteLedger::SuiteLedger(const std::string& config) {
  std::vector<std::string> args;
  if (!config.empty()) {
    const std::string path = dir.path() + "/safetynet.toml";
    std::ofstream(path) << config;
    args = {"--config", path};
  }
  daemon = std::make_unique<DaemonProcess>(dir.path() + "/data", broker->bootstrap(),
                                           std::map<std::string, std::string>{}, std::move(args));
  daemon->Start();
}

void SuiteLedger::PublishProvince(int seed, int persons, int months) {
  const std::string file = dir.path() + "/province.jsonl";
  std::string out;
  ASSERT_EQ(RunCommand(SafetynetPath() + " generate --seed " + std::to_string(seed) + " --persons " +
                           std::to_string(persons) + " --months " + std::to_string(months) + " --out " + file + " 2>&1",
                       &out),
            0)
      << out;
  ASSERT_EQ(RunCommand(SafetynetPath() + " publish --brokers " + broker->bootstrap() + " " + file + " 2>&1", &out), 0)
      << out;
  const int lines = CountLines(file);
  const int port = daemon->http_port();
  ASSERT_TRUE(WaitUntil([&] { return Accounted(port) == lines; })) << Accounted(port) << " of " << lines;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

int RunCommand(const std::string& cmd, std::string* out) {
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  std::array<char, 4096> buf;
  std::string text;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) text.append(buf.data(), n);
  const int status = pclose(p);
  if (out != nullptr) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string SafetynetdPath() { return SAFETYNETD_PATH; }
std::string SafetynetPath() { return SAFETYNET_PATH; }

Json Event(const std::string& event_id, int occurred_on, const std::string& region, const std::string& person,
           const std::string& type, const Json& payload) {
  Json e = {{"event_id", event_id}, {"occurred_on", occurred_on}, {"source", "test"}, {"region", region}};
  if (!person.empty()) e["person_id"] = person;
  e["payload_type"] = type;
  e["payload"] = payload;
  return e;
}

std::string PseudonymOf(const std::string& raw) {
  std::string key;
  FromHex(kPersonKeyHex, &key);
  PersonHasher h(key);
  return h.HashHex(raw);
}

Json ReadWorkbook(const std::string& body) {
  TempDir tmp;
  std::ofstream(tmp.path() + "/book.xlsx", std::ios::binary) << body;
  std::ofstream(tmp.path() + "/read.py") << R"(import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
cell = lambda r, c: ws.cell(row=r, column=c)
heads = [cell(2, c).value for c in range(1, ws.max_column + 1)]
data = [{h: {"value": cell(r, c).value, "format": cell(r, c).number_format} for c, h in enumerate(heads, 1)}
        for r in range(3, ws.max_row + 1)]
print(json.dumps({"title": cell(1, 1).value, "freeze": ws.freeze_panes, "merged": [str(m) for m in ws.merged_cells.ranges],
                  "rows": ws.max_row, "data": data}, ensure_ascii=False))
)";
  std::string out;
  EXPECT_EQ(RunCommand("/usr/bin/python3 " + tmp.path() + "/read.py " + tmp.path() + "/book.xlsx", &out), 0) << out;
  return Json::parse(out, nullptr, /*allow_exceptions=*/false);
}

}  // namespace safetynet::test
