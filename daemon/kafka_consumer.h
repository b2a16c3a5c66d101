// KafkaConsumer: reads the inbound topics in bounded batches. This daemon
// owns every partition of every inbound topic (static assignment: no group
// join delay, no session timeout after a SIGKILL; consumer groups are refused
// until the scale-out design exists, see docs/decisions.md) and positions each
// at the offset stored in the ledger, never at Kafka's committed offset, so
// that a crash neither loses nor doubles an event.
// After a batch is durable, CommitAsync() also commits its offsets to Kafka
// under `group_id`, for lag monitoring and the publisher's pacing;
// correctness never reads them.
// Thread-safety: single-threaded (the ingest thread), including callbacks.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/positions.h"
#include "events/status.h"

struct rd_kafka_s;
struct rd_kafka_message_s;

namespace safetynet {

struct KafkaMessage {
  std::string_view topic;
  int32_t partition = 0;
  int64_t kafka_offset = 0;
  std::string_view key;
  std::string_view value;
};

using PartitionOffsets = SourcePositions;

struct ConsumerOptions {
  std::string brokers;
  std::string group_id;
  std::vector<std::string> topics;
  int fetch_wait_max_ms = 5;
  size_t batch_events_max = 20000;
  size_t batch_bytes_max = 16 << 20;
  int batch_wait_ms = 20;
  // Returns the stored next offsets (called when partitions are assigned).
  std::function<PartitionOffsets()> stored_offsets;
};

class KafkaConsumer {
 public:
  // Connects; consumes nothing until Start().
  static Result<std::unique_ptr<KafkaConsumer>> Create(ConsumerOptions opts);
  ~KafkaConsumer();

  // The cluster id the brokers report (empty when they cannot say within
  // `timeout_ms`).
  std::string ClusterId(int timeout_ms) const;
  // Assigns every partition of the topics, positioned at stored_offsets().
  Status Start();

  // Waits up to batch_wait_ms for the first message, then takes what is
  // ready up to the batch limits. The views stay valid until the next call.
  // Retryable on broker trouble (the caller waits and calls again).
  Status NextBatch(std::vector<KafkaMessage>* out);
  // Commits next offsets to Kafka, asynchronously (best effort).
  void CommitAsync(const PartitionOffsets& next);
  // Messages available but not yet consumed, summed over assigned partitions
  // (from cached high watermarks).
  int64_t Lag(const PartitionOffsets& next) const;
  // Partitions currently assigned.
  size_t assigned() const { return assigned_; }

 private:
  explicit KafkaConsumer(ConsumerOptions opts) : opts_(std::move(opts)) {}
  // Assigns every partition the metadata shows (again, when it shows more:
  // a topic created after the start, partitions added).
  Status Assign(int metadata_timeout_ms, int attempts);
  void ReleaseBatch();

  ConsumerOptions opts_;
  rd_kafka_s* rk_ = nullptr;
  std::vector<rd_kafka_message_s*> held_;
  size_t assigned_ = 0;
  std::set<std::pair<std::string, int32_t>> assigned_set_;
  std::set<std::string> missing_;  // inbound topics the brokers did not have at the last look
  std::chrono::steady_clock::time_point next_refresh_ = std::chrono::steady_clock::now() + std::chrono::seconds(2);
};

}  // namespace safetynet
