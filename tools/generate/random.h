// Deterministic pseudo-random numbers for the province generator.
//
// The standard distributions (std::uniform_int_distribution and friends) are
// implementation-defined, so the generator draws only through this class:
// xoshiro256** seeded by splitmix64, with integer-only distributions. The same
// seed gives the same stream on every platform. Not thread-safe; one Rng per
// stream.

#ifndef SAFETYNET_TOOLS_GENERATE_RANDOM_H_
#define SAFETYNET_TOOLS_GENERATE_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace safetynet::gen::internal {

class Rng {
 public:
  // `stream` separates independent streams drawn from one seed.
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + stream;
    for (uint64_t& word : state_) word = SplitMix64(&x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n must be > 0. The high half of a 64x64-bit product
  // (Lemire), bias below 2^-64 * n.
  uint64_t Below(uint64_t n) {
    __extension__ using Uint128 = unsigned __int128;  // a GCC/Clang builtin
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }

  // Uniform in [lo, hi], both inclusive; lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  // True with probability p (IEEE double arithmetic only: deterministic).
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

  // An index drawn in proportion to non-negative integer weights (sum > 0).
  size_t Pick(std::span<const int> weights) {
    int64_t total = 0;
    for (int w : weights) total += w;
    int64_t x = static_cast<int64_t>(Below(static_cast<uint64_t>(total)));
    for (size_t i = 0; i < weights.size(); ++i) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.size() - 1;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  static uint64_t SplitMix64(uint64_t* x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  uint64_t state_[4];
};

}  // namespace safetynet::gen::internal

#endif  // SAFETYNET_TOOLS_GENERATE_RANDOM_H_
