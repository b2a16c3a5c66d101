// KeyFilter: an in-memory set of 64-bit hashes of keys, answering "may this
// key exist?" without a store read. A hash collision only costs a read, so
// answers are never wrong, only sometimes unnecessary; keys are never
// removed (a key added for a batch that was later abandoned is such a case).
// Open addressing, 8 bytes per slot, at most half full.
// Thread-safety: none; owned by the ingest (or replay) thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace safetynet {

class KeyFilter {
 public:
  void Add(std::string_view key);
  bool MayContain(std::string_view key) const;
  size_t size() const { return size_; }

 private:
  static uint64_t Hash(std::string_view key);
  void Grow();

  std::vector<uint64_t> slots_;  // 0: empty
  size_t size_ = 0;
};

}  // namespace safetynet
