// Access control end to end (R5): the real daemon with a config file that
// names an inspector for city 2301, besides the test auditor. A generated
// province goes in through Kafka; then every kind of API call is made with
// no token, a wrong token, the auditor's and the inspector's.
#include <gtest/gtest.h>

#include <fstream>

#include "daemon/access.h"
#include "tests/harness.h"

namespace safetynet::test {
namespace {

const std::string kInspectorToken = "inspector-of-2301-only";

class AccessE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ledger_ = std::make_unique<SuiteLedger>(
        "[[access.tokens]]\nname = \"harbin inspector\"\nrole = \"inspector\"\n"
        "regions = [\"2301\"]\nsha256 = \"" +
        TokenSha256Hex(kInspectorToken) + "\"\n");
    ledger_->PublishProvince(/*seed=*/9, /*persons=*/300, /*months=*/3);
  }
  static void TearDownTestSuite() { ledger_.reset(); }
  static int As(const std::string& token, const std::string& path) {
    return HttpGetAs(token, ledger_->daemon->http_port(), path).status;
  }
  static int Inspector(const std::string& path) { return As(kInspectorToken, path); }
  // The ledger's events, as the auditor reads them page by page.
  static std::vector<Json> Events() {
    std::vector<Json> out;
    std::string after = "0";
    do {
      const Json j = HttpGet(ledger_->daemon->http_port(), "/v1/events?limit=1000&after=" + after).json();
      for (const Json& e : j["events"]) out.push_back(e);
      after = j["next"].is_null() ? "" : j["next"].dump();
    } while (!after.empty());
    return out;
  }

  static inline std::unique_ptr<SuiteLedger> ledger_;
};

TEST_F(AccessE2E, OnlyHealthAndThePageAreOpen) {
  EXPECT_EQ(As("", "/healthz"), 200);
  EXPECT_EQ(As("", "/"), 200);
  for (const char* path : {"/metrics", "/v1/coverage?region=2301", "/v1/events", "/v1/whoami", "/v1/persons/x/ledger",
                           "/v1/claims/x", "/v1/reports/monthly?region=2301&month=201902", "/v1/no-such-thing"}) {
    EXPECT_EQ(As("", path), 401) << path;
    EXPECT_EQ(As("not-a-token", path), 401) << path;
  }
  // A path in no route is denied like any other to a caller without a token; 404 with one.
  EXPECT_EQ(As(kAuditorToken, "/v1/no-such-thing"), 404);
  EXPECT_EQ(Inspector("/v1/no-such-thing"), 404);
  const auto r = HttpGetAs("", ledger_->daemon->http_port(), "/v1/coverage?region=23");
  EXPECT_NE(r.json()["error"].get<std::string>().find("token"), std::string::npos) << r.body;
}

TEST_F(AccessE2E, TheAuditorSeesEverything) {
  const Json me = HttpGet(ledger_->daemon->http_port(), "/v1/whoami").json();
  EXPECT_EQ(me["role"], "auditor");
  for (const char* path : {"/metrics", "/v1/events?limit=2", "/v1/deadletters", "/v1/findings/changes",
                           "/v1/offset-jumps", "/v1/coverage", "/v1/coverage?region=2302", "/v1/findings"}) {
    EXPECT_EQ(As(kAuditorToken, path), 200) << path;
  }
}

TEST_F(AccessE2E, AnInspectorReadsOnlyItsRegions) {
  const Json me = HttpGetAs(kInspectorToken, ledger_->daemon->http_port(), "/v1/whoami").json();
  EXPECT_EQ(me["role"], "inspector");
  EXPECT_EQ(me["name"], "harbin inspector");
  EXPECT_EQ(me["regions"], Json::array({"2301"}));
  for (const char* path :
       {"/v1/coverage?region=2301", "/v1/coverage?region=230102", "/v1/coverage/regions?region=2301",
        "/v1/coverage/gaps?region=2301", "/v1/findings?region=2301", "/v1/rectifications?region=2301",
        "/v1/reports/monthly?region=2301&month=201902", "/v1/reports/policy-survey?region=2301"}) {
    EXPECT_EQ(Inspector(path), 200) << path;
  }
  // Elsewhere, the whole province, or no region at all: forbidden.
  for (const char* path : {"/v1/coverage?region=2302", "/v1/coverage?region=23", "/v1/coverage", "/v1/findings",
                           "/v1/coverage/gaps?region=2302", "/v1/rectifications?region=23",
                           "/v1/reports/monthly?region=23&month=201902"}) {
    EXPECT_EQ(Inspector(path), 403) << path;
  }
  // The raw ledger, dead letters, the change log, offsets and metrics are the auditor's.
  for (const char* path : {"/metrics", "/v1/events", "/v1/deadletters", "/v1/findings/changes", "/v1/offset-jumps"}) {
    EXPECT_EQ(Inspector(path), 403) << path;
  }
  // What an inspector is shown lies in its regions.
  const Json findings =
      HttpGetAs(kInspectorToken, ledger_->daemon->http_port(), "/v1/findings?region=2301&limit=1000").json();
  ASSERT_FALSE(findings["findings"].empty());
  for (const Json& f : findings["findings"]) EXPECT_EQ(f["region"].get<std::string>().substr(0, 4), "2301") << f;
}

