// BatchPipeline: the one way batches reach the store, for live ingest and
// replay alike. It owns the staging Txn of the batch being built, the batch
// being written (one deep: batch N+1 is staged while N is written on a
// second thread, reading through N), the projection state held in memory
// (write-behind), its checkpoints, the read cache and the sticky failure.
//
// What is durable when:
//   - the ledger's own families (log, event ids, offsets, dead letters,
//     meta: every family that is not a projection) are written with each
//     batch, fsynced when `sync`, before the batch counts as committed;
//   - the projection families are held in memory (`held`, a Txn into which
//     the staged batch writes its projection records directly, later writes
//     replacing earlier ones) and written at a checkpoint: when
//     `checkpoint_entries` are held, when `checkpoint_interval` has passed
//     since the last one, or on Checkpoint(). A checkpoint holds committed
//     batches only (the batch that makes one due is written first, without
//     overlap) and is one atomic write of everything held, on a third
//     thread while ingest goes on (it reads through the checkpoint being
//     written); at most one is in flight.
// The projections' own metadata (their applied sequence number) is a
// projection family too, so a checkpoint is always the state after some
// committed batch; after a crash, projections resume from the last
// checkpoint and fold the log from there (replay/fold.h).
//
// Reads of a staged batch see, in order: its own writes, the batch being
// written, the held writes, the checkpoint being written, the read cache,
// the store. Queries on other threads read the store: they see the state of
// the last checkpoint (listeners publish it, see BatchListener).
//
// A failed write, checkpoint or read is sticky: everything not yet durable
// is forgotten (held state included), listeners are told to Abandon(), and
// every later call returns the failure.
// Thread-safety: one thread (the ingest or replay thread) calls everything.
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <vector>

#include "events/read_cache.h"
#include "events/status.h"
#include "events/store.h"

namespace safetynet {

// What takes part in a batch (the ledger writer, the projections): told in
// FIFO order as the batches it staged become durable.
class BatchListener {
 public:
  virtual ~BatchListener() = default;
  // The oldest submitted batch's write is durable.
  virtual void Committed() {}
  // A checkpoint of every committed batch begins / is in the store.
  virtual void CheckpointBegun() {}
  virtual void Checkpointed() {}
  // A write failed: forget everything not durable.
  virtual void Abandon() {}
};

struct PipelineOptions {
  bool sync = true;                                     // fsync each batch's write
  size_t checkpoint_entries = 1 << 19;                  // projection writes held before a checkpoint starts
  std::chrono::milliseconds checkpoint_interval{1000};  // 0: only by entries and on request
  size_t cache_bytes = size_t{256} << 20;               // read cache (see read_cache.h)
};

class BatchPipeline {
 public:
  BatchPipeline(Store& store, PipelineOptions options, std::vector<BatchListener*> listeners);
  ~BatchPipeline();  // waits for what is in flight (it is not made durable)
  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  // The batch being staged.
  Txn& staged() { return *staged_; }
  // Hands the staged batch over: waits for the previous batch's write (Ok
  // means every batch before this one is durable), starts a checkpoint if
  // one is due, and starts writing this batch.
  Status Submit();
  // Waits until every submitted batch is durable.
  Status Drain();
  // Drains, then checkpoints everything held and waits for it. Between
  // batches only (Invalid while one is staged).
  Status Checkpoint();
  // Completes a checkpoint that has finished and starts one that is due;
  // never waits for a write.
  Status Poll();

  const Status& failed() const { return failed_; }
  // Projection writes held in memory (not yet in a checkpoint).
  size_t held_entries() const { return held_->entries(); }
  uint64_t checkpoints() const { return checkpoints_; }

 private:
  Status Settle();
  // Starts a checkpoint of `held_` (waiting for the one in flight first).
  Status BeginCheckpoint();
  // Waits for the checkpoint in flight, if any.
  Status FinishCheckpoint();
  bool CheckpointDue() const;
  // The staged batch has writes (it is not committed: no checkpoint now).
  bool StagingBegun() const;
  Status Fail(Status st);
  // Re-links the read chain: staged -> in flight -> held -> checkpointing.
  void Link();

  Store& store_;
  const PipelineOptions options_;
  std::vector<BatchListener*> listeners_;
  ReadCache cache_;
  std::unique_ptr<Txn> staged_, in_flight_, held_, checkpointing_;
  std::future<Status> written_, checkpoint_written_;
  std::chrono::steady_clock::time_point last_checkpoint_;
  uint64_t checkpoints_ = 0;
  Status failed_;
};

}  // namespace safetynet
