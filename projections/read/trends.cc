#include "projections/read/trends.h"

#include <algorithm>
#include <string>

#include "events/date.h"
#include "projections/findings/finding_counts.h"
#include "projections/read/rectification_queries.h"

namespace safetynet {
namespace {

int32_t AddMonths(int32_t yyyymm, int n) {
  const int total = yyyymm / 100 * 12 + yyyymm % 100 - 1 + n;
  return total / 12 * 100 + total % 12 + 1;
}

// The day a month's figures are read on: its last day, or the ledger's date
// while the month is running.
int32_t ReadingDay(int32_t month, int32_t ledger_date) {
  const int32_t last_day = LastDayOfMonth(month);
  return ledger_date / 100 == month ? std::min(last_day, ledger_date) : last_day;
}

Result<Json> MonthJson(const ProjectionSet& set, const std::string& region, int32_t month) {
  const int32_t date = ReadingDay(month, set.ledger_date());
  auto coverage = CoverageJson(set, region, std::to_string(date));
  if (!coverage.ok()) return coverage.status();
  Json findings = Json::object();
  for (int i = 1; i <= kCheckCount; ++i) {
    const auto c = static_cast<Check>(i);
    findings[CheckName(c)] = set.finding_counts().Query(region, c, month).open;
  }
  return Json{{"month", month},
              {"date", date},
              {"population", (*coverage)["population"]},
              {"tiers", std::move((*coverage)["tiers"])},
              {"findings_open", std::move(findings)},
              {"items", ItemCountsJson(set, region, date)}};
}

}  // namespace

Result<Json> TrendJson(const ProjectionSet& set, std::string_view region_s, std::string_view from_s,
                       std::string_view to_s) {
  std::string region;
  int32_t from = 0, to = 0;
  const int32_t ledger_month = set.ledger_date() / 100;
  Status st = ParseRegion(region_s, &region);
  if (st.ok()) st = ParseMonth(to_s, "to", IsValidMonth(ledger_month) ? ledger_month : 0, &to);
  if (st.ok() && to == 0)
    return Json{{"region", region}, {"from", nullptr}, {"to", nullptr}, {"months", Json::array()}};
  if (st.ok()) st = ParseMonth(from_s, "from", AddMonths(to, -11), &from);
  if (!st.ok()) return st;
  if (from > to) return Status::Invalid("from must not be after to");
  if (AddMonths(from, kMaxTrendMonths - 1) < to) {
    return Status::Invalid("at most " + std::to_string(kMaxTrendMonths) + " months from from to to");
  }
  Json months = Json::array();
  for (int32_t m = from; m <= to; m = NextMonth(m)) {
    auto row = MonthJson(set, region, m);
    if (!row.ok()) return row.status();
    months.push_back(std::move(*row));
  }
  return Json{{"region", region}, {"from", from}, {"to", to}, {"months", std::move(months)}};
}

}  // namespace safetynet
