#include "daemon/ingest.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "events/date.h"
#include "replay/fold.h"

namespace safetynet {
namespace {
// A batch slower than this is logged: ingest stood still meanwhile.
constexpr double kSlowBatchSeconds = 10;
}  // namespace

Ingestor::Ingestor(Store& store, LedgerWriter& writer, ProjectionSet& projections, PersonHasher& hasher,
                   const TopicNames& topics, Metrics& metrics, const PipelineOptions& pipeline, int future_margin_days)
    : store_(store),
      writer_(writer),
      projections_(projections),
      codec_(&hasher),
      topics_(topics),
      metrics_(metrics),
      future_margin_days_(future_margin_days),
      pipeline_(store, pipeline, {&writer, &projections}),
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
  if (!pipeline_.failed().ok()) return pipeline_.failed();
  if (batch.empty()) return Status::Ok();
  // The wall clock bounds occurred_on here, before the log: projections never read it.
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
  codec_.set_latest_occurred_on(DaysToDate(days + future_margin_days_));
  Submitted next{.messages = batch.size(), .start = std::chrono::steady_clock::now()};
  // Offsets continue from the batch in flight's, if any.
  pending_ = in_flight_ ? in_flight_->offsets : PartitionOffsets{};
  for (auto& [tp, off] : next_) pending_.try_emplace(tp, off);
  Txn& txn = pipeline_.staged();
  for (const KafkaMessage& m : batch) IngestOne(m, txn);
  next.offsets = pending_;
  projections_.FinishBatch(txn);
  writer_.FinishBatch(txn, DaysToDate(days));
  Status st = pipeline_.Submit();
  if (!st.ok()) return st;
  Settled();  // the batch before this one
  Published();
  in_flight_ = std::move(next);
  return Status::Ok();
}

void Ingestor::Published() {
  // The log head first: the projections never reflect more than it.
  metrics_.log_seq.store(writer_.head().seq, std::memory_order_release);
  metrics_.applied_seq.store(projections_.applied_seq(), std::memory_order_release);
  metrics_.checkpoints.store(pipeline_.checkpoints(), std::memory_order_relaxed);
  const auto& c = writer_.counters();
  metrics_.appended.store(c.appended, std::memory_order_relaxed);
  metrics_.duplicates.store(c.duplicates, std::memory_order_relaxed);
  metrics_.rejected.store(c.rejected, std::memory_order_relaxed);
  metrics_.offset_jumps.store(c.offset_jumps, std::memory_order_relaxed);
  metrics_.offset_rewinds.store(c.offset_rewinds, std::memory_order_relaxed);
  metrics_.skipped_messages.store(c.skipped_messages, std::memory_order_relaxed);
}

void Ingestor::Settled() {
  if (!in_flight_) return;
  next_ = in_flight_->offsets;
  metrics_.batches.fetch_add(1, std::memory_order_relaxed);
  metrics_.messages.fetch_add(in_flight_->messages, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - in_flight_->start).count();
  metrics_.batch_latency.Observe(seconds);
  if (seconds > kSlowBatchSeconds) {
    spdlog::warn("a batch of {} messages took {:.1f} s from staging to durable (log at seq {}, projections at {})",
                 in_flight_->messages, seconds, writer_.head().seq, projections_.applied_seq());
  }
  in_flight_.reset();
}

Status Ingestor::Drain() {
  Status st = pipeline_.Drain();
  if (!st.ok()) return st;
  Settled();
  Published();
  return st;
}

Status Ingestor::Checkpoint() {
  Status st = Drain();
  // Also when nothing is held: a checkpoint still being written is waited for.
  if (st.ok()) st = pipeline_.Checkpoint();
  if (st.ok()) Published();  // the checkpoint's applied seq
  return st;
}

Status Ingestor::Poll() {
  Status st = pipeline_.Poll();  // never settles the batch in flight
  if (st.ok()) Published();
  return st;
}

Status Ingestor::CatchUp(const std::function<void(uint64_t done, uint64_t total)>& progress) {
  FoldOptions fold;
  fold.after_seq = projections_.staged_seq();
  fold.until_seq = writer_.head().seq;
  if (fold.until_seq <= fold.after_seq) return Status::Ok();
  fold.finish_batch = [this](Txn& txn) {
    projections_.FinishBatch(txn);
    writer_.FinishBatch(txn);  // nothing new: keeps the writer's batches paired with the pipeline's
  };
  fold.progress = progress;
  auto folded = FoldLog(store_, projections_, pipeline_, fold);
  if (!folded.ok()) return folded.status();
  return Checkpoint();
}

}  // namespace safetynet
