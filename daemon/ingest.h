// Ingestor: one consumed batch -> one atomic, durable ledger write.
//
// For each message, in order: position check (a jump or a rewind in a
// partition's offsets is recorded, counted and reported; see
// events/positions.h), decode/validate/
// pseudonymise (EventCodec), deduplicate and append (LedgerWriter), fold into
// the projections (ProjectionSet); rejected messages go to the dead-letter
// store. Then the partitions' next offsets, the log head, the counters and the
// projections' state are staged into the same Txn, which is written with
// fsync before the batch counts as consumed. A failed write is sticky: the
// Ingestor refuses further batches and the daemon exits non-zero.
//
// Writes are pipelined one deep: batch N is written on a second thread while
// batch N+1 is decoded and folded (its Txn reads through batch N's). Before
// batch N+1 is handed to the writer, batch N's write must have succeeded;
// only then do batch N's offsets count as consumed (next_offsets()).
// Thread-safety: single-threaded (the ingest thread); the metrics it updates
// are atomics read by the HTTP threads.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "daemon/kafka_consumer.h"
#include "daemon/metrics.h"
#include "events/codec.h"
#include "events/ledger.h"
#include "events/read_cache.h"
#include "events/store.h"
#include "projections/projection_set.h"

namespace safetynet {

class Ingestor {
 public:
  // Events dated later than the ingest day (UTC, by the wall clock) plus
  // `future_margin_days` are rejected (see EventCodec::set_latest_occurred_on).
  Ingestor(Store& store, LedgerWriter& writer, ProjectionSet& projections, PersonHasher& hasher,
           const TopicNames& topics, Metrics& metrics, bool sync_writes, int future_margin_days = 1);

  ~Ingestor();

  // Stages one batch and starts writing it; returns the status of the
  // previous batch's write (which it waits for). On error nothing past the
  // last durable batch counts as consumed and the Ingestor is failed for good.
  Status Process(std::span<const KafkaMessage> batch);
  // Waits until every staged batch is durable (or failed).
  Status Drain();

  // Next offsets per partition of the durable batches (for Kafka commits,
  // lag and positioning after an assignment).
  const PartitionOffsets& next_offsets() const { return next_; }

 private:
  struct InFlight {
    std::unique_ptr<Txn> txn;
    std::future<Status> written;
    PartitionOffsets offsets;  // this batch's next offsets
    size_t messages = 0;
    std::chrono::steady_clock::time_point start;
  };
  void IngestOne(const KafkaMessage& m, Txn& txn);
  // Waits for the in-flight write and, if it succeeded, publishes it.
  Status Settle();
  // Forgets what is staged past the last durable batch; every later call fails with `st`.
  Status Fail(Status st);

  Store& store_;
  LedgerWriter& writer_;
  ProjectionSet& projections_;
  EventCodec codec_;
  const TopicNames& topics_;
  Metrics& metrics_;
  bool sync_writes_;
  int future_margin_days_;
  Status failed_;
  PartitionOffsets next_;     // durable
  PartitionOffsets pending_;  // the batch being staged, on top of in-flight ones
  ReadCache cache_;           // durable projection values (see events/read_cache.h)
  std::optional<InFlight> in_flight_;
  std::string stored_;  // reused buffer
};

}  // namespace safetynet
