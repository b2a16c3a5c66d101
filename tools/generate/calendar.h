// Business-date arithmetic for the province generator. Dates are int
// YYYYMMDD, months int YYYYMM, as in the event contract; day numbers count
// days since 1970-01-01 in the proleptic Gregorian calendar. Pure functions.

#ifndef SAFETYNET_TOOLS_GENERATE_CALENDAR_H_
#define SAFETYNET_TOOLS_GENERATE_CALENDAR_H_

#include <cstdint>

#include "events/date.h"

namespace safetynet::gen::internal {

constexpr int YearOf(int date) { return date / 10000; }
constexpr int MonthOf(int date) { return date / 100 % 100; }
constexpr int DayOf(int date) { return date % 100; }
constexpr int MakeDate(int year, int month, int day) { return year * 10000 + month * 100 + day; }

// Calendar arithmetic is the ledger's own (events/date.h).
using safetynet::DaysInMonth;
using safetynet::IsLeapYear;
inline bool IsValidDate(int date) { return safetynet::IsValidDate(date); }
inline int64_t DayNumber(int date) { return safetynet::DateToDays(date); }
inline int DateFromDayNumber(int64_t days) { return safetynet::DaysToDate(days); }
inline int AddDays(int date, int days) { return safetynet::AddDays(date, days); }

inline int DaysBetween(int from, int to) { return static_cast<int>(DayNumber(to) - DayNumber(from)); }

// YYYYMM plus n months.
constexpr int AddMonths(int yyyymm, int n) {
  const int index = yyyymm / 100 * 12 + (yyyymm % 100 - 1) + n;
  return index / 12 * 100 + index % 12 + 1;
}

}  // namespace safetynet::gen::internal

#endif  // SAFETYNET_TOOLS_GENERATE_CALENDAR_H_
