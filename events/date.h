// Business dates (YYYYMMDD as int32) and the calendar arithmetic the domain
// needs: validity, previous/next day, days between dates.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>

namespace safetynet {

constexpr bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
// Days in month `m` (1..12) of year `y`.
constexpr int DaysInMonth(int64_t y, int m) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// True when `yyyymmdd` is a real Gregorian calendar date in years 1900..9999.
bool IsValidDate(int32_t yyyymmdd);
// True when `yyyymm` is a real month (YYYYMM).
bool IsValidMonth(int32_t yyyymm);
// The month after a YYYYMM month: 202012 -> 202101.
constexpr int32_t NextMonth(int32_t yyyymm) { return yyyymm % 100 == 12 ? (yyyymm / 100 + 1) * 100 + 1 : yyyymm + 1; }
// The last day (YYYYMMDD) of month YYYYMM.
constexpr int32_t LastDayOfMonth(int32_t yyyymm) {
  return yyyymm * 100 + DaysInMonth(yyyymm / 100, static_cast<int>(yyyymm % 100));
}

// Days since 1970-01-01 of a valid date, and back.
int64_t DateToDays(int32_t yyyymmdd);
int32_t DaysToDate(int64_t days);

inline int32_t NextDay(int32_t d) { return DaysToDate(DateToDays(d) + 1); }
inline int32_t PrevDay(int32_t d) { return DaysToDate(DateToDays(d) - 1); }
inline int32_t AddDays(int32_t d, int64_t n) { return DaysToDate(DateToDays(d) + n); }

}  // namespace safetynet
