// MemStore: an in-memory Store for unit tests, with fault injection: after
// FailWritesAfter(n) successful writes, every further Write fails (a full or
// broken disk), and nothing of the failed write is applied; after
// FailReadsAfter(n) successful reads, every Get fails with an I/O error and
// every new iterator is invalid with one (a disk that cannot be read).
// Thread-safe like a real store: Get and Write lock, an iterator reads a
// copy of its column family taken when it is made.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "events/store.h"

namespace safetynet::test {

class MemStore final : public Store {
 public:
  Status Get(Cf cf, std::string_view key, std::string* value) const override {
    std::lock_guard lock(mu_);
    if (reads_left_ == 0) return Status::Io("injected: read error");
    if (reads_left_ > 0) --reads_left_;
    const auto& m = data_[static_cast<size_t>(cf)];
    auto it = m.find(key);
    if (it == m.end()) return Status::NotFound(CfName(cf));
    *value = it->second;
    return Status::Ok();
  }
  std::unique_ptr<StoreIterator> NewIterator(Cf cf) const override {
    std::lock_guard lock(mu_);
    return std::make_unique<Iter>(data_[static_cast<size_t>(cf)], reads_left_ == 0);
  }
  Status Write(const Txn& txn, bool /*sync*/) override {
    std::lock_guard lock(mu_);
    if (writes_left_ == 0) return Status::Io("injected: no space left on device");
    if (writes_left_ > 0) --writes_left_;
    for (size_t i = 0; i < kCfCount; ++i) {
      txn.pending(static_cast<Cf>(i)).ForEach([&](const std::string& k, const PendingWrites::Value& v) {
        if (v) {
          data_[i][k] = *v;
        } else {
          data_[i].erase(k);
        }
      });
    }
    ++writes_;
    return Status::Ok();
  }
  Status Checkpoint(const std::string&) override { return Status::Invalid("MemStore keeps no checkpoints"); }
  Status Clear(Cf cf) override {
    std::lock_guard lock(mu_);
    data_[static_cast<size_t>(cf)].clear();
    return Status::Ok();
  }
  void FailWritesAfter(int n) {
    std::lock_guard lock(mu_);
    writes_left_ = n;
  }
  void FailReadsAfter(int n) {
    std::lock_guard lock(mu_);
    reads_left_ = n;
  }
  int writes() const {
    std::lock_guard lock(mu_);
    return writes_;
  }
  size_t size(Cf cf) const {
    std::lock_guard lock(mu_);
    return data_[static_cast<size_t>(cf)].size();
  }

 private:
  using Map = std::map<std::string, std::string, std::less<>>;
  class Iter final : public StoreIterator {
   public:
    Iter(Map m, bool failed) : m_(std::move(m)), it_(m_.end()), failed_(failed) {}
    void Seek(std::string_view key) override { it_ = failed_ ? m_.end() : m_.lower_bound(key); }
    void SeekToFirst() override { it_ = failed_ ? m_.end() : m_.begin(); }
    bool Valid() const override { return it_ != m_.end(); }
    void Next() override { ++it_; }
    std::string_view key() const override { return it_->first; }
    std::string_view value() const override { return it_->second; }
    Status status() const override { return failed_ ? Status::Io("injected: read error") : Status::Ok(); }

   private:
    const Map m_;
    Map::const_iterator it_;
    bool failed_;
  };
  mutable std::mutex mu_;
  std::array<Map, kCfCount> data_;
  int writes_left_ = -1;
  mutable int reads_left_ = -1;
  int writes_ = 0;
};

}  // namespace safetynet::test
