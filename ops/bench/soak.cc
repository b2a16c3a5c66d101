#include "ops/bench/soak.h"

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <random>
#include <streambuf>
#include <thread>
#include <vector>

#include "daemon/embedded_kafka.h"
#include "ops/bench/daemon_child.h"
#include "tools/generate/generate.h"
#include "tools/publisher.h"

namespace safetynet::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Lines per person over 24 months of the generator (measured: 29.6).
constexpr double kLinesPerPersonMonth = 1.23;
constexpr int kMonths = 24;

// Person and claim IDs seen in the sent lines, for the clients to ask about.
class IdPool {
 public:
  void Note(const std::string& line) {
    std::string person = Field(line, "\"person_id\":\""), claim = Field(line, "\"claim_id\":\"");
    if (person.empty() && claim.empty()) return;
    std::lock_guard lock(mu_);
    if (!person.empty()) Put(&persons_, std::move(person));
    if (!claim.empty()) Put(&claims_, std::move(claim));
  }
  // A recent ID ("" while none has been seen).
  std::string Person(std::mt19937_64& rng) { return Pick(persons_, rng); }
  std::string Claim(std::mt19937_64& rng) { return Pick(claims_, rng); }

 private:
  static constexpr size_t kKeep = 1 << 16;
  static std::string Field(const std::string& line, std::string_view tag) {
    const size_t at = line.find(tag);
    if (at == std::string::npos) return "";
    const size_t from = at + tag.size(), to = line.find('"', from);
    return to == std::string::npos || to - from > 64 ? "" : line.substr(from, to - from);
  }
  void Put(std::vector<std::string>* ring, std::string id) {
    if (ring->size() < kKeep) return ring->push_back(std::move(id));
    (*ring)[next_++ % kKeep] = std::move(id);
  }
  std::string Pick(const std::vector<std::string>& ring, std::mt19937_64& rng) {
    std::lock_guard lock(mu_);
    return ring.empty() ? "" : ring[rng() % ring.size()];
  }
  std::mutex mu_;
  std::vector<std::string> persons_, claims_;
  size_t next_ = 0;
};

