// A hand-computed coverage scenario, end to end: events go through the
// in-process Kafka broker into the real daemon, answers come from the HTTP
// API. Every expected number below was worked out by hand from the coverage
// semantics of ../shared/spec/domain.md (see the person-by-person table).
//
// Persons (region is that of the latest IdentityGranted):
//  A 230102  REGISTERED_POOR [20200101, open]; BASIC_RESIDENT, CRITICAL_ILLNESS,
//            MEDICAL_ASSISTANCE enrolled 20200101; assistance ended 20200601.
//  B 230102  LOW_INCOME [20200301, 20201231]; BASIC_EMPLOYEE enrolled 20200301;
//            critical: EMPLOYEE_INSURANCE on 20200401 (covered elsewhere);
//            assistance: DECEASED on 20200501 (not required).
//  C 230103  MARGINAL [20200101, open] revoked on 20200701 -> [20200101, 20200630];
//            BASIC_RESIDENT enrolled then (later in ledger order, same effective
//            date) not enrolled -> not enrolled; REFUSED on 20200201 (still a
//            gap); critical enrolled 20200101; assistance nothing.
//  D 230202 -> 230103  EXTREME_POOR_SUPPORTED [20200101, open] in 230202, then
//            IMMEDIATE_AID [20200201, open] granted in 230103 (moves);
//            BASIC_EMPLOYEE enrolled and BASIC_RESIDENT not enrolled on 20200101
//            (either scheme counts); critical: ENROLLED_ELSEWHERE then LOST_CONTACT
//            both on 20200101 (tie: the later decides -> gap); assistance:
//            MILITARY_SERVICE on 20200301 (not required).
//  E 230102  never poor; enrolled in basic.
//  G 230103  REGISTERED_POOR [20200101, open], revoked on 20200301 (2020 is a
//            leap year: poor through 20200229), granted again [20200601, open]
//            after the revocation (untouched by it); BASIC_RESIDENT enrolled.
//  H 230102  REGISTERED_POOR [20200501, open] revoked on 20200501: empty.
//  I 230202  REGISTERED_POOR [20200101, 20200630]; basic and critical enrolled;
//            assistance: IMPRISONED on 20200101 (not required).
//
// Status per date (basic, critical, assistance; C covered, X excluded, G gap):
//  date      A      B      C      D      G      I
//  20191231  -      -      -      -      -      -
//  20200101  C C C  -      G C G  C G G  C G G  C C X
//  20200229  C C C  -      G C G  C G G  C G G  C C X
//  20200301  C C C  C G G  G C G  C G X  -      C C X
//  20200415  C C C  C C G  G C G  C G X  -      C C X
//  20200501  C C C  C C X  G C G  C G X  -      C C X
//  20200601  C C G  C C X  G C G  C G X  C G G  C C X
//  20200701  C C G  C C X  -      C G X  C G G  -
//  20210101  C C G  -      -      C G X  C G G  -
#include <gtest/gtest.h>

#include <vector>

#include "tests/harness.h"

