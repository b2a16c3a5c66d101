// The dashboard (GET /) in a real browser: a generated province goes through
// Kafka into the daemon, headless Chromium loads the page, runs its script
// against the daemon's API and dumps the resulting DOM. What the page shows
// must be what the API says: the population, the regions one level down (and,
// after a drill-down, the counties), the open findings per check, the
// rectification counts and the monthly report. Chinese text must render, so
// a CJK font must be installed (ops/install-deps.sh installs one), and a
// screenshot is taken as a browser would paint it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/harness.h"

namespace safetynet::test {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

std::string ChromiumFlags(const std::string& profile) {
  // As root in a sandbox without network: no sandbox, no GPU, nothing that
  // reaches out to Google's hosts.
  return std::string(kChromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
         " --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=" +
         profile + " --virtual-time-budget=15000";
}

// Text of every element with the given id-ish marker: a tiny DOM reader
// that is enough for the markup the page itself generates.
std::vector<std::string> Captures(const std::string& html, const std::string& pattern) {
  std::vector<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

std::string Grouped(int64_t n) {
  // zh-CN groups thousands with commas, as the page's toLocaleString does.
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

class DashboardE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ledger_ = std::make_unique<SuiteLedger>();
    ledger_->PublishProvince(/*seed=*/5, /*persons=*/300, /*months=*/4);
  }
  static void TearDownTestSuite() { ledger_.reset(); }
  static std::string Url(const std::string& fragment) {
    return "'http://127.0.0.1:" + std::to_string(ledger_->daemon->http_port()) + "/#" + fragment +
           "&token=" + kAuditorToken + "'";
  }
  // The DOM after the page's script has run.
  static std::string Dom(const std::string& fragment) {
    std::string dom;
    const int rc = RunCommand(
        ChromiumFlags(ledger_->dir.path() + "/profile") + " --dump-dom " + Url(fragment) + " 2>/dev/null", &dom);
    EXPECT_EQ(rc, 0) << "chromium failed";
    // Only what the page rendered counts, not the text of its script.
    const size_t script = dom.find("<script>"), end = dom.find("</script>", script);
    EXPECT_TRUE(script != std::string::npos && end > script) << dom;
    if (script != std::string::npos && end > script) dom.erase(script, end - script);
    return dom;
  }
  static Json Api(const std::string& path) {
    const auto r = HttpGet(ledger_->daemon->http_port(), path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.json();
  }

  static inline std::unique_ptr<SuiteLedger> ledger_;
};

TEST_F(DashboardE2E, ABrowserAndACjkFontAreInstalled) {
  struct stat st {};
  ASSERT_EQ(stat(kChromium, &st), 0) << kChromium << " is missing: run ops/install-deps.sh";
  std::string fonts;
  ASSERT_EQ(RunCommand("fc-list :lang=zh family", &fonts), 0);
  EXPECT_FALSE(fonts.empty()) << "no font covers Chinese: labels would render as boxes";
}

TEST_F(DashboardE2E, ShowsWhatTheApiSaysForTheProvinceAndItsCities) {
  const std::string date = "20190331", month = "201903";
  const std::string dom = Dom("region=23&date=" + date + "&month=" + month);
  ASSERT_NE(dom.find("data-loaded=\"1\""), std::string::npos) << "the page's script did not finish:\n" << dom;
  EXPECT_EQ(dom.find("加载失败"), std::string::npos) << dom;

  // Coverage: the population tile and one row per city, as the API has them.
  const Json cov = Api("/v1/coverage/regions?region=23&date=" + date);
  ASSERT_GT(cov["coverage"]["population"].get<int64_t>(), 0);
  EXPECT_EQ(Captures(dom, "id=\"population\">([^<]*)<"),
            std::vector<std::string>{Grouped(cov["coverage"]["population"].get<int64_t>())});
  std::vector<std::string> cities;
  for (const Json& sub : cov["subregions"]) cities.push_back(sub["region"].get<std::string>());
  ASSERT_GE(cities.size(), 2u);
  EXPECT_EQ(Captures(dom, "<tr class=\"drill\" data-region=\"([0-9]+)\""), cities);
  // Each city by its name, as the API names it.
  std::vector<std::string> names;
  for (const Json& sub : cov["subregions"]) {
    ASSERT_TRUE(sub["region_name"].is_string()) << sub.dump();
    names.push_back(sub["region_name"].get<std::string>());
  }
  EXPECT_EQ(Captures(dom, "<tr class=\"drill\" data-region=\"[0-9]+\"><td><span title=\"[0-9]+\">([^<]*)<"), names);
  EXPECT_EQ(cov["region_name"], "黑龙江省");

  // Findings: one bar per check with open findings (an ECharts SVG chart),
  // labelled in Chinese, and none for a check without.
  // (Within the findings' section: the trend chart above names the checks
  // open in any month of the year.)
  const Json findings = Api("/v1/findings?region=23&status=open&limit=20");
  const size_t section = dom.find("<section id=\"findings\"");
  ASSERT_NE(section, std::string::npos);
  const std::string findings_dom = dom.substr(section, dom.find("</section>", section) - section);
  int bars = 0;
  for (const auto& [check, n] : findings["counts"].items()) {
    const bool shown = findings_dom.find(">" + check + " ") != std::string::npos;
    EXPECT_EQ(shown, n.get<int64_t>() > 0) << check;
    bars += shown;
  }
  EXPECT_GT(bars, 0);
  EXPECT_NE(dom.find("参保全覆盖"), std::string::npos);

  // Rectification items: the four counts on the date.
  const Json items = Api("/v1/rectifications?region=23&status=overdue&date=" + date + "&limit=20");
  for (const char* status : {"open", "overdue", "rectified", "closed"}) {
    EXPECT_NE(dom.find(">" + Grouped(items["counts"][status].get<int64_t>()) + "</text>"), std::string::npos) << status;
  }

  // The monthly report: its rows, with the population as the API counts it.
  const Json report = Api("/v1/reports/monthly?region=23&month=" + month);
  EXPECT_NE(dom.find("<td>贫困人口数</td><td class=\"n\">" + Grouped(report["population"].get<int64_t>()) + "</td>"),
            std::string::npos);
  EXPECT_NE(dom.find("<td>住院人次</td><td class=\"n\">" + Grouped(report["inpatient_person_times"].get<int64_t>()) +
                     "</td>"),
            std::string::npos);
  // Its rows: one per city, the filed report's rows, with their totals in yuan.
  std::vector<std::string> rows, totals, expected_totals;
  for (const Json& sub : report["subregions"]) {
    rows.push_back(sub["region"]);
    const int64_t fen = sub["total"];
    expected_totals.push_back(Grouped(fen / 100) + "." + std::to_string(fen % 100 / 10) + std::to_string(fen % 10));
  }
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(Captures(dom, "<tr data-region=\"([0-9]+)\" class=\"drill\">"), rows);
  for (const std::string& row : Captures(dom, "<tr data-region=\"[0-9]+\" class=\"drill\">(.*?)</tr>")) {
    const auto cells = Captures(row, "<td class=\"n\">([^<]*)</td>");
    ASSERT_EQ(cells.size(), 6u) << row;
    totals.push_back(cells[2]);
  }
  EXPECT_EQ(totals, expected_totals);
  // The downloads are fetched with the token, not plain links (which send none).
  EXPECT_NE(dom.find("data-download=\"/v1/reports/monthly?region=23&amp;month=" + month + "&amp;format=xlsx\""),
            std::string::npos);
  EXPECT_EQ(dom.find("href=\"/v1/reports"), std::string::npos);
}

TEST_F(DashboardE2E, DrillsDownToTheCountiesOfACity) {
  const Json top = Api("/v1/coverage/regions?region=23");
  ASSERT_FALSE(top["subregions"].empty());
  const std::string city = top["subregions"][0]["region"];
  const Json below = Api("/v1/coverage/regions?region=" + city);
  std::vector<std::string> counties;
  for (const Json& sub : below["subregions"]) counties.push_back(sub["region"].get<std::string>());
  ASSERT_FALSE(counties.empty());
  const std::string dom = Dom("region=" + city);
  ASSERT_NE(dom.find("data-loaded=\"1\""), std::string::npos) << dom;
  EXPECT_EQ(Captures(dom, "<tr class=\"drill\" data-region=\"([0-9]+)\""), counties);
  // The breadcrumb leads back up, by name.
  EXPECT_NE(dom.find("data-region=\"\">全部</a>"), std::string::npos);
  EXPECT_NE(dom.find("data-region=\"23\"><span title=\"23\">黑龙江省</span></a>"), std::string::npos) << dom;
  EXPECT_NE(dom.find("data-region=\"" + city + "\"><span title=\"" + city + "\">" +
                     top["subregions"][0]["region_name"].get<std::string>() + "</span></a>"),
            std::string::npos);
  // A county has nothing below it.
  const std::string county_dom = Dom("region=" + counties[0]);
  EXPECT_NE(county_dom.find("没有下级地区"), std::string::npos);
  EXPECT_TRUE(Captures(county_dom, "<tr class=\"drill\" data-region=\"([0-9]+)\"").empty());
}

TEST_F(DashboardE2E, BadParametersShowTheApiErrorOnThePage) {
  const std::string dom = Dom("region=231");
  ASSERT_NE(dom.find("data-loaded=\"1\""), std::string::npos) << dom;
  EXPECT_NE(dom.find("加载失败"), std::string::npos);
}

TEST_F(DashboardE2E, WithoutATokenThePageAsksForOne) {
  std::string dom;
  ASSERT_EQ(RunCommand(ChromiumFlags(ledger_->dir.path() + "/profile-none") + " --dump-dom 'http://127.0.0.1:" +
                           std::to_string(ledger_->daemon->http_port()) + "/#region=23' 2>/dev/null",
                       &dom),
            0);
  const size_t script = dom.find("<script>");
  ASSERT_NE(script, std::string::npos);
  dom.erase(script);
  EXPECT_NE(dom.find("需要有效的 API 令牌"), std::string::npos) << dom;
  EXPECT_EQ(dom.find("<tr class=\"drill\""), std::string::npos);
}

// The workbench driven as an inspector would, by playwright-core in the same
// Chromium (tests/browser/workbench.mjs): no console error, the numbers and
// charts equal the API's, a click on a bar drills down, the gap list leads to
// a person's page and a finding to its claim's, each download opens (the
// workbook here, with openpyxl, against the report's JSON), the page fits
// 1366x768 and a tablet's width, and prints the report alone. Screenshots of
// the main views are kept in the build tree (tests/artifacts/dashboard/).
TEST_F(DashboardE2E, AnInspectorWorksThroughItInABrowser) {
  const std::string script = std::string(SOURCE_DIR) + "/tests/browser/workbench.mjs";
  const std::string artifacts = std::string(ARTIFACT_DIR) + "/dashboard";
  std::filesystem::create_directories(artifacts);
  std::string out;
  const int rc = RunCommand("node " + script + " http://127.0.0.1:" + std::to_string(ledger_->daemon->http_port()) +
                                " " + kAuditorToken + " " + artifacts + " 2>&1",
                            &out);
  ASSERT_EQ(rc, 0) << out << "\n(is playwright-core installed? ops/install-deps.sh runs npm ci in tests/browser)";
  const Json result = Json::parse(out.substr(out.rfind("{\"failures\"")), nullptr, false);
  ASSERT_TRUE(result.is_object()) << out;
  for (const Json& f : result["failures"]) ADD_FAILURE() << f.get<std::string>();
  EXPECT_EQ(result["screenshots"].size(), 6u) << out;

  // The workbook the page saved is the report the API gives.
  ASSERT_TRUE(result["downloads"].contains("report_xlsx")) << out;
  const Json sheet = ReadWorkbook(ReadFile(result["downloads"]["report_xlsx"]));
  const Json report = Api("/v1/reports/monthly?region=23&month=201903");
  EXPECT_EQ(sheet["title"], "黑龙江省 2019年3月 医疗保障扶贫调度报表");
  ASSERT_EQ(sheet["data"].size(), 1 + report["subregions"].size()) << sheet;
  EXPECT_EQ(sheet["data"][0]["贫困人口数"]["value"], report["population"]);
  EXPECT_DOUBLE_EQ(sheet["data"][0]["医疗费总额(元)"]["value"].get<double>(), report["total"].get<int64_t>() / 100.0);
  for (size_t i = 0; i < report["subregions"].size(); ++i) {
    EXPECT_EQ(sheet["data"][i + 1]["区划代码"]["value"], report["subregions"][i]["region"]) << i;
  }
  // And the survey's workbook (the quarter of the month shown) is the survey's JSON.
  ASSERT_TRUE(result["downloads"].contains("survey_xlsx")) << out;
  const Json book = ReadWorkbook(ReadFile(result["downloads"]["survey_xlsx"]));
  const Json survey = Api("/v1/reports/policy-survey?region=23&quarter=2019Q1");
  EXPECT_EQ(book["title"], "黑龙江省 2019年第1季度 医疗保障扶贫政策调查表");
  ASSERT_EQ(book["data"].size(), survey["populations"].size() * (1 + survey["subregions"].size())) << book;
  EXPECT_EQ(book["data"][0]["区划代码"]["value"], "230000");
}

TEST_F(DashboardE2E, PaintsAScreenshot) {
  const std::string png = ledger_->dir.path() + "/dashboard.png";
  std::string out;
  ASSERT_EQ(RunCommand(ChromiumFlags(ledger_->dir.path() + "/profile") + " --window-size=1400,1800 --screenshot=" +
                           png + " " + Url("region=23&month=201903") + " 2>&1",
                       &out),
            0)
      << out;
  struct stat st {};
  ASSERT_EQ(stat(png.c_str(), &st), 0) << out;
  EXPECT_GT(st.st_size, 20000) << "an almost empty picture";
  // Kept for a person to look at when SAFETYNET_KEEP_SCREENSHOT names a path.
  if (const char* keep = std::getenv("SAFETYNET_KEEP_SCREENSHOT")) {
    std::ifstream in(png, std::ios::binary);
    std::ofstream(keep, std::ios::binary) << in.rdbuf();
  }
}

}  // namespace
}  // namespace safetynet::test