// The province file's lines at `rate` per second until `until`, as a stream
// for Publish (which adds its own pacing by the daemon's committed offsets).
class PacedLines : public std::streambuf {
 public:
  PacedLines(std::istream& in, int rate, Clock::time_point until, IdPool* pool)
      : in_(in), rate_(rate), until_(until), pool_(pool), start_(Clock::now()) {}
  bool exhausted() const { return exhausted_; }
  int64_t lines() const { return lines_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (Clock::now() >= until_) return traits_type::eof();
    if (!std::getline(in_, line_)) {
      exhausted_ = true;
      return traits_type::eof();
    }
    const auto due = start_ + std::chrono::nanoseconds(lines_ * 1'000'000'000 / rate_);
    if (due - Clock::now() > std::chrono::milliseconds(1)) std::this_thread::sleep_until(due);
    ++lines_;
    pool_->Note(line_);
    line_.push_back('\n');
    setg(line_.data(), line_.data(), line_.data() + line_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::istream& in_;
  const int64_t rate_;
  const Clock::time_point until_;
  IdPool* pool_;
  const Clock::time_point start_;
  std::string line_;
  int64_t lines_ = 0;
  bool exhausted_ = false;
};

// The queries the clients send, in turn.
constexpr const char* kQueryKinds[] = {"coverage", "person ledger", "claim", "findings", "rectifications", "gaps"};
constexpr size_t kKinds = std::size(kQueryKinds);
constexpr size_t kP3Kinds = 3;  // P3's queries: coverage, person ledger, claim

// Query latencies and outcomes of the current minute, from every client.
class LatencyLog {
 public:
  struct Minute {
    std::vector<double> ms;  // every answered query
    std::vector<double> by_kind[kKinds];
    uint64_t not_found = 0, errors = 0;
  };
  void Add(size_t kind, double ms, int status) {
    std::lock_guard lock(mu_);
    if (status == 200) {
      current_.ms.push_back(ms);
      current_.by_kind[kind].push_back(ms);
    } else if (status == 404) {
      ++current_.not_found;  // a person or claim not ingested yet
    } else {
      ++current_.errors;
    }
  }
  Minute Take() {
    std::lock_guard lock(mu_);
    return std::exchange(current_, Minute{});
  }

 private:
  std::mutex mu_;
  Minute current_;
};

double Percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  const size_t at = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(at), v.end());
  return v[at];
}

// One client: a query of a kind in turn, then a pause.
void QueryLoop(int port, int interval_ms, size_t kinds, uint64_t seed, IdPool* pool, LatencyLog* log,
               const std::atomic<bool>* stop) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_keep_alive(true);
  cli.set_read_timeout(10, 0);
  const httplib::Headers headers = {{"Authorization", std::string("Bearer ") + kToken}};
  std::mt19937_64 rng(seed);
  static constexpr const char* kTiers[] = {"basic", "critical_illness", "medical_assistance"};
  for (uint64_t n = 0; !stop->load(); ++n) {
    const std::string person = pool->Person(rng);
    if (person.size() < 6) {
      std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
      continue;
    }
    const std::string region = person.substr(0, 2 + 2 * (rng() % 3));  // province, city or county
    const int k = static_cast<int>(rng() % kMonths);                   // a month of the province's run
    const std::string date =
        std::to_string((2019 + k / 12) * 10000 + (k % 12 + 1) * 100 + 1 + static_cast<int>(rng() % 28));
    std::string path;
    const size_t kind = n % kinds;
    switch (kind) {
      case 0: path = "/v1/coverage?region=" + region + (rng() % 2 ? "&date=" + date : ""); break;
      case 1: path = "/v1/persons/" + person + "/ledger"; break;
      case 2: path = "/v1/claims/" + pool->Claim(rng); break;
      case 3: path = "/v1/findings?region=" + region + "&limit=100"; break;
      case 4: path = "/v1/rectifications?region=" + region + "&limit=100"; break;
      default: path = "/v1/coverage/gaps?region=" + region + "&tier=" + kTiers[rng() % 3] + "&limit=100"; break;
    }
    const auto t0 = Clock::now();
    const auto res = cli.Get(path, headers);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    log->Add(kind, ms, res ? res->status : 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
}

}  // namespace

int RunSoak(const SoakOptions& o) {
  // A province large enough for the whole run at the rate (10% spare).
  gen::GenerateOptions go;
  go.seed = o.seed;
  go.months = kMonths;
  go.persons = std::max<int64_t>(
      1000, static_cast<int64_t>(std::ceil(1.1 * o.rate * 60.0 * o.minutes / (kLinesPerPersonMonth * kMonths))));
  const std::string province = o.dir + "/province.jsonl";
  const int64_t lines = WriteProvince(o.dir, go);
  std::printf("soak: %lld persons, %d months: %lld lines in %s\n", static_cast<long long>(go.persons), kMonths,
              static_cast<long long>(lines), province.c_str());
  auto broker = StartBroker();
  if (!broker.ok()) return std::fprintf(stderr, "soak: %s\n", broker.status().ToString().c_str()), 1;
  const Child daemon = StartDaemon(o.daemon, o.dir + "/data", (*broker)->bootstrap(), o.dir + "/daemon.log");
  if (daemon.port == 0)
    return std::fprintf(stderr, "soak: the daemon did not start; see %s/daemon.log\n", o.dir.c_str()), 1;
  std::printf("soak: safetynetd pid %d on port %d, %d messages/s, %d clients every %d ms, %d minutes\n", daemon.pid,
              daemon.port, o.rate, o.clients, o.query_interval_ms, o.minutes);

  const auto start = Clock::now();
  IdPool pool;
  LatencyLog log;
  std::ifstream in(province);
  PacedLines paced(in, o.rate, start + std::chrono::minutes(o.minutes), &pool);
  Result<PublishStats> published = Status::Invalid("not run");
  std::thread producer([&] {
    std::istream lines(&paced);
    PublishOptions po;
    po.brokers = (*broker)->bootstrap();
    published = Publish(lines, po);
  });
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < o.clients; ++c) {
    clients.emplace_back(QueryLoop, daemon.port, o.query_interval_ms, o.p3_queries ? kP3Kinds : kKinds,
                         o.seed + 1 + static_cast<uint64_t>(c), &pool, &log, &stop);
  }

