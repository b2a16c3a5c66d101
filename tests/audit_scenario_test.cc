// Hand-computed audit scenario, end to end through Kafka and the HTTP API:
// for checks C3, C4, C5, C8, C9, C10 and C11, a finding opens, does not open
// exactly at the boundary, clears when a later event fixes it, and reopens.
// Events are sent one at a time (each waits until ingested), so ledger order
// is the order written here, and after each step the findings are checked.
// The settlement window is 0 days here (audit_fixture.h): a claim is judged
// once the ledger's date is later than its date (Tick moves the date).
#include <gtest/gtest.h>

#include "tests/audit_fixture.h"

namespace safetynet::test {
namespace {

TEST_F(AuditScenario, PolicyChecksC3C4C5) {
  // Exactly at every boundary: deductible 6,000 yuan, first ordinary ratio 55%,
  // tilt exactly +5 points, cap exactly 300,000 yuan: no finding.
  Step(PolicyEvent("p1", "P1", "230000",
                   {{"critical_deductible", 600000},
                    {"critical_ordinary_segments", Segs({{0, 5500}, {1000000, 6000}})},
                    {"critical_segments", Segs({{0, 6000}, {1000000, 6500}})},
                    {"critical_cap", 30000000}}));
  EXPECT_EQ(Status("C3", "P1"), "none");
  EXPECT_EQ(Status("C4", "P1"), "none");
  EXPECT_EQ(Status("C5", "P1"), "none");

  // One fen / one bp past each boundary: all three open.
  Step(PolicyEvent("p2a", "P2", "230200",
                   {{"critical_deductible", 600001},
                    {"critical_ordinary_segments", Segs({{0, 5499}})},
                    {"critical_segments", Segs({{0, 5999}})},
                    {"critical_cap", 29999999}}));
  EXPECT_EQ(Status("C3", "P2"), "none");  // judged once the day is over
  const uint64_t day_end = EndDay();
  EXPECT_EQ(Status("C3", "P2"), "open");
  EXPECT_EQ(Status("C4", "P2"), "open");
  EXPECT_EQ(Status("C5", "P2"), "open");
  const Json c3 = Finding("C3", "P2");
  EXPECT_EQ(c3["measured"], 600001);
  EXPECT_EQ(c3["threshold"], 600000);
  EXPECT_EQ(c3["region"], "230200");
  EXPECT_EQ(c3["opened_seq"], day_end);  // the first event of the next day
  EXPECT_EQ(c3["opened_on"], 20200102);
  EXPECT_EQ(Finding("C5", "P2")["measured"], 29999999);

  // A re-publication of P2 fixes everything (cap 0 means no cap): all clear.
  Step(PolicyEvent("p2b", "P2", "230200",
                   {{"critical_deductible", 500000},
                    {"critical_ordinary_segments", Segs({{0, 5500}})},
                    {"critical_segments", Segs({{0, 6000}})},
                    {"critical_cap", 0}}));
  const uint64_t cleared_by = EndDay();
  EXPECT_EQ(Status("C3", "P2"), "cleared");
  EXPECT_EQ(Status("C4", "P2"), "cleared");
  EXPECT_EQ(Status("C5", "P2"), "cleared");
  EXPECT_EQ(Finding("C3", "P2")["cleared_seq"], cleared_by);

  // Segment lists of different lengths: C4 reopens, the others stay cleared.
  Step(PolicyEvent("p2c", "P2", "230200",
                   {{"critical_deductible", 500000},
                    {"critical_ordinary_segments", Segs({{0, 5500}, {500000, 6000}})},
                    {"critical_segments", Segs({{0, 6000}})}}));
  const uint64_t reopened_by = EndDay();
  const Json c4 = Finding("C4", "P2");
  EXPECT_EQ(c4["status"], "open");
  EXPECT_EQ(c4["measured"], -1);
  EXPECT_EQ(c4["opened_seq"], reopened_by);
  EXPECT_TRUE(c4["cleared_seq"].is_null());
  EXPECT_EQ(Status("C3", "P2"), "cleared");

  const Json counts = HttpGet(daemon_->http_port(), "/v1/findings?status=open").json()["counts"];
  EXPECT_EQ(counts["C3"], 0);
  EXPECT_EQ(counts["C4"], 1);
  EXPECT_EQ(counts["C5"], 0);

  // A change undone within the same day takes no effect: P3 published with
  // a deductible too high and corrected the same day opens nothing.
  Step(PolicyEvent("p3a", "P3", "230200", {{"critical_deductible", 700000}}));
  Step(PolicyEvent("p3b", "P3", "230200", {{"critical_deductible", 500000}}));
  EndDay();
  EXPECT_EQ(Status("C3", "P3"), "none");
}

TEST_F(AuditScenario, FindingsPageWithCursorAndCountEveryPageTheSame) {
  // Five policies with a deductible above 6,000 yuan (C3) and a cap below
  // 300,000 yuan (C5): ten findings.
  for (int i = 0; i < 5; ++i) {
    Step(PolicyEvent("pp" + std::to_string(i), "PP" + std::to_string(i), "230100",
                     {{"critical_deductible", 700000},
                      {"critical_ordinary_segments", Segs({{0, 5500}})},
                      {"critical_segments", Segs({{0, 6000}})},
                      {"critical_cap", 100}}));
  }
  EndDay();
  const int port = daemon_->http_port();
  const Json all = HttpGet(port, "/v1/findings?limit=1000").json();
  ASSERT_EQ(all["findings"].size(), 10u) << all;
  EXPECT_TRUE(all["next"].is_null());
  Json paged = Json::array();
  std::string cursor;
  int pages = 0;
  do {
    const Json j = HttpGet(port, "/v1/findings?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor)).json();
    ASSERT_LE(j["findings"].size(), 3u);
    EXPECT_EQ(j["counts"], all["counts"]) << "counts cover the whole list on every page";
    for (const Json& f : j["findings"]) paged.push_back(f);
    cursor = j["next"].is_null() ? "" : j["next"].get<std::string>();
    ASSERT_LT(++pages, 100);
  } while (!cursor.empty());
  EXPECT_EQ(paged, all["findings"]);
  EXPECT_EQ(pages, 4);
}

TEST_F(AuditScenario, ClaimChecksC8C9C10AndTheClaimLedger) {
  // Harbin city policy: a 90% ceiling and an ordinary critical-illness deductible of 10,000 yuan.
  Step(PolicyEvent("p3", "P3", "230100",
                   {{"max_total_reimbursement_bp", 9000}, {"critical_ordinary_deductible", 1000000}}));
  Step(Event("gx", 20200101, "230102", kX, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  Step(Event("gy", 20190101, "230102", kY, "IdentityGranted",
             {{"identity", "LOW_INCOME"}, {"valid_from", 20190101}, {"valid_to", 20191231}}));

  // C8 on K1 (total 1,000 yuan): paid exactly 90% -> no finding; one fen more -> open
  // once the day is over; reversed -> cleared; paid beyond the cost -> reopened.
  Step(Claim("k1", kX, "K1", 20200310, 100000, 10000, 90000));
  Step(Pay("k1-b", kX, "K1", "BASIC_RESIDENT", 60000));
  Step(Pay("k1-c", kX, "K1", "CRITICAL_ILLNESS", 20000, 500000));
  Step(Pay("k1-m", kX, "K1", "MEDICAL_ASSISTANCE", 10000));
  EXPECT_EQ(Status("C8", "K1"), "none");
  Step(Pay("k1-m2", kX, "K1", "MEDICAL_ASSISTANCE", 1));
  EXPECT_EQ(Status("C8", "K1"), "none");
  const uint64_t opened_by = EndDay();  // 20200321
  Json c8 = Finding("C8", "K1");
  EXPECT_EQ(c8["status"], "open");
  EXPECT_EQ(c8["measured"], 90001);
  EXPECT_EQ(c8["threshold"], 90000);
  EXPECT_EQ(c8["opened_seq"], opened_by);
  EXPECT_EQ(c8["opened_on"], 20200321);
  Step(Unpay("k1-r", kX, "K1", "MEDICAL_ASSISTANCE", 1));
  const uint64_t cleared_by = EndDay();  // 20200326
  EXPECT_EQ(Status("C8", "K1"), "cleared");
  EXPECT_EQ(Finding("C8", "K1")["cleared_seq"], cleared_by);
  EXPECT_EQ(Finding("C8", "K1")["cleared_on"], 20200326);
  Step(Pay("k1-m3", kX, "K1", "MEDICAL_ASSISTANCE", 20000));
  const uint64_t reopened_by = EndDay();
  c8 = Finding("C8", "K1");
  EXPECT_EQ(c8["status"], "open");
  EXPECT_EQ(c8["measured"], 110000);
  EXPECT_EQ(c8["opened_seq"], reopened_by);
  EXPECT_TRUE(c8["cleared_seq"].is_null());

  // The claim ledger: net per tier and personal payment, by hand:
  // basic 60000, critical 20000, assistance 10000 + 1 - 1 + 20000 = 30000;
  // personal = 100000 - 110000 = -10000 (over-protected).
  const Json k1 = HttpGet(daemon_->http_port(), "/v1/claims/K1").json();
  EXPECT_EQ(k1["total"], 100000);
  EXPECT_EQ(k1["in_policy"], 90000);
  EXPECT_EQ(k1["out_of_catalog"], 10000);
  EXPECT_EQ(k1["payments"]["BASIC_RESIDENT"], 60000);
  EXPECT_EQ(k1["payments"]["CRITICAL_ILLNESS"], 20000);
  EXPECT_EQ(k1["payments"]["MEDICAL_ASSISTANCE"], 30000);
  EXPECT_EQ(k1["payments"]["BASIC_EMPLOYEE"], 0);
  EXPECT_EQ(k1["personal"], -10000);
  EXPECT_EQ(k1["person"], PseudonymOf(kX));
  EXPECT_TRUE(k1["one_stop"].get<bool>());
  // C6 opened when the ledger's date passed the discharge (a window of 0
  // days) with nothing paid (due ceil((90000 - 0 - 0) x 70%) = 63000), and
  // cleared once the day the payments came was over; C8 is open.
  std::map<std::string, std::string> claim_findings;
  for (const auto& f : k1["findings"]) claim_findings[f["check"]] = f["status"];
  EXPECT_EQ(claim_findings, (std::map<std::string, std::string>{{"C6", "cleared"}, {"C8", "open"}}));
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/claims/NOPE").status, 404);

  // C9: Y is not poor in 2020. Deductible exactly the ordinary one -> nothing;
  // one fen below -> open once the day of the discharge is over; Y granted an
  // identity covering the discharge -> cleared; that identity revoked before
  // the discharge -> reopened.
  Step(Claim("k3", kY, "K3", 20200415, 2000000, 0, 2000000));
  Step(Pay("k3-c", kY, "K3", "CRITICAL_ILLNESS", 300000, 1000000));
  EXPECT_EQ(Status("C9", "K3"), "none");
  Step(Claim("k2", kY, "K2", 20200415, 2000000, 0, 2000000));
  Step(Pay("k2-c", kY, "K2", "CRITICAL_ILLNESS", 500000, 999999));
  EXPECT_EQ(Status("C9", "K2"), "none");  // judged once the ledger's date is past the discharge
  EndDay();                               // 20200416
  Json c9 = Finding("C9", "K2");
  EXPECT_EQ(c9["status"], "open");
  EXPECT_EQ(c9["measured"], 999999);
  EXPECT_EQ(c9["threshold"], 1000000);
  EXPECT_EQ(Status("C9", "K3"), "none");
  Step(Event("gy2", 20200420, "230102", kY, "IdentityGranted", {{"identity", "LOW_INCOME"}, {"valid_from", 20200401}}));
  const uint64_t c9_cleared_by = EndDay();
  EXPECT_EQ(Status("C9", "K2"), "cleared");
  EXPECT_EQ(Finding("C9", "K2")["cleared_seq"], c9_cleared_by);
  Step(Event("ry", 20200425, "230102", kY, "IdentityRevoked", {{"identity", "LOW_INCOME"}, {"revoked_on", 20200410}}));
  const uint64_t c9_reopened_by = EndDay();
  EXPECT_EQ(Status("C9", "K2"), "open");
  EXPECT_EQ(Finding("C9", "K2")["opened_seq"], c9_reopened_by);

  // C10: a payment with no claim -> nothing until the ledger's date passes
  // the day it was seen, then open; the claim arrives -> cleared; the claim
  // reversed with the payment still there -> reopened once the date passes;
  // payment reversed -> cleared. A reversed claim never paid: nothing.
  Step(Pay("k4-b", kX, "K4", "BASIC_RESIDENT", 5000));
  EXPECT_EQ(Status("C10", "K4"), "none");
  const uint64_t c10_opened_by = EndDay();
  EXPECT_EQ(Status("C10", "K4"), "open");
  EXPECT_EQ(Finding("C10", "K4")["measured"], 5000);
  EXPECT_EQ(Finding("C10", "K4")["opened_seq"], c10_opened_by);
  Step(Claim("k4", kX, "K4", 20200312, 10000, 0, 10000));
  EndDay();
  EXPECT_EQ(Status("C10", "K4"), "cleared");
  Step(Event("k4-x", 20200330, "230102", kX, "ClaimReversed", {{"claim_id", "K4"}, {"reason", "duplicate claim"}}));
  EXPECT_EQ(Status("C10", "K4"), "cleared");
  EndDay();
  EXPECT_EQ(Status("C10", "K4"), "open");
  Step(Unpay("k4-u", kX, "K4", "BASIC_RESIDENT", 5000));
  EndDay();
  EXPECT_EQ(Status("C10", "K4"), "cleared");
  Step(Claim("k5", kX, "K5", 20200312, 10000, 0, 10000));
  Step(Event("k5-x", 20200330, "230102", kX, "ClaimReversed", {{"claim_id", "K5"}, {"reason", "test"}}));
  EndDay();
  EXPECT_EQ(Status("C10", "K5"), "none");
  // A reversed claim leaves every check: K1 re-settled after a reversal keeps its payments.
  Step(Event("k1-x", 20200401, "230102", kX, "ClaimReversed", {{"claim_id", "K1"}, {"reason", "x"}}));
  EndDay();
  EXPECT_EQ(Status("C8", "K1"), "cleared");
  EXPECT_EQ(Status("C10", "K1"), "open");
  Step(Claim("k1-again", kX, "K1", 20200310, 200000, 0, 200000));
  EndDay();
  EXPECT_EQ(Status("C10", "K1"), "cleared");
  EXPECT_EQ(Status("C8", "K1"), "cleared");  // 110000 <= 90% of 200000
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/claims/K1").json()["personal"], 90000);

  // Filters: region prefix and status.
  const Json open_2301 = HttpGet(daemon_->http_port(), "/v1/findings?region=2301&status=open").json();
  EXPECT_EQ(open_2301["counts"]["C9"], 1);
  EXPECT_EQ(open_2301["counts"]["C8"], 0);
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/findings?region=2302&check=C9").json()["findings"].size(), 0u);
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/findings?check=C99").status, 400);
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/findings?status=maybe").status, 400);
}

// A worked three-tier stay, computed by hand (fen):
//  policy for REGISTERED_POOR: critical deductible 500,000, first segment 60%,
//  assistance 70% within an annual limit of 5,000,000.
//  S1, discharged 20200505: total 10,000,000, out of catalogue 800,000,
//   in policy 9,200,000.
//   basic pays 65% above a 100,000 deductible: 0.65 x 9,100,000 = 5,915,000
//   self-paid in policy after tier 1: 9,200,000 - 5,915,000 = 3,285,000
//   critical illness: 60% of (3,285,000 - 500,000) = 1,671,000
//   self-paid after tier 2: 3,285,000 - 1,671,000 = 1,614,000
//   assistance due: ceil(min(1,614,000, 5,000,000) x 7000 / 10000) = 1,129,800
//   personal: 10,000,000 - 5,915,000 - 1,671,000 - 1,129,800 = 1,284,200
//  S2, discharged 20200901: in policy 20,000,000, basic 13,000,000,
//   critical 2,000,000, self-paid 5,000,000; limit left 5,000,000 - 1,129,800
//   = 3,870,200; due ceil(3,870,200 x 0.7) = 2,709,140.
TEST_F(AuditScenario, AssistanceC6WithTheAnnualLimitAcrossStays) {
  const std::string z = "230102198505050033";
  Step(PolicyEvent("p4", "P4", "230000",
                   {{"identity", "REGISTERED_POOR"},
                    {"critical_deductible", 500000},
                    {"critical_ordinary_segments", Segs({{0, 5500}})},
                    {"critical_segments", Segs({{0, 6000}})},
                    {"assistance_ratio_bp", 7000},
                    {"assistance_annual_limit", 5000000}}));
  Step(Event("gz", 20200101, "230102", z, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  Step(Claim("s1", z, "S1", 20200505, 10000000, 800000, 9200000));
  Step(Pay("s1-b", z, "S1", "BASIC_RESIDENT", 5915000, 100000));
  Step(Pay("s1-c", z, "S1", "CRITICAL_ILLNESS", 1671000, 500000));
  EXPECT_EQ(Status("C6", "S1"), "none");                 // judged once the ledger's date is past the discharge
  EndDay();                                              // 20200506
  EXPECT_EQ(Finding("C6", "S1")["threshold"], 1129800);  // nothing paid yet: open
  EXPECT_EQ(Status("C6", "S1"), "open");
  Step(Pay("s1-m", z, "S1", "MEDICAL_ASSISTANCE", 1129800));  // exactly the due amount
  EndDay();
  EXPECT_EQ(Status("C6", "S1"), "cleared");
  const Json s1 = HttpGet(daemon_->http_port(), "/v1/claims/S1").json();
  EXPECT_EQ(s1["personal"], 1284200);
  EXPECT_EQ(s1["payments"]["MEDICAL_ASSISTANCE"], 1129800);

  Step(Claim("s2", z, "S2", 20200901, 20000000, 0, 20000000));
  Step(Pay("s2-b", z, "S2", "BASIC_RESIDENT", 13000000));
  Step(Pay("s2-c", z, "S2", "CRITICAL_ILLNESS", 2000000, 500000));
  Step(Pay("s2-m", z, "S2", "MEDICAL_ASSISTANCE", 2709139));  // one fen short
  EndDay();                                                   // 20200902
  Json c6 = Finding("C6", "S2");
  EXPECT_EQ(c6["status"], "open");
  EXPECT_EQ(c6["measured"], 2709139);
  EXPECT_EQ(c6["threshold"], 2709140);
  Step(Pay("s2-m2", z, "S2", "MEDICAL_ASSISTANCE", 1));
  EndDay();
  EXPECT_EQ(Status("C6", "S2"), "cleared");
  EXPECT_EQ(Status("C6", "S1"), "cleared");

  // 100,000 of S1's assistance taken back: S1 falls short, and S2, with more
  // of the limit left (3,970,200), now owes ceil(3,970,200 x 0.7) = 2,779,140.
  Step(Unpay("s1-r", z, "S1", "MEDICAL_ASSISTANCE", 100000));
  const uint64_t opened_by = EndDay();
  EXPECT_EQ(Status("C6", "S1"), "open");
  c6 = Finding("C6", "S2");
  EXPECT_EQ(c6["status"], "open");
  EXPECT_EQ(c6["threshold"], 2779140);
  EXPECT_EQ(c6["opened_seq"], opened_by);

  // The monthly report for May, by hand: S1 only (S2 is discharged in
  // September). Payments 5,915,000 + 1,671,000 + 1,029,800 = 8,615,800;
  // personal 10,000,000 - 8,615,800 = 1,384,200; ratios (floor, bp):
  // 8,615,800 / 10,000,000 -> 8615; 8,615,800 / 9,200,000 -> 9365;
  // out of catalogue, county-internal 800,000 / 10,000,000 -> 800.
  const Json may = HttpGet(daemon_->http_port(), "/v1/reports/monthly?region=2301&month=202005").json();
  EXPECT_EQ(may["claims"], 1);
  EXPECT_EQ(may["inpatient_persons"], 1);
  EXPECT_EQ(may["inpatient_person_times"], 1);
  EXPECT_EQ(may["total"], 10000000);
  EXPECT_EQ(may["in_policy"], 9200000);
  EXPECT_EQ(may["out_of_catalog"], 800000);
  EXPECT_EQ(may["payments"]["basic"], 5915000);
  EXPECT_EQ(may["payments"]["critical_illness"], 1671000);
  EXPECT_EQ(may["payments"]["medical_assistance"], 1029800);
  EXPECT_EQ(may["personal"], 1384200);
  EXPECT_EQ(may["reimbursement_ratio_bp"], 8615);
  EXPECT_EQ(may["in_policy_reimbursement_ratio_bp"], 9365);
  EXPECT_EQ(may["out_of_catalog_share_county_bp"], 800);
  EXPECT_TRUE(may["out_of_catalog_share_outside_bp"].is_null());
  EXPECT_EQ(may["one_stop_settlements"], 1);
  EXPECT_EQ(may["population"], 1);
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/reports/monthly?region=2302&month=202005").json()["claims"], 0);
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/reports/monthly?region=2301&month=202013").status, 400);
  const auto csv = HttpGet(daemon_->http_port(), "/v1/reports/monthly?region=2301&month=202005&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.body.find("住院人次"), std::string::npos);
  // The title row, then the headers, then the city's row: its name, its code, its population.
  EXPECT_EQ(csv.body.substr(3, csv.body.find("\r\n") - 3), "哈尔滨市 2020年5月 医疗保障扶贫调度报表");
  EXPECT_NE(csv.body.find("\r\n哈尔滨市,2301,1,"), std::string::npos) << csv.body;
  // Amounts in yuan, ratios in percent.
  EXPECT_NE(csv.body.find(",13842.00,"), std::string::npos) << csv.body;  // personal: 1,384,200 fen
  EXPECT_NE(csv.body.find(",86.15%,93.65%,8.00%,,"), std::string::npos) << csv.body;

  // The year to date adds the months up; the province's report has the city
  // as a row, as the city's own report has it.
  const int port = daemon_->http_port();
  int64_t claims_to_september = 0;
  for (int m = 202001; m <= 202009; ++m) {
    claims_to_september +=
        HttpGet(port, "/v1/reports/monthly?region=2301&month=" + std::to_string(m)).json()["claims"].get<int64_t>();
  }
  const Json september = HttpGet(port, "/v1/reports/monthly?region=2301&month=202009").json();
  EXPECT_EQ(september["year_to_date"]["claims"], claims_to_september);
  EXPECT_GT(claims_to_september, 1);
  EXPECT_EQ(may["year_to_date"]["total"], 10000000);
  EXPECT_EQ(may["region_name"], "哈尔滨市");
  const Json province = HttpGet(port, "/v1/reports/monthly?region=23&month=202005").json();
  ASSERT_FALSE(province["subregions"].empty());
  const Json& city = province["subregions"][0];
  EXPECT_EQ(city["region"], "2301");
  EXPECT_EQ(city["region_name"], "哈尔滨市");
  for (const char* k : {"claims", "total", "personal", "population", "reimbursement_ratio_bp", "year_to_date"}) {
    EXPECT_EQ(city[k], may[k]) << k;
  }

  // The workbook, opened as a spreadsheet program would (Debian's python3-openpyxl): the title
  // over the first row, the headers frozen under it, the city's row with
  // amounts in yuan and ratios in percent, as numbers.
  const auto xlsx = HttpGet(port, "/v1/reports/monthly?region=2301&month=202005&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  const Json sheet = ReadWorkbook(xlsx.body);
  EXPECT_EQ(sheet["title"], "哈尔滨市 2020年5月 医疗保障扶贫调度报表");
  EXPECT_EQ(sheet["freeze"], "C3");
  EXPECT_EQ(sheet["rows"].get<int>(), 2 + 1 + static_cast<int>(may["subregions"].size()));
  const Json& r = sheet["data"][0];
  EXPECT_EQ(r["地区"]["value"], "哈尔滨市");
  EXPECT_EQ(r["区划代码"]["value"], "2301");
  EXPECT_EQ(r["贫困人口数"]["value"], 1);
  EXPECT_DOUBLE_EQ(r["个人自付(元)"]["value"].get<double>(), 13842.00);
  EXPECT_EQ(r["个人自付(元)"]["format"], "#,##0.00");
  EXPECT_DOUBLE_EQ(r["实际报销比例"]["value"].get<double>(), 0.8615);
  EXPECT_EQ(r["实际报销比例"]["format"], "0.00%");
  EXPECT_DOUBLE_EQ(r["本年累计医疗费总额(元)"]["value"].get<double>(), 100000.00);
  EXPECT_TRUE(r["县域外目录外费用占比"]["value"].is_null());

  // The person's ledger lists their claims with payments, and the findings.
  const Json ledger = HttpGet(daemon_->http_port(), "/v1/persons/" + z + "/ledger").json();
  std::map<std::string, std::string> by_subject;
  for (const auto& f : ledger["findings"]) {
    by_subject[f["check"].get<std::string>() + " " + f["subject"].get<std::string>()] = f["status"];
  }
  EXPECT_EQ(by_subject["C6 S1"], "open");
  EXPECT_EQ(by_subject["C6 S2"], "open");
  EXPECT_EQ(by_subject["C1 " + PseudonymOf(z) + "/basic"], "open");  // never enrolled
  EXPECT_EQ(ledger["claims"].size(), 2u);

  // The policy survey: P4 is in force for registered poor anywhere in 23, the
  // defaults for everyone else.
  const Json survey = HttpGet(daemon_->http_port(), "/v1/reports/policy-survey?region=230102&quarter=2020Q2").json();
  EXPECT_EQ(survey["quarter"], "2020Q2");
  EXPECT_EQ(survey["date"], 20200630);  // in force on the quarter's last day
  ASSERT_EQ(survey["populations"].size(), 7u);
  for (const auto& row : survey["populations"]) {
    if (row["identity"] == "REGISTERED_POOR") {
      EXPECT_EQ(row["policy_id"], "P4");
      EXPECT_EQ(row["assistance_annual_limit"], 5000000);
      EXPECT_EQ(row["critical_deductible"], 500000);
    } else {
      EXPECT_TRUE(row["policy_id"].is_null()) << row;
      EXPECT_EQ(row["assistance_ratio_bp"], 7000);
      EXPECT_EQ(row["out_of_catalog_max_bp"], 1000);
    }
  }
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/reports/policy-survey?region=230102&quarter=2019Q4")
                .json()["populations"][1]["policy_id"],
            nullptr);  // before P4's effective_from
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/reports/policy-survey?region=230102&quarter=2020Q5").status, 400);
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/reports/policy-survey?region=230102&quarter=20Q1").status, 400);

  // The province's survey as it is filed: the province's own rows, then its
  // city's; the registered poor under P4 (the province's policy), in yuan
  // and percent, the defaults for the rest.
  const Json province_survey = HttpGet(port, "/v1/reports/policy-survey?region=23&quarter=2020Q2").json();
  ASSERT_EQ(province_survey["subregions"].size(), 1u);
  EXPECT_EQ(province_survey["subregions"][0]["region"], "230100");
  const auto survey_csv = HttpGet(port, "/v1/reports/policy-survey?region=23&quarter=2020Q2&format=csv");
  ASSERT_EQ(survey_csv.status, 200);
  EXPECT_EQ(survey_csv.body.substr(3, survey_csv.body.find("\r\n") - 3),
            "黑龙江省 2020年第2季度 医疗保障扶贫政策调查表");
  EXPECT_NE(survey_csv.body.find("\r\n黑龙江省,230000,建档立卡贫困人口,P4,黑龙江省,70.00%,50000.00,"),
            std::string::npos)
      << survey_csv.body;
  EXPECT_NE(survey_csv.body.find("\r\n哈尔滨市,230100,建档立卡贫困人口,P4,黑龙江省,70.00%,50000.00,"),
            std::string::npos)
      << survey_csv.body;
  EXPECT_NE(survey_csv.body.find("\r\n哈尔滨市,230100,特困供养人员,,,70.00%,"), std::string::npos) << survey_csv.body;
  const auto survey_xlsx = HttpGet(port, "/v1/reports/policy-survey?region=23&quarter=2020Q2&format=xlsx");
  ASSERT_EQ(survey_xlsx.status, 200);
  EXPECT_NE(survey_xlsx.content_disposition.find("policy-survey-230000-2020Q2.xlsx"), std::string::npos);
  const Json survey_sheet = ReadWorkbook(survey_xlsx.body);
  EXPECT_EQ(survey_sheet["title"], "黑龙江省 2020年第2季度 医疗保障扶贫政策调查表");
  ASSERT_EQ(survey_sheet["data"].size(), 14u);  // 7 populations, two regions
  const Json& poor = survey_sheet["data"][1];
  EXPECT_EQ(poor["人群"]["value"], "建档立卡贫困人口");
  EXPECT_EQ(poor["适用政策"]["value"], "P4");
  EXPECT_DOUBLE_EQ(poor["医疗救助年度限额(元)"]["value"].get<double>(), 50000.00);
  EXPECT_DOUBLE_EQ(poor["大病保险起付线(元)"]["value"].get<double>(), 5000.00);
  EXPECT_EQ(poor["大病保险分段报销比例"]["value"], "0.00元起 60.00%");
  EXPECT_DOUBLE_EQ(poor["医疗救助比例"]["value"].get<double>(), 0.70);

  // Outpatient claims are not judged by C6.
  Step(Event("o1", 20200601, "230102", z, "ClaimSettled",
             {{"claim_id", "O1"},
              {"visit", "OUTPATIENT"},
              {"hospital_id", "H1"},
              {"admitted_on", 20201001},
              {"discharged_on", 20201001},
              {"total", 50000},
              {"out_of_catalog", 0},
              {"in_policy", 50000}}));
  EXPECT_EQ(Status("C6", "O1"), "none");
}

Json Contribution(const std::string& id, const std::string& person, int occurred_on, int64_t due, int64_t subsidy) {
  return Event(id, occurred_on, "230102", person, "ContributionPaid",
               {{"year", 2020}, {"personal_due", due}, {"subsidy", subsidy}, {"subsidy_source", "civil affairs"}});
}

TEST_F(AuditScenario, ContributionSubsidyC2) {
  const std::string eps = "230102198505050044", rp = "230102198505050055", q = "230102198505050066";
  Step(Event("g-eps", 20200101, "230102", eps, "IdentityGranted",
             {{"identity", "EXTREME_POOR_SUPPORTED"}, {"valid_from", 20200101}}));
  Step(Event("g-rp", 20200101, "230102", rp, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  // Extreme poor: the whole 300 yuan subsidised -> nothing; one fen short -> open;
  // a corrected payment (the latest for the year decides) -> cleared.
  Step(Contribution("ce1", eps, 20200115, 30000, 30000));
  EndDay();
  const std::string eps_subject = PseudonymOf(eps) + "/2020";
  EXPECT_EQ(Status("C2", eps_subject), "none");
  Step(Contribution("ce2", eps, 20200116, 30000, 29999));
  EXPECT_EQ(Status("C2", eps_subject), "none");  // once the day is over
  EndDay();
  EXPECT_EQ(Status("C2", eps_subject), "open");
  EXPECT_EQ(Finding("C2", eps_subject)["threshold"], 30000);
  Step(Contribution("ce3", eps, 20200117, 30000, 30000));
  EndDay();
  EXPECT_EQ(Status("C2", eps_subject), "cleared");
  // Registered poor: no subsidy -> open; one fen of subsidy -> cleared.
  const std::string rp_subject = PseudonymOf(rp) + "/2020";
  Step(Contribution("cr1", rp, 20200115, 25000, 0));
  EndDay();
  EXPECT_EQ(Status("C2", rp_subject), "open");
  Step(Contribution("cr2", rp, 20200116, 25000, 1));
  EndDay();
  EXPECT_EQ(Status("C2", rp_subject), "cleared");
  // Not poor when paying: nothing; granted an identity covering the payment
  // date afterwards -> open; the grant revoked from its first day -> cleared.
  const std::string q_subject = PseudonymOf(q) + "/2020";
  Step(Contribution("cq1", q, 20200120, 25000, 0));
  EndDay();
  EXPECT_EQ(Status("C2", q_subject), "none");
  Step(Event("g-q", 20200201, "230102", q, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  const uint64_t opened_by = EndDay();
  EXPECT_EQ(Status("C2", q_subject), "open");
  EXPECT_EQ(Finding("C2", q_subject)["opened_seq"], opened_by);
  Step(Event("r-q", 20200202, "230102", q, "IdentityRevoked",
             {{"identity", "REGISTERED_POOR"}, {"revoked_on", 20200101}}));
  EndDay();
  EXPECT_EQ(Status("C2", q_subject), "cleared");
}

TEST_F(AuditScenario, CoverageGapC1FollowsTheLedgerDate) {
  const std::string w = "230102198505050077";
  const std::string subject = PseudonymOf(w) + "/basic";
  // Poor for January only, never enrolled: a gap while the ledger's date is
  // in January, confirmed once the date has moved past the day it was seen.
  Step(Event("gw", 20200105, "230102", w, "IdentityGranted",
             {{"identity", "MARGINAL"}, {"valid_from", 20200101}, {"valid_to", 20200131}}));
  EXPECT_EQ(Status("C1", subject), "none");
  // An unrelated event moves the ledger's date to 20200131: still a gap, now a finding.
  Step(Roster("d1", 20200131, 202001, "COMPARED_TO_HEALTH"));
  EXPECT_EQ(Status("C1", subject), "open");
  EXPECT_EQ(Finding("C1", subject)["measured"], 20200101);
  EXPECT_EQ(Finding("C1", subject)["opened_seq"], SeqOf("d1"));
  // ... and to 20200201: W left the poor population on that day, and the
  // finding clears once the day is over, without any event of W's.
  Step(Roster("d2", 20200201, 202001, "ROSTER_TO_INSURANCE"));
  EXPECT_EQ(Status("C1", subject), "open");
  const uint64_t cleared_by = EndDay();
  EXPECT_EQ(Status("C1", subject), "cleared");
  EXPECT_EQ(Finding("C1", subject)["cleared_seq"], cleared_by);
  // Enrolled retroactively and granted again: no gap, nothing reopens.
  Step(Event("ew", 20200202, "230102", w, "EnrollmentChanged",
             {{"tier", "BASIC_RESIDENT"}, {"enrolled", true}, {"effective_on", 20200101}}));
  Step(Event("gw2", 20200203, "230102", w, "IdentityGranted", {{"identity", "MARGINAL"}, {"valid_from", 20200203}}));
  EndDay();
  EXPECT_EQ(Status("C1", subject), "cleared");
  EXPECT_EQ(Status("C1", PseudonymOf(w) + "/critical_illness"), "open");  // not enrolled there
}

Json HospitalClaim(const std::string& id, const std::string& person, const std::string& claim_id, bool county_internal,
                   int64_t total, int64_t ooc) {
  return Event(id, 20200610, "230102", person, "ClaimSettled",
               {{"claim_id", claim_id},
                {"visit", "OUTPATIENT"},
                {"hospital_id", "H9"},
                {"county_internal", county_internal},
                {"admitted_on", 20200610},
                {"discharged_on", 20200610},
                {"total", total},
                {"out_of_catalog", ooc},
                {"in_policy", total - ooc}});
}

TEST_F(AuditScenario, OutOfCatalogueShareC7PerHospitalAndMonth) {
  const std::string v = "230102198505050088", rich = "230102198505050099";
  const std::string subject = "H9/202006";
  Step(Event("gv", 20200101, "230102", v, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  // Exactly 10% (the default maximum): nothing.
  Step(HospitalClaim("m1", v, "M1", true, 100000, 10000));
  EXPECT_EQ(Status("C7", subject), "none");
  // 20,001 of 200,000: above 10% -> open (share 1000 bp, floor).
  Step(HospitalClaim("m2", v, "M2", true, 100000, 10001));
  EXPECT_EQ(Status("C7", subject), "none");  // judged once the month is over
  Tick(20200701);
  Json c7 = Finding("C7", subject);
  EXPECT_EQ(c7["status"], "open");
  EXPECT_EQ(c7["measured"], 1000);
  EXPECT_EQ(c7["threshold"], 1000);
  // M2 reversed: back to exactly 10% -> cleared.
  Step(Event("m2-x", 20200620, "230102", v, "ClaimReversed", {{"claim_id", "M2"}, {"reason", "x"}}));
  EndDay();
  EXPECT_EQ(Status("C7", subject), "cleared");
  // Claims outside the county, or of persons not poor, do not count.
  Step(HospitalClaim("m3", v, "M3", false, 100000, 90000));
  Step(HospitalClaim("m4", rich, "M4", true, 100000, 90000));
  EndDay();
  EXPECT_EQ(Status("C7", subject), "cleared");
  // Another poor patient's claim with half out of catalogue: reopened
  // (60,000 of 200,000 = 3000 bp).
  Step(HospitalClaim("m5", v, "M5", true, 100000, 50000));
  const uint64_t reopened_by = EndDay();
  c7 = Finding("C7", subject);
  EXPECT_EQ(c7["status"], "open");
  EXPECT_EQ(c7["measured"], 3000);
  EXPECT_EQ(c7["opened_seq"], reopened_by);
}

TEST_F(AuditScenario, DataExchangeC11) {
  // Delivered on the 10th / the 20th exactly: on time.
  Step(Roster("r1", 20200310, 202003, "ROSTER_TO_INSURANCE"));
  Step(Roster("r2", 20200320, 202003, "COMPARED_TO_HEALTH"));
  EXPECT_EQ(Status("C11", "230102/202003/ROSTER_TO_INSURANCE"), "none");
  EXPECT_EQ(Status("C11", "230102/202003/COMPARED_TO_HEALTH"), "none");
  // A day late: open.
  Step(Roster("r3", 20200411, 202004, "ROSTER_TO_INSURANCE"));
  Step(Roster("r4", 20200521, 202005, "COMPARED_TO_HEALTH"));
  EndDay();
  const Json late = Finding("C11", "230102/202004/ROSTER_TO_INSURANCE");
  EXPECT_EQ(late["status"], "open");
  EXPECT_EQ(late["measured"], 20200411);
  EXPECT_EQ(late["threshold"], 20200410);
  EXPECT_EQ(Status("C11", "230102/202005/COMPARED_TO_HEALTH"), "open");
  // The latest delivery in ledger order decides: a corrected record clears it, a later one reopens it.
  Step(Roster("r5", 20200410, 202004, "ROSTER_TO_INSURANCE"));
  EndDay();
  EXPECT_EQ(Status("C11", "230102/202004/ROSTER_TO_INSURANCE"), "cleared");
  Step(Roster("r6", 20200415, 202004, "ROSTER_TO_INSURANCE"));
  const uint64_t reopened_by = EndDay();
  EXPECT_EQ(Status("C11", "230102/202004/ROSTER_TO_INSURANCE"), "open");
  EXPECT_EQ(Finding("C11", "230102/202004/ROSTER_TO_INSURANCE")["opened_seq"], reopened_by);

  // Missing: once the county delivered a kind, every later period whose due
  // day has passed without a delivery is a finding under the same subject.
  // The comparison of April (due 20200420) never came; the ledger's date
  // moved to 20200521 with r4: open, measured 0 (no delivery).
  const Json missing = Finding("C11", "230102/202004/COMPARED_TO_HEALTH");
  EXPECT_EQ(missing["status"], "open");
  EXPECT_EQ(missing["measured"], 0);
  EXPECT_EQ(missing["threshold"], 20200420);
  EXPECT_EQ(missing["opened_seq"], SeqOf("r4"));
  // The roster of May (due 20200510) is missing too; June's is not due yet.
  EXPECT_EQ(Status("C11", "230102/202005/ROSTER_TO_INSURANCE"), "open");
  EXPECT_EQ(Status("C11", "230102/202006/ROSTER_TO_INSURANCE"), "none");
  // Nothing is expected before the first delivery, nor of a county that never delivered.
  EXPECT_EQ(Status("C11", "230102/202002/ROSTER_TO_INSURANCE"), "none");
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/findings?region=230103").json()["findings"].size(), 0u);
  // The ledger's date passes 20200610 with no event of the county: June's roster is missing now.
  Tick(20200611);
  EXPECT_EQ(Status("C11", "230102/202006/ROSTER_TO_INSURANCE"), "open");
  EXPECT_EQ(Finding("C11", "230102/202006/ROSTER_TO_INSURANCE")["opened_seq"], SeqOf("tick-20200611"));
  // April's comparison delivered late after all: still a finding, now late.
  Step(Roster("r7", 20200612, 202004, "COMPARED_TO_HEALTH"));
  EXPECT_EQ(Finding("C11", "230102/202004/COMPARED_TO_HEALTH")["measured"], 20200612);
  EXPECT_EQ(Status("C11", "230102/202004/COMPARED_TO_HEALTH"), "open");
  // May's roster corrected with a record dated on time: cleared.
  Step(Roster("r8", 20200510, 202005, "ROSTER_TO_INSURANCE"));
  EndDay();
  EXPECT_EQ(Status("C11", "230102/202005/ROSTER_TO_INSURANCE"), "cleared");
}

TEST_F(AuditScenario, PolicyPublicationReevaluatesTheClaimsItGoverns) {
  Step(Event("gx", 20200101, "230102", kX, "IdentityGranted",
             {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}}));
  Step(Event("gy", 20190101, "230102", kY, "IdentityGranted",
             {{"identity", "LOW_INCOME"}, {"valid_from", 20190101}, {"valid_to", 20191231}}));
  // K5 (X, poor): total 1,000 yuan, in-policy 900, out-of-catalogue 100 (10%, at
  // the default maximum). Basic 600 + critical 200 leave 100 yuan; assistance
  // pays 70 = ceil(100 x 70%): no C6. Paid 870 of 1,000: no C8.
  Step(Claim("k5", kX, "K5", 20200310, 100000, 10000, 90000));
  Step(Pay("k5-b", kX, "K5", "BASIC_RESIDENT", 60000));
  Step(Pay("k5-c", kX, "K5", "CRITICAL_ILLNESS", 20000, 500000));
  Step(Pay("k5-m", kX, "K5", "MEDICAL_ASSISTANCE", 7000));
  // K6 (Y, not poor in 2020) with a critical-illness deductible of 5,000 yuan.
  Step(Claim("k6", kY, "K6", 20200315, 200000, 0, 200000));
  Step(Pay("k6-c", kY, "K6", "CRITICAL_ILLNESS", 10000, 500000));
  Tick(20200401);                            // past March: C7 judges the month, C9 the claim
  EXPECT_EQ(Status("C6", "K5"), "cleared");  // open from the discharge's end until the payments' day was over
  EXPECT_EQ(Status("C8", "K5"), "none");
  EXPECT_EQ(Status("C7", "H230102001/202003"), "none");
  EXPECT_EQ(Status("C9", "K6"), "none");

  // Harbin publishes a 75% assistance ratio for 2020, after the claims: K5 now
  // needs ceil(100 yuan x 75%) = 75 yuan and got 70.
  Step(PolicyEvent("q1a", "Q1", "230100", {{"assistance_ratio_bp", 7500}}));
  const uint64_t opened_by = EndDay();
  Json c6 = Finding("C6", "K5");
  EXPECT_EQ(c6["status"], "open");
  EXPECT_EQ(c6["measured"], 7000);
  EXPECT_EQ(c6["threshold"], 7500);
  EXPECT_EQ(c6["opened_seq"], opened_by);

  // Re-published at 70% with an 85% ceiling: C6 clears; 870 > 85% of 1,000: C8 opens.
  Step(PolicyEvent("q1b", "Q1", "230100", {{"assistance_ratio_bp", 7000}, {"max_total_reimbursement_bp", 8500}}));
  const uint64_t cleared_by = EndDay();
  EXPECT_EQ(Status("C6", "K5"), "cleared");
  EXPECT_EQ(Finding("C6", "K5")["cleared_seq"], cleared_by);
  Json c8 = Finding("C8", "K5");
  EXPECT_EQ(c8["status"], "open");
  EXPECT_EQ(c8["measured"], 87000);
  EXPECT_EQ(c8["threshold"], 85000);

  // Re-published from 20200401 on: K5 (discharged 20200310) is governed only by
  // the replaced version's dates; the defaults apply again, C8 clears, C6 stays cleared.
  Step(
      PolicyEvent("q1c", "Q1", "230100",
                  {{"assistance_ratio_bp", 7500}, {"max_total_reimbursement_bp", 8500}, {"effective_from", 20200401}}));
  const uint64_t c8_cleared_by = EndDay();
  EXPECT_EQ(Status("C8", "K5"), "cleared");
  EXPECT_EQ(Finding("C8", "K5")["cleared_seq"], c8_cleared_by);
  EXPECT_EQ(Status("C6", "K5"), "cleared");

  // A county policy for the first quarter (a longer scope wins): out-of-catalogue
  // maximum 9%, so the hospital's March share of 10% opens C7; an ordinary
  // deductible of 10,000 yuan makes Y's 5,000 a poor-person deductible: C9.
  Step(PolicyEvent(
      "q2a", "Q2", "230102",
      {{"out_of_catalog_max_bp", 900}, {"effective_to", 20200331}, {"critical_ordinary_deductible", 1000000}}));
  const uint64_t c7_opened_by = EndDay();
  const Json c7 = Finding("C7", "H230102001/202003");
  EXPECT_EQ(c7["status"], "open");
  EXPECT_EQ(c7["measured"], 1000);
  EXPECT_EQ(c7["threshold"], 900);
  EXPECT_EQ(c7["opened_seq"], c7_opened_by);
  const Json c9 = Finding("C9", "K6");
  EXPECT_EQ(c9["status"], "open");
  EXPECT_EQ(c9["measured"], 500000);
  EXPECT_EQ(c9["threshold"], 1000000);
  // A policy for another year touches none of them.
  Step(PolicyEvent("q3", "Q3", "230102",
                   {{"out_of_catalog_max_bp", 2000}, {"effective_from", 20210101}, {"effective_to", 20211231}}));
  EndDay();
  EXPECT_EQ(Status("C7", "H230102001/202003"), "open");
  EXPECT_EQ(Status("C9", "K6"), "open");
}

}  // namespace
}  // namespace safetynet::test
