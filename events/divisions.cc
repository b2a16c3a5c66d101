#include "events/divisions.h"

#include <algorithm>

namespace safetynet {

std::string_view DivisionsText();  // events/divisions.tsv, embedded at build time

namespace {

// Every division, sorted by code: a province's cities and a city's counties
// follow it, since a child's code starts with its parent's.
const std::vector<Division>& All() {
  static const std::vector<Division> all = [] {
    std::vector<Division> out;
    std::string_view text = DivisionsText();
    while (!text.empty()) {
      const size_t end = std::min(text.find('\n'), text.size());
      const std::string_view line = text.substr(0, end);
      text.remove_prefix(std::min(end + 1, text.size()));
      const size_t tab = line.find('\t');
      if (line.empty() || line[0] == '#' || tab == std::string_view::npos) continue;
      out.push_back({line.substr(0, tab), line.substr(tab + 1)});
    }
    std::sort(out.begin(), out.end(), [](const Division& a, const Division& b) { return a.code < b.code; });
    return out;
  }();
  return all;
}

}  // namespace

std::string_view RegionPrefix(std::string_view code) {
  if (code.size() == 6 && code.ends_with("0000")) return code.substr(0, 2);
  if (code.size() == 6 && code.ends_with("00")) return code.substr(0, 4);
  return code;
}

std::string_view DivisionName(std::string_view code) {
  code = RegionPrefix(code);
  const auto& all = All();
  const auto it =
      std::lower_bound(all.begin(), all.end(), code, [](const Division& d, std::string_view c) { return d.code < c; });
  return it != all.end() && it->code == code ? it->name : std::string_view();
}

std::vector<Division> DivisionsUnder(std::string_view code) {
  code = RegionPrefix(code);
  const size_t child = code.size() + 2;
  if (child > 6) return {};
  const auto& all = All();
  std::vector<Division> out;
  for (auto it = std::lower_bound(all.begin(), all.end(), code,
                                  [](const Division&d, std::string_view c) { return d.code < c; });
       it != all.end() && it->code.starts_with(code); ++it) {
    if (it->code.size() == child) out.push_back(*it);
  }
  return out;
}

}  // namespace safetynet
