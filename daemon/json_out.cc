#include "daemon/json_out.h"

#include <charconv>

#include "events/divisions.h"

namespace safetynet {
namespace {

// The UTF-8 sequence at s[i]: its length, and whether it is complete and
// valid; an invalid one is its longest valid beginning (at least its first
// byte), which is replaced by one U+FFFD as nlohmann's writer does.
struct Utf8Run {
  size_t length;
  bool valid;
};
Utf8Run Utf8At(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return {1, false};
  }
  for (size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) return {k, false};
    const unsigned char b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) return {k, false};
  }
  return {need + 1, true};
}

}  // namespace

void JsonOut::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!empty_.empty()) {
    if (!empty_.back()) out_.push_back(',');
    empty_.back() = false;
  }
}

void JsonOut::Open(char c) {
  BeforeValue();
  out_.push_back(c);
  empty_.push_back(true);
}

void JsonOut::Close(char c) {
  empty_.pop_back();
  out_.push_back(c);
}

void JsonOut::Key(std::string_view key) {
  BeforeValue();
  out_.push_back('"');
  Escaped(key);
  out_.append("\":");
  after_key_ = true;
}

void JsonOut::String(std::string_view s) {
  BeforeValue();
  out_.push_back('"');
  Escaped(s);
  out_.push_back('"');
}

void JsonOut::Int(int64_t v) {
  BeforeValue();
  char buf[24];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void JsonOut::Uint(uint64_t v) {
  BeforeValue();
  char buf[24];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void JsonOut::Bool(bool v) {
  BeforeValue();
  out_.append(v ? "true" : "false");
}

void JsonOut::Null() {
  BeforeValue();
  out_.append("null");
}

void JsonOut::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
}

void JsonOut::Escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      out_.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const Utf8Run run = Utf8At(s, i);
      if (run.valid) {
        out_.append(s.substr(i, run.length));
      } else {
        out_.append("\xEF\xBF\xBD");  // U+FFFD
      }
      i += run.length;
      continue;
    }
    switch (c) {
      case '"': out_.append("\\\""); break;
      case '\\': out_.append("\\\\"); break;
      case '\n': out_.append("\\n"); break;
      case '\r': out_.append("\\r"); break;
      case '\t': out_.append("\\t"); break;
      case '\b': out_.append("\\b"); break;
      case '\f': out_.append("\\f"); break;
      default:
        out_.append("\\u00");
        out_.push_back(kHex[c >> 4]);
        out_.push_back(kHex[c & 0xF]);
    }
    ++i;
  }
}

void WriteRegionName(JsonOut& out, std::string_view code) {
  const std::string_view name = DivisionName(code);
  if (name.empty()) {
    out.Null();
  } else {
    out.String(name);
  }
}

}  // namespace safetynet
