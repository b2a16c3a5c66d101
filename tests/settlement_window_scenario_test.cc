// The settlement window (domain.md, docs/decisions.md), end to end through
// Kafka and the HTTP API with the default 30 days, dates computed by hand: a
// claim paid within its window opens no finding, no outbound change and no
// item, whichever of settlement and payments comes first; a claim still
// short when its window passes opens C6 with no new event of its own; C8,
// C10 and C7 wait the same way; a coverage gap opens C1 only once it has
// lasted the window; a finding whose subject has no region is listed under
// the region of its claim's events.
#include <gtest/gtest.h>

#include "tests/audit_fixture.h"

namespace safetynet::test {
namespace {

class SettlementWindowScenario : public AuditScenario {
 protected:
  std::string ConfigToml() const override { return ""; }  // the defaults: a 30-day window
  // Every opening and clearing the ledger published, as "check subject status".
  std::vector<std::string> Changes() {
    std::vector<std::string> out;
    const Json j = HttpGet(daemon_->http_port(), "/v1/findings/changes?limit=1000").json();
    for (const auto& c : j["changes"]) {
      out.push_back(c["check"].get<std::string>() + " " + c["subject"].get<std::string>() + " " +
                    c["status"].get<std::string>());
    }
    return out;
  }
  int ItemStatus(const std::string& item_id) {
    return HttpGet(daemon_->http_port(), "/v1/rectifications/" + item_id).status;
  }
};

Json PayOn(const std::string& id, int on, const std::string& person, const std::string& claim_id, const char* tier,
           int64_t amount) {
  Json e = Pay(id, person, claim_id, tier, amount);
  e["occurred_on"] = on;
  return e;
}

TEST_F(SettlementWindowScenario, ClaimsPaidWithinTheirWindowOpenNothingAndShortOnesOpenWhenItPasses) {
  Step(Event("gx", 20200101, "230102", kX, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  const auto enroll = [&](const char* tier) {
    Step(Event(std::string("ex-") + tier, 20200101, "230102", kX, "EnrollmentChanged",
               {{"tier", tier}, {"enrolled", true}, {"effective_on", 20200101}}));
  };
  enroll("BASIC_RESIDENT");
  enroll("CRITICAL_ILLNESS");
  enroll("MEDICAL_ASSISTANCE");

  // Four stays of 1,000 yuan (in policy 900), in the order their events happen:
  //  A settled, then paid in full within its window: basic 600, critical 200,
  //    assistance 70 = ceil(100 x 70%);
  //  B the same, but every payment arrives before the settlement;
  //  S settled, basic and critical paid, the assistance never comes;
  //  O paid above its cost on 20200315 (basic 1,100 yuan), 200 taken back on
  //    20200401: basic 900 covers the in-policy cost, nothing is due;
  //  P (discharged a day later) paid above its cost, never corrected.
  Step(Claim("a", kX, "A", 20200310, 100000, 10000, 90000));
  Step(Claim("s", kX, "S", 20200310, 100000, 10000, 90000));
  Step(Claim("o", kX, "O", 20200310, 100000, 10000, 90000));
  Step(Claim("p", kX, "P", 20200311, 100000, 10000, 90000));
  Step(PayOn("a-b", 20200312, kX, "A", "BASIC_RESIDENT", 60000));
  Step(PayOn("b-b", 20200312, kX, "B", "BASIC_RESIDENT", 60000));
  Step(PayOn("s-b", 20200312, kX, "S", "BASIC_RESIDENT", 60000));
  Step(PayOn("a-c", 20200313, kX, "A", "CRITICAL_ILLNESS", 20000));
  Step(PayOn("b-c", 20200313, kX, "B", "CRITICAL_ILLNESS", 20000));
  Step(PayOn("s-c", 20200313, kX, "S", "CRITICAL_ILLNESS", 20000));
  Step(PayOn("o-b", 20200315, kX, "O", "BASIC_RESIDENT", 110000));
  Step(PayOn("p-b", 20200315, kX, "P", "BASIC_RESIDENT", 110000));
  Step(PayOn("a-m", 20200320, kX, "A", "MEDICAL_ASSISTANCE", 7000));
  Step(PayOn("b-m", 20200320, kX, "B", "MEDICAL_ASSISTANCE", 7000));
  Step(Claim("b", kX, "B", 20200310, 100000, 10000, 90000));
  Step(Event("o-r", 20200401, "230102", kX, "ReimbursementReversed",
             {{"claim_id", "O"}, {"tier", "BASIC_RESIDENT"}, {"amount", 20000}, {"reason", "excess"}}));
  // N: a payment whose claim never arrives, of a person with no grant, in county 230103.
  Json orphan = PayOn("n-b", 20200402, "230103197001010099", "N", "BASIC_RESIDENT", 5000);
  orphan["region"] = "230103";
  Step(orphan);

  // 20200409 is S's discharge + 30 days: its window has not passed yet.
  Tick(20200409);
  EXPECT_EQ(Changes(), std::vector<std::string>{}) << "nothing has opened within the windows";
  EXPECT_EQ(Status("C6", "S"), "none");
  EXPECT_EQ(Status("C8", "P"), "none");
  // 20200410: S's window has passed with no event of S's: C6 opens (due
  // ceil(100 yuan x 70%) = 70 yuan, paid 0). P was discharged a day later:
  // its window passes on 20200411, and C8 opens then.
  Tick(20200410);
  Json c6 = Finding("C6", "S");
  EXPECT_EQ(c6["status"], "open");
  EXPECT_EQ(c6["measured"], 0);
  EXPECT_EQ(c6["threshold"], 7000);
  EXPECT_EQ(c6["opened_seq"], SeqOf("tick-20200410"));
  EXPECT_EQ(c6["opened_on"], 20200410);
  EXPECT_EQ(Status("C8", "P"), "none");
  Tick(20200411);
  EXPECT_EQ(Status("C8", "P"), "open");
  EXPECT_EQ(Finding("C8", "P")["measured"], 110000);
  // The automatic item of S's finding: deadline 20200410 + 30.
  const Json item = HttpGet(daemon_->http_port(), "/v1/rectifications/auto:C6:S").json();
  EXPECT_EQ(item["deadline"], 20200510);
  EXPECT_EQ(item["opened_on"], 20200410);

  // The assistance arrives late, on 20200420: the finding clears once that
  // day is over, and its item is rectified.
  Step(PayOn("s-m", 20200420, kX, "S", "MEDICAL_ASSISTANCE", 7000));
  EXPECT_EQ(Status("C6", "S"), "open");
  EndDay();
  EXPECT_EQ(Status("C6", "S"), "cleared");
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/rectifications/auto:C6:S").json()["status"], "rectified");

  // N's payment: C10 once the window after it has passed (20200402 + 30 = 20200502).
  EXPECT_EQ(Status("C10", "N"), "none");
  Tick(20200503);
  const Json c10 = Finding("C10", "N");
  EXPECT_EQ(c10["status"], "open");
  EXPECT_EQ(c10["measured"], 5000);
  // Listed under the region of N's payment, with a count.
  const Json county = HttpGet(daemon_->http_port(), "/v1/findings?region=230103").json();
  ASSERT_EQ(county["findings"].size(), 1u) << county;
  EXPECT_EQ(county["findings"][0]["subject"], "N");
  EXPECT_EQ(county["findings"][0]["region"], "230103");
  EXPECT_EQ(county["counts"]["C10"], 1);
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/claims/N").json()["region"], "230103");

  // In all: A, B and O opened nothing, ever; no outbound change and no item names them.
  for (const std::string& c : Changes()) {
    for (const char* quiet : {" A ", " B ", " O "}) EXPECT_EQ(c.find(quiet), std::string::npos) << c;
  }
  EXPECT_EQ(Changes(), (std::vector<std::string>{"C6 S open", "C8 P open", "C6 S cleared", "C10 N open"}));
  for (const char* id : {"auto:C6:A", "auto:C6:B", "auto:C10:B", "auto:C8:O", "auto:C10:A"}) {
    EXPECT_EQ(ItemStatus(id), 404) << id;
  }
}

TEST_F(SettlementWindowScenario, HospitalMonthsAreJudgedOnceTheMonthAndItsWindowHavePassed) {
  const std::string v = "230102198505050088";
  Step(Event("gv", 20200101, "230102", v, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  // March at H230102001: 20,001 of 200,000 out of catalogue, above 10%.
  Step(Claim("m1", v, "M1", 20200310, 100000, 10000, 90000));
  Step(Claim("m2", v, "M2", 20200325, 100000, 10001, 89999));
  Tick(20200430);  // the month's last day + 30 days: not passed yet
  EXPECT_EQ(Status("C7", "H230102001/202003"), "none");
  Tick(20200501);
  const Json c7 = Finding("C7", "H230102001/202003");
  EXPECT_EQ(c7["status"], "open");
  EXPECT_EQ(c7["measured"], 1000);
  EXPECT_EQ(c7["opened_seq"], SeqOf("tick-20200501"));
}

TEST_F(SettlementWindowScenario, CoverageGapsAreFindingsOnceTheyLastTheWindow) {
  const std::string w = "230102198505050077", q = "230102198505050066";
  // W: poor from 20200105, never enrolled. Q: poor from 20200105, enrolled on 20200115.
  Step(Event("gw", 20200105, "230102", w, "IdentityGranted", {{"identity", "MARGINAL"}, {"valid_from", 20200105}}));
  Step(Event("gq", 20200105, "230102", q, "IdentityGranted", {{"identity", "MARGINAL"}, {"valid_from", 20200105}}));
  // The coverage list shows both gaps at once: only the findings wait.
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/coverage?region=230102").json()["tiers"]["basic"]["gaps"], 2);
  for (const char* tier : {"BASIC_RESIDENT", "CRITICAL_ILLNESS", "MEDICAL_ASSISTANCE"}) {
    Step(Event(std::string("eq-") + tier, 20200115, "230102", q, "EnrollmentChanged",
               {{"tier", tier}, {"enrolled", true}, {"effective_on", 20200115}}));
  }
  Tick(20200204);  // seen since 20200105: the window ends on 20200204
  EXPECT_EQ(Status("C1", PseudonymOf(w) + "/basic"), "none");
  Tick(20200205);
  const Json c1 = Finding("C1", PseudonymOf(w) + "/basic");
  EXPECT_EQ(c1["status"], "open");
  EXPECT_EQ(c1["measured"], 20200105);  // a gap since then
  EXPECT_EQ(c1["opened_seq"], SeqOf("tick-20200205"));
  EXPECT_EQ(Status("C1", PseudonymOf(q) + "/basic"), "none");  // ten days of gap: no finding
}

}  // namespace
}  // namespace safetynet::test
