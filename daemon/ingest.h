// Ingestor: one consumed batch -> one atomic, durable ledger write.
//
// For each message, in order: position check (a jump in a partition's offsets
// is recorded and counted, a redelivered offset is skipped), decode/validate/
// pseudonymise (EventCodec), deduplicate and append (LedgerWriter), fold into
// the projections (ProjectionSet); rejected messages go to the dead-letter
// store. Then the partitions' next offsets, the log head, the counters and the
// projections' state are staged into the same Txn, which is written with
// fsync before the batch counts as consumed. A failed write is sticky: the
// Ingestor refuses further batches and the daemon exits non-zero.
// Thread-safety: single-threaded (the ingest thread); the metrics it updates
// are atomics read by the HTTP threads.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "daemon/kafka_consumer.h"
#include "daemon/metrics.h"
#include "events/codec.h"
#include "events/ledger.h"
#include "events/store.h"
#include "projections/projection_set.h"

namespace safetynet {

class Ingestor {
 public:
  Ingestor(Store& store, LedgerWriter& writer, ProjectionSet& projections, PersonHasher& hasher,
           const TopicNames& topics, Metrics& metrics, bool sync_writes);

  // Processes and durably writes one batch. On error nothing of the batch
  // counts as consumed and the Ingestor is failed for good.
  Status Process(std::span<const KafkaMessage> batch);

  // Next offsets per partition as committed (for Kafka commits and lag).
  const PartitionOffsets& next_offsets() const { return next_; }

 private:
  void IngestOne(const KafkaMessage& m, Txn& txn);

  Store& store_;
  LedgerWriter& writer_;
  ProjectionSet& projections_;
  EventCodec codec_;
  const TopicNames& topics_;
  Metrics& metrics_;
  bool sync_writes_;
  Status failed_;
  PartitionOffsets next_;     // committed
  PartitionOffsets pending_;  // this batch
  std::string stored_;        // reused buffer
};

}  // namespace safetynet
