#include "events/batch_pipeline.h"

namespace safetynet {

BatchPipeline::BatchPipeline(Store& store, PipelineOptions options, std::vector<BatchListener*> listeners)
    : store_(store),
      options_(options),
      listeners_(std::move(listeners)),
      cache_(options.cache_bytes),
      held_(std::make_unique<Txn>(store)),
      last_checkpoint_(std::chrono::steady_clock::now()) {
  Link();
}

BatchPipeline::~BatchPipeline() {
  // Never leave a write running on a Txn about to be destroyed.
  if (written_.valid()) written_.wait();
  if (checkpoint_written_.valid()) checkpoint_written_.wait();
}

void BatchPipeline::Link() {
  held_->SetParent(checkpointing_.get());
  if (in_flight_) in_flight_->SetParent(held_.get());
  const Txn* below = in_flight_ ? in_flight_.get() : held_.get();
  if (!staged_) {
    staged_ = std::make_unique<Txn>(store_, below, &cache_);
  } else {
    staged_->SetParent(below);
  }
  // Projection writes go straight to the held state (nothing to move at
  // Submit); a failure forgets all of it anyway.
  staged_->RedirectProjectionWrites(held_.get());
}

bool BatchPipeline::StagingBegun() const { return staged_->entries() > 0 || staged_->redirected() > 0; }

Status BatchPipeline::Fail(Status st) {
  if (written_.valid()) written_.wait();
  // A checkpoint that made it is in the store: the listeners learn so before
  // they forget the rest.
  if (checkpoint_written_.valid() && checkpoint_written_.get().ok()) {
    ++checkpoints_;
    for (BatchListener* l : listeners_) l->Checkpointed();
  }
  in_flight_.reset();
  checkpointing_.reset();
  held_ = std::make_unique<Txn>(store_);
  staged_.reset();
  cache_.Clear();
  Link();
  for (BatchListener* l : listeners_) l->Abandon();
  failed_ = std::move(st);
  return failed_;
}

Status BatchPipeline::Settle() {
  if (!in_flight_) return Status::Ok();
  Status st = written_.get();
  if (!st.ok()) return Fail(st);
  in_flight_.reset();
  Link();
  for (BatchListener* l : listeners_) l->Committed();
  return Status::Ok();
}

bool BatchPipeline::CheckpointDue() const {
  if (held_->entries() == 0) return false;
  if (held_->entries() >= options_.checkpoint_entries) return true;
  return options_.checkpoint_interval.count() > 0 &&
         std::chrono::steady_clock::now() - last_checkpoint_ >= options_.checkpoint_interval;
}

Status BatchPipeline::FinishCheckpoint() {
  if (!checkpointing_) return Status::Ok();
  Status st = checkpoint_written_.get();
  if (!st.ok()) return Fail(Status::Io("projection checkpoint failed: " + st.message()));
  // The store holds it now; the cache learns its values (it must see every
  // write to the families it caches, in order).
  cache_.Absorb(*checkpointing_);
  checkpointing_.reset();
  Link();
  ++checkpoints_;
  for (BatchListener* l : listeners_) l->Checkpointed();
  return Status::Ok();
}

Status BatchPipeline::BeginCheckpoint() {
  // Only committed batches are held: nothing in a checkpoint outruns the log.
  Status st = FinishCheckpoint();
  if (!st.ok()) return st;
  checkpointing_ = std::move(held_);
  held_ = std::make_unique<Txn>(store_);
  Link();
  last_checkpoint_ = std::chrono::steady_clock::now();
  for (BatchListener* l : listeners_) l->CheckpointBegun();
  checkpoint_written_ = std::async(std::launch::async, [this, txn = checkpointing_.get()] {
    return store_.Write(*txn, /*sync=*/false);  // the log, not the checkpoint, is the durable record
  });
  return Status::Ok();
}

Status BatchPipeline::Submit() {
  if (!failed_.ok()) return failed_;
  if (!staged_->read_status().ok()) {
    // A read failed while the batch was staged: it is not written, and the
    // failure is sticky like a failed write (the batch before stays durable).
    return Fail(Status::Io("ledger read failed: " + staged_->read_status().message()));
  }
  Status st = Settle();
  if (st.ok() && checkpointing_ && checkpoint_written_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    st = FinishCheckpoint();
  }
  if (!st.ok()) return st;
  // The held state includes this batch's projection writes already; its
  // ledger writes go to the store now.
  const bool checkpoint_due = CheckpointDue();
  in_flight_ = std::move(staged_);
  Link();
  staged_->ResetRedirected();
  if (checkpoint_due) {
    // A checkpoint holds committed batches only: this one is written first,
    // without overlap (once per checkpoint).
    st = store_.Write(*in_flight_, options_.sync);
    if (!st.ok()) return Fail(st);
    in_flight_.reset();
    Link();
    for (BatchListener* l : listeners_) l->Committed();
    return BeginCheckpoint();
  }
  const auto launch = in_flight_->entries() == 0 ? std::launch::deferred : std::launch::async;  // replay writes none
  written_ = std::async(launch, [this, txn = in_flight_.get()] { return store_.Write(*txn, options_.sync); });
  return Status::Ok();
}

Status BatchPipeline::Drain() {
  if (!failed_.ok()) return failed_;
  return Settle();
}

Status BatchPipeline::Poll() {
  if (!failed_.ok()) return failed_;
  if (checkpointing_ && checkpoint_written_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    Status st = FinishCheckpoint();
    if (!st.ok()) return st;
  }
  if (!checkpointing_ && !in_flight_ && !StagingBegun() && CheckpointDue()) return BeginCheckpoint();
  return Status::Ok();
}

Status BatchPipeline::Checkpoint() {
  if (!failed_.ok()) return failed_;
  if (StagingBegun()) return Status::Invalid("a checkpoint was asked for while a batch is staged");
  Status st = Drain();
  if (st.ok() && held_->entries() > 0) st = BeginCheckpoint();
  if (st.ok()) st = FinishCheckpoint();
  return st;
}

}  // namespace safetynet
