// End-to-end limits on what an event may carry, through Kafka and the HTTP
// API: a date later than the ingest day plus its margin, an amount above the
// documented bound, a resident ID number in free text are rejected to the
// dead letters with their reasons and move nothing; the largest accepted
// amounts go through ingest, findings and every report exactly; a
// rectification subject naming a person by raw ID is pseudonymised.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "events/date.h"
#include "events/money.h"
#include "tests/harness.h"

namespace safetynet::test {
namespace {

constexpr const char* kRawId = "230102195403120231";  // reads as a resident ID number (born 19540312)

int TodayUtc(int plus_days) {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
  return DaysToDate(days + plus_days);
}

Json Grant(const std::string& id, const std::string& person, int on) {
  return Event(id, on, "230102", person, "IdentityGranted", {{"identity", "REGISTERED_POOR"}, {"valid_from", on}});
}

class InputLimitsE2E : public LiveLedgerTest {
 protected:
  void WaitAccounted(double n) {
    ASSERT_TRUE(WaitUntil([&] { return Accounted(port()) >= n; })) << Accounted(port()) << " of " << n;
  }
  // The dead letters' reasons (in the order ingest met them).
  std::vector<std::string> ReasonList() {
    std::vector<std::string> out;
    const Json j = HttpGet(port(), "/v1/deadletters?limit=1000").json();
    for (const auto& d : j["deadletters"]) out.push_back(d["reason"]);
    return out;
  }
};

TEST_F(InputLimitsE2E, AnEventDatedInTheFutureIsRejectedAndMovesNoDate) {
  producer_->SendEvent(Grant("now", "230102199001010011", 20200101));
  producer_->Flush();
  WaitAccounted(1);
  ASSERT_EQ(HttpGet(port(), "/v1/coverage?region=23").json()["date"], 20200101);
  // 99991231 would move the ledger's date (every default date, and C1) for good.
  producer_->SendEvent(Grant("far", "230102199001010022", 99991231));
  // The day after tomorrow is past the default margin of one day; tomorrow is not.
  producer_->SendEvent(Grant("after-tomorrow", "230102199001010033", TodayUtc(2)));
  producer_->SendEvent(Grant("tomorrow", "230102199001010044", TodayUtc(1)));
  producer_->Flush();
  WaitAccounted(4);
  EXPECT_EQ(Metric(port(), "safetynet_events_rejected_total"), 2);
  EXPECT_EQ(Metric(port(), "safetynet_events_appended_total"), 2);
  const auto reasons = ReasonList();
  ASSERT_EQ(reasons.size(), 2u);
  for (const auto& r : reasons) {
    EXPECT_NE(r.find("is in the future: the latest date accepted now is " + std::to_string(TodayUtc(1))),
              std::string::npos)
        << r;
  }
  EXPECT_TRUE(reasons[0].starts_with("occurred_on 99991231") || reasons[1].starts_with("occurred_on 99991231"));
  EXPECT_EQ(HttpGet(port(), "/v1/coverage?region=23").json()["date"], TodayUtc(1));
}

TEST_F(InputLimitsE2E, TheLargestAmountsGoThroughFindingsAndReportsExactly) {
  const std::string p = "230102199001010055";
  const int64_t max = kAmountMaxFen;
  producer_->SendEvent(Grant("g", p, 20200101));
  // A policy with the largest ceiling ratio and limit, before the claims.
  producer_->SendEvent(Event("pol", 20200101, "230102", "", "PolicyPublished",
                             {{"policy_id", "BIG"},
                              {"year", 2020},
                              {"effective_from", 20200101},
                              {"assistance_annual_limit", max},
                              {"max_total_reimbursement_bp", 100000}}));
  producer_->Flush();
  WaitAccounted(2);
  // Three stays of the largest total each, every tier paid the largest amount.
  for (int i = 0; i < 3; ++i) {
    const std::string claim = "MAX-" + std::to_string(i);
    producer_->SendEvent(Event("c" + std::to_string(i), 20200310, "230102", p, "ClaimSettled",
                               {{"claim_id", claim},
                                {"visit", "INPATIENT"},
                                {"hospital_id", "H1"},
                                {"county_internal", true},
                                {"admitted_on", 20200301},
                                {"discharged_on", 20200310},
                                {"total", max},
                                {"out_of_catalog", 0},
                                {"in_policy", max}}));
    for (const char* tier : {"BASIC_RESIDENT", "BASIC_EMPLOYEE", "CRITICAL_ILLNESS", "MEDICAL_ASSISTANCE",
                             "HOSPITAL_WAIVER", "SUPPLEMENTARY"}) {
      producer_->SendEvent(Event("p" + std::to_string(i) + tier, 20200311, "230102", p, "ReimbursementPaid",
                                 {{"claim_id", claim}, {"tier", tier}, {"amount", max}, {"deductible_applied", max}}));
    }
  }
  // One fen above the bound: rejected.
  Json over = Event("over", 20200311, "230102", p, "ReimbursementPaid",
                    {{"claim_id", "MAX-0"}, {"tier", "BASIC_RESIDENT"}, {"amount", max + 1}});
  producer_->SendEvent(over);
  producer_->Flush();
  WaitAccounted(2 + 3 * 7 + 1);
  // Time passes beyond the claims' window.
  producer_->SendEvent(Event("tick", 20200601, "230102", "", "RectificationProgressed", {{"item_id", "t"}}));
  producer_->Flush();
  WaitAccounted(2 + 3 * 7 + 1 + 1);
  ASSERT_EQ(Metric(port(), "safetynet_events_rejected_total"), 1);
  EXPECT_NE(ReasonList().at(0).find("ReimbursementPaid.amount above the largest amount accepted (1000000000000 fen)"),
            std::string::npos)
      << ReasonList().at(0);

  const Json claim = HttpGet(port(), "/v1/claims/MAX-0").json();
  EXPECT_EQ(claim["payments"]["MEDICAL_ASSISTANCE"], max);
  EXPECT_EQ(claim["personal"], max - 6 * max);
  // C8: 6 x the total paid, above the total and above the 1000% ceiling.
  const Json findings = HttpGet(port(), "/v1/findings?check=C8").json();
  ASSERT_EQ(findings["findings"].size(), 3u) << findings;
  EXPECT_EQ(findings["findings"][0]["measured"], 6 * max);
  EXPECT_EQ(findings["findings"][0]["threshold"], max);
  // The monthly report's sums and ratios, by hand.
  const Json report = HttpGet(port(), "/v1/reports/monthly?region=23&month=202003").json();
  EXPECT_EQ(report["claims"], 3);
  EXPECT_EQ(report["total"], 3 * max);
  EXPECT_EQ(report["payments"]["basic"], 6 * max);
  EXPECT_EQ(report["payments"]["medical_assistance"], 3 * max);
  EXPECT_EQ(report["personal"], 3 * max - 18 * max);
  EXPECT_EQ(report["reimbursement_ratio_bp"], 60000);  // 18 x max / 3 x max
  EXPECT_EQ(report["out_of_catalog_share_county_bp"], 0);
  const auto csv = HttpGet(port(), "/v1/reports/monthly?region=23&month=202003&format=csv");
  EXPECT_EQ(csv.status, 200);
  const std::string yuan =
      std::to_string(3 * max / 100) + "." + std::to_string(3 * max % 100 / 10) + std::to_string(3 * max % 10);
  EXPECT_NE(csv.body.find("," + yuan + ","), std::string::npos) << csv.body;
  EXPECT_EQ(HttpGet(port(), "/v1/reports/policy-survey?region=230102").status, 200);
  EXPECT_EQ(HttpGet(port(), "/v1/coverage?region=23").status, 200);
  EXPECT_EQ(HttpGet(port(), "/v1/persons/" + p + "/ledger").status, 200);
}

TEST_F(InputLimitsE2E, RawIdsInFreeTextAreRejectedAndPersonSubjectsPseudonymised) {
  const auto rect = [](const std::string& id, const std::string& type, Json payload) {
    return Event(id, 20200301, "230102", "", type, std::move(payload));
  };
  producer_->SendEvent(rect(
      "r-text", "RectificationOpened",
      {{"item_id", "R-TEXT"}, {"description", std::string("贫困人口 ") + kRawId + " 未参保"}, {"deadline", 20200401}}));
  producer_->SendEvent(
      rect("r-note", "RectificationProgressed", {{"item_id", "R-TEXT"}, {"note", std::string("called ") + kRawId}}));
  Json reason = Event("nr", 20200301, "230102", "230102199001010066", "NonEnrollmentReasonRecorded",
                      {{"tier", "BASIC_RESIDENT"}, {"reason", "OTHER"}, {"evidence", std::string("id:") + kRawId}});
  producer_->SendEvent(reason);
  // Not resident ID numbers: a longer number, a wrong check character, an impossible birth date.
  producer_->SendEvent(rect("r-ok", "RectificationOpened",
                            {{"item_id", "R-OK"},
                             {"description", "账号 9110101199003071234, 230102195413320231, 030102195403120231"},
                             {"deadline", 20200401}}));
  // A person named in the subject: stored by pseudonym.
  producer_->SendEvent(rect("r-person", "RectificationOpened",
                            {{"item_id", "R-PERSON"},
                             {"category", "C1"},
                             {"subject", std::string("person/") + kRawId + "/basic"},
                             {"deadline", 20200401}}));
  producer_->Flush();
  WaitAccounted(5);
  EXPECT_EQ(Metric(port(), "safetynet_events_rejected_total"), 3);
  auto reasons = ReasonList();
  std::sort(reasons.begin(), reasons.end());
  const std::string tail = " holds a resident ID number; name persons by person_id, not in free text";
  EXPECT_EQ(reasons, (std::vector<std::string>{"NonEnrollmentReasonRecorded.evidence" + tail,
                                               "RectificationOpened.description" + tail,
                                               "RectificationProgressed.note" + tail}));
  EXPECT_EQ(HttpGet(port(), "/v1/rectifications/R-OK").status, 200);
  const Json person_item = HttpGet(port(), "/v1/rectifications/R-PERSON").json();
  EXPECT_EQ(person_item["subject"], "person/" + PseudonymOf(kRawId) + "/basic");

  // Nothing in the data directory holds the raw ID (the dead letters are encrypted).
  EXPECT_EQ(daemon_->Stop(), 0);
  bool raw_found = false;
  for (const auto& f : std::filesystem::recursive_directory_iterator(data_dir())) {
    if (f.is_regular_file()) raw_found |= ReadFile(f.path()).find(kRawId) != std::string::npos;
  }
  EXPECT_FALSE(raw_found) << "raw person ID found in the data directory";
}

}  // namespace
}  // namespace safetynet::test