namespace safetynet::test {
namespace {

const std::string kA = "230102198001010011", kB = "230102198001010022", kC = "230103198001010033",
                  kD = "230202198001010044", kE = "230102198001010055", kG = "230103198001010066",
                  kH = "230102198001010077", kI = "230202198001010088";

int g_id = 0;
Json Ev(int occurred_on, const std::string& region, const std::string& person, const std::string& type,
        const Json& payload) {
  return Event("cov-" + std::to_string(++g_id), occurred_on, region, person, type, payload);
}
Json Grant(const std::string& p, const std::string& region, const char* identity, int from, int to) {
  return Ev(from, region, p, "IdentityGranted", {{"identity", identity}, {"valid_from", from}, {"valid_to", to}});
}
Json Revoke(const std::string& p, const std::string& region, const char* identity, int on) {
  return Ev(on, region, p, "IdentityRevoked", {{"identity", identity}, {"revoked_on", on}});
}
Json Enroll(const std::string& p, const std::string& region, const char* tier, bool enrolled, int on) {
  return Ev(on, region, p, "EnrollmentChanged", {{"tier", tier}, {"enrolled", enrolled}, {"effective_on", on}});
}
Json Reason(const std::string& p, const std::string& region, const char* tier, const char* reason, int on) {
  return Ev(on, region, p, "NonEnrollmentReasonRecorded", {{"tier", tier}, {"reason", reason}, {"evidence", "x"}});
}

std::vector<Json> Scenario() {
  return {
      Grant(kA, "230102", "REGISTERED_POOR", 20200101, 0),
      Enroll(kA, "230102", "BASIC_RESIDENT", true, 20200101),
      Enroll(kA, "230102", "CRITICAL_ILLNESS", true, 20200101),
      Enroll(kA, "230102", "MEDICAL_ASSISTANCE", true, 20200101),
      Enroll(kA, "230102", "MEDICAL_ASSISTANCE", false, 20200601),

      Grant(kB, "230102", "LOW_INCOME", 20200301, 20201231),
      Enroll(kB, "230102", "BASIC_EMPLOYEE", true, 20200301),
      Reason(kB, "230102", "CRITICAL_ILLNESS", "EMPLOYEE_INSURANCE", 20200401),
      Reason(kB, "230102", "MEDICAL_ASSISTANCE", "DECEASED", 20200501),

      Grant(kC, "230103", "MARGINAL", 20200101, 0),
      Revoke(kC, "230103", "MARGINAL", 20200701),
      Enroll(kC, "230103", "BASIC_RESIDENT", true, 20200101),
      Enroll(kC, "230103", "BASIC_RESIDENT", false, 20200101),
      Reason(kC, "230103", "BASIC_RESIDENT", "REFUSED", 20200201),
      Enroll(kC, "230103", "CRITICAL_ILLNESS", true, 20200101),

      Grant(kD, "230202", "EXTREME_POOR_SUPPORTED", 20200101, 0),
      Grant(kD, "230103", "IMMEDIATE_AID", 20200201, 0),
      Enroll(kD, "230103", "BASIC_EMPLOYEE", true, 20200101),
      Enroll(kD, "230103", "BASIC_RESIDENT", false, 20200101),
      Reason(kD, "230103", "CRITICAL_ILLNESS", "ENROLLED_ELSEWHERE", 20200101),
      Reason(kD, "230103", "CRITICAL_ILLNESS", "LOST_CONTACT", 20200101),
      Reason(kD, "230103", "MEDICAL_ASSISTANCE", "MILITARY_SERVICE", 20200301),

      Enroll(kE, "230102", "BASIC_RESIDENT", true, 20200101),

      Grant(kG, "230103", "REGISTERED_POOR", 20200101, 0),
      Revoke(kG, "230103", "REGISTERED_POOR", 20200301),
      Grant(kG, "230103", "REGISTERED_POOR", 20200601, 0),
      Enroll(kG, "230103", "BASIC_RESIDENT", true, 20200101),

      Grant(kH, "230102", "REGISTERED_POOR", 20200501, 0),
      Revoke(kH, "230102", "REGISTERED_POOR", 20200501),

      Grant(kI, "230202", "REGISTERED_POOR", 20200101, 20200630),
      Enroll(kI, "230202", "BASIC_RESIDENT", true, 20200101),
      Enroll(kI, "230202", "CRITICAL_ILLNESS", true, 20200101),
      Reason(kI, "230202", "MEDICAL_ASSISTANCE", "IMPRISONED", 20200101),
  };
}

struct Expect {
  const char* region;
  int date;
  int population;
  // covered, excluded, gaps, rate_bp (-1 = null) per category
  std::array<std::array<int, 4>, 3> tiers;
};

// Worked out by hand from the table in the header comment.
const Expect kExpected[] = {
    {"23", 20191231, 0, {{{0, 0, 0, -1}, {0, 0, 0, -1}, {0, 0, 0, -1}}}},
    {"23", 20200101, 5, {{{4, 0, 1, 8000}, {3, 0, 2, 6000}, {1, 1, 3, 2500}}}},
    {"2301", 20200101, 4, {{{3, 0, 1, 7500}, {2, 0, 2, 5000}, {1, 0, 3, 2500}}}},
    {"2302", 20200101, 1, {{{1, 0, 0, 10000}, {1, 0, 0, 10000}, {0, 1, 0, -1}}}},
    {"230102", 20200101, 1, {{{1, 0, 0, 10000}, {1, 0, 0, 10000}, {1, 0, 0, 10000}}}},
    {"230103", 20200101, 3, {{{2, 0, 1, 6666}, {1, 0, 2, 3333}, {0, 0, 3, 0}}}},
    {"230202", 20200101, 1, {{{1, 0, 0, 10000}, {1, 0, 0, 10000}, {0, 1, 0, -1}}}},
    {"230103", 20200229, 3, {{{2, 0, 1, 6666}, {1, 0, 2, 3333}, {0, 0, 3, 0}}}},
    {"23", 20200301, 5, {{{4, 0, 1, 8000}, {3, 0, 2, 6000}, {1, 2, 2, 3333}}}},
    {"230102", 20200301, 2, {{{2, 0, 0, 10000}, {1, 0, 1, 5000}, {1, 0, 1, 5000}}}},
    {"230103", 20200301, 2, {{{1, 0, 1, 5000}, {1, 0, 1, 5000}, {0, 1, 1, 0}}}},
    {"23", 20200415, 5, {{{4, 0, 1, 8000}, {4, 0, 1, 8000}, {1, 2, 2, 3333}}}},
    {"23", 20200501, 5, {{{4, 0, 1, 8000}, {4, 0, 1, 8000}, {1, 3, 1, 5000}}}},
    {"23", 20200601, 6, {{{5, 0, 1, 8333}, {4, 0, 2, 6666}, {0, 3, 3, 0}}}},
    {"2301", 20200601, 5, {{{4, 0, 1, 8000}, {3, 0, 2, 6000}, {0, 2, 3, 0}}}},
    {"23", 20200701, 4, {{{4, 0, 0, 10000}, {2, 0, 2, 5000}, {0, 2, 2, 0}}}},
    {"2302", 20200701, 0, {{{0, 0, 0, -1}, {0, 0, 0, -1}, {0, 0, 0, -1}}}},
    {"23", 20210101, 3, {{{3, 0, 0, 10000}, {1, 0, 2, 3333}, {0, 1, 2, 0}}}},
};

class CoverageScenario : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // (C1 findings follow complete days and the order of arrival; they are
    // followed step by step in audit_scenario_test.cc.)
    ledger_ = std::make_unique<SuiteLedger>();
    Producer producer(ledger_->broker->bootstrap());
    const auto events = Scenario();
    for (const auto& e : events) producer.SendEvent(e);
    producer.Flush();
    const int port = ledger_->daemon->http_port();
    ASSERT_TRUE(WaitUntil([&] { return Appended(port) == events.size(); }))
        << "appended " << Metric(port, "safetynet_events_appended_total") << " of " << events.size();
  }
  static void TearDownTestSuite() { ledger_.reset(); }
  static inline std::unique_ptr<SuiteLedger> ledger_;
};

