// The typed answers' JSON (daemon/json_out.h): strings escaped as nlohmann's
// writer escapes them (invalid UTF-8 replaced), every field type in its
// order, region names and event links beside their fields.
#include "daemon/json_out.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace safetynet {
namespace {

using J = nlohmann::ordered_json;

std::string Nlohmann(const std::string& s) { return J(s).dump(-1, ' ', false, J::error_handler_t::replace); }

TEST(JsonOutTest, StringsAreEscapedAsTheLibraryEscapesThem) {
  for (const std::string& s :
       {std::string("plain"), std::string("quote \" back \\ slash"), std::string("\n\r\t\b\f\x01\x1f"),
        std::string("黑龙江省"), std::string("\xff\xfe bad"), std::string("cut \xe9\xbb"),
        std::string("cut \xe9\xbbx then"), std::string("\xf0\x9f\x98 x"), std::string("\xed\xa0\x80 surrogate"),
        std::string("\xc0\xaf overlong"), std::string("\xf0\x9f\x98\x80 emoji"), std::string("\0nul", 4)}) {
    JsonOut out;
    out.String(s);
    EXPECT_EQ(out.Take(), Nlohmann(s)) << J(s).dump(-1, ' ', true, J::error_handler_t::replace);
  }
}

struct Inner {
  int32_t n = 0;
  template <typename V>
  void Describe(V& v) const {
    v("n", n, "");
  }
};
struct Outer {
  RegionCode region;
  std::optional<RegionCode> other;
  EventSeq seq;
  std::optional<EventSeq> cleared_seq;
  std::vector<Inner> list;
  Named<int64_t> counts;
  std::optional<std::string> next;
  JsonText raw;
  bool flag = false;
  uint64_t big = 0;
  template <typename V>
  void Describe(V& v) const {
    v("region", region, "");
    v("other", other, "");
    v("seq", seq, "");
    v("cleared_seq", cleared_seq, "");
    v("list", list, "");
    v("counts", counts, "");
    v("next", next, "");
    v("raw", raw, "");
    v("flag", flag, "");
    v("big", big, "");
  }
};

TEST(JsonOutTest, FieldsInTheirOrderWithNamesAndLinksBeside) {
  Outer o;
  o.region = RegionCode{"2301"};
  o.seq = EventSeq{12};
  o.list = {{1}, {-2}};
  o.counts.Add("C1", 3);
  o.counts.Add("C10", -4);
  o.raw = JsonText{R"({"a":[1,2]})"};
  o.big = 18446744073709551615u;
  EXPECT_EQ(ToJson(o),
            R"({"region":"2301","region_name":"哈尔滨市","other":null,"other_name":null,"seq":12,)"
            R"("seq_url":"/v1/events/12","cleared_seq":null,"list":[{"n":1},{"n":-2}],"counts":{"C1":3,"C10":-4},)"
            R"("next":null,"raw":{"a":[1,2]},"flag":false,"big":18446744073709551615})");
  o.other = RegionCode{"999999"};
  o.seq = EventSeq{0};
  o.cleared_seq = EventSeq{7};
  o.next = "ab";
  o.list.clear();
  const J parsed = J::parse(ToJson(o));
  EXPECT_TRUE(parsed["other_name"].is_null()) << "a code the table does not know has no name";
  EXPECT_FALSE(parsed.contains("seq_url")) << "seq 0 names no event";
  EXPECT_EQ(parsed["cleared_seq_url"], "/v1/events/7");
  EXPECT_EQ(parsed["list"], J::array());
  EXPECT_EQ(parsed["next"], "ab");
}

}  // namespace
}  // namespace safetynet
