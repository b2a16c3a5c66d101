// A read-only open of a ledger that a daemon is writing (the CLI's replay,
// verify and export beside a running daemon) sees at least everything written
// before it opened, however the writer flushes and drops its write-ahead logs
// meanwhile. A plain RocksDB read-only open reads the manifest and then the
// logs: a flush in between loses what was in them (seen as `replay
// --until-seq 1` of an empty ledger while a history snapshot flushed).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "events/codec_util.h"
#include "events/store.h"

namespace safetynet {
namespace {

TEST(RocksStore, AReadOnlyOpenSeesWhatWasWrittenBeforeItWhileTheWriterFlushes) {
  char tmpl[] = "/tmp/safetynet-rocks-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string root = tmpl;
  const std::string path = root + "/ledger";
  auto writer = OpenRocksStore(path, false, StoreOptions{.memtable_bytes = 1 << 20, .block_cache_bytes = 1 << 20});
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  std::atomic<uint64_t> written{0};
  std::atomic<bool> stop{false};
  std::atomic<int> checkpoints{0};
  std::thread flusher([&] {
    const std::string value(512, 'x');
    for (uint64_t n = 1; !stop.load(); ++n) {
      Txn txn(**writer);
      txn.Put(Cf::kLog, EncodeU64(n), value);
      txn.Put(Cf::kMeta, "n", EncodeU64(n));
      ASSERT_TRUE((*writer)->Write(txn, /*sync=*/false).ok());
      written.store(n);
      // A checkpoint flushes every memtable and lets their logs go, as the
      // daemon's history snapshots do.
      if (n % 200 == 0) {
        ASSERT_TRUE((*writer)->Checkpoint(root + "/cp-" + std::to_string(checkpoints++)).ok());
      }
    }
  });
  // Opens until enough of them met flushes: a count, not a time, so that a
  // slow build (sanitizers) tries as many as a fast one; bounded all the same.
  int opens = 0;
  const auto read = [&] {
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };
    while ((opens < 20 || checkpoints.load() < 20) && elapsed() < std::chrono::seconds(120) && !HasFatalFailure()) {
      const uint64_t before = written.load();
      auto reader = OpenRocksStore(path, /*read_only=*/true);
      ASSERT_TRUE(reader.ok()) << reader.status().message();
      std::string n;
      if (before > 0) {
        ASSERT_TRUE((*reader)->Get(Cf::kMeta, "n", &n).ok()) << "open " << opens << " saw nothing of " << before;
        ASSERT_GE(DecodeU64(n), before) << "open " << opens;
        std::string record;
        ASSERT_TRUE((*reader)->Get(Cf::kLog, EncodeU64(DecodeU64(n)), &record).ok());
      }
      ++opens;
    }
  };
  read();
  stop = true;
  flusher.join();
  EXPECT_GE(opens, 20);
  EXPECT_GE(checkpoints.load(), 20);
  writer->reset();
  std::filesystem::remove_all(root);
}

// Projections rebuilt in place clear their column families (files deleted,
// the rest under a range tombstone): the ledger then opens read-only with
// only what was written after the clear.
TEST(RocksStore, AReadOnlyOpenAfterAFamilyWasClearedSeesItsNewContents) {
  char tmpl[] = "/tmp/safetynet-rocks-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string root = tmpl;
  {
    auto writer = OpenRocksStore(root);
    ASSERT_TRUE(writer.ok());
    Txn before(**writer);
    before.Put(Cf::kFindings, "old", "1");
    ASSERT_TRUE((*writer)->Write(before, true).ok());
    ASSERT_TRUE((*writer)->Clear(Cf::kFindings).ok());
    Txn after(**writer);
    after.Put(Cf::kFindings, "new", "2");
    ASSERT_TRUE((*writer)->Write(after, true).ok());
  }
  auto reader = OpenRocksStore(root, /*read_only=*/true);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  std::string v;
  EXPECT_TRUE((*reader)->Get(Cf::kFindings, "new", &v).ok());
  EXPECT_FALSE((*reader)->Get(Cf::kFindings, "old", &v).ok());
  reader->reset();
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace safetynet
