#include "daemon/ingest.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "events/date.h"

namespace safetynet {

Ingestor::Ingestor(Store& store, LedgerWriter& writer, ProjectionSet& projections, PersonHasher& hasher,
                   const TopicNames& topics, Metrics& metrics, bool sync_writes, int future_margin_days)
    : store_(store),
      writer_(writer),
      projections_(projections),
      codec_(&hasher),
      topics_(topics),
      metrics_(metrics),
      sync_writes_(sync_writes),
      future_margin_days_(future_margin_days),
      next_(ReadOffsets(store, writer.incarnation())) {}

Ingestor::~Ingestor() { (void)Drain(); }

void Ingestor::IngestOne(const KafkaMessage& m, Txn& txn) {
  const auto tp = std::make_pair(std::string(m.topic), m.partition);
  // pending_ starts from the durable and in-flight offsets; a partition never
  // consumed before is expected to start at offset 0.
  int64_t& expected = pending_.try_emplace(tp, 0).first->second;
  if (m.kafka_offset != expected) {
    writer_.RecordJump(txn, m.topic, m.partition, expected, m.kafka_offset);
    std::string problem =
        m.kafka_offset > expected
            ? fmt::format("{}[{}] jumped from offset {} to {}: {} messages were lost by the broker (retention?)",
                          m.topic, m.partition, expected, m.kafka_offset, m.kafka_offset - expected)
            : fmt::format(
                  "{}[{}] went back from offset {} to {} on the same broker (topic recreated, or the broker lost "
                  "data?): ingesting from {} on; events already in the ledger count as duplicates",
                  m.topic, m.partition, expected, m.kafka_offset, m.kafka_offset);
    spdlog::error("{}", problem);
    metrics_.health.Report(std::move(problem));
  }
  expected = m.kafka_offset + 1;
  writer_.SetNextOffset(txn, m.topic, m.partition, expected);

  const MessagePosition pos{m.topic, m.partition, m.kafka_offset};
  const TopicKind kind = topics_.KindOf(m.topic);
  Status st = kind == TopicKind::kUnknown ? Status::Invalid("message on a topic the ledger does not consume")
                                          : codec_.DecodeInbound(m.value, kind, &stored_);
  if (!st.ok()) {
    writer_.DeadLetter(txn, pos, m.value, st.message());
    return;
  }
  const fb::Event* event = ReadEvent(stored_);
  uint64_t seq = 0;
  switch (writer_.Append(txn, stored_, *event, &seq)) {
    case LedgerWriter::Outcome::kAppended: projections_.Apply(seq, stored_, txn); break;
    case LedgerWriter::Outcome::kDuplicate: break;
    case LedgerWriter::Outcome::kConflict:
      writer_.DeadLetter(txn, pos, m.value,
                         "event_id reused with different content (first at seq " + std::to_string(seq) + ")");
      break;
  }
}

Status Ingestor::Process(std::span<const KafkaMessage> batch) {
  if (!failed_.ok()) return failed_;
  if (batch.empty()) return Status::Ok();
  // The wall clock bounds occurred_on here, before the log: projections never read it.
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
  codec_.set_latest_occurred_on(DaysToDate(days + future_margin_days_));
  InFlight next;
  next.start = std::chrono::steady_clock::now();
  next.messages = batch.size();
  next.txn = std::make_unique<Txn>(store_, in_flight_ ? in_flight_->txn.get() : nullptr, &cache_);
  // Offsets continue from the in-flight batch's, if any.
  pending_ = in_flight_ ? in_flight_->offsets : PartitionOffsets{};
  for (auto& [tp, off] : next_) pending_.try_emplace(tp, off);
  for (const KafkaMessage& m : batch) IngestOne(m, *next.txn);
  next.offsets = pending_;
  projections_.FinishBatch(*next.txn);
  writer_.FinishBatch(*next.txn);

  Status st = Settle();
  if (!st.ok()) return st;
  if (!next.txn->read_status().ok()) {
    // A read failed while the batch was staged: it is not written, and the
    // failure is sticky like a failed write (the batch before is durable).
    return Fail(Status::Io("ledger read failed: " + next.txn->read_status().message()));
  }
  Txn* txn = next.txn.get();
  txn->DetachParent();  // the previous batch is durable now
  next.written = std::async(std::launch::async, [this, txn] { return store_.Write(*txn, sync_writes_); });
  in_flight_ = std::move(next);
  return Status::Ok();
}

Status Ingestor::Drain() { return Settle(); }

Status Ingestor::Fail(Status st) {
  // Everything staged after the last durable batch is forgotten, for good.
  writer_.Abandon();
  projections_.Abandon();
  cache_.Clear();
  failed_ = std::move(st);
  return failed_;
}

Status Ingestor::Settle() {
  if (!in_flight_) return failed_;
  Status st = in_flight_->written.get();
  if (!st.ok()) {
    in_flight_.reset();
    return Fail(st);
  }
  writer_.Committed();
  projections_.Committed();
  cache_.Absorb(*in_flight_->txn);
  next_ = in_flight_->offsets;
  const auto& c = writer_.counters();
  metrics_.appended.store(c.appended, std::memory_order_relaxed);
  metrics_.duplicates.store(c.duplicates, std::memory_order_relaxed);
  metrics_.rejected.store(c.rejected, std::memory_order_relaxed);
  metrics_.offset_jumps.store(c.offset_jumps, std::memory_order_relaxed);
  metrics_.offset_rewinds.store(c.offset_rewinds, std::memory_order_relaxed);
  metrics_.skipped_messages.store(c.skipped_messages, std::memory_order_relaxed);
  metrics_.log_seq.store(writer_.head().seq, std::memory_order_relaxed);
  metrics_.applied_seq.store(projections_.applied_seq(), std::memory_order_relaxed);
  metrics_.batches.fetch_add(1, std::memory_order_relaxed);
  metrics_.messages.fetch_add(in_flight_->messages, std::memory_order_relaxed);
  metrics_.batch_latency.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - in_flight_->start).count());
  in_flight_.reset();
  return Status::Ok();
}

}  // namespace safetynet
