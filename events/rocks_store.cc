// RocksDB implementation of Store: one DB, one column family per Cf.
// The only file of the project that includes RocksDB.
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "events/store.h"

namespace safetynet {
namespace {

// A disk that fills up (StoreOptions::disk_full_after_bytes): once the budget of bytes written is
// spent, every append fails with "no space left". Only ever installed on request.
class FullDiskFs final : public rocksdb::FileSystemWrapper {
 public:
  FullDiskFs(const std::shared_ptr<rocksdb::FileSystem>& base, uint64_t budget)
      : rocksdb::FileSystemWrapper(base), left_(static_cast<int64_t>(budget)) {}
  const char* Name() const override { return "FullDiskFs"; }
  bool Take(size_t n) { return left_.fetch_sub(static_cast<int64_t>(n)) >= static_cast<int64_t>(n); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok()) *result = std::make_unique<File>(std::move(*result), this);
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->ReopenWritableFile(name, options, result, dbg);
    if (s.ok()) *result = std::make_unique<File>(std::move(*result), this);
    return s;
  }

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile>&& f, FullDiskFs* fs)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(f)), fs_(fs) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (!fs_->Take(data.size())) return rocksdb::IOStatus::NoSpace("injected: no space left on device");
      return target()->Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
      if (!fs_->Take(data.size())) return rocksdb::IOStatus::NoSpace("injected: no space left on device");
      return target()->Append(data, options, info, dbg);
    }

   private:
    FullDiskFs* fs_;
  };
  std::atomic<int64_t> left_;
};

class RocksIterator final : public StoreIterator {
 public:
  explicit RocksIterator(rocksdb::Iterator* it) : it_(it) {}
  // `bound` (empty: none) is kept alive here: RocksDB reads it while the
  // iterator lives. `snapshot` may be null (the latest state).
  RocksIterator(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, std::string_view upper_bound,
                const rocksdb::Snapshot* snapshot)
      : bound_(upper_bound), bound_slice_(bound_) {
    rocksdb::ReadOptions ro;
    if (!bound_.empty()) ro.iterate_upper_bound = &bound_slice_;
    ro.snapshot = snapshot;
    it_.reset(db->NewIterator(ro, cf));
  }
  void Seek(std::string_view key) override { it_->Seek(rocksdb::Slice(key.data(), key.size())); }
  void SeekToFirst() override { it_->SeekToFirst(); }
  bool Valid() const override { return it_->Valid(); }
  void Next() override { it_->Next(); }
  std::string_view key() const override { return it_->key().ToStringView(); }
  std::string_view value() const override { return it_->value().ToStringView(); }
  Status status() const override { return it_->status().ok() ? Status::Ok() : Status::Io(it_->status().ToString()); }

 private:
  std::string bound_;
  rocksdb::Slice bound_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

class RocksStore final : public Store {
 public:
  ~RocksStore() override {
    // Flushed memtables spare the next open a replay of the write-ahead log
    // (seconds for a province's daemon, and every read-only tool opening it).
    if (db_ != nullptr && !read_only_) db_->Flush(rocksdb::FlushOptions(), handles_);
    Close();
    std::error_code ec;
    if (!secondary_dir_.empty()) std::filesystem::remove_all(secondary_dir_, ec);
  }