TEST_F(CoverageScenario, MatchesHandComputedNumbers) {
  const char* names[] = {"basic", "critical_illness", "medical_assistance"};
  for (const Expect& x : kExpected) {
    SCOPED_TRACE(std::string(x.region) + " " + std::to_string(x.date));
    const auto r = HttpGet(ledger_->daemon->http_port(),
                           "/v1/coverage?region=" + std::string(x.region) + "&date=" + std::to_string(x.date));
    ASSERT_EQ(r.status, 200) << r.body;
    const Json j = r.json();
    EXPECT_EQ(j["region"], x.region);
    EXPECT_EQ(j["date"], x.date);
    EXPECT_EQ(j["population"], x.population);
    for (int t = 0; t < 3; ++t) {
      const Json& tier = j["tiers"][names[t]];
      EXPECT_EQ(tier["covered"], x.tiers[t][0]) << names[t];
      EXPECT_EQ(tier["excluded"], x.tiers[t][1]) << names[t];
      EXPECT_EQ(tier["gaps"], x.tiers[t][2]) << names[t];
      if (x.tiers[t][3] < 0) {
        EXPECT_TRUE(tier["rate_bp"].is_null()) << names[t] << " " << tier;
      } else {
        EXPECT_EQ(tier["rate_bp"], x.tiers[t][3]) << names[t];
      }
      EXPECT_EQ(tier["covered"].get<int>() + tier["excluded"].get<int>() + tier["gaps"].get<int>(), x.population);
    }
  }
}

