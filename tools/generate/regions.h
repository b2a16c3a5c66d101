// Administrative divisions (行政区划) of the synthetic province: Heilongjiang
// (黑龙江省, code 23) with all its prefecture-level cities and their
// counties and districts, taken from the national table the daemon names
// regions with (events/divisions.h), so that the two always agree.
//
// The generator spreads persons over these counties. Everything here is
// immutable static data: safe from any thread.

#ifndef SAFETYNET_TOOLS_GENERATE_REGIONS_H_
#define SAFETYNET_TOOLS_GENERATE_REGIONS_H_

#include <span>
#include <string_view>

namespace safetynet::gen {

// One division with its 6-digit code: the province is "230000", a city
// "230100", a county or district "230102".
struct Region {
  std::string_view code;
  std::string_view name;
};

// A county-level division as the generator uses it.
struct County {
  std::string_view code;       // 6 digits, e.g. "230129"
  std::string_view name;       // e.g. "延寿县"
  std::string_view city_code;  // 6 digits, e.g. "230100"
  int city_index;              // index into Cities()
  // Relative share of the poor population living there: urban districts 1,
  // rural counties and county-level cities 3, national poverty counties
  // (国家扶贫开发工作重点县) 6.
  int weight;
};

inline constexpr std::string_view kProvinceCode = "230000";

// The whole tree in document order: the province first, then each city
// followed by its counties.
std::span<const Region> ProvinceRegions();

// The cities (prefecture level) in document order.
std::span<const Region> Cities();

// Every county-level division in document order.
std::span<const County> Counties();

}  // namespace safetynet::gen

#endif  // SAFETYNET_TOOLS_GENERATE_REGIONS_H_
