#include "daemon/web_assets.h"

#include <map>

namespace safetynet {

std::string_view MapsText();  // daemon/web/maps.tsv, embedded

std::string_view MapOutline(std::string_view key) {
  // Lines of `key<TAB>GeoJSON`; '#' starts a comment line.
  static const std::map<std::string_view, std::string_view> outlines = [] {
    std::map<std::string_view, std::string_view> out;
    std::string_view text = MapsText();
    while (!text.empty()) {
      const size_t end = text.find('\n');
      const std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
      const size_t tab = line.find('\t');
      if (line.empty() || line[0] == '#' || tab == std::string_view::npos) continue;
      out.emplace(line.substr(0, tab), line.substr(tab + 1));
    }
    return out;
  }();
  const auto it = outlines.find(key);
  return it == outlines.end() ? std::string_view() : it->second;
}

}  // namespace safetynet
