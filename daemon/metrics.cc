#include "daemon/metrics.h"

#include <cstdio>

namespace safetynet {
namespace {

void Line(std::string* out, const char* name, const char* type, const char* help, double value) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name, help, name, type, name, value);
  out->append(buf);
}

}  // namespace

void Histogram::Observe(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::Render(const std::string& name, const std::string& help, std::string* out) const {
  *out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  uint64_t cumulative = 0;
  char buf[256];
  for (size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    if (i < kBounds.size()) {
      std::snprintf(buf, sizeof(buf), "%s_bucket{le=\"%g\"} %llu\n", name.c_str(), kBounds[i],
                    static_cast<unsigned long long>(cumulative));
    } else {
      std::snprintf(buf, sizeof(buf), "%s_bucket{le=\"+Inf\"} %llu\n", name.c_str(),
                    static_cast<unsigned long long>(cumulative));
    }
    *out += buf;
  }
  std::snprintf(buf, sizeof(buf), "%s_sum %.6f\n%s_count %llu\n", name.c_str(),
                static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e6, name.c_str(),
                static_cast<unsigned long long>(cumulative));
  *out += buf;
}

std::string Metrics::Render() const {
  std::string out;
  auto u = [](const std::atomic<uint64_t>& a) { return static_cast<double>(a.load(std::memory_order_acquire)); };
  // The projections' seq before the log's: the ingest thread stores them the
  // other way round, so the log's read here is never behind.
  const double applied = u(applied_seq), log = u(log_seq);
  Line(&out, "safetynet_events_appended_total", "counter", "Events appended to the ledger.", u(appended));
  Line(&out, "safetynet_events_duplicate_total", "counter", "Identical re-deliveries of an event_id, ignored.",
       u(duplicates));
  Line(&out, "safetynet_events_rejected_total", "counter", "Messages rejected to the dead-letter store.", u(rejected));
  Line(&out, "safetynet_offset_jumps_total", "counter",
       "Times a partition skipped offsets (messages the broker no longer had).", u(offset_jumps));
  Line(&out, "safetynet_messages_skipped_total", "counter", "Messages lost to offset jumps.", u(skipped_messages));
  Line(&out, "safetynet_offset_rewinds_total", "counter",
       "Times a partition went back below the offset stored in the ledger (a recreated topic?); "
       "its messages are ingested again and duplicates recognised by event_id.",
       u(offset_rewinds));
  Line(&out, "safetynet_batches_total", "counter", "Batches written durably.", u(batches));
  Line(&out, "safetynet_messages_consumed_total", "counter", "Kafka messages processed.", u(messages));
  Line(&out, "safetynet_consumer_lag", "gauge", "Messages on the brokers not yet consumed.",
       static_cast<double>(consumer_lag.load(std::memory_order_relaxed)));
  Line(&out, "safetynet_assigned_partitions", "gauge", "Partitions this daemon consumes.", u(assigned_partitions));
  Line(&out, "safetynet_log_seq", "gauge", "Sequence number of the last appended event.", log);
  Line(&out, "safetynet_projection_applied_seq", "gauge",
       "Sequence number the projections that queries read reflect (their last checkpoint).", applied);
  Line(&out, "safetynet_projection_lag", "gauge",
       "Events in the log that queries do not see yet (held in memory until the next checkpoint, or being "
       "caught up after a crash).",
       log > applied ? log - applied : 0);
  Line(&out, "safetynet_projection_checkpoints_total", "counter", "Checkpoints of the projections written.",
       u(checkpoints));
  Line(&out, "safetynet_http_requests_total", "counter", "HTTP requests served.", u(http_requests));
  Line(&out, "safetynet_findings_published_total", "counter",
       "Finding openings and clearings published to the outbound topic (since start).", u(findings_published));
  Line(&out, "safetynet_ledger_heads_published_total", "counter",
       "Signed tree heads published to the ledger-heads topic (since start).", u(ledger_heads_published));
  batch_latency.Render("safetynet_batch_latency_seconds", "Time to process and durably write one batch.", &out);
  return out;
}

}  // namespace safetynet
