// The soak run (R6 of ../shared/spec/quality.md): the real safetynetd, as a
// child process on an in-process broker, fed a generated province at a
// steady rate through `Publish` while clients query its HTTP API; every
// minute prints the daemon's RSS, its progress and lag, and the queries'
// latency (p50, p99); at the end, whether every message sent was accounted
// for (appended, duplicate or rejected) with no offset jump, and the first
// and last minutes side by side. Asserts nothing.
#pragma once

#include <cstdint>
#include <string>

namespace safetynet::bench {

struct SoakOptions {
  int minutes = 30;
  int rate = 5000;             // messages per second sent
  int clients = 8;             // concurrent HTTP clients
  int query_interval_ms = 20;  // each client's pause between queries
  bool p3_queries = false;     // only P3's queries (coverage, person ledger, claim), not the lists
  std::string daemon;          // path of safetynetd
  std::string dir;             // scratch directory (removed first)
  uint64_t seed = 42;
};

// Returns 0 when nothing was lost and the daemon stopped cleanly, 1 otherwise.
int RunSoak(const SoakOptions& opts);

}  // namespace safetynet::bench
