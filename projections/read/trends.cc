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

TrendMonth MonthOf(const ProjectionSet& set, const std::string& region, int32_t month) {
  const int32_t date = ReadingDay(month, set.ledger_date());
  CoverageAnswer coverage = Coverage(set, RegionDate{region, date});
  TrendMonth out{month, date, coverage.population, std::move(coverage.tiers), {}, ItemCountsOf(set, region, date)};
  for (int i = 1; i <= kCheckCount; ++i) {
    const auto c = static_cast<Check>(i);
    out.findings_open.Add(CheckName(c), set.finding_counts().Query(region, c, month).open);
  }
  return out;
}

}  // namespace

Result<Trend> TrendOf(const ProjectionSet& set, std::string_view region_s, std::string_view from_s,
                      std::string_view to_s) {
  std::string region;
  int32_t from = 0, to = 0;
  const int32_t ledger_month = set.ledger_date() / 100;
  Status st = ParseRegion(region_s, &region);
  if (st.ok()) st = ParseMonth(to_s, "to", IsValidMonth(ledger_month) ? ledger_month : 0, &to);
  if (st.ok() && to == 0) return Trend{RegionCode{region}, std::nullopt, std::nullopt, {}};
  if (st.ok()) st = ParseMonth(from_s, "from", AddMonths(to, -11), &from);
  if (!st.ok()) return st;
  if (from > to) return Status::Invalid("from must not be after to");
  if (AddMonths(from, kMaxTrendMonths - 1) < to) {
    return Status::Invalid("at most " + std::to_string(kMaxTrendMonths) + " months from from to to");
  }
  Trend out{RegionCode{region}, from, to, {}};
  for (int32_t m = from; m <= to; m = NextMonth(m)) out.months.push_back(MonthOf(set, region, m));
  return out;
}

}  // namespace safetynet
