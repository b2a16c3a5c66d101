// Business-date arithmetic for the province generator. Dates are int
// YYYYMMDD, months int YYYYMM, as in the event contract; day numbers count
// days since 1970-01-01 in the proleptic Gregorian calendar. Pure functions.

#ifndef SAFETYNET_OPS_GENERATE_CALENDAR_H_
#define SAFETYNET_OPS_GENERATE_CALENDAR_H_

#include <cstdint>

namespace safetynet::gen::internal {

constexpr int YearOf(int date) { return date / 10000; }
constexpr int MonthOf(int date) { return date / 100 % 100; }
constexpr int DayOf(int date) { return date % 100; }
constexpr int MakeDate(int year, int month, int day) { return year * 10000 + month * 100 + day; }

constexpr bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

constexpr int DaysInMonth(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

constexpr bool IsValidDate(int date) {
  const int month = MonthOf(date);
  return date > 0 && month >= 1 && month <= 12 && DayOf(date) >= 1 && DayOf(date) <= DaysInMonth(YearOf(date), month);
}

// Howard Hinnant's days_from_civil.
constexpr int64_t DayNumber(int date) {
  int64_t y = YearOf(date);
  const int64_t m = MonthOf(date);
  const int64_t d = DayOf(date);
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Howard Hinnant's civil_from_days.
constexpr int DateFromDayNumber(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  return static_cast<int>(y * 10000 + m * 100 + d);
}

constexpr int AddDays(int date, int days) { return DateFromDayNumber(DayNumber(date) + days); }

constexpr int DaysBetween(int from, int to) { return static_cast<int>(DayNumber(to) - DayNumber(from)); }

// YYYYMM plus n months.
constexpr int AddMonths(int yyyymm, int n) {
  const int index = yyyymm / 100 * 12 + (yyyymm % 100 - 1) + n;
  return index / 12 * 100 + index % 12 + 1;
}

}  // namespace safetynet::gen::internal

#endif  // SAFETYNET_OPS_GENERATE_CALENDAR_H_