  static Result<std::unique_ptr<Store>> Open(const std::string& dir, bool read_only, const StoreOptions& options) {
    auto store = std::unique_ptr<RocksStore>(new RocksStore());
    store->read_only_ = read_only;
    rocksdb::DBOptions db_opts;
    if (options.disk_full_after_bytes > 0) {
      store->env_ = rocksdb::NewCompositeEnv(
          std::make_shared<FullDiskFs>(rocksdb::FileSystem::Default(), options.disk_full_after_bytes));
      db_opts.env = store->env_.get();
    }
    db_opts.create_if_missing = true;
    db_opts.create_missing_column_families = true;
    db_opts.max_background_jobs = 2;
    db_opts.bytes_per_sync = 1 << 20;
    db_opts.keep_log_file_num = 3;
    db_opts.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
    // Memory: every memtable together stays within the budget (the fullest
    // is flushed when it is reached), and the write-ahead log is bounded so
    // that opening after a crash replays little of it.
    db_opts.db_write_buffer_size = options.memtable_bytes;
    db_opts.max_total_wal_size = options.memtable_bytes / 2;
    // What a crash leaves in the log is replayed into memtables on open and
    // flushed in the background (below): a restart does not wait for it.
    db_opts.avoid_flush_during_recovery = true;

    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
    table.cache_index_and_filter_blocks = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;

    // The default column family stays empty; each Cf has its own, by name.
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    cfs.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    for (size_t i = 0; i < kCfCount; ++i) {
      const Cf cf = static_cast<Cf>(i);
      rocksdb::ColumnFamilyOptions o;
      o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
      o.compression = rocksdb::kLZ4Compression;
      o.bottommost_compression = rocksdb::kZSTD;
      o.level_compaction_dynamic_level_bytes = true;
      const bool large = cf == Cf::kLog || cf == Cf::kPersons || cf == Cf::kEventIds || cf == Cf::kPersonEvents;
      o.write_buffer_size =
          std::min<size_t>(large ? 64 << 20 : 16 << 20, std::max<size_t>(options.memtable_bytes / 4, 1 << 20));
      if (cf == Cf::kEventIds || cf == Cf::kPersons || cf == Cf::kFindings || cf == Cf::kClaims ||
          cf == Cf::kContributions || cf == Cf::kHospitalMonths || cf == Cf::kPersonClaims ||
          cf == Cf::kAssistanceYears || cf == Cf::kRectifications) {
        // Point lookups that mostly miss (dedup) or hit recent keys: a bloom
        // filter over the memtable lets misses skip the skiplist walk.
        o.memtable_whole_key_filtering = true;
        o.memtable_prefix_bloom_size_ratio = 0.05;
      }
      cfs.emplace_back(CfName(cf), o);
    }
    if (!read_only) {
      rocksdb::Status s = rocksdb::DB::Open(db_opts, dir, cfs, &store->handles_, &store->db_);
      if (!s.ok()) return Status::Io("cannot open ledger at " + dir + ": " + s.ToString());
      // What the recovery left in memtables is flushed in the background, so
      // that its log files go and a second crash does not replay them again.
      rocksdb::FlushOptions background;
      background.wait = false;
      background.allow_write_stall = true;
      s = store->db_->Flush(background, store->handles_);
      if (!s.ok()) return Status::Io("cannot flush ledger at " + dir + ": " + s.ToString());
      return std::unique_ptr<Store>(std::move(store));
    }
    // Read-only, a ledger written by an older version may lack the newest
    // families: they read as empty (a replay into a new store fills them).
    std::vector<std::string> existing;
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_opts, dir, &existing);
    if (!s.ok()) return Status::Io("cannot open ledger at " + dir + ": " + s.ToString());
    std::vector<rocksdb::ColumnFamilyDescriptor> present;
    std::vector<size_t> index;  // of each present family in `cfs`
    for (size_t i = 0; i < cfs.size(); ++i) {
      if (std::find(existing.begin(), existing.end(), cfs[i].name) == existing.end()) continue;
      present.push_back(cfs[i]);
      index.push_back(i);
    }
    // A daemon may be writing the ledger meanwhile. A plain read-only open
    // reads the manifest, then the write-ahead logs: a flush between the two
    // drops a log whose data the manifest read does not name yet, and a
    // compaction may delete a table file before it is opened. A secondary
    // instance holds every table file open (max_open_files -1) and catches up
    // with the primary's manifest after it has read the logs, so that what
    // was written before the open is seen; an open that met a deleted file
    // is tried again.
    db_opts.max_open_files = -1;
    std::string tmpl = (std::filesystem::temp_directory_path() / "safetynet-reader-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) return Status::Io("cannot make a directory for a reader of " + dir);
    store->secondary_dir_ = tmpl;
    for (int attempt = 1;; ++attempt) {
      std::vector<rocksdb::ColumnFamilyHandle*> handles;
      s = rocksdb::DB::OpenAsSecondary(db_opts, dir, store->secondary_dir_, present, &handles, &store->db_);
      if (s.ok()) {
        store->handles_.assign(cfs.size(), nullptr);
        for (size_t i = 0; i < handles.size(); ++i) store->handles_[index[i]] = handles[i];
        // Twice: a log dropped between the first catch-up's manifest read and
        // its log listing is named by the second one's manifest.
        s = store->db_->TryCatchUpWithPrimary();
        if (s.ok()) s = store->db_->TryCatchUpWithPrimary();
        if (s.ok()) return std::unique_ptr<Store>(std::move(store));
        store->Close();
      }
      if (attempt == 10 || !(s.IsIOError() || s.IsCorruption() || s.IsPathNotFound())) {
        return Status::Io("cannot open ledger at " + dir + ": " + s.ToString());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
    }
  }

  Status Get(Cf cf, std::string_view key, std::string* value) const override { return GetAt(cf, key, value, nullptr); }
  Status GetAt(Cf cf, std::string_view key, std::string* value, const rocksdb::Snapshot* snapshot) const {
    if (Handle(cf) == nullptr) return Status::NotFound(CfName(cf));  // a family this older ledger lacks
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    rocksdb::Status s = db_->Get(ro, Handle(cf), rocksdb::Slice(key.data(), key.size()), value);
    if (s.IsNotFound()) return Status::NotFound(CfName(cf));
    if (!s.ok()) return Status::Io(s.ToString());
    return Status::Ok();
  }

  std::unique_ptr<StoreIterator> NewIterator(Cf cf) const override { return NewIterator(cf, {}); }
  std::unique_ptr<StoreIterator> NewIterator(Cf cf, std::string_view upper_bound) const override {
    if (Handle(cf) == nullptr) return std::make_unique<RocksIterator>(rocksdb::NewEmptyIterator());
    return std::make_unique<RocksIterator>(db_, Handle(cf), upper_bound, nullptr);
  }

  std::unique_ptr<const Store> Snapshot() const override;

  Status Clear(Cf cf) override {
    // The table files go whole (nothing is read or rewritten), and one range
    // tombstone covers what the memtables hold. The family is not dropped and
    // re-created: a reader beside the daemon catching up with a manifest that
    // drops a family crashes in RocksDB 7.8 (TryCatchUpWithPrimary).
    rocksdb::ColumnFamilyHandle* h = Handle(cf);
    rocksdb::Status s = rocksdb::DeleteFilesInRange(db_, h, nullptr, nullptr);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), h));
    std::string first, past_last;
    if (s.ok()) {
      it->SeekToFirst();
      if (it->Valid()) {
        first = it->key().ToString();
        it->SeekToLast();
        past_last = it->key().ToString() + '\0';
      }
      s = it->status();
    }
    if (s.ok() && !past_last.empty()) s = db_->DeleteRange(rocksdb::WriteOptions(), h, first, past_last);
    if (!s.ok()) return Status::Io(std::string("cannot clear ") + CfName(cf) + ": " + s.ToString());
    return Status::Ok();
  }

  Status Checkpoint(const std::string& dir) override {
    rocksdb::Checkpoint* cp = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_, &cp);
    // Memtables are flushed first (log_size_for_flush 0): the copy needs no WAL replay.
    if (s.ok()) s = cp->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
    delete cp;
    if (!s.ok()) return Status::Io("checkpoint into " + dir + " failed: " + s.ToString());
    return Status::Ok();
  }

  Status Write(const Txn& txn, bool sync) override {
    rocksdb::WriteBatch batch;  // per call: writers may be on several threads
    for (size_t i = 0; i < kCfCount; ++i) {
      auto* h = Handle(static_cast<Cf>(i));
      txn.pending(static_cast<Cf>(i)).ForEachSorted([&](const std::string& k, const PendingWrites::Value& v) {
        if (v) {
          batch.Put(h, k, *v);
        } else {
          batch.Delete(h, k);
        }
      });
    }
    rocksdb::WriteOptions wo;
    wo.sync = sync;
    wo.disableWAL = false;
    rocksdb::Status s = db_->Write(wo, &batch);
    if (!s.ok()) return Status::Io("ledger write failed: " + s.ToString());
    return Status::Ok();
  }

 private:
  friend class RocksSnapshot;
  bool read_only_ = false;
  std::string secondary_dir_;  // a read-only store's own directory (its info log), removed on close
  RocksStore() = default;
  void Close() {
    for (auto* h : handles_) {
      if (h != nullptr) db_->DestroyColumnFamilyHandle(h);
    }
    handles_.clear();
    delete db_;
    db_ = nullptr;
  }
  rocksdb::ColumnFamilyHandle* Handle(Cf cf) const { return handles_[static_cast<size_t>(cf) + 1]; }

  std::unique_ptr<rocksdb::Env> env_;  // a fault-injecting environment, or none (destroyed after db_)
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// The store as it stood when the snapshot was taken; writes are refused.
class RocksSnapshot final : public Store {
 public:
  explicit RocksSnapshot(const RocksStore& store) : store_(store), snapshot_(store.db_->GetSnapshot()) {}
  ~RocksSnapshot() override { store_.db_->ReleaseSnapshot(snapshot_); }
  Status Get(Cf cf, std::string_view key, std::string* value) const override {
    return store_.GetAt(cf, key, value, snapshot_);
  }
  std::unique_ptr<StoreIterator> NewIterator(Cf cf) const override { return NewIterator(cf, {}); }
  std::unique_ptr<StoreIterator> NewIterator(Cf cf, std::string_view upper_bound) const override {
    if (store_.Handle(cf) == nullptr) return std::make_unique<RocksIterator>(rocksdb::NewEmptyIterator());
    return std::make_unique<RocksIterator>(store_.db_, store_.Handle(cf), upper_bound, snapshot_);
  }
  std::unique_ptr<const Store> Snapshot() const override { return std::make_unique<RocksSnapshot>(store_); }
  Status Write(const Txn&, bool) override { return Status::Invalid("a snapshot is read-only"); }
  Status Clear(Cf) override { return Status::Invalid("a snapshot is read-only"); }
  Status Checkpoint(const std::string&) override { return Status::Invalid("a snapshot keeps no checkpoints"); }

 private:
  const RocksStore& store_;
  const rocksdb::Snapshot* snapshot_;
};

std::unique_ptr<const Store> RocksStore::Snapshot() const { return std::make_unique<RocksSnapshot>(*this); }

}  // namespace

Result<std::unique_ptr<Store>> OpenRocksStore(const std::string& dir, bool read_only, const StoreOptions& options) {
  return RocksStore::Open(dir, read_only, options);
}

}  // namespace safetynet