  struct Row {
    double rss, p50, p99, max;
  };
  std::vector<Row> rows;
  LatencyLog::Minute last;
  bool died = false;
  int status = 0;
  for (int m = 1; m <= o.minutes && !died; ++m) {
    std::this_thread::sleep_until(start + std::chrono::minutes(m));
    died = waitpid(daemon.pid, &status, WNOHANG) == daemon.pid;
    if (died) break;
    const Sample s = ReadMetrics(daemon.port);
    LatencyLog::Minute q = log.Take();
    const Row r{RssMiB(daemon.pid), Percentile(q.ms, 0.5), Percentile(q.ms, 0.99), Percentile(q.ms, 1.0)};
    rows.push_back(r);
    last = q;
    std::printf(
        "minute %3d: accounted %10.0f  lag %6.0f  RSS %7.1f MiB  queries %6zu (%llu not found, %llu errors)  "
        "p50 %6.2f ms  p99 %7.2f ms  max %7.1f ms\n",
        m, s.accounted(), s.lag, r.rss, q.ms.size(), static_cast<unsigned long long>(q.not_found),
        static_cast<unsigned long long>(q.errors), r.p50, r.p99, r.max);
    std::fflush(stdout);
  }
  producer.join();
  // A publisher that stopped early sent the lines handed to it, but perhaps
  // not the last one (it was waiting to send it).
  const uint64_t sent = published.ok() ? published->sent : static_cast<uint64_t>(paced.lines());
  const uint64_t sent_at_least = published.ok() ? sent : sent - (sent > 0 ? 1 : 0);
  if (!published.ok()) {
    std::printf("soak: publishing stopped early after %llu lines: %s\n", static_cast<unsigned long long>(sent),
                published.status().ToString().c_str());
  }
  if (paced.exhausted()) std::printf("soak: the province ran out before the time was up\n");
  // Let the daemon account for everything sent, then stop the clients.
  Sample s;
  for (const auto until = Clock::now() + std::chrono::minutes(2); !died && Clock::now() < until;) {
    s = ReadMetrics(daemon.port);
    if (s.accounted() >= static_cast<double>(sent)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  stop = true;
  for (auto& t : clients) t.join();
  if (!died) {
    kill(daemon.pid, SIGTERM);
    waitpid(daemon.pid, &status, 0);
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

  const bool lost = died || s.accounted() < static_cast<double>(sent_at_least) ||
                    s.accounted() > static_cast<double>(sent) || s.jumps != 0 || s.rewinds != 0;
  std::printf("R6 soak, %d minutes at %d messages/s with %d clients:\n", o.minutes, o.rate, o.clients);
  std::printf(
      "   sent %llu, accounted %.0f (appended %.0f, duplicate %.0f, rejected %.0f), offset jumps %.0f, "
      "rewinds %.0f: %s\n",
      static_cast<unsigned long long>(sent), s.accounted(), s.appended, s.duplicate, s.rejected, s.jumps, s.rewinds,
      lost ? "MESSAGES LOST OR UNACCOUNTED" : "nothing lost");
  if (!rows.empty()) {
    const auto max_of = [&](double Row::*f) {
      double m = 0;
      for (const Row& r : rows) m = std::max(m, r.*f);
      return m;
    };
    std::printf("   RSS      first minute %7.1f MiB, last %7.1f MiB, max %7.1f MiB  (target: flat)\n", rows.front().rss,
                rows.back().rss, max_of(&Row::rss));
    std::printf("   p99      first minute %7.2f ms,  last %7.2f ms,  max %7.2f ms   (target: flat, <= 5 ms)\n",
                rows.front().p99, rows.back().p99, max_of(&Row::p99));
    std::printf("   last minute by query:");
    for (size_t k = 0; k < (o.p3_queries ? kP3Kinds : kKinds); ++k) {
      std::printf("%s %s p50 %.2f p99 %.2f ms", k == 0 ? "" : ";", kQueryKinds[k], Percentile(last.by_kind[k], 0.5),
                  Percentile(last.by_kind[k], 0.99));
    }
    std::printf("\n");
  }
  std::printf("   daemon %s, exit status %d\n", died ? "DIED during the run" : "stopped by SIGTERM", code);
  return lost || code != 0 ? 1 : 0;
}

}  // namespace safetynet::bench