TEST_F(CoverageScenario, RegionBreakdownDrillsDownOneLevelAtATime) {
  // Which regions sit below which, and who is poor there on the date, from
  // the table in the header comment; each entry must be the region's own
  // /v1/coverage answer.
  struct Drill {
    const char* region;
    int date;
    std::vector<std::pair<std::string, int>> below;  // region, population
  };
  const Drill drills[] = {
      {"", 20200101, {{"23", 5}}},
      {"23", 20200101, {{"2301", 4}, {"2302", 1}}},
      {"2301", 20200101, {{"230102", 1}, {"230103", 3}}},
      {"2301", 20200301, {{"230102", 2}, {"230103", 2}}},
      {"2302", 20200101, {{"230202", 1}}},
      {"2302", 20200701, {}},    // D moved to 230103, I's identity ended: nobody left
      {"230103", 20200101, {}},  // a county has nothing below it
  };
  for (const Drill& d : drills) {
    const std::string q = "region=" + std::string(d.region) + "&date=" + std::to_string(d.date);
    SCOPED_TRACE(q);
    const auto r = HttpGet(ledger_->daemon->http_port(), "/v1/coverage/regions?" + q);
    ASSERT_EQ(r.status, 200) << r.body;
    const Json j = r.json();
    EXPECT_EQ(j["region"], d.region);
    EXPECT_EQ(j["date"], d.date);
    EXPECT_EQ(j["coverage"], HttpGet(ledger_->daemon->http_port(), "/v1/coverage?" + q).json());
    ASSERT_EQ(j["subregions"].size(), d.below.size()) << j["subregions"];
    for (size_t i = 0; i < d.below.size(); ++i) {
      const Json& sub = j["subregions"][i];
      EXPECT_EQ(sub["region"], d.below[i].first);
      EXPECT_EQ(sub["population"], d.below[i].second);
      EXPECT_EQ(sub, HttpGet(ledger_->daemon->http_port(),
                             "/v1/coverage?region=" + d.below[i].first + "&date=" + std::to_string(d.date))
                         .json());
    }
  }
  EXPECT_EQ(HttpGet(ledger_->daemon->http_port(), "/v1/coverage/regions?region=231").status, 400);
}

TEST_F(CoverageScenario, DefaultDateIsTheLatestOccurredOn) {
  // The greatest occurred_on in the scenario is 20200701 (C's revocation).
  const Json j = HttpGet(ledger_->daemon->http_port(), "/v1/coverage?region=23").json();
  EXPECT_EQ(j["date"], 20200701);
  EXPECT_EQ(j["population"], 4);
}

