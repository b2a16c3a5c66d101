// A check of a JSON value against the part of JSON Schema that the API's
// OpenAPI document uses (daemon/json_schema.h): type (one or a list),
// properties, required, additionalProperties (false or a schema), items,
// anyOf, minimum, pattern. For tests that hold every answer against the
// document published beside it.
#pragma once

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

namespace safetynet::test {

// "" when `v` fits `schema`, else where and why it does not.
inline std::string SchemaMismatch(const nlohmann::ordered_json& v, const nlohmann::ordered_json& schema,
                                  const std::string& at = "") {
  using J = nlohmann::ordered_json;
  const auto is_type = [&](const std::string& t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "integer") return v.is_number_integer();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    return false;
  };
  if (schema.contains("anyOf")) {
    for (const J& s : schema["anyOf"]) {
      if (SchemaMismatch(v, s, at).empty()) return "";
    }
    return at + ": fits none of anyOf " + schema["anyOf"].dump();
  }
  if (schema.contains("type")) {
    bool fits = false;
    if (schema["type"].is_array()) {
      for (const J& t : schema["type"]) fits = fits || is_type(t.get<std::string>());
    } else {
      fits = is_type(schema["type"].get<std::string>());
    }
    if (!fits) return at + ": " + v.dump() + " is not " + schema["type"].dump();
  }
  if (schema.contains("minimum") && v.is_number() && v.get<double>() < schema["minimum"].get<double>()) {
    return at + ": below the minimum";
  }
  if (schema.contains("pattern") && v.is_string() &&
      !std::regex_search(v.get<std::string>(), std::regex(schema["pattern"].get<std::string>()))) {
    return at + ": " + v.dump() + " does not match " + schema["pattern"].get<std::string>();
  }
  if (v.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (std::string m = SchemaMismatch(v[i], schema["items"], at + "/" + std::to_string(i)); !m.empty()) return m;
    }
  }
  if (v.is_object()) {
    const J props = schema.value("properties", J::object());
    for (const J& name : schema.value("required", J::array())) {
      if (!v.contains(name.get<std::string>())) return at + ": no " + name.get<std::string>();
    }
    for (const auto& [k, e] : v.items()) {
      const std::string where = at + "/" + k;
      if (props.contains(k)) {
        if (std::string m = SchemaMismatch(e, props[k], where); !m.empty()) return m;
      } else if (schema.contains("additionalProperties")) {
        const J& extra = schema["additionalProperties"];
        if (extra.is_boolean() && !extra.get<bool>()) return where + ": not in the schema";
        if (extra.is_object()) {
          if (std::string m = SchemaMismatch(e, extra, where); !m.empty()) return m;
        }
      }
    }
  }
  return "";
}

}  // namespace safetynet::test
