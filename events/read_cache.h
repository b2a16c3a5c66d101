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
// Bounded: per column family, two generations of at most `capacity` entries
// each; a full current generation becomes the old one (the older is dropped),
// and a hit in the old generation moves the entry back to the current one.
// Only lookups: iteration order never reaches a result.
// Thread-safety: none; one thread.
#pragma once

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
  // The default bounds the cache at 2 x 262,144 entries for each of the 8
  // cached families (~1 GB with a province's value sizes, far less in use
  // for smaller ledgers).
  explicit ReadCache(size_t capacity = 1 << 18) : capacity_(capacity) {}

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
  };
  void Insert(Generations& g, std::string key, std::optional<std::string> value);

  size_t capacity_;  // per column family and generation
  std::array<Generations, kCfCount> cfs_;
};

}  // namespace safetynet