TEST_F(CoverageScenario, GapListNamesThePersonsCountedAsGaps) {
  const auto r =
      HttpGet(ledger_->daemon->http_port(), "/v1/coverage/gaps?region=2301&tier=medical_assistance&date=20200601");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = r.json();
  std::map<std::string, Json> by_person;
  for (const auto& p : j["persons"]) by_person[p["person"].get<std::string>()] = p;
  ASSERT_EQ(by_person.size(), 3u) << j.dump();  // A, C, G
  const Json& a = by_person.at(PseudonymOf(kA));
  EXPECT_EQ(a["since"], 20200601);
  EXPECT_EQ(a["region"], "230102");
  EXPECT_TRUE(a["reason"].is_null());
  EXPECT_EQ(a["identities"], Json::array({"REGISTERED_POOR"}));
  EXPECT_EQ(by_person.at(PseudonymOf(kC))["since"], 20200101);
  EXPECT_EQ(by_person.at(PseudonymOf(kG))["since"], 20200601);
  EXPECT_TRUE(j["next"].is_null());

  // D's critical-illness gap carries the later of two same-day reasons.
  const Json d =
      HttpGet(ledger_->daemon->http_port(), "/v1/coverage/gaps?region=230103&tier=critical_illness&date=20200101")
          .json();
  bool found = false;
  for (const auto& p : d["persons"]) {
    if (p["person"] == PseudonymOf(kD)) {
      found = true;
      EXPECT_EQ(p["reason"], "LOST_CONTACT");
      EXPECT_EQ(p["identities"], Json::array({"EXTREME_POOR_SUPPORTED"}));
    }
  }
  EXPECT_TRUE(found) << d.dump();
}

TEST_F(CoverageScenario, GapListPagesWithCursor) {
  // 20200101, all regions, assistance: C, D, G are gaps (A covered, I excluded).
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const Json j = HttpGet(ledger_->daemon->http_port(),
                           "/v1/coverage/gaps?region=23&tier=medical_assistance&date=20200101"
                           "&limit=1" +
                               (cursor.empty() ? "" : "&cursor=" + cursor))
                       .json();
    ASSERT_LE(j["persons"].size(), 1u);
    for (const auto& p : j["persons"]) seen.insert(p["person"].get<std::string>());
    cursor = j["next"].is_null() ? "" : j["next"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen, (std::set<std::string>{PseudonymOf(kC), PseudonymOf(kD), PseudonymOf(kG)}));
}

TEST_F(CoverageScenario, PersonLedgerByRawOrHashedId) {
  const auto raw = HttpGet(ledger_->daemon->http_port(), "/v1/persons/" + kC + "/ledger");
  ASSERT_EQ(raw.status, 200) << raw.body;
  const auto hashed = HttpGet(ledger_->daemon->http_port(), "/v1/persons/" + PseudonymOf(kC) + "/ledger");
  ASSERT_EQ(hashed.status, 200);
  EXPECT_EQ(raw.body, hashed.body);
  const Json j = raw.json();
  EXPECT_EQ(j["person"], PseudonymOf(kC));
  ASSERT_EQ(j["identities"].size(), 1u);
  EXPECT_EQ(j["identities"][0]["valid_to"], 20200630);  // revoked on 20200701
  EXPECT_EQ(j["events"].size(), 6u);
  EXPECT_EQ(j["coverage"]["basic"], "not_poor");  // ledger date 20200701
  EXPECT_EQ(raw.body.find(kC), std::string::npos) << "raw ID echoed";
  EXPECT_EQ(HttpGet(ledger_->daemon->http_port(), "/v1/persons/999999999999999999/ledger").status, 404);
}

TEST_F(CoverageScenario, BadParametersAre400) {
  EXPECT_EQ(HttpGet(ledger_->daemon->http_port(), "/v1/coverage?region=231").status, 400);
  EXPECT_EQ(HttpGet(ledger_->daemon->http_port(), "/v1/coverage?region=23&date=20200230").status, 400);
  EXPECT_EQ(HttpGet(ledger_->daemon->http_port(), "/v1/coverage/gaps?tier=dental").status, 400);
  EXPECT_EQ(HttpGet(ledger_->daemon->http_port(), "/v1/coverage/gaps?limit=5000").status, 400);
}

}  // namespace
}  // namespace safetynet::test
