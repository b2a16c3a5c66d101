// What the benchmarks that run the real safetynetd as a child process (the
// soak, the restart run) share: the province they publish, the broker that
// outlives the daemon, the daemon started with a known auditor token, its
// /metrics read, its memory sampled. Asserts nothing.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "daemon/embedded_kafka.h"
#include "events/status.h"
#include "tools/generate/generate.h"

namespace safetynet::bench {

// The auditor token the child daemon is given (SAFETYNET_AUDITOR_TOKEN).
inline constexpr const char* kToken = "50a450a450a450a450a450a450a450a450a450a450a450a450a450a450a450a4";

// Empties `dir` and generates the province of `go` into DIR/province.jsonl;
// returns its number of lines.
int64_t WriteProvince(const std::string& dir, const gen::GenerateOptions& go);
// An in-process broker with the inbound topics and the findings topic, 4
// partitions each.
Result<std::unique_ptr<EmbeddedKafka>> StartBroker();

struct Child {
  pid_t pid = -1;
  int port = 0;  // 0: the daemon did not start
};

// Starts `daemon` on `data_dir` against `brokers`, with HTTP on a free
// loopback port and standard error appended to `log`; returns at once.
Child SpawnDaemon(const std::string& daemon, const std::string& data_dir, const std::string& brokers,
                  const std::string& log);
// True once `c` answers HTTP; false when it stopped or `limit` passed first.
bool Answering(const Child& c, std::chrono::milliseconds limit);
// SpawnDaemon, then Answering (port 0 when it did not start in 2 minutes).
Child StartDaemon(const std::string& daemon, const std::string& data_dir, const std::string& brokers,
                  const std::string& log);

// The resident set (VmRSS) or its peak (VmHWM) of `pid`, in MiB.
double RssMiB(pid_t pid);
double PeakRssMiB(pid_t pid);

// Samples of /metrics by name (-1 when absent or unreachable).
struct Sample {
  double appended = -1, duplicate = -1, rejected = -1, lag = -1, jumps = -1, rewinds = -1, log_seq = -1;
  double accounted() const { return appended + duplicate + rejected; }
};
Sample ReadMetrics(int port);

// One GET with the token: its HTTP status (0 when unreachable) and body.
int Get(int port, const std::string& path, std::string* body = nullptr);

}  // namespace safetynet::bench
