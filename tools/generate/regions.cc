// Codes and names as published in GB/T 2260 (current divisions).

#include "tools/generate/regions.h"

#include <algorithm>
#include <array>
#include <vector>

namespace safetynet::gen {
namespace {

constexpr Region kRegions[] = {
    {"230000", "黑龙江省"},   {"230100", "哈尔滨市"},   {"230102", "道里区"},   {"230103", "南岗区"},
    {"230104", "道外区"},     {"230108", "平房区"},     {"230109", "松北区"},   {"230110", "香坊区"},
    {"230111", "呼兰区"},     {"230112", "阿城区"},     {"230113", "双城区"},   {"230123", "依兰县"},
    {"230124", "方正县"},     {"230125", "宾县"},       {"230126", "巴彦县"},   {"230127", "木兰县"},
    {"230128", "通河县"},     {"230129", "延寿县"},     {"230183", "尚志市"},   {"230184", "五常市"},
    {"230200", "齐齐哈尔市"}, {"230202", "龙沙区"},     {"230203", "建华区"},   {"230204", "铁锋区"},
    {"230205", "昂昂溪区"},   {"230206", "富拉尔基区"}, {"230207", "碾子山区"}, {"230208", "梅里斯达斡尔族区"},
    {"230221", "龙江县"},     {"230223", "依安县"},     {"230224", "泰来县"},   {"230225", "甘南县"},
    {"230227", "富裕县"},     {"230229", "克山县"},     {"230230", "克东县"},   {"230231", "拜泉县"},
    {"230281", "讷河市"},     {"230500", "双鸭山市"},   {"230502", "尖山区"},   {"230503", "岭东区"},
    {"230505", "四方台区"},   {"230506", "宝山区"},     {"230521", "集贤县"},   {"230522", "友谊县"},
    {"230523", "宝清县"},     {"230524", "饶河县"},     {"230800", "佳木斯市"}, {"230803", "向阳区"},
    {"230804", "前进区"},     {"230805", "东风区"},     {"230811", "郊区"},     {"230822", "桦南县"},
    {"230826", "桦川县"},     {"230828", "汤原县"},     {"230881", "同江市"},   {"230882", "富锦市"},
    {"230883", "抚远市"},     {"230900", "七台河市"},   {"230902", "新兴区"},   {"230903", "桃山区"},
    {"230904", "茄子河区"},   {"230921", "勃利县"},     {"231200", "绥化市"},   {"231202", "北林区"},
    {"231221", "望奎县"},     {"231222", "兰西县"},     {"231223", "青冈县"},   {"231224", "庆安县"},
    {"231225", "明水县"},     {"231226", "绥棱县"},     {"231281", "安达市"},   {"231282", "肇东市"},
    {"231283", "海伦市"},
};

// National poverty counties (国家扶贫开发工作重点县) among the divisions above.
constexpr std::string_view kPovertyCounties[] = {
    "230129", "230224", "230225", "230227", "230230", "230231", "230524", "230822", "230826",
    "230828", "230881", "230883", "231221", "231222", "231223", "231225", "231283",
};

bool IsCity(std::string_view code) { return code.substr(4) == "00" && code.substr(2) != "0000"; }

bool IsDistrict(std::string_view name) {
  // Names are UTF-8; "区" is the last three bytes of a district's name.
  return name.ends_with("区");
}

struct Tables {
  std::vector<Region> cities;
  std::vector<County> counties;
};

const Tables& BuildTables() {
  static const Tables tables = [] {
    Tables t;
    for (const Region& r : kRegions) {
      if (r.code == kProvinceCode) continue;
      if (IsCity(r.code)) {
        t.cities.push_back(r);
        continue;
      }
      const bool poverty =
          std::find(std::begin(kPovertyCounties), std::end(kPovertyCounties), r.code) != std::end(kPovertyCounties);
      const int weight = poverty ? 6 : IsDistrict(r.name) ? 1 : 3;
      t.counties.push_back(County{r.code, r.name, t.cities.back().code, static_cast<int>(t.cities.size()) - 1, weight});
    }
    return t;
  }();
  return tables;
}

}  // namespace

std::span<const Region> ProvinceRegions() { return kRegions; }

std::span<const Region> Cities() { return BuildTables().cities; }

std::span<const County> Counties() { return BuildTables().counties; }

std::string_view RegionName(std::string_view code) {
  for (const Region& r : kRegions) {
    if (r.code == code) return r.name;
  }
  return {};
}

}  // namespace safetynet::gen
