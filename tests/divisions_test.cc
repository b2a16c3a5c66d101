// The vendored division table (events/divisions.h) and the names the query
// API puts beside every region code (daemon/region_names.h).
#include "events/divisions.h"

#include <gtest/gtest.h>

#include "daemon/region_names.h"

namespace safetynet {
namespace {

TEST(Divisions, NamesEveryLevelUnderTheCodesTheApiUses) {
  EXPECT_EQ(DivisionName("23"), "黑龙江省");
  EXPECT_EQ(DivisionName("230000"), "黑龙江省");
  EXPECT_EQ(DivisionName("2301"), "哈尔滨市");
  EXPECT_EQ(DivisionName("230100"), "哈尔滨市");
  EXPECT_EQ(DivisionName("230102"), "道里区");
  EXPECT_EQ(DivisionName("11"), "北京市");
  EXPECT_EQ(DivisionName("65"), "新疆维吾尔自治区");
  EXPECT_EQ(DivisionName("99"), "");
  EXPECT_EQ(DivisionName("2399"), "");
  EXPECT_EQ(DivisionName(""), "");
  EXPECT_EQ(DivisionName("2"), "");
}

TEST(Divisions, TheTreeHasEveryProvinceAndEachChildUnderItsParent) {
  const auto provinces = DivisionsUnder("");
  EXPECT_EQ(provinces.size(), 31u);  // the mainland's provinces, autonomous regions and municipalities
  size_t cities = 0, counties = 0;
  for (const Division& p : provinces) {
    ASSERT_EQ(p.code.size(), 2u);
    for (const Division& c : DivisionsUnder(p.code)) {
      ASSERT_EQ(c.code.size(), 4u);
      ASSERT_TRUE(c.code.starts_with(p.code));
      ++cities;
      for (const Division& k : DivisionsUnder(c.code)) {
        ASSERT_EQ(k.code.size(), 6u);
        ASSERT_TRUE(k.code.starts_with(c.code));
        EXPECT_FALSE(k.name.empty());
        // (东莞市, 中山市 and 儋州市 have no counties: the table lists each
        // again as a county, 441900, which reads as the city itself.)
        if (!k.code.ends_with("00")) {
          EXPECT_TRUE(DivisionsUnder(k.code).empty()) << k.code;
        }
        ++counties;
      }
    }
  }
  EXPECT_GT(cities, 330u);
  EXPECT_GT(counties, 2800u);
  EXPECT_EQ(DivisionsUnder("230000").size(), DivisionsUnder("23").size());
}

TEST(RegionNames, EveryRegionInAnAnswerGetsItsNameBesideIt) {
  Json j = {{"region", "23"},
            {"subregions", {{{"region", "2301"}}, {{"region", "2399"}}}},
            {"policy_region", "230102"},
            {"regions", {"2302", "x"}},
            {"persons", {{{"person", "ab"}, {"region", "230129"}}}},
            {"count", 3}};
  AddRegionNames(j);
  EXPECT_EQ(j["region_name"], "黑龙江省");
  EXPECT_EQ(j["subregions"][0]["region_name"], "哈尔滨市");
  EXPECT_TRUE(j["subregions"][1]["region_name"].is_null());
  EXPECT_EQ(j["policy_region_name"], "道里区");
  EXPECT_EQ(j["region_names"], Json({"齐齐哈尔市", nullptr}));
  EXPECT_EQ(j["persons"][0]["region_name"], "延寿县");
  EXPECT_FALSE(j.contains("count_name"));
}

}  // namespace
}  // namespace safetynet
