// Metrics: the daemon's counters and gauges, rendered as Prometheus text for
// GET /metrics. Names are part of the contract (../shared/spec/interface.md).
// Thread-safety: atomics; written by the ingest thread, read by HTTP threads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "daemon/health.h"

namespace safetynet {

// A fixed-bucket histogram of seconds.
class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void Observe(double seconds);
  void Render(const std::string& name, const std::string& help, std::string* out) const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> counts_{};
  std::atomic<uint64_t> sum_us_{0};
};

struct Metrics {
  std::atomic<uint64_t> appended{0};
  std::atomic<uint64_t> duplicates{0};
  std::atomic<uint64_t> rejected{0};
  std::atomic<uint64_t> offset_jumps{0};
  std::atomic<uint64_t> offset_rewinds{0};
  std::atomic<uint64_t> skipped_messages{0};
  std::atomic<uint64_t> batches{0};
  std::atomic<uint64_t> messages{0};
  std::atomic<uint64_t> log_seq{0};
  std::atomic<uint64_t> applied_seq{0};  // of the projections' last checkpoint
  std::atomic<uint64_t> checkpoints{0};
  std::atomic<bool> catching_up{false};  // folding the log past the last checkpoint (after a crash)
  std::atomic<int64_t> consumer_lag{0};
  std::atomic<uint64_t> assigned_partitions{0};
  std::atomic<uint64_t> http_requests{0};
  std::atomic<uint64_t> findings_published{0};
  std::atomic<uint64_t> ledger_heads_published{0};
  Histogram batch_latency;
  Health health;  // not a metric: the problems /healthz reports

  std::string Render() const;
};

}  // namespace safetynet
