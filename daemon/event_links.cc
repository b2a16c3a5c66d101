#include "daemon/event_links.h"

#include <string>
#include <utility>
#include <vector>

namespace safetynet {

void AddEventLinks(Json& j) {
  if (j.is_array()) {
    for (Json& e : j) AddEventLinks(e);
    return;
  }
  if (!j.is_object()) return;
  std::vector<std::pair<std::string, uint64_t>> links;
  for (auto& [k, v] : j.items()) {
    const bool names_seq = k == "seq" || (k.size() > 4 && k.compare(k.size() - 4, 4, "_seq") == 0);
    if (names_seq && v.is_number_unsigned() && v.get<uint64_t>() > 0) links.emplace_back(k, v.get<uint64_t>());
    if (v.is_structured()) AddEventLinks(v);
  }
  for (const auto& [k, seq] : links) j[k + "_url"] = "/v1/events/" + std::to_string(seq);
}

Result<Json> WithEventLinks(Result<Json> r) {
  if (r.ok()) AddEventLinks(r.value());
  return r;
}

}  // namespace safetynet
