// Fixed-width big-endian integers for keys (sortable) and a small
// length-prefixed binary writer/reader for values. Formats in events/FORMAT.md.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace safetynet {

inline void PutU64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline void PutU32(std::string* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
inline std::string EncodeU64(uint64_t v) {
  std::string s;
  s.reserve(8);
  PutU64(&s, v);
  return s;
}
inline uint64_t DecodeU64(std::string_view s) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < s.size(); ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}
inline uint32_t DecodeU32(std::string_view s) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4 && i < s.size(); ++i) v = (v << 8) | static_cast<uint8_t>(s[i]);
  return v;
}
// Signed dates as order-preserving u32 (dates are non-negative anyway).
inline void PutDate(std::string* out, int32_t d) { PutU32(out, static_cast<uint32_t>(d)); }

// Sequential writer of values: varints, signed varints (zigzag), strings.
class ByteWriter {
 public:
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    buf_.push_back(static_cast<char>(v));
  }
  void Signed(int64_t v) { Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void Bytes(std::string_view s) {
    Varint(s.size());
    buf_.append(s);
  }
  void Raw(std::string_view s) { buf_.append(s); }
  std::string& buffer() { return buf_; }

 private:
  std::string buf_;
};

// Reader matching ByteWriter. Reads past the end set ok() false and return 0.
class ByteReader {
 public:
  explicit ByteReader(std::string_view s) : s_(s) {}
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= s_.size()) {
        ok_ = false;
        return 0;
      }
      const auto b = static_cast<uint8_t>(s_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    ok_ = false;
    return 0;
  }
  int64_t Signed() {
    const uint64_t v = Varint();
    return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  std::string_view Bytes() {
    const uint64_t n = Varint();
    if (!ok_ || n > s_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::string_view out = s_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  std::string_view Raw(size_t n) {
    if (n > s_.size() - pos_) {
      ok_ = false;
      return {};
    }
    std::string_view out = s_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  bool ok() const { return ok_; }
  bool done() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace safetynet
