// The JSON of the read side's typed answers (projections/read/described.h),
// written straight into a string in the order the answers describe their
// fields: no tree of values is built. A RegionCode field gets its
// division's name beside it (`<field>_name`), an EventSeq field above 0 the
// link to its event (`<field>_url`), so that no answer can forget either.
// Strings are escaped as JSON requires; bytes that are not UTF-8 become
// U+FFFD.
// Thread-safety: a JsonOut is one thread's; the functions are pure.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "projections/read/described.h"

namespace safetynet {

class JsonOut {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key);
  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  void Bool(bool v);
  void Null();
  void Raw(std::string_view json);  // a value already written as JSON
  std::string Take() { return std::move(out_); }

 private:
  void Open(char c);
  void Close(char c);
  void BeforeValue();
  void Escaped(std::string_view s);
  std::string out_;
  std::vector<bool> empty_;  // per open container: nothing in it yet
  bool after_key_ = false;
};

// Anything Describe(v) accepts as a visitor, to recognise described types.
struct AnyFieldVisitor {
  template <typename T>
  void operator()(std::string_view, const T&, const char*) {}
};
template <typename T>
concept Described = requires(const T& t, AnyFieldVisitor& v) {
  t.Describe(v);
};

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};
template <typename T>
struct IsNamed : std::false_type {};
template <typename T>
struct IsNamed<Named<T>> : std::true_type {};

// The fields that get a name or a link beside them (JsonFields, and the
// schema's SchemaFields).
template <typename T>
inline constexpr bool kNamesRegion = std::is_same_v<T, RegionCode> || std::is_same_v<T, std::optional<RegionCode>>;
template <typename T>
inline constexpr bool kNamesEvent = std::is_same_v<T, EventSeq> || std::is_same_v<T, std::optional<EventSeq>>;

// The name of a region code beside it; null where the table has none.
void WriteRegionName(JsonOut& out, std::string_view code);

template <typename T>
void WriteJson(JsonOut& out, const T& v);

// Writes the fields of a described value, and what goes beside them.
struct JsonFields {
  JsonOut& out;
  template <typename T>
  void operator()(std::string_view name, const T& v, const char*) {
    out.Key(name);
    WriteJson(out, v);
    if constexpr (kNamesRegion<T>) {
      out.Key(std::string(name) + "_name");
      if constexpr (std::is_same_v<T, RegionCode>) {
        WriteRegionName(out, v.code);
      } else if (v) {
        WriteRegionName(out, v->code);
      } else {
        out.Null();
      }
    } else if constexpr (kNamesEvent<T>) {
      uint64_t seq = 0;
      if constexpr (std::is_same_v<T, EventSeq>) {
        seq = v.seq;
      } else {
        seq = v ? v->seq : 0;
      }
      if (seq > 0) {
        out.Key(std::string(name) + "_url");
        out.String("/v1/events/" + std::to_string(seq));
      }
    }
  }
};

template <typename T>
void WriteJson(JsonOut& out, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    out.Bool(v);
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    out.Int(v);
  } else if constexpr (std::is_integral_v<T>) {
    out.Uint(v);
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    out.String(v);
  } else if constexpr (std::is_same_v<T, RegionCode>) {
    out.String(v.code);
  } else if constexpr (std::is_same_v<T, EventSeq>) {
    out.Uint(v.seq);
  } else if constexpr (std::is_same_v<T, JsonText>) {
    out.Raw(v.text);
  } else if constexpr (IsOptional<T>::value) {
    if (v) {
      WriteJson(out, *v);
    } else {
      out.Null();
    }
  } else if constexpr (IsVector<T>::value) {
    out.BeginArray();
    for (const auto& e : v) WriteJson(out, e);
    out.EndArray();
  } else if constexpr (IsNamed<T>::value) {
    out.BeginObject();
    for (const auto& [name, e] : v.entries) {
      out.Key(name);
      WriteJson(out, e);
    }
    out.EndObject();
  } else {
    static_assert(Described<T>, "not a type the read side describes");
    out.BeginObject();
    JsonFields fields{out};
    v.Describe(fields);
    out.EndObject();
  }
}

// The JSON text of a described value.
template <typename T>
std::string ToJson(const T& v) {
  JsonOut out;
  WriteJson(out, v);
  return out.Take();
}

}  // namespace safetynet
