// PendingWrites: the writes of one batch to one column family, as a Txn
// stages them: key -> value, or key -> nullopt for a delete; a later write to
// a key replaces the earlier one.
//
// Two layouts, chosen per column family when the Txn is made:
//   hashed   point lookups and writes in O(1); key order only on request
//            (ForEachSorted sorts, ForEachInRange filters and sorts: correct
//            but linear in the batch, so meant for families that are not
//            scanned while a batch is being staged);
//   ordered  the same hash map plus a sorted index of its keys, for the
//            families the projections scan by range while staging (see
//            Txn): lookups and rewrites of a key stay O(1), only a key's
//            first write and the scans pay for the order.
// ForEachSorted is what a store writes with (sorted puts are markedly faster
// in RocksDB's memtable); ForEach and Drain are for order-free consumers
// (Drain hands the strings over to the read cache without copying). Neither layout lets its iteration order reach a
// result. Thread-safety: none; the owning Txn's thread, then read-only.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace safetynet {

class PendingWrites {
 public:
  using Value = std::optional<std::string>;  // nullopt: deleted

  explicit PendingWrites(bool ordered = false) : ordered_(ordered) {}

  void Set(std::string key, Value value) {
    auto [it, inserted] = hashed_.insert_or_assign(std::move(key), std::move(value));
    if (ordered_ && inserted) order_.insert(&*it);
  }
  // The staged value of `key` (itself nullopt for a delete), or null when
  // this batch does not write the key.
  const Value* Find(std::string_view key) const {
    auto it = hashed_.find(key);
    return it == hashed_.end() ? nullptr : &it->second;
  }

  // fn(key, value) for every write, in no particular order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const auto& [k, v] : hashed_) fn(k, v);
  }
  // fn(key, value) for every write in key order.
  template <typename Fn>
  void ForEachSorted(Fn&& fn) const {
    ForEachInRange({}, {}, std::forward<Fn>(fn));
  }
  // fn(key, value) for the writes with keys in [begin, end), in key order;
  // an empty `end` is unbounded.
  template <typename Fn>
  void ForEachInRange(std::string_view begin, std::string_view end, Fn&& fn) const {
    auto in_range = [&](std::string_view k) { return k >= begin && (end.empty() || k < end); };
    if (ordered_) {
      for (auto it = order_.lower_bound(begin); it != order_.end() && in_range((*it)->first); ++it) {
        fn((*it)->first, (*it)->second);
      }
      return;
    }
    std::vector<const Entry*> sorted;
    for (const Entry& e : hashed_) {
      if (in_range(e.first)) sorted.push_back(&e);
    }
    std::sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) { return a->first < b->first; });
    for (const Entry* e : sorted) fn(e->first, e->second);
  }

  // fn(std::string&& key, Value&& value) for every write, in no particular
  // order, moving each out; leaves this empty.
  template <typename Fn>
  void Drain(Fn&& fn) {
    order_.clear();
    while (!hashed_.empty()) {
      auto node = hashed_.extract(hashed_.begin());
      fn(std::move(node.key()), std::move(node.mapped()));
    }
  }

  size_t size() const { return hashed_.size(); }
  bool empty() const { return hashed_.empty(); }
  void clear() {
    order_.clear();
    hashed_.clear();
  }

 private:
  struct Hash {
    using is_transparent = void;  // lookups by string_view allocate nothing
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Entry = std::pair<const std::string, Value>;

  // The index orders entries by key; lookups by string_view.
  struct ByKey {
    using is_transparent = void;
    static std::string_view Key(const Entry* e) { return e->first; }
    static std::string_view Key(std::string_view k) { return k; }
    bool operator()(const auto& a, const auto& b) const { return Key(a) < Key(b); }
  };

  bool ordered_;
  std::unordered_map<std::string, Value, Hash, std::equal_to<>> hashed_;
  // ordered_ only: every entry of hashed_ (whose nodes never move), by key.
  std::set<const Entry*, ByKey> order_;
};

}  // namespace safetynet
