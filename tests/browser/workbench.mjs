// The inspectors' workbench in a real browser, driven as a person would:
// Debian's Chromium through playwright-core. Run by
// tests/dashboard_browser_test.cc against a daemon that holds a generated
// province:
//   node workbench.mjs BASE_URL TOKEN OUT_DIR
// Every check compares what the page shows with what the API answers for the
// same region, date and state. Prints one JSON object: {"failures":[...],
// "downloads":{kind: path}, "screenshots":[paths]}; the test fails on any
// failure and opens the downloaded workbook itself.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [base, token, out] = process.argv.slice(2);
const failures = [];
const downloads = {};
const screenshots = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const api = async (p) => {
  const r = await fetch(base + p, { headers: { Authorization: "Bearer " + token } });
  if (!r.ok) throw new Error(p + ": HTTP " + r.status);
  return r.json();
};
const grouped = (n) => Number(n).toLocaleString("zh-CN");
const yuan = (fen) => (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: "zh-CN" });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") failures.push("console error: " + m.text()); });
  page.on("pageerror", (e) => failures.push("page error: " + e.message));
  page.on("response", (r) => { if (r.status() >= 400) failures.push("HTTP " + r.status() + " " + r.url()); });
  // Loads a fragment and waits for the page to say it has loaded.
  const open = async (fragment) => {
    await page.evaluate(() => delete document.body.dataset.loaded).catch(() => {});
    await page.goto(base + "/#" + fragment);
    await page.waitForSelector("body[data-loaded='1']", { timeout: 20000 });
  };
  const shot = async (name, options = {}) => {
    const file = path.join(out, name + ".png");
    await page.screenshot(Object.assign({ path: file, fullPage: true }, options));
    screenshots.push(file);
  };
  const noHorizontalScroll = async (what) => {
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    check(scroll <= width, what + ": the page scrolls sideways (" + scroll + " > " + width + ")");
  };

  // 1. The province: numbers as the API has them, a map of its cities, at 1366x768.
  await page.goto(base + "/#token=" + token);
  await page.waitForSelector("body[data-loaded='1']", { timeout: 20000 });
  const month = "201903", date = "20190331";
  await open("region=23&date=" + date + "&month=" + month);
  const cov = await api("/v1/coverage/regions?region=23&date=" + date);
  check((await page.textContent("#population")) === grouped(cov.coverage.population), "population tile");
  const rows = await page.$$eval("#subregions tr.drill", (trs) => trs.map((tr) => tr.dataset.region));
  check(JSON.stringify(rows) === JSON.stringify(cov.subregions.map((s) => s.region)), "sub-region rows " + rows);
  const mapPaths = await page.$$eval("#chart-map svg path", (p) => p.length);
  check(mapPaths >= cov.subregions.length, "the province's map has " + mapPaths + " outlines");
  const trend = await api("/v1/trends?region=23&to=" + month);
  const drawn = await page.evaluate(() => {
    const o = CHARTS["chart-coverage-trend"].getOption();
    const f = CHARTS["chart-findings-trend"].getOption();
    return { months: o.xAxis[0].data, basic: o.series[0].data, findings: f.series.map((x) => [x.name, x.data]) };
  });
  check(trend.months.length === 12 && JSON.stringify(drawn.months) === JSON.stringify(trend.months.map((m) => Math.floor(m.month / 100) + "年" + (m.month % 100) + "月")) &&
        drawn.months[11] === "2019年3月", "the trend's months " + drawn.months);
  check(JSON.stringify(drawn.basic) === JSON.stringify(trend.months.map((m) => m.tiers.basic.rate_bp)), "the basic coverage line");
  const c1 = drawn.findings.find(([name]) => name.startsWith("C1 "));
  check(c1 && JSON.stringify(c1[1]) === JSON.stringify(trend.months.map((m) => m.findings_open.C1)), "the C1 findings line");
  check((await page.textContent("#chart-coverage-trend")).includes("基本医保"), "the trend's legend in Chinese");
  const report = await api("/v1/reports/monthly?region=23&month=" + month);
  const cell = await page.$eval("#report-table", (t) => [...t.querySelectorAll("tr")].find((r) => r.cells[0].textContent === "医疗费总额（元）").cells[1].textContent);
  check(cell === yuan(report.total), "report total " + cell + " vs " + yuan(report.total));
  await noHorizontalScroll("1366x768");
  await shot("overview-1366x768", { fullPage: false });
  await shot("overview-full");

  // 2. Downloads carry the token: the workbook and the three lists.
  const save = async (selector, kind) => {
    const [d] = await Promise.all([page.waitForEvent("download", { timeout: 30000 }), page.click(selector)]);
    const file = path.join(out, d.suggestedFilename());
    await d.saveAs(file);
    downloads[kind] = file;
    return file;
  };
  const xlsx = await save("#report-body [data-download$='format=xlsx']", "report_xlsx");
  check(fs.readFileSync(xlsx).subarray(0, 2).toString() === "PK", "the workbook is a zip");
  check(path.basename(xlsx) === "monthly-report-23-" + month + ".xlsx", "the workbook's name " + path.basename(xlsx));
  const reportCsv = fs.readFileSync(await save("#report-body [data-download$='format=csv']", "report_csv"), "utf8");
  check(reportCsv.startsWith("\ufeff黑龙江省 2019年3月 医疗保障扶贫调度报表"), "the report's CSV: a BOM and its title row");
  check(reportCsv.split("\r\n").filter((l) => l.trim()).length === 3 + report.subregions.length, "the report's CSV rows");
  const survey = await save("#survey-body [data-download$='format=xlsx']", "survey_xlsx");
  check(path.basename(survey) === "policy-survey-230000-2019Q1.xlsx", "the survey's name " + path.basename(survey));
  const csvRows = (file) => fs.readFileSync(file, "utf8").replace(/^\ufeff/, "").trim().split("\r\n").map((l) => l.split(","));
  const gaps = csvRows(await save("[data-list='gaps']", "gaps_csv"));
  const gapCount = (await api("/v1/coverage?region=23&date=" + date)).tiers.basic.gaps;
  check(gaps[0][0] === "人员（已脱敏）" && gaps.length - 1 === gapCount, "gap list CSV has " + (gaps.length - 1) + " rows, coverage says " + gapCount);
  const firstGap = (await api("/v1/coverage/gaps?region=23&tier=basic&date=" + date + "&limit=1")).persons[0];
  check(gaps[1][0] === firstGap.person && gaps[1][2] === firstGap.region, "gap list CSV's first row");
  const findings = csvRows(await save("[data-list='findings']", "findings_csv"));
  const open_ = await api("/v1/findings?region=23&status=open&limit=1");
  const openCount = Object.values(open_.counts).reduce((a, n) => a + n, 0);
  check(findings.length - 1 === openCount, "findings CSV has " + (findings.length - 1) + " rows, counts say " + openCount);
  const items = csvRows(await save("[data-list='items']", "items_csv"));
  const itemCounts = (await api("/v1/rectifications?region=23&limit=1&date=" + date)).counts;
  const itemTotal = itemCounts.open + itemCounts.overdue + itemCounts.rectified + itemCounts.closed;
  check(items.length - 1 === itemTotal, "items CSV has " + (items.length - 1) + " rows, counts say " + itemTotal);

  // 3. Drill down by clicking the first city's bar, then the breadcrumb back.
  const city = cov.subregions[0].region;
  await page.locator("#chart-subregions").scrollIntoViewIfNeeded();
  const bar = await page.evaluate(() => {
    const box = document.getElementById("chart-subregions").getBoundingClientRect();
    const [x, y] = CHARTS["chart-subregions"].convertToPixel({ seriesIndex: 0 }, [2000, 0]);
    return [box.left + x, box.top + y];
  });
  await page.evaluate(() => delete document.body.dataset.loaded);
  await page.mouse.click(bar[0], bar[1]);
  await page.waitForSelector("body[data-loaded='1']", { timeout: 20000 });
  check(page.url().includes("region=" + city), "a click on the first bar drills down to " + city + ": " + page.url());
  const counties = (await api("/v1/coverage/regions?region=" + city)).subregions.map((s) => s.region);
  const shown = await page.$$eval("#subregions tr.drill", (trs) => trs.map((tr) => tr.dataset.region));
  check(JSON.stringify(shown) === JSON.stringify(counties), "the city's counties " + shown);
  check((await page.textContent("#map-note")).includes("暂无地图"), "a city has no county outlines: bars only");
  check(await page.isHidden("#chart-map"), "no map for a city");

  // 4. From the gap list to the person's page, and from there to a claim.
  await open("region=23&date=" + date);
  const person = await page.getAttribute("#gap-list a[data-person]", "data-person");
  await page.evaluate(() => delete document.body.dataset.loaded);
  await page.click("#gap-list a[data-person]");
  await page.waitForSelector("body[data-loaded='1']");
  const ledger = await api("/v1/persons/" + person + "/ledger");
  check((await page.textContent("#person-id")) === ledger.person, "the person's page names the person");
  const eventRows = await page.$$eval("#detail-body table.events tr[id]", (trs) => trs.map((tr) => Number(tr.id.slice(6))));
  check(JSON.stringify(eventRows) === JSON.stringify(ledger.events.map((e) => e.seq)), "the person's events in ledger order");
  const personFindings = await page.textContent("#detail-body").then((t) => ledger.findings.every((f) => t.includes("#" + f.opened_seq)));
  check(personFindings, "the person's findings name the events that opened them");
  await shot("person");

  // A claim with a finding: its page shows the costs and the finding's events.
  const c6 = (await api("/v1/findings?region=23&check=C6&limit=1")).findings[0] ||
             (await api("/v1/findings?region=23&check=C10&limit=1")).findings[0];
  check(c6 !== undefined, "the province has a claim finding");
  if (c6) {
    await open("view=claim&claim=" + encodeURIComponent(c6.subject));
    const claim = await api("/v1/claims/" + encodeURIComponent(c6.subject));
    const costs = await page.$$eval("#claim-costs td.n", (tds) => tds.map((td) => td.textContent));
    check(JSON.stringify(costs) === JSON.stringify([claim.total, claim.in_policy, claim.out_of_catalog].map(yuan)), "the claim's costs " + costs);
    const personal = await page.$eval("#claim-payments", (t) => t.rows[t.rows.length - 1].cells[1].textContent);
    check(personal === yuan(claim.personal), "the claim's personal share");
    const findingText = await page.textContent("#detail-body table.findings");
    check(findingText.includes("#" + claim.findings[0].opened_seq), "the finding's opening event");
    await page.click("#detail-body a[data-person]");
    await page.waitForSelector("#person-id");
    check((await page.textContent("#person-id")) === claim.person, "the claim links to its person");
    await open("view=claim&claim=" + encodeURIComponent(c6.subject));
    await shot("claim");
  }

  // 5. As the ledger stood after an earlier event: every number of the overview at known_at.
  const head = (await api("/v1/ledger/digest")).seq;
  const then = Math.floor(head / 2);
  await open("region=23&date=" + date + "&month=" + month + "&known_at=" + then);
  const past = await api("/v1/coverage/regions?region=23&date=" + date + "&known_at=" + then);
  check(past.coverage.population !== cov.coverage.population, "half the log holds another population");
  check((await page.textContent("#population")) === grouped(past.coverage.population), "population at known_at " + then);
  const pastReport = await api("/v1/reports/monthly?region=23&month=" + month + "&known_at=" + then);
  const pastCell = await page.$eval("#report-table", (t) => [...t.querySelectorAll("tr")].find((r) => r.cells[0].textContent === "医疗费总额（元）").cells[1].textContent);
  check(pastCell === yuan(pastReport.total), "report total at known_at " + pastCell + " vs " + yuan(pastReport.total));
  check(await page.getAttribute("#report-body [data-download$='format=xlsx']", "data-download").then((u) => u.includes("known_at=" + then)), "the workbook at known_at");

  // 6. A tablet held upright, and the report as it prints.
  await page.setViewportSize({ width: 768, height: 1024 });
  await open("region=23&month=" + month);
  await noHorizontalScroll("768x1024");
  await shot("tablet-768x1024", { fullPage: false });
  await page.emulateMedia({ media: "print" });
  check(await page.isHidden("#coverage") && await page.isVisible("#report-table"), "printing shows the report alone");
  await shot("report-print");
  await page.emulateMedia({ media: "screen" });
} catch (e) {
  failures.push("exception: " + (e.stack || e.message));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ failures, downloads, screenshots }) + "\n");
