#include "ops/bench/daemon_child.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "events/topics.h"

namespace safetynet::bench {

int64_t WriteProvince(const std::string& dir, const gen::GenerateOptions& go) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream out(dir + "/province.jsonl");
  return gen::GenerateProvince(go, out).lines;
}

Result<std::unique_ptr<EmbeddedKafka>> StartBroker() {
  const TopicNames topics;
  std::vector<std::string> names = topics.Inbound();
  names.push_back(topics.findings);
  return EmbeddedKafka::Start(names, 4);
}

namespace {

// A loopback port nothing listens on now (the kernel's pick, released).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

}  // namespace

Child SpawnDaemon(const std::string& daemon, const std::string& data_dir, const std::string& brokers,
                  const std::string& log) {
  Child c;
  c.port = FreePort();
  if (c.port == 0) return {};
  const std::string listen = "127.0.0.1:" + std::to_string(c.port);
  c.pid = fork();
  if (c.pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, 1), close(null);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) dup2(fd, 2), close(fd);
    setenv("SAFETYNET_AUDITOR_TOKEN", kToken, 1);
    std::vector<std::string> args = {daemon, "--data", data_dir, "--http", listen, "--brokers", brokers};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(daemon.c_str(), argv.data());
    _exit(127);
  }
  return c;
}

bool Answering(const Child& c, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (waitpid(c.pid, nullptr, WNOHANG) == c.pid) return false;  // it stopped
    if (Get(c.port, "/healthz") != 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

Child StartDaemon(const std::string& daemon, const std::string& data_dir, const std::string& brokers,
                  const std::string& log) {
  Child c = SpawnDaemon(daemon, data_dir, brokers, log);
  if (c.pid > 0 && !Answering(c, std::chrono::seconds(120))) c.port = 0;
  return c;
}

namespace {

double StatusMiB(pid_t pid, std::string_view field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(field.size())) / 1024.0;
  }
  return 0;
}
}  // namespace

double RssMiB(pid_t pid) { return StatusMiB(pid, "VmRSS:"); }
double PeakRssMiB(pid_t pid) { return StatusMiB(pid, "VmHWM:"); }

int Get(int port, const std::string& path, std::string* body) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_connection_timeout(1, 0);
  const auto res = cli.Get(path, {{"Authorization", std::string("Bearer ") + kToken}});
  if (!res) return 0;
  if (body != nullptr) *body = res->body;
  return res->status;
}

Sample ReadMetrics(int port) {
  std::string body;
  Sample s;
  if (Get(port, "/metrics", &body) != 200) return s;
  const std::pair<const char*, double*> names[] = {{"safetynet_events_appended_total ", &s.appended},
                                                   {"safetynet_events_duplicate_total ", &s.duplicate},
                                                   {"safetynet_events_rejected_total ", &s.rejected},
                                                   {"safetynet_consumer_lag ", &s.lag},
                                                   {"safetynet_offset_jumps_total ", &s.jumps},
                                                   {"safetynet_offset_rewinds_total ", &s.rewinds},
                                                   {"safetynet_log_seq ", &s.log_seq}};
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    for (const auto& [name, out] : names) {
      if (line.rfind(name, 0) == 0) *out = std::stod(line.substr(std::string_view(name).size()));
    }
  }
  return s;
}

}  // namespace safetynet::bench
