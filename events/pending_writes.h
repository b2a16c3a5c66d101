// PendingWrites: the writes of one batch to one column family, as a Txn
// stages them: key -> value, or key -> nullopt for a delete; a later write to
// a key replaces the earlier one.
//
// Two layouts, chosen per column family when the Txn is made:
//   hashed   point lookups and writes in O(1); key order only on request
//            (ForEachSorted sorts, ForEachInRange filters and sorts: correct
//            but linear in the batch, so meant for families that are not
//            scanned while a batch is being staged);
//   ordered  a sorted tree, for the families the projections scan by range
//            while staging (see Txn).
// ForEachSorted is what a store writes with (sorted puts are markedly faster
// in RocksDB's memtable); ForEach and Drain are for order-free consumers
// (Drain hands the strings over to the read cache without copying). Neither layout lets its iteration order reach a
// result. Thread-safety: none; the owning Txn's thread, then read-only.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
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
    if (ordered_) {
      ordered_map_.insert_or_assign(std::move(key), std::move(value));
    } else {
      hashed_.insert_or_assign(std::move(key), std::move(value));
    }
  }
  // The staged value of `key` (itself nullopt for a delete), or null when
  // this batch does not write the key.
  const Value* Find(std::string_view key) const {
    if (ordered_) {
      auto it = ordered_map_.find(key);
      return it == ordered_map_.end() ? nullptr : &it->second;
    }
    auto it = hashed_.find(key);
    return it == hashed_.end() ? nullptr : &it->second;
  }

  // fn(key, value) for every write, in no particular order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (ordered_) {
      for (const auto& [k, v] : ordered_map_) fn(k, v);
    } else {
      for (const auto& [k, v] : hashed_) fn(k, v);
    }
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
      for (auto it = ordered_map_.lower_bound(begin); it != ordered_map_.end() && in_range(it->first); ++it) {
        fn(it->first, it->second);
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
    auto drain = [&](auto& m) {
      while (!m.empty()) {
        auto node = m.extract(m.begin());
        fn(std::move(node.key()), std::move(node.mapped()));
      }
    };
    ordered_ ? drain(ordered_map_) : drain(hashed_);
  }

  size_t size() const { return ordered_ ? ordered_map_.size() : hashed_.size(); }
  bool empty() const { return size() == 0; }
  void clear() {
    ordered_map_.clear();
    hashed_.clear();
  }

 private:
  struct Hash {
    using is_transparent = void;  // lookups by string_view allocate nothing
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Entry = std::pair<const std::string, Value>;

  bool ordered_;
  std::map<std::string, Value, std::less<>> ordered_map_;
  std::unordered_map<std::string, Value, Hash, std::equal_to<>> hashed_;
};

}  // namespace safetynet
