#include "events/date.h"

#include <gtest/gtest.h>

namespace safetynet {
namespace {

TEST(Date, ValidatesRealCalendarDates) {
  EXPECT_TRUE(IsValidDate(20200229));
  EXPECT_FALSE(IsValidDate(20190229));
  EXPECT_FALSE(IsValidDate(20190231));
  EXPECT_FALSE(IsValidDate(20191301));
  EXPECT_FALSE(IsValidDate(20190100));
  EXPECT_FALSE(IsValidDate(0));
  EXPECT_TRUE(IsValidDate(21000228));
  EXPECT_FALSE(IsValidDate(21000229));  // 2100 is not a leap year
  EXPECT_TRUE(IsValidDate(20000229));   // 2000 is
}

TEST(Date, StepsAcrossMonthsYearsAndLeapDays) {
  EXPECT_EQ(PrevDay(20200301), 20200229);
  EXPECT_EQ(PrevDay(20190301), 20190228);
  EXPECT_EQ(NextDay(20191231), 20200101);
  EXPECT_EQ(PrevDay(20200101), 20191231);
  EXPECT_EQ(AddDays(20200115, 30), 20200214);
  EXPECT_EQ(DateToDays(19700101), 0);
  for (int32_t d = 19991201; d != 20010301; d = NextDay(d)) {
    ASSERT_TRUE(IsValidDate(d)) << d;
    ASSERT_EQ(DaysToDate(DateToDays(d)), d);
    ASSERT_EQ(PrevDay(NextDay(d)), d);
  }
}

TEST(Date, ValidatesMonths) {
  EXPECT_TRUE(IsValidMonth(202006));
  EXPECT_FALSE(IsValidMonth(202013));
  EXPECT_FALSE(IsValidMonth(202000));
}

}  // namespace
}  // namespace safetynet
