// Rectification items (整改事项), end to end through Kafka and the HTTP API,
// with dates and counts computed by hand: a manual item through its whole
// lifecycle (open, overdue exactly after the deadline, rectified, closed by
// verification, reopened), steps that arrive before their item, automatic
// items following their findings (C1, C6, C8), status and lateness (C12) on
// past dates, and the monthly report's counts of items opened, rectified,
// closed and late. The settlement window is 0 days (audit_fixture.h).
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "tests/audit_fixture.h"

namespace safetynet::test {
namespace {

Json Rect(const std::string& id, int occurred_on, const std::string& type, Json payload) {
  return Event(id, occurred_on, "230102", "", type, payload);
}

class RectificationScenario : public AuditScenario {
 protected:
  Json Item(const std::string& item_id, const std::string& date = "") {
    return HttpGet(port(), "/v1/rectifications/" + item_id + (date.empty() ? "" : "?date=" + date)).json();
  }
  std::string StatusOf(const std::string& item_id, const std::string& date) {
    const Json j = Item(item_id, date);
    return j.contains("status") ? j["status"].get<std::string>() : "error";
  }
  Json List(const std::string& query) { return HttpGet(port(), "/v1/rectifications?limit=1000&" + query).json(); }
  Json Report(const std::string& region, int month) {
    return HttpGet(port(), "/v1/reports/monthly?region=" + region + "&month=" + std::to_string(month))
        .json()["rectification_items"];
  }
};

TEST_F(RectificationScenario, ManualAndAutomaticItemsThroughTheirLifecycles) {
  // X is poor from 2020-01-01 and enrolled nowhere: three C1 gaps, confirmed
  // (findings) once the ledger's date is past 20200101, so three automatic
  // items opened on 20200102 with deadline 20200201.
  Step(Event("gx", 20200101, "230102", kX, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  Tick(20200102);
  const std::string c1_basic = "auto:C1:" + PseudonymOf(kX) + "%2Fbasic";
  EXPECT_EQ(Item(c1_basic)["deadline"], 20200201);
  EXPECT_EQ(Item(c1_basic)["opened_on"], 20200102);
  EXPECT_EQ(Item(c1_basic)["category"], "C1");
  EXPECT_EQ(Item(c1_basic)["subject"], PseudonymOf(kX) + "/basic");
  EXPECT_EQ(Item(c1_basic)["history"][0]["step"], "finding_opened");

  // R1, opened by an inspector on 20200305 with deadline 20200315.
  Step(Rect("r1-open", 20200305, "RectificationOpened",
            {{"item_id", "R1"},
             {"category", "C1"},
             {"subject", "village 230102-7 roster"},
             {"description", "three poor persons not enrolled"},
             {"responsible_unit", "县医保局"},
             {"deadline", 20200315}}));
  EXPECT_EQ(StatusOf("R1", "20200304"), "");  // not an item yet on that day
  EXPECT_EQ(StatusOf("R1", "20200305"), "open");
  EXPECT_EQ(StatusOf("R1", "20200315"), "open");  // the deadline day itself is not overdue
  EXPECT_EQ(StatusOf("R1", "20200316"), "overdue");
  EXPECT_EQ(Item("R1")["responsible_unit"], "县医保局");

  // Claim K1 (total 1,000 yuan, in-policy 900): C6 opens when the ledger's
  // date passes the discharge (20200310) with nothing paid (assistance 0 <
  // ceil(900 yuan x 70%)) — here with the first payment, dated 20200320 —
  // and clears once the day the assistance came is over.
  Step(Claim("k1", kX, "K1", 20200310, 100000, 10000, 90000));
  EXPECT_EQ(HttpGet(port(), "/v1/rectifications/auto:C6:K1").status, 404);  // not judged on the discharge day
  Step(Pay("k1-b", kX, "K1", "BASIC_RESIDENT", 60000));
  EXPECT_EQ(Item("auto:C6:K1")["deadline"], 20200419);  // 20200320 + 30 days
  Step(Pay("k1-c", kX, "K1", "CRITICAL_ILLNESS", 20000, 500000));
  Step(Pay("k1-m", kX, "K1", "MEDICAL_ASSISTANCE", 20000));  // 20000 >= ceil(10000 x 0.7)
  EXPECT_EQ(StatusOf("auto:C6:K1", "20200320"), "open");     // until the day is over
  EndDay();                                                  // 20200321
  EXPECT_EQ(StatusOf("auto:C6:K1", "20200321"), "rectified");
  EXPECT_EQ(StatusOf("auto:C6:K1", "20200320"), "open");
  EXPECT_EQ(StatusOf("auto:C6:K1", "20200319"), "");  // no item yet on that day
  // Paid exactly the total: no C8 and no item.
  EXPECT_EQ(HttpGet(port(), "/v1/rectifications/auto:C8:K1").status, 404);

  // R1 progresses, is rectified and verified (销号).
  Step(Rect("r1-prog", 20200317, "RectificationProgressed", {{"item_id", "R1"}, {"note", "two enrolled"}}));
  EXPECT_EQ(StatusOf("R1", "20200317"), "overdue");
  Step(Rect("r1-rect", 20200318, "RectificationRectified", {{"item_id", "R1"}, {"evidence", "all three enrolled"}}));
  EXPECT_EQ(StatusOf("R1", "20200318"), "rectified");
  EXPECT_EQ(StatusOf("R1", "20200317"), "overdue");  // the past does not change
  Step(Rect("r1-ver", 20200320, "RectificationVerified", {{"item_id", "R1"}, {"verifier", "市医保局 王"}}));
  EXPECT_EQ(StatusOf("R1", "20200320"), "closed");
  // Late (C12): R1 was overdue while rectified, and closed after its deadline: late on every day since.
  EXPECT_FALSE(Item("R1", "20200315")["late"].get<bool>());
  EXPECT_TRUE(Item("R1", "20200316")["late"].get<bool>());
  EXPECT_TRUE(Item("R1", "20200318")["late"].get<bool>());
  EXPECT_TRUE(Item("R1", "20200320")["late"].get<bool>());

  // C8 on K1: one fen over the total opens it when the day (20200321) is
  // over; the reversal (20200325) clears it when its day is over; paid again
  // it reopens; reversed again it clears; then an inspector verifies it.
  Step(Pay("k1-m2", kX, "K1", "MEDICAL_ASSISTANCE", 1));
  const uint64_t c8_opened = EndDay();                  // 20200322
  EXPECT_EQ(Item("auto:C8:K1")["deadline"], 20200421);  // 20200322 + 30 days
  EXPECT_EQ(StatusOf("auto:C8:K1", "20200421"), "open");
  EXPECT_EQ(StatusOf("auto:C8:K1", "20200422"), "overdue");
  Step(Unpay("k1-r", kX, "K1", "MEDICAL_ASSISTANCE", 1));
  const uint64_t c8_cleared = EndDay();  // 20200326
  EXPECT_EQ(StatusOf("auto:C8:K1", "20200326"), "rectified");
  Step(Pay("k1-m3", kX, "K1", "MEDICAL_ASSISTANCE", 5));
  EndDay();  // 20200327: reopened
  EXPECT_EQ(StatusOf("auto:C8:K1", "20200327"), "open");
  EXPECT_EQ(StatusOf("auto:C8:K1", "20200326"), "rectified");
  Step(Unpay("k1-r2", kX, "K1", "MEDICAL_ASSISTANCE", 5));
  EndDay();  // 20200328: cleared
  Step(Rect("c8-ver", 20200328, "RectificationVerified", {{"item_id", "auto:C8:K1"}, {"verifier", "inspector"}}));
  const Json c8 = Item("auto:C8:K1", "20200328");
  EXPECT_EQ(c8["status"], "closed");
  EXPECT_FALSE(c8["late"].get<bool>());  // verified before its deadline (20200421)
  ASSERT_EQ(c8["history"].size(), 5u);
  EXPECT_EQ(c8["history"][0]["step"], "finding_opened");
  EXPECT_EQ(c8["history"][0]["seq"], c8_opened);
  EXPECT_EQ(c8["history"][1]["step"], "finding_cleared");
  EXPECT_EQ(c8["history"][1]["seq"], c8_cleared);
  EXPECT_EQ(c8["history"][2]["step"], "finding_reopened");
  EXPECT_EQ(c8["history"][3]["step"], "finding_cleared");
  EXPECT_EQ(c8["history"][4]["step"], "verified");
  EXPECT_EQ(c8["history"][4]["text"], "inspector");
  EXPECT_TRUE(c8["automatic"].get<bool>());

  // A step before its item: R9 progresses (20200330) before it is opened
  // (20200402); until then it is no item, then its history has both steps.
  Step(Rect("r9-prog", 20200330, "RectificationProgressed", {{"item_id", "R9"}, {"note", "early"}}));
  EXPECT_EQ(HttpGet(port(), "/v1/rectifications/R9").status, 404);
  Step(Rect("r1-reopen", 20200401, "RectificationReopened", {{"item_id", "R1"}, {"reason", "one lapsed"}}));
  EXPECT_EQ(StatusOf("R1", "20200401"), "overdue");  // reopened after its deadline
  Step(Rect("r9-open", 20200402, "RectificationOpened",
            {{"item_id", "R9"}, {"category", "C7"}, {"subject", "H230102001/202003"}, {"deadline", 20200501}}));
  EXPECT_EQ(Item("R9")["history"].size(), 2u);
  EXPECT_EQ(Item("R9")["opened_on"], 20200402);

  // The list on the ledger's date (20200402): C1 x3 and R1 overdue, C6 rectified,
  // C8 closed, R9 open; late: C1 x3 and R1.
  Json all = List("region=2301");
  EXPECT_EQ(all["date"], 20200402);
  EXPECT_EQ(all["counts"], (Json{{"open", 1}, {"overdue", 4}, {"rectified", 1}, {"closed", 1}, {"late", 4}}));
  EXPECT_EQ(all["items"].size(), 7u);
  Json overdue = List("region=230102&status=overdue");
  ASSERT_EQ(overdue["items"].size(), 4u);
  for (const auto& item : overdue["items"]) {
    EXPECT_EQ(item["status"], "overdue");
    EXPECT_TRUE(item["late"].get<bool>());
  }
  EXPECT_EQ(List("late=true")["items"].size(), 4u);
  EXPECT_EQ(List("late=false")["items"].size(), 3u);
  // On 20200316: C1 x3 and R1 overdue, C6, C8 and R9 not yet items.
  EXPECT_EQ(List("date=20200316")["counts"],
            (Json{{"open", 0}, {"overdue", 4}, {"rectified", 0}, {"closed", 0}, {"late", 4}}));
  EXPECT_EQ(List("region=2302")["items"].size(), 0u);
  // Paging: 3 + 3 + 1 items, no item twice.
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const Json page =
        HttpGet(port(), "/v1/rectifications?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor)).json();
    for (const auto& item : page["items"]) EXPECT_TRUE(seen.insert(item["item_id"]).second);
    cursor = page["next"].is_null() ? "" : page["next"].get<std::string>();
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7u);

  // The monthly report. January: the three C1 items opened. March: R1, C6 and
  // C8 opened; R1 rectified, C6 and C8 cleared; R1 and C8 verified. April:
  // R9 opened (R1's reopening is not an opening). Late on the month's last
  // day: none on 20200131 (the C1 deadline is 20200201); on 20200331 the C1
  // items and R1 (closed after its deadline); on 20200430 also C6, rectified
  // but not verified by its deadline 20200419.
  EXPECT_EQ(Report("23", 202001), (Json{{"opened", 3}, {"rectified", 0}, {"closed", 0}, {"late", 0}}));
  EXPECT_EQ(Report("230102", 202003), (Json{{"opened", 3}, {"rectified", 3}, {"closed", 2}, {"late", 4}}));
  EXPECT_EQ(Report("", 202004), (Json{{"opened", 1}, {"rectified", 0}, {"closed", 0}, {"late", 5}}));
  EXPECT_EQ(Report("2302", 202003), (Json{{"opened", 0}, {"rectified", 0}, {"closed", 0}, {"late", 0}}));
  const auto csv = HttpGet(port(), "/v1/reports/monthly?region=230102&month=202003&format=csv");
  EXPECT_NE(csv.body.find("逾期未销号事项数"), std::string::npos);

  // Bad parameters get a clear 400.
  EXPECT_EQ(HttpGet(port(), "/v1/rectifications?status=late").status, 400);
  EXPECT_EQ(HttpGet(port(), "/v1/rectifications?late=maybe").status, 400);
  EXPECT_EQ(HttpGet(port(), "/v1/rectifications?date=20201340").status, 400);
}

TEST_F(RectificationScenario, TheDeadlineAndWindowSettingsAreRecordedAndARestartWithAnotherIsRefused) {
  Step(Event("gx", 20200101, "230102", kX, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  Tick(20200102);
  EXPECT_EQ(Item("auto:C1:" + PseudonymOf(kX) + "%2Fbasic")["deadline"], 20200201);
  ASSERT_EQ(daemon_->Stop(), 0);
  const auto start_with = [&](const std::string& toml, std::string* out) {
    const std::string config = dir_.path() + "/other.toml";
    std::ofstream(config) << toml;
    return RunCommand(std::string("SAFETYNET_PERSON_KEY=") + kPersonKeyHex + " SAFETYNET_DEADLETTER_KEY=" +
                          kDeadLetterKeyHex + " " + SafetynetdPath() + " --config " + config + " --data " + data_dir() +
                          " --brokers " + broker_->bootstrap() + " --http 127.0.0.1:0 2>&1",
                      out);
  };
  std::string out;
  EXPECT_EQ(start_with("[rectification]\nauto_deadline_days = 45\n[findings]\nsettlement_window_days = 0\n", &out), 2)
      << out;
  EXPECT_NE(out.find("rectification deadline (rectification.auto_deadline_days) of 45 days requested, but the "
                     "projections in this data directory were built with 30 days"),
            std::string::npos)
      << out;
  EXPECT_EQ(start_with("[findings]\nsettlement_window_days = 30\n", &out), 2) << out;
  EXPECT_NE(out.find("settlement window (findings.settlement_window_days) of 30 days requested, but the projections "
                     "in this data directory were built with 0 days"),
            std::string::npos)
      << out;
  // With the recorded values it starts and the items are unchanged.
  daemon_->Start();
  EXPECT_EQ(Item("auto:C1:" + PseudonymOf(kX) + "%2Fbasic")["deadline"], 20200201);
}

}  // namespace
}  // namespace safetynet::test
