#include "daemon/region_names.h"

#include <string>
#include <utility>
#include <vector>

#include "events/divisions.h"

namespace safetynet {
namespace {

Json NameOf(const Json& code) {
  if (!code.is_string()) return nullptr;
  const std::string_view name = DivisionName(code.get_ref<const std::string&>());
  return name.empty() ? Json(nullptr) : Json(std::string(name));
}

}  // namespace

void AddRegionNames(Json& j) {
  if (j.is_array()) {
    for (Json& e : j) AddRegionNames(e);
    return;
  }
  if (!j.is_object()) return;
  std::vector<std::pair<std::string, Json>> names;
  for (auto& [k, v] : j.items()) {
    if (k == "regions" && v.is_array()) {
      Json list = Json::array();
      for (const Json& code : v) list.push_back(NameOf(code));
      names.emplace_back("region_names", std::move(list));
    } else if ((k == "region" || k.ends_with("_region")) && v.is_string()) {
      names.emplace_back(k + "_name", NameOf(v));
    } else if (v.is_structured()) {
      AddRegionNames(v);
    }
  }
  for (auto& [k, name] : names) j[k] = std::move(name);
}

}  // namespace safetynet
