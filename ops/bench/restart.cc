#include "ops/bench/restart.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "ops/bench/daemon_child.h"
#include "tools/publisher.h"

namespace safetynet::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Polls until `done` holds or `limit` has passed; returns the time it took
// (negative when it never held).
template <typename Done>
double Until(Clock::time_point from, std::chrono::seconds limit, Done&& done) {
  while (Clock::now() - from < limit) {
    if (done()) return Seconds(Clock::now() - from);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

}  // namespace

int RunRestart(const RestartOptions& o) {
  gen::GenerateOptions go;
  go.seed = o.seed;
  go.persons = o.persons;
  go.months = o.months;
  const int64_t lines = WriteProvince(o.dir, go);
  const std::string province = o.dir + "/province.jsonl", data = o.dir + "/data", log = o.dir + "/daemon.log";
  std::printf("restart: %lld persons, %d months: %lld lines; %d kills (SIGKILL) during ingest\n",
              static_cast<long long>(o.persons), o.months, static_cast<long long>(lines), o.kills);
  std::fflush(stdout);
  auto broker = StartBroker();
  if (!broker.ok()) return std::fprintf(stderr, "restart: %s\n", broker.status().ToString().c_str()), 1;
  const std::string brokers = (*broker)->bootstrap();
  Child daemon = StartDaemon(o.daemon, data, brokers, log);
  if (daemon.port == 0) return std::fprintf(stderr, "restart: the daemon did not start; see %s\n", log.c_str()), 1;

  Result<PublishStats> published = Status::Invalid("not run");
  std::thread producer([&] {
    std::ifstream in(province);
    PublishOptions po;
    po.brokers = brokers;
    published = Publish(in, po);
  });

  std::vector<double> answered, caught_up, peaks;
  bool failed = false;
  for (int k = 1; k <= o.kills && !failed; ++k) {
    const double at = static_cast<double>(lines) * k / (o.kills + 1);
    Sample s;
    Until(Clock::now(), std::chrono::hours(2), [&] { return (s = ReadMetrics(daemon.port)).accounted() >= at; });
    const double peak = PeakRssMiB(daemon.pid);
    kill(daemon.pid, SIGKILL);
    waitpid(daemon.pid, nullptr, 0);
    const auto t0 = Clock::now();
    daemon = SpawnDaemon(o.daemon, data, brokers, log);
    if (daemon.pid <= 0 || !Answering(daemon, std::chrono::seconds(120))) {
      std::printf("restart %d: the daemon did not start again; see %s\n", k, log.c_str());
      failed = true;
      break;
    }
    const double answer =
        Until(t0, std::chrono::seconds(60), [&] { return Get(daemon.port, "/v1/coverage?region=") == 200; });
    std::string health;
    const double ok = Until(t0, std::chrono::seconds(600), [&] {
      return Get(daemon.port, "/healthz", &health) == 200 && health.find("\"ok\"") != std::string::npos;
    });
    std::printf(
        "restart %d: killed at %.0f events in the log (peak RSS %.0f MiB); answering after %.2f s, caught up "
        "after %.2f s\n",
        k, s.log_seq, peak, answer, ok);
    std::fflush(stdout);
    failed = answer < 0 || ok < 0;
    answered.push_back(answer);
    caught_up.push_back(ok);
    peaks.push_back(peak);
  }
  producer.join();
  Sample s;
  const uint64_t sent = published.ok() ? published->sent : 0;
  if (!published.ok()) std::printf("restart: publishing failed: %s\n", published.status().ToString().c_str());
  Until(Clock::now(), std::chrono::minutes(10),
        [&] { return (s = ReadMetrics(daemon.port)).accounted() >= static_cast<double>(sent); });
  const double peak = PeakRssMiB(daemon.pid);
  kill(daemon.pid, SIGTERM);
  int status = 0;
  waitpid(daemon.pid, &status, 0);
  // A message delivered again after a kill is a duplicate: accounted may
  // exceed sent, never fall short of it.
  const bool lost = !published.ok() || s.accounted() < static_cast<double>(sent) || s.jumps != 0;
  std::printf(
      "P5 restart after kill -9: answering after %.2f s (median of %zu; target <= 3 s at 10 M events), caught "
      "up after %.2f s\n",
      Median(answered), answered.size(), Median(caught_up));
  std::printf("P4 memory: peak RSS %.0f MiB over the run, at %.0f events  (target <= 1536 MiB at 10 M persons)\n",
              std::max(peak, peaks.empty() ? 0.0 : *std::max_element(peaks.begin(), peaks.end())), s.log_seq);
  std::printf("   sent %llu, accounted %.0f (appended %.0f, duplicate %.0f, rejected %.0f), offset jumps %.0f: %s\n",
              static_cast<unsigned long long>(sent), s.accounted(), s.appended, s.duplicate, s.rejected, s.jumps,
              lost ? "MESSAGES LOST OR UNACCOUNTED" : "nothing lost");
  return failed || lost || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ? 1 : 0;
}

}  // namespace safetynet::bench
