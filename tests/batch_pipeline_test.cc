// BatchPipeline: what each stage reads through, when each family becomes
// durable, and a write that fails at every possible step.
#include "events/batch_pipeline.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "events/codec_util.h"
#include "tests/mem_store.h"

namespace safetynet {
namespace {

// Counts what the pipeline tells its listeners, and what the store held
// when it last said a checkpoint had landed.
struct Recorder final : BatchListener {
  explicit Recorder(const Store& s) : store(s) {}
  const Store& store;
  int committed = 0, begun = 0, checkpointed = 0, abandoned = 0;
  std::string checkpoint_applied = "(absent)";
  void Committed() override { ++committed; }
  void CheckpointBegun() override { ++begun; }
  void Checkpointed() override;
  void Abandon() override { ++abandoned; }
};

void Recorder::Checkpointed() {
  ++checkpointed;
  std::string v;
  checkpoint_applied = store.Get(Cf::kProjMeta, "applied", &v).ok() ? v : "(absent)";
}

std::string Key(int i) { return "k" + std::to_string(1000 + i); }

std::string Read(const Txn& txn, Cf cf, const std::string& key) {
  std::string v;
  const Status st = txn.Get(cf, key, &v);
  return st.ok() ? v : st.IsNotFound() ? "(absent)" : "(error " + st.message() + ")";
}

std::string Read(const Store& store, Cf cf, const std::string& key) {
  std::string v;
  const Status st = store.Get(cf, key, &v);
  return st.ok() ? v : "(absent)";
}

// Batch i: a log record (a ledger family, durable with the batch), a
// projection record of its own, the shared projection record set to i, and
// the projections' applied batch (proj_meta), as ProjectionSet does.
void Stage(Txn& txn, int i) {
  txn.Put(Cf::kLog, Key(i), "event " + std::to_string(i));
  txn.Put(Cf::kPersons, Key(i), "person " + std::to_string(i));
  txn.Put(Cf::kClaims, "shared", std::to_string(i));
  txn.Put(Cf::kProjMeta, "applied", std::to_string(i));
}

TEST(BatchPipeline, LedgerFamiliesAreDurablePerBatchAndProjectionsAtCheckpoints) {
  test::MemStore store;
  Recorder rec(store);
  BatchPipeline pipeline(store, {.checkpoint_entries = 1000, .checkpoint_interval = std::chrono::milliseconds(0)},
                         {&rec});
  Stage(pipeline.staged(), 0);
  ASSERT_TRUE(pipeline.Submit().ok());
  // The next batch reads the one being written and the held state.
  EXPECT_EQ(Read(pipeline.staged(), Cf::kLog, Key(0)), "event 0");
  EXPECT_EQ(Read(pipeline.staged(), Cf::kClaims, "shared"), "0");
  Stage(pipeline.staged(), 1);
  EXPECT_EQ(Read(pipeline.staged(), Cf::kClaims, "shared"), "1");
  ASSERT_TRUE(pipeline.Submit().ok());
  ASSERT_TRUE(pipeline.Drain().ok());
  EXPECT_EQ(rec.committed, 2);
  EXPECT_EQ(Read(store, Cf::kLog, Key(1)), "event 1");
  EXPECT_EQ(Read(store, Cf::kPersons, Key(0)), "(absent)") << "projection state was written per batch";
  EXPECT_EQ(Read(pipeline.staged(), Cf::kPersons, Key(0)), "person 0");
  EXPECT_EQ(pipeline.held_entries(), 2u + 1u + 1u);  // two persons, the shared key and the meta key, merged
  EXPECT_EQ(rec.checkpointed, 0);

  ASSERT_TRUE(pipeline.Checkpoint().ok());
  EXPECT_EQ(rec.begun, 1);
  EXPECT_EQ(rec.checkpointed, 1);
  EXPECT_EQ(pipeline.held_entries(), 0u);
  EXPECT_EQ(Read(store, Cf::kPersons, Key(0)), "person 0");
  EXPECT_EQ(Read(store, Cf::kClaims, "shared"), "1");
  EXPECT_EQ(Read(pipeline.staged(), Cf::kClaims, "shared"), "1");
  // Nothing held, nothing to checkpoint.
  ASSERT_TRUE(pipeline.Checkpoint().ok());
  EXPECT_EQ(rec.checkpointed, 1);
}

TEST(BatchPipeline, ACheckpointStartsWhenEnoughIsHeldAndOnlyCommittedBatchesAreInIt) {
  test::MemStore store;
  Recorder rec(store);
  BatchPipeline pipeline(store, {.checkpoint_entries = 6, .checkpoint_interval = std::chrono::milliseconds(0)}, {&rec});
  // Held after batch 0: its person, the shared key and the meta key (3);
  // each later batch adds its person: 6 after batch 3, whose Submit writes
  // it (committed, before the checkpoint starts) and begins the checkpoint.
  for (int i = 0; i < 3; ++i) {
    Stage(pipeline.staged(), i);
    ASSERT_TRUE(pipeline.Submit().ok());
  }
  EXPECT_EQ(rec.begun, 0);
  Stage(pipeline.staged(), 3);
  ASSERT_TRUE(pipeline.Submit().ok());
  EXPECT_EQ(rec.begun, 1);
  EXPECT_EQ(rec.committed, 4);
  // Nothing is due again yet; Poll finishes the checkpoint once written.
  Stage(pipeline.staged(), 4);
  EXPECT_EQ(pipeline.Checkpoint().code(), Status::Code::kInvalid) << "a checkpoint while a batch is staged";
  ASSERT_TRUE(pipeline.Submit().ok());
  ASSERT_TRUE(pipeline.Drain().ok());
  for (int spin = 0; spin < 1000 && rec.checkpointed == 0; ++spin) {
    ASSERT_TRUE(pipeline.Poll().ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(rec.checkpointed, 1);
  EXPECT_EQ(rec.checkpoint_applied, "3");
  EXPECT_EQ(Read(store, Cf::kPersons, Key(4)), "(absent)");
  EXPECT_EQ(Read(pipeline.staged(), Cf::kPersons, Key(4)), "person 4");
}

// One run: ten batches, checkpoints every few, a final checkpoint; the store
// accepts `writes_ok` writes, then fails every one. Whatever step failed, the
// store holds the log of a prefix of the batches and the projections of a
// prefix no longer than the log's, the failure is sticky and writes nothing
// more, and the pipeline forgets everything not durable.
void RunFailingAfter(int writes_ok, int* total_writes) {
  SCOPED_TRACE("writes before the failure: " + std::to_string(writes_ok));
  test::MemStore store;
  store.FailWritesAfter(writes_ok);
  Recorder rec(store);
  constexpr int kBatches = 10;
  Status failure;
  {
    BatchPipeline pipeline(store, {.checkpoint_entries = 7, .checkpoint_interval = std::chrono::milliseconds(0)},
                           {&rec});
    for (int i = 0; i < kBatches && failure.ok(); ++i) {
      Stage(pipeline.staged(), i);
      failure = pipeline.Submit();
      if (failure.ok() && i % 3 == 2) failure = pipeline.Poll();
    }
    if (failure.ok()) failure = pipeline.Checkpoint();
    *total_writes = store.writes();
    if (failure.ok()) {
      EXPECT_EQ(rec.abandoned, 0);
      EXPECT_EQ(Read(store, Cf::kProjMeta, "applied"), std::to_string(kBatches - 1));
      return;
    }
    EXPECT_EQ(failure.code(), Status::Code::kIo) << failure.ToString();
    EXPECT_EQ(rec.abandoned, 1);
    EXPECT_EQ(pipeline.held_entries(), 0u);
    // The pipeline forgot what was not durable: the staged batch reads the store.
    EXPECT_EQ(Read(pipeline.staged(), Cf::kClaims, "shared"), Read(store, Cf::kClaims, "shared"));
    EXPECT_EQ(Read(pipeline.staged(), Cf::kPersons, Key(kBatches - 1)), "(absent)");
    // Sticky: the disk works again, the pipeline does not.
    store.FailWritesAfter(-1);
    const int writes = store.writes();
    Stage(pipeline.staged(), kBatches);
    EXPECT_EQ(pipeline.Submit().code(), Status::Code::kIo);
    EXPECT_EQ(pipeline.Drain().code(), Status::Code::kIo);
    EXPECT_EQ(pipeline.Poll().code(), Status::Code::kIo);
    EXPECT_EQ(pipeline.Checkpoint().code(), Status::Code::kIo);
    EXPECT_EQ(store.writes(), writes);
    EXPECT_EQ(rec.abandoned, 1);
  }
  // The log: batches 0..logged-1, nothing after a gap.
  int logged = 0;
  while (logged < kBatches && Read(store, Cf::kLog, Key(logged)) != "(absent)") ++logged;
  for (int i = logged; i <= kBatches; ++i) EXPECT_EQ(Read(store, Cf::kLog, Key(i)), "(absent)") << i;
  EXPECT_EQ(rec.committed, logged);
  // The projections: the state after some committed batch, all of it.
  const std::string applied = Read(store, Cf::kProjMeta, "applied");
  const int checkpointed = applied == "(absent)" ? 0 : std::stoi(applied) + 1;
  EXPECT_LE(checkpointed, logged) << "a checkpoint outran the log";
  EXPECT_EQ(rec.checkpoint_applied, applied) << "a checkpoint landed, and its listeners were not told";
  EXPECT_EQ(Read(store, Cf::kClaims, "shared"), checkpointed == 0 ? "(absent)" : std::to_string(checkpointed - 1));
  for (int i = 0; i < kBatches; ++i) {
    EXPECT_EQ(Read(store, Cf::kPersons, Key(i)), i < checkpointed ? "person " + std::to_string(i) : "(absent)") << i;
  }
}

TEST(BatchPipeline, AWriteFailingAtAnyStepLeavesDurablePrefixesAndIsSticky) {
  int total = 0;
  RunFailingAfter(-1, &total);  // no failure: how many writes a full run makes
  ASSERT_GT(total, 10);         // ten batches and some checkpoints
  for (int k = 0; k <= total; ++k) {
    int unused = 0;
    RunFailingAfter(k, &unused);
  }
}

TEST(BatchPipeline, AReadErrorWhileStagingFailsTheBatchBeforeItIsWritten) {
  test::MemStore store;
  Recorder rec(store);
  BatchPipeline pipeline(store, {}, {&rec});
  Stage(pipeline.staged(), 0);
  ASSERT_TRUE(pipeline.Submit().ok());
  ASSERT_TRUE(pipeline.Checkpoint().ok());
  const int writes = store.writes();
  store.FailReadsAfter(0);
  std::string v;
  EXPECT_FALSE(pipeline.staged().Get(Cf::kPersons, "unknown", &v).ok());
  Stage(pipeline.staged(), 1);
  const Status st = pipeline.Submit();
  EXPECT_EQ(st.code(), Status::Code::kIo);
  EXPECT_NE(st.message().find("ledger read failed"), std::string::npos) << st.message();
  EXPECT_EQ(store.writes(), writes);
  EXPECT_EQ(rec.abandoned, 1);
  store.FailReadsAfter(-1);
  EXPECT_EQ(Read(store, Cf::kLog, Key(1)), "(absent)");
  EXPECT_FALSE(pipeline.Submit().ok());
}

}  // namespace
}  // namespace safetynet
