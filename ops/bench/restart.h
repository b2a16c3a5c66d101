// The restart run (P5 and P4 of ../shared/spec/quality.md): the real
// safetynetd, as a child process on an in-process broker that outlives it,
// is fed a generated province through `Publish` and killed with SIGKILL
// `kills` times, evenly spread over the province; after each kill it is
// started again on the same data directory and broker. Each restart prints
// the log's length at the kill, how long until a query is answered (P5:
// within 3 s) and until the projections have caught up (/healthz "ok"), and
// the daemon's peak RSS before the kill (P4). At the end, whether every
// message sent was accounted for. Asserts nothing.
#pragma once

#include <cstdint>
#include <string>

namespace safetynet::bench {

struct RestartOptions {
  int kills = 3;
  int64_t persons = 100000;
  int months = 12;
  std::string daemon;  // path of safetynetd
  std::string dir;     // scratch directory (removed first)
  uint64_t seed = 42;
};

// Returns 0 when every restart answered and nothing was lost, 1 otherwise.
int RunRestart(const RestartOptions& opts);

}  // namespace safetynet::bench
