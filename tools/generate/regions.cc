#include "tools/generate/regions.h"

#include <algorithm>
#include <array>
#include <deque>
#include <string>
#include <vector>

#include "events/divisions.h"

namespace safetynet::gen {
namespace {

// National poverty counties (国家扶贫开发工作重点县) of the province.
constexpr std::string_view kPovertyCounties[] = {
    "230129", "230224", "230225", "230227", "230230", "230231", "230524", "230822", "230826",
    "230828", "230881", "230883", "231221", "231222", "231223", "231225", "231283",
};

bool IsDistrict(std::string_view name) {
  // Names are UTF-8; "区" is the last three bytes of a district's name.
  return name.ends_with("区");
}

struct Tables {
  std::deque<std::string> codes;  // the 6-digit codes of the province and its cities (stable addresses)
  std::vector<Region> regions;
  std::vector<Region> cities;
  std::vector<County> counties;
};

const Tables& BuildTables() {
  static const Tables tables = [] {
    Tables t;
    const std::string_view province = RegionPrefix(kProvinceCode);
    t.regions.push_back({kProvinceCode, DivisionName(province)});
    for (const Division& city : DivisionsUnder(province)) {
      const std::string& code = t.codes.emplace_back(std::string(city.code) + "00");
      t.cities.push_back({code, city.name});
      t.regions.push_back(t.cities.back());
      for (const Division& county : DivisionsUnder(city.code)) {
        const bool poverty = std::find(std::begin(kPovertyCounties), std::end(kPovertyCounties), county.code) !=
                             std::end(kPovertyCounties);
        const int weight = poverty ? 6 : IsDistrict(county.name) ? 1 : 3;
        t.counties.push_back(County{county.code, county.name, code, static_cast<int>(t.cities.size()) - 1, weight});
        t.regions.push_back({county.code, county.name});
      }
    }
    return t;
  }();
  return tables;
}

}  // namespace

std::span<const Region> ProvinceRegions() { return BuildTables().regions; }

std::span<const Region> Cities() { return BuildTables().cities; }

std::span<const County> Counties() { return BuildTables().counties; }

}  // namespace safetynet::gen