TEST_F(AccessE2E, PersonsClaimsAndItemsAreShownOnlyInsideTheInspectorsRegions) {
  // One person, one claim and one item on each side of the border, found by the auditor.
  int checked = 0;
  // Outside them: 404, as for an unknown one (no oracle of what exists elsewhere).
  for (const auto& [region, expected] : {std::pair<std::string, int>{"2301", 200}, {"2302", 404}}) {
    SCOPED_TRACE(region);
    const Json gaps = HttpGet(ledger_->daemon->http_port(), "/v1/coverage/gaps?limit=5&region=" + region).json();
    ASSERT_FALSE(gaps["persons"].empty()) << gaps;
    const std::string person = gaps["persons"][0]["person"];
    EXPECT_EQ(As(kAuditorToken, "/v1/persons/" + person + "/ledger"), 200);
    EXPECT_EQ(Inspector("/v1/persons/" + person + "/ledger"), expected);
    for (const Json& e : Events()) {
      if (e["type"] != "ClaimSettled" || !e["event"]["region"].get<std::string>().starts_with(region)) continue;
      const std::string claim = e["event"]["payload"]["claim_id"];
      ASSERT_EQ(As(kAuditorToken, "/v1/claims/" + claim), 200) << claim;
      if (!HttpGet(ledger_->daemon->http_port(), "/v1/claims/" + claim)
               .json()["region"]
               .get<std::string>()
               .starts_with(region)) {
        continue;  // settled again elsewhere
      }
      EXPECT_EQ(Inspector("/v1/claims/" + claim), expected) << claim;
      ++checked;
      break;
    }
    const Json items = HttpGet(ledger_->daemon->http_port(), "/v1/rectifications?limit=5&region=" + region).json();
    ASSERT_FALSE(items["items"].empty()) << items;
    std::string id = items["items"][0]["item_id"];
    for (size_t at; (at = id.find('/')) != std::string::npos;) id.replace(at, 1, "%2F");
    EXPECT_EQ(As(kAuditorToken, "/v1/rectifications/" + id), 200) << id;
    EXPECT_EQ(Inspector("/v1/rectifications/" + id), expected) << id;
  }
  EXPECT_EQ(checked, 2) << "no claim on one side of the border";
  // Unknown ones are 404 for either, with the same answer as one outside the regions.
  EXPECT_EQ(Inspector("/v1/claims/no-such-claim"), 404);
  EXPECT_EQ(HttpGetAs(kInspectorToken, ledger_->daemon->http_port(), "/v1/claims/no-such-claim").body,
            R"({"error":"unknown claim"})");
}

TEST_F(AccessE2E, ABadTokenEntryIsRefusedAtStart) {
  const std::string config = ledger_->dir.path() + "/bad.toml";
  std::ofstream(config) << "[[access.tokens]]\nname = \"x\"\nrole = \"inspector\"\nregions = [\"231\"]\nsha256 = \""
                        << TokenSha256Hex("t") << "\"\n";
  std::string out;
  const int rc = RunCommand(SafetynetdPath() + " --config " + config + " --data " + ledger_->dir.path() +
                                "/bad --embedded-kafka --http 127.0.0.1:0 2>&1",
                            &out);
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("region \"231\" is not a 2, 4 or 6 digit prefix"), std::string::npos) << out;
}

}  // namespace
}  // namespace safetynet::test
