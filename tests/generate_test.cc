// Tests of the synthetic province generator (tools/generate): determinism, the
// JSON-lines format against the event schema, the deliberate duplicates and
// malformed messages, causal order, and the administrative divisions.

#include "tools/generate/generate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "events/divisions.h"
#include "tools/generate/regions.h"

namespace safetynet::gen {
namespace {

using nlohmann::json;

std::string Generate(const GenerateOptions& opts, GenerateStats* stats) {
  std::ostringstream out;
  *stats = GenerateProvince(opts, out);
  return out.str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool IsValidDate(int64_t d) {
  const int64_t y = d / 10000, m = d / 100 % 100, day = d % 100;
  if (y < 1900 || m < 1 || m > 12 || day < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool IsSixDigits(const std::string& s) { return s.size() == 6 && std::all_of(s.begin(), s.end(), ::isdigit); }

// events/event.fbs, field by field. Kinds: i int, d date, D date or 0, l
// non-negative long, s string, b bool, I/T/R/V enums, S segment list.
const std::map<std::string, std::map<std::string, char>>& Schema() {
  static const auto* schema = new std::map<std::string, std::map<std::string, char>>{
      {"IdentityGranted", {{"identity", 'I'}, {"valid_from", 'd'}, {"valid_to", 'D'}}},
      {"IdentityRevoked", {{"identity", 'I'}, {"revoked_on", 'd'}}},
      {"RosterDelivered", {{"period", 'i'}, {"kind", 's'}, {"row_count", 'l'}}},
      {"EnrollmentChanged", {{"tier", 'T'}, {"enrolled", 'b'}, {"effective_on", 'd'}}},
      {"ContributionPaid", {{"year", 'i'}, {"personal_due", 'l'}, {"subsidy", 'l'}, {"subsidy_source", 's'}}},
      {"NonEnrollmentReasonRecorded", {{"tier", 'T'}, {"reason", 'R'}, {"evidence", 's'}}},
      {"ClaimSettled",
       {{"claim_id", 's'},
        {"visit", 'V'},
        {"hospital_id", 's'},
        {"county_internal", 'b'},
        {"admitted_on", 'd'},
        {"discharged_on", 'd'},
        {"total", 'l'},
        {"out_of_catalog", 'l'},
        {"in_policy", 'l'},
        {"diagnosis", 's'}}},
      {"ClaimReversed", {{"claim_id", 's'}, {"reason", 's'}}},
      {"ReimbursementPaid",
       {{"claim_id", 's'}, {"tier", 'T'}, {"amount", 'l'}, {"deductible_applied", 'l'}, {"one_stop", 'b'}}},
      {"ReimbursementReversed", {{"claim_id", 's'}, {"tier", 'T'}, {"amount", 'l'}, {"reason", 's'}}},
      {"PolicyPublished",
       {{"policy_id", 's'},
        {"year", 'i'},
        {"identity", 'I'},
        {"effective_from", 'd'},
        {"effective_to", 'D'},
        {"critical_deductible", 'l'},
        {"critical_ordinary_deductible", 'l'},
        {"critical_segments", 'S'},
        {"critical_ordinary_segments", 'S'},
        {"critical_cap", 'l'},
        {"assistance_ratio_bp", 'i'},
        {"assistance_annual_limit", 'l'},
        {"max_total_reimbursement_bp", 'i'},
        {"out_of_catalog_max_bp", 'i'}}},
      {"RectificationOpened",
       {{"item_id", 's'},
        {"category", 's'},
        {"subject", 's'},
        {"description", 's'},
        {"responsible_unit", 's'},
        {"deadline", 'd'}}},
      {"RectificationProgressed", {{"item_id", 's'}, {"note", 's'}}},
      {"RectificationRectified", {{"item_id", 's'}, {"evidence", 's'}}},
      {"RectificationVerified", {{"item_id", 's'}, {"verifier", 's'}}},
      {"RectificationReopened", {{"item_id", 's'}, {"reason", 's'}}},
  };
  return *schema;
}

const std::map<char, std::set<std::string>>& Enums() {
  static const auto* enums = new std::map<char, std::set<std::string>>{
      {'I',
       {"REGISTERED_POOR", "EXTREME_POOR_SUPPORTED", "LOW_INCOME", "MARGINAL", "LIFTED_KEEPS_POLICY", "IMMEDIATE_AID"}},
      {'T',
       {"BASIC_RESIDENT", "BASIC_EMPLOYEE", "CRITICAL_ILLNESS", "MEDICAL_ASSISTANCE", "HOSPITAL_WAIVER",
        "SUPPLEMENTARY"}},
      {'R',
       {"EMPLOYEE_INSURANCE", "ENROLLED_ELSEWHERE", "DECEASED", "MILITARY_SERVICE", "IMPRISONED", "EMIGRATED",
        "CANNOT_AFFORD", "REFUSED", "LOST_CONTACT", "IDENTITY_ERROR", "OTHER"}},
      {'V', {"INPATIENT", "OUTPATIENT", "CHRONIC_OUTPATIENT"}},
  };
  return *enums;
}

std::string TopicOf(const std::string& payload_type) {
  if (payload_type.starts_with("Identity") || payload_type == "RosterDelivered") {
    return "safetynet.roster";
  }
  if (payload_type.starts_with("Claim")) return "safetynet.claims";
  if (payload_type.starts_with("Reimbursement")) return "safetynet.reimbursements";
  if (payload_type == "PolicyPublished") return "safetynet.policy";
  if (payload_type.starts_with("Rectification")) return "safetynet.rectification";
  return "safetynet.enrollment";
}

bool HasPerson(const std::string& payload_type) {
  return payload_type != "RosterDelivered" && payload_type != "PolicyPublished" &&
         !payload_type.starts_with("Rectification");
}

bool IsResidentId(const std::string& id) {
  if (id.size() != 18) return false;
  constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (!isdigit(id[i])) return false;
    sum += (id[i] - '0') * kWeights[i];
  }
  return id[17] == "10X98765432"[sum % 11] && IsValidDate(std::stoll(id.substr(6, 8)));
}

// Why an unwrapped line would be rejected, or "" for a valid event.
std::string Fault(const json& e) {
  if (!e.contains("event_id")) return "missing event_id";
  if (e["event_id"].get<std::string>().size() > 64) return "oversized string";
  for (const auto& [key, value] : e.items()) {
    static const std::set<std::string> kEnvelope = {"event_id",  "occurred_on",  "source", "region",
                                                    "person_id", "payload_type", "payload"};
    if (!kEnvelope.contains(key)) return "unknown field";
  }
  if (!IsValidDate(e["occurred_on"].get<int64_t>())) return "impossible date";
  if (!IsSixDigits(e["region"].get<std::string>())) return "region not 6 digits";
  const std::string type = e["payload_type"];
  const auto fields = Schema().find(type);
  if (fields == Schema().end()) return "unknown payload type";
  if (HasPerson(type) != e.contains("person_id")) return "person_id presence";
  if (e.contains("person_id") && !IsResidentId(e["person_id"])) return "bad person_id";
  const json& p = e["payload"];
  for (const auto& [key, value] : p.items()) {
    const auto field = fields->second.find(key);
    if (field == fields->second.end()) return "unknown field";
    const char kind = field->second;
    if (Enums().contains(kind)) {
      if (!Enums().at(kind).contains(value.get<std::string>())) return "unknown enum name";
    } else if (kind == 'l' && value.get<int64_t>() < 0) {
      return "negative amount";
    } else if ((kind == 'd' && !IsValidDate(value.get<int64_t>())) ||
               (kind == 'D' && value != 0 && !IsValidDate(value.get<int64_t>()))) {
      return "bad payload date";
    } else if ((kind == 's' && !value.is_string()) || (kind == 'b' && !value.is_boolean()) ||
               (kind == 'S' && !value.is_array())) {
      return "wrong JSON type";
    }
  }
  if (type == "ClaimSettled" &&
      p["in_policy"].get<int64_t>() + p["out_of_catalog"].get<int64_t>() > p["total"].get<int64_t>()) {
    return "amounts exceed total";
  }
  return "";
}

// One run at the default-ish size of the brief, parsed once for all tests.
struct GeneratedRun {
  GenerateStats stats;
  std::vector<std::string> lines;
  std::vector<json> events;        // every line, parsed
  std::vector<std::string> fault;  // per line: "" for a valid event
  std::vector<bool> repeat;        // per line: event_id seen on an earlier line
};

const GeneratedRun& DefaultRun() {
  static const GeneratedRun* run = [] {
    auto* r = new GeneratedRun;
    GenerateOptions opts;
    opts.persons = 300;
    opts.months = 24;
    r->lines = SplitLines(Generate(opts, &r->stats));
    std::set<std::string> seen;
    for (const std::string& line : r->lines) {
      r->events.push_back(json::parse(line, nullptr, /*allow_exceptions=*/false));
      const json& e = r->events.back();
      std::string fault;
      if (e.contains("topic")) {
        const json value = json::parse(e["value"].get<std::string>(), nullptr, false);
        fault = value.is_discarded() ? "not JSON" : TopicOf(value["payload_type"]) != e["topic"] ? "wrong topic" : "";
      } else {
        fault = Fault(e);
      }
      r->fault.push_back(fault);
      const bool has_id = e.contains("event_id");
      r->repeat.push_back(has_id && !seen.insert(e["event_id"].get<std::string>()).second);
    }
    return r;
  }();
  return *run;
}

// Valid events, each event_id once, in output order.
std::vector<const json*> ValidEvents() {
  const GeneratedRun& run = DefaultRun();
  std::vector<const json*> events;
  for (size_t i = 0; i < run.lines.size(); ++i) {
    if (run.fault[i].empty() && !run.repeat[i]) events.push_back(&run.events[i]);
  }
  return events;
}

TEST(GenerateTest, SameSeedGivesSameBytes) {
  GenerateOptions opts;
  opts.persons = 200;
  opts.months = 14;
  GenerateStats a, b;
  const std::string first = Generate(opts, &a);
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, Generate(opts, &b));
  EXPECT_EQ(a.lines, b.lines);
}

TEST(GenerateTest, DifferentSeedGivesDifferentOutput) {
  GenerateOptions opts;
  opts.persons = 200;
  opts.months = 14;
  GenerateStats stats;
  const std::string first = Generate(opts, &stats);
  opts.seed = 2;
  const std::string second = Generate(opts, &stats);
  EXPECT_NE(first, second);
  EXPECT_NE(second.find("\"event_id\":\"g2-"), std::string::npos);
}

TEST(GenerateTest, NothingForEmptyOptions) {
  GenerateOptions opts;
  opts.persons = 0;
  GenerateStats stats;
  EXPECT_EQ(Generate(opts, &stats), "");
  EXPECT_EQ(stats.lines, 0);
}

TEST(GenerateTest, EveryLineIsJson) {
  const GeneratedRun& run = DefaultRun();
  ASSERT_GT(run.lines.size(), 5000u);
  for (size_t i = 0; i < run.lines.size(); ++i) {
    ASSERT_TRUE(run.events[i].is_object()) << run.lines[i];
  }
}

TEST(GenerateTest, EveryPayloadTypeAndEnumValueAppears) {
  std::map<std::string, int> types;
  std::set<std::string> values;
  for (const json* e : ValidEvents()) {
    ++types[(*e)["payload_type"]];
    for (const auto& [key, value] : (*e)["payload"].items()) {
      if (value.is_string()) values.insert(value.get<std::string>());
    }
  }
  for (const auto& [type, fields] : Schema()) EXPECT_GT(types[type], 0) << type;
  for (const auto& [kind, names] : Enums()) {
    for (const std::string& name : names) {
      if (kind != 'R') {
        EXPECT_TRUE(values.contains(name)) << name;
      }
    }
  }
  // Reasons of each group: covered elsewhere, not required, still a gap.
  for (const auto& group :
       std::vector<std::vector<std::string>>{{"EMPLOYEE_INSURANCE", "ENROLLED_ELSEWHERE"},
                                             {"DECEASED", "MILITARY_SERVICE", "IMPRISONED", "EMIGRATED"},
                                             {"CANNOT_AFFORD", "REFUSED", "LOST_CONTACT", "IDENTITY_ERROR", "OTHER"}}) {
    EXPECT_TRUE(std::any_of(group.begin(), group.end(), [&](const std::string& r) { return values.contains(r); }))
        << group[0];
  }
}

TEST(GenerateTest, MalformedLinesMatchStatsAndCoverEveryKind) {
  const GeneratedRun& run = DefaultRun();
  std::map<std::string, int> kinds;
  for (const std::string& fault : run.fault) {
    if (!fault.empty()) ++kinds[fault];
  }
  int64_t malformed = 0;
  for (const auto& [kind, count] : kinds) malformed += count;
  EXPECT_EQ(malformed, run.stats.malformed);
  for (const char* kind :
       {"unknown enum name", "unknown field", "negative amount", "amounts exceed total", "impossible date",
        "missing event_id", "region not 6 digits", "oversized string", "wrong topic", "not JSON"}) {
    EXPECT_GT(kinds[kind], 0) << kind;
  }
  EXPECT_EQ(kinds.size(), 10u) << "a valid event failed a check";
}

TEST(GenerateTest, EventIdsAreUniqueExceptTheDuplicates) {
  const GeneratedRun& run = DefaultRun();
  std::map<std::string, std::string> first_line;
  int64_t repeats = 0, exact = 0;
  for (size_t i = 0; i < run.lines.size(); ++i) {
    if (!run.events[i].contains("event_id")) continue;
    const std::string id = run.events[i]["event_id"];
    if (!run.repeat[i]) {
      first_line[id] = run.lines[i];
      continue;
    }
    ++repeats;
    if (first_line[id] == run.lines[i]) ++exact;
  }
  EXPECT_EQ(repeats, run.stats.duplicates);
  EXPECT_GT(exact, 0);
  EXPECT_GT(repeats - exact, 0) << "no event_id reused with different content";
}

TEST(GenerateTest, SharesAreRoughlyAsAsked) {
  GenerateOptions opts;
  opts.persons = 400;
  opts.months = 12;
  opts.malformed_share = 0.02;
  opts.duplicate_share = 0.01;
  GenerateStats stats;
  Generate(opts, &stats);
  const double lines = static_cast<double>(stats.lines);
  EXPECT_NEAR(stats.malformed / lines, 0.02, 0.006);
  EXPECT_NEAR(stats.duplicates / lines, 0.01, 0.004);
  opts.malformed_share = opts.duplicate_share = 0;
  Generate(opts, &stats);
  EXPECT_EQ(stats.malformed, 0);
  EXPECT_EQ(stats.duplicates, 0);
}

TEST(GenerateTest, StatsMatchOutput) {
  const GeneratedRun& run = DefaultRun();
  EXPECT_EQ(run.stats.lines, static_cast<int64_t>(run.lines.size()));
  std::map<std::string, int64_t> by_type;
  for (const json* e : ValidEvents()) ++by_type[(*e)["payload_type"]];
  EXPECT_EQ(by_type, run.stats.by_type);
  int64_t sum = 0;
  for (const auto& [type, count] : run.stats.by_type) sum += count;
  EXPECT_EQ(sum + run.stats.malformed + run.stats.duplicates, run.stats.lines);
}

TEST(GenerateTest, PersonEventsComeInCausalOrder) {
  std::set<std::string> granted, settled;
  int64_t paid_after = 0, paid_before = 0;
  for (const json* e : ValidEvents()) {
    const std::string type = (*e)["payload_type"];
    if (!HasPerson(type)) continue;
    const std::string person = (*e)["person_id"];
    if (type == "IdentityGranted") granted.insert(person);
    ASSERT_TRUE(granted.contains(person)) << "before any grant: " << e->dump();
    const json& p = (*e)["payload"];
    if (type == "ClaimSettled") settled.insert(p["claim_id"].get<std::string>());
    if (type == "ClaimReversed") {
      EXPECT_TRUE(settled.contains(p["claim_id"].get<std::string>())) << e->dump();
    }
    if (type == "ReimbursementPaid") {
      ++(settled.contains(p["claim_id"].get<std::string>()) ? paid_after : paid_before);
    }
  }
  EXPECT_GT(paid_before, 0) << "no payment arrives before its claim";
  EXPECT_LT(paid_before * 20, paid_after);
}

TEST(GenerateTest, BusinessDatesAscendWithinReason) {
  const auto events = ValidEvents();
  int64_t max_on = 0, backwards = 0;
  for (const json* e : events) {
    const int64_t on = (*e)["occurred_on"];
    EXPECT_GE(on, 20190101);
    EXPECT_LE(on, 20210301);  // 24 months, then manual payments still due
    if (on < max_on) ++backwards;
    max_on = std::max(max_on, on);
  }
  EXPECT_GT(backwards, 0) << "no claim uploaded late";
  EXPECT_LT(backwards * 100, static_cast<int64_t>(events.size()));
}

TEST(GenerateTest, RegionsAndAmountsAreRealistic) {
  std::set<std::string> codes;
  for (const Region& r : ProvinceRegions()) codes.insert(std::string(r.code));
  int64_t inpatient = 0, typical_catalog_share = 0, late_rosters = 0, high_deductible = 0;
  std::map<std::string, int> policy_versions;
  for (const json* e : ValidEvents()) {
    EXPECT_TRUE(codes.contains((*e)["region"].get<std::string>())) << e->dump();
    const json& p = (*e)["payload"];
    const std::string type = (*e)["payload_type"];
    if (type == "ClaimSettled") {
      EXPECT_LE(p["admitted_on"], p["discharged_on"]);
      if (p["visit"] == "INPATIENT") {
        ++inpatient;
        const double share = p["out_of_catalog"].get<double>() / p["total"].get<double>();
        if (share >= 0.03 && share <= 0.12) ++typical_catalog_share;
      }
    } else if (type == "RosterDelivered") {
      const int64_t due_day = p["kind"] == "ROSTER_TO_INSURANCE" ? 10 : 20;
      if ((*e)["occurred_on"] > p["period"].get<int64_t>() * 100 + due_day) ++late_rosters;
    } else if (type == "PolicyPublished") {
      ++policy_versions[p["policy_id"]];
      if (p["critical_deductible"] > 600000) ++high_deductible;
    }
  }
  EXPECT_GT(typical_catalog_share * 10, inpatient * 7);
  EXPECT_GT(late_rosters, 0);
  EXPECT_GT(high_deductible, 0);
  EXPECT_TRUE(std::any_of(policy_versions.begin(), policy_versions.end(), [](const auto& v) { return v.second > 1; }))
      << "no policy re-published";
}

TEST(RegionsTest, ProvinceCitiesAndCountiesHaveRealCodes) {
  const auto regions = ProvinceRegions();
  ASSERT_FALSE(regions.empty());
  EXPECT_EQ(regions[0].code, "230000");
  EXPECT_EQ(regions[0].name, "黑龙江省");
  std::set<std::string_view> codes;
  for (const Region& r : regions) {
    EXPECT_TRUE(IsSixDigits(std::string(r.code))) << r.code;
    EXPECT_TRUE(r.code.starts_with("23")) << r.code;
    EXPECT_FALSE(r.name.empty());
    EXPECT_TRUE(codes.insert(r.code).second) << "twice: " << r.code;
  }
  // The province's whole tree as the national table has it: 12 cities and
  // the 大兴安岭地区 prefecture, 126 counties and districts.
  ASSERT_EQ(Cities().size(), 13u);
  EXPECT_EQ(Cities().back().code, "232700");
  EXPECT_EQ(Cities().back().name, "大兴安岭地区");
  EXPECT_EQ(Counties().size(), 126u);
  EXPECT_EQ(regions.size(), 1 + 13 + 126u);
  for (const Region& r : regions) EXPECT_EQ(DivisionName(r.code), r.name) << r.code;
  EXPECT_EQ(DivisionName("230100"), "哈尔滨市");
  EXPECT_EQ(DivisionName("230129"), "延寿县");
  for (const County& c : Counties()) {
    EXPECT_EQ(c.code.substr(0, 4), c.city_code.substr(0, 4)) << c.code;
    EXPECT_EQ(Cities()[c.city_index].code, c.city_code);
    EXPECT_GT(c.weight, 0);
  }
}

}  // namespace
}  // namespace safetynet::gen
