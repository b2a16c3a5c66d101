#include "events/date.h"

namespace safetynet {

bool IsValidDate(int32_t d) {
  const int32_t y = d / 10000, m = d / 100 % 100, day = d % 100;
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || day < 1) return false;
  return day <= DaysInMonth(y, m);
}

bool IsValidMonth(int32_t ym) {
  const int32_t y = ym / 100, m = ym % 100;
  return y >= 1900 && y <= 9999 && m >= 1 && m <= 12;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DateToDays(int32_t d) {
  int64_t y = d / 10000;
  const int64_t m = d / 100 % 100, day = d % 100;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int32_t DaysToDate(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  return static_cast<int32_t>(y * 10000 + m * 100 + day);
}

}  // namespace safetynet
