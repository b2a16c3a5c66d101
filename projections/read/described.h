// The vocabulary of the read side's typed answers. An answer is a plain
// struct that describes its fields once, in order, with their API names and
// what they mean:
//
//   template <typename V> void Describe(V& v) const {
//     v("region", region, "Region prefix asked for.");
//     v("date", date, "Business date YYYYMMDD.");
//   }
//
// The daemon renders a described value as JSON and its type as the OpenAPI
// schema of the route that answers it (daemon/json_out.h, daemon/openapi.h),
// from that one description; nothing here knows JSON or HTTP.
//
// Field types: bool, integers, std::string, the wrappers below,
// std::optional<T> (null when empty), std::vector<T> (an array), Named<T>
// (an object keyed by name) and described structs.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace safetynet {

// A division code (a region prefix): rendered with its name beside it
// (`<field>_name`, null for a code the division table does not know).
struct RegionCode {
  std::string code;
};

// The seq of an event in the log: rendered with the link to it beside it
// (`<field>_url`, /v1/events/SEQ).
struct EventSeq {
  uint64_t seq = 0;
};

// A value already written as JSON text (an event as its codec renders it).
struct JsonText {
  std::string text;
};

// An object whose keys are names that vary (tiers, checks), in this order.
template <typename T>
struct Named {
  std::vector<std::pair<std::string, T>> entries;
  T& Add(std::string name, T value = T{}) { return entries.emplace_back(std::move(name), std::move(value)).second; }
};

}  // namespace safetynet
