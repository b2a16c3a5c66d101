// Money (fen, int64) and ratio (basis points) arithmetic that cannot
// overflow. Every amount field of an event is at most kAmountMaxFen
// (validate.h rejects larger ones); sums of any number of amounts saturate
// at the int64 bounds instead of wrapping (AddFen), and products are taken
// in 128 bits. A saturated sum is far beyond any real figure (92 trillion
// yuan), and every comparison stays in the right direction.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <limits>

namespace safetynet {

// 128-bit integers for products and wide sums (a GCC/Clang extension).
__extension__ using Wide = __int128;

// The largest amount one field may carry: 10 billion yuan.
inline constexpr int64_t kAmountMaxFen = 1'000'000'000'000;

// a + b, saturating at the int64 bounds.
inline int64_t AddFen(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return r;
}
inline int64_t SubFen(int64_t a, int64_t b) {
  return b == std::numeric_limits<int64_t>::min() ? AddFen(AddFen(a, std::numeric_limits<int64_t>::max()), 1)
                                                  : AddFen(a, -b);
}
inline int64_t AbsFen(int64_t a) {
  return a == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : (a < 0 ? -a : a);
}

// A 128-bit value clamped into int64.
inline int64_t ClampToI64(Wide v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}
// floor(a * b / c) for c > 0, in 128 bits, clamped (a, b >= 0 in every use).
inline int64_t MulDiv(int64_t a, int64_t b, int64_t c) { return ClampToI64(static_cast<Wide>(a) * b / c); }
// ceil(a * b / c) for a, b >= 0 and c > 0.
inline int64_t MulDivCeil(int64_t a, int64_t b, int64_t c) {
  return ClampToI64((static_cast<Wide>(a) * b + c - 1) / c);
}
// a * b > c * d, exactly.
inline bool ProductGreater(int64_t a, int64_t b, int64_t c, int64_t d) {
  return static_cast<Wide>(a) * b > static_cast<Wide>(c) * d;
}

}  // namespace safetynet
