// Ingestor: one consumed batch -> one atomic, durable ledger write.
//
// For each message, in order: position check (a jump or a rewind in a
// partition's offsets is recorded, counted and reported; see
// events/positions.h), decode/validate/
// pseudonymise (EventCodec), deduplicate and append (LedgerWriter), fold into
// the projections (ProjectionSet); rejected messages go to the dead-letter
// store. Then the partitions' next offsets, the log head and the counters are
// staged into the same Txn, which is written with fsync before the batch
// counts as consumed; the projections' writes are held in memory and
// checkpointed. A failed write is sticky: the Ingestor refuses further
// batches and the daemon exits non-zero.
//
// Batches go through the BatchPipeline (events/batch_pipeline.h): written
// one deep while the next is staged, projection state held in memory and
// checkpointed. Before batch N+1 is handed to the writer, batch N's write
// must have succeeded; only then do batch N's offsets count as consumed
// (next_offsets()). The Ingestor keeps only what is Kafka's: positions,
// jumps and rewinds.
// Thread-safety: single-threaded (the ingest thread); the metrics it updates
// are atomics read by the HTTP threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "daemon/kafka_consumer.h"
#include "daemon/metrics.h"
#include "events/batch_pipeline.h"
#include "events/codec.h"
#include "events/ledger.h"
#include "events/store.h"
#include "projections/core/projection_set.h"

namespace safetynet {

class Ingestor {
 public:
  // Events dated later than the ingest day (UTC, by the wall clock) plus
  // `future_margin_days` are rejected (see EventCodec::set_latest_occurred_on).
  Ingestor(Store& store, LedgerWriter& writer, ProjectionSet& projections, PersonHasher& hasher,
           const TopicNames& topics, Metrics& metrics, const PipelineOptions& pipeline, int future_margin_days = 1);

  ~Ingestor();

  // Stages one batch and starts writing it; returns the status of the
  // previous batch's write (which it waits for). On error nothing past the
  // last durable batch counts as consumed and the Ingestor is failed for good.
  Status Process(std::span<const KafkaMessage> batch);
  // Waits until every staged batch is durable (or failed).
  Status Drain();
  // Drains, then checkpoints the projections, so that queries see every
  // event in the log (the daemon calls it when Kafka is idle and at stop).
  Status Checkpoint();
  // Folds the events the projections have not seen (the log past their last
  // checkpoint, after a crash) into them; `progress` is told as it goes.
  Status CatchUp(const std::function<void(uint64_t done, uint64_t total)>& progress);
  // Completes or starts a checkpoint when due (never waits).
  Status Poll();

  // Next offsets per partition of the durable batches (for Kafka commits,
  // lag and positioning after an assignment).
  const PartitionOffsets& next_offsets() const { return next_; }

 private:
  struct Submitted {
    PartitionOffsets offsets;  // the batch's next offsets
    size_t messages = 0;
    std::chrono::steady_clock::time_point start;
  };
  void IngestOne(const KafkaMessage& m, Txn& txn);
  // The batch in flight is durable: its offsets count.
  void Settled();
  // The writer's counters, the log head and the checkpoint go to the metrics.
  void Published();

  Store& store_;
  LedgerWriter& writer_;
  ProjectionSet& projections_;
  EventCodec codec_;
  const TopicNames& topics_;
  Metrics& metrics_;
  int future_margin_days_;
  BatchPipeline pipeline_;
  PartitionOffsets next_;     // durable
  PartitionOffsets pending_;  // the batch being staged, on top of the one in flight
  std::optional<Submitted> in_flight_;
  std::string stored_;  // reused buffer
};

}  // namespace safetynet
