// The JSON Schema (OpenAPI 3.1) of a typed answer, from the same
// description its JSON is written from (daemon/json_out.h): the fields in
// order with their descriptions, every one required, the region names and
// event links beside them.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "daemon/json_out.h"

namespace safetynet {

using Json = nlohmann::ordered_json;

template <typename T>
Json JsonSchemaOf();

// Collects the properties of a described type.
struct SchemaFields {
  Json properties = Json::object();
  Json required = Json::array();
  void Add(std::string name, Json schema, bool required_too = true) {
    if (required_too) required.push_back(name);
    properties[std::move(name)] = std::move(schema);
  }
  template <typename T>
  void operator()(std::string_view name, const T&, const char* doc) {
    Json schema = JsonSchemaOf<T>();
    if (doc != nullptr && *doc != '\0') schema["description"] = doc;
    Add(std::string(name), std::move(schema));
    if constexpr (kNamesRegion<T>) {
      Add(std::string(name) + "_name",
          Json{{"type", Json::array({"string", "null"})}, {"description", "The division's name of the code."}});
    } else if constexpr (kNamesEvent<T>) {
      Add(std::string(name) + "_url", Json{{"type", "string"}, {"description", "/v1/events/SEQ, when SEQ > 0."}},
          false);
    }
  }
};

template <typename T>
Json JsonSchemaOf() {
  if constexpr (std::is_same_v<T, bool>) {
    return Json{{"type", "boolean"}};
  } else if constexpr (std::is_integral_v<T>) {
    return std::is_signed_v<T> ? Json{{"type", "integer"}} : Json{{"type", "integer"}, {"minimum", 0}};
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return Json{{"type", "string"}};
  } else if constexpr (std::is_same_v<T, RegionCode>) {
    return Json{{"type", "string"}, {"pattern", "^([0-9]{2}|[0-9]{4}|[0-9]{6})?$"}};
  } else if constexpr (std::is_same_v<T, EventSeq>) {
    return Json{{"type", "integer"}, {"minimum", 0}};
  } else if constexpr (std::is_same_v<T, JsonText>) {
    return Json{{"type", "object"}};
  } else if constexpr (IsOptional<T>::value) {
    return Json{{"anyOf", Json::array({JsonSchemaOf<typename T::value_type>(), Json{{"type", "null"}}})}};
  } else if constexpr (IsVector<T>::value) {
    return Json{{"type", "array"}, {"items", JsonSchemaOf<typename T::value_type>()}};
  } else if constexpr (IsNamed<T>::value) {
    return Json{{"type", "object"},
                {"additionalProperties", JsonSchemaOf<typename decltype(T::entries)::value_type::second_type>()}};
  } else {
    static_assert(Described<T>, "not a type the read side describes");
    SchemaFields fields;
    T{}.Describe(fields);
    return Json{{"type", "object"},
                {"properties", std::move(fields.properties)},
                {"required", std::move(fields.required)},
                {"additionalProperties", false}};
  }
}

}  // namespace safetynet
