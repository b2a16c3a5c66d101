// ReadCache: recently read and written values of the point-read projection
// column families, kept in memory by the ingest (or replay) thread so that
// hot persons and claims are not read back from RocksDB for every event.
//
// Valid as long as every write to a cached family passes through Absorb() in
// write order, after the write is durable: then a cached value (or a cached
// absence) is what the store holds. Txn::Get consults it after the Txn's own
// and its parent's writes and remembers what it reads from the store (a read
// that reached the store found a key the parent batch does not write, so the
// value stays true after that batch lands).
//
// Bounded by bytes: each cached column family has two generations of at most
// capacity_bytes / 16 bytes of keys and values each (8 families, 2
// generations); a full current generation becomes the old one (the older is
// dropped), and a hit in the old generation moves the entry back to the
// current one. An entry costs its key and value plus 64 bytes of bookkeeping.
// Only lookups: iteration order never reaches a result.
// Thread-safety: none; one thread.
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "events/store.h"

namespace safetynet {

class ReadCache {
 public:
  explicit ReadCache(size_t capacity_bytes = size_t{256} << 20)
      : generation_bytes_(std::max<size_t>(capacity_bytes / (2 * kCachedFamilies), 1)) {}
  static constexpr size_t kCachedFamilies = 8;

  static bool Cached(Cf cf);
  // True when the cache knows the key: *value is the value or nullopt (absent).
  bool Lookup(Cf cf, std::string_view key, std::optional<std::string>* value);
  void Remember(Cf cf, std::string_view key, std::optional<std::string> value);
  // Takes in the writes of a durable batch, moving them out of `txn` (its
  // cached families are left empty).
  void Absorb(Txn& txn);
  void Clear();

 private:
  struct Hash {
    using is_transparent = void;  // lookups by string_view allocate nothing
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Map = std::unordered_map<std::string, std::optional<std::string>, Hash, std::equal_to<>>;
  struct Generations {
    Map current, old;
    size_t current_bytes = 0;
  };
  static size_t Cost(std::string_view key, const std::optional<std::string>& value) {
    return key.size() + (value ? value->size() : 0) + 64;
  }
  void Insert(Generations& g, std::string key, std::optional<std::string> value);
  // Makes room for `bytes` in the current generation, aging it when full.
  void Reserve(Generations& g, size_t bytes);

  size_t generation_bytes_;  // per column family and generation
  std::array<Generations, kCfCount> cfs_;
};

}  // namespace safetynet
