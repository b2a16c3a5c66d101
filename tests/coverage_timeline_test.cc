// Coverage semantics on PersonState, clause by clause.
#include "projections/coverage/coverage_timeline.h"

#include <gtest/gtest.h>

#include "events/date.h"

namespace safetynet {
namespace {

using fb::Identity;
using fb::Reason;
using fb::Tier;

TEST(PersonState, RevocationEndsContainingIntervalsTheDayBefore) {
  PersonState p;
  p.Grant(Identity::REGISTERED_POOR, 20200101, 0, 1, "230102");
  p.Grant(Identity::LOW_INCOME, 20200101, 0, 2, "230102");
  p.Revoke(Identity::REGISTERED_POOR, 20200301);
  EXPECT_TRUE(p.PoorOn(20200229));
  EXPECT_EQ(p.intervals[0].to, 20200229);
  EXPECT_EQ(p.intervals[1].to, 0);  // another identity is untouched
  p.Revoke(Identity::LOW_INCOME, 20200301);
  EXPECT_FALSE(p.PoorOn(20200301));
  // A grant later in ledger order is not touched by the earlier revocation.
  p.Grant(Identity::REGISTERED_POOR, 20200201, 0, 3, "230103");
  EXPECT_TRUE(p.PoorOn(20200301));
  EXPECT_EQ(p.region, "230103");
}

TEST(PersonState, RevocationOnTheFirstDayEmptiesTheInterval) {
  PersonState p;
  p.Grant(Identity::MARGINAL, 20200501, 0, 1, "230102");
  p.Revoke(Identity::MARGINAL, 20200501);
  EXPECT_TRUE(p.intervals[0].Empty());
  EXPECT_FALSE(p.PoorOn(20200501));
  EXPECT_FALSE(p.PoorOn(20200430));
}

TEST(PersonState, RevocationOutsideTheIntervalChangesNothing) {
  PersonState p;
  p.Grant(Identity::MARGINAL, 20200101, 20200630, 1, "230102");
  p.Revoke(Identity::MARGINAL, 20200701);
  EXPECT_EQ(p.intervals[0].to, 20200630);
  EXPECT_TRUE(p.PoorOn(20200630));
}

TEST(PersonState, EnrollmentTiesGoToTheLaterInLedgerOrder) {
  PersonState p;
  p.Enroll(Tier::BASIC_RESIDENT, true, 20200101, 5);
  p.Enroll(Tier::BASIC_RESIDENT, false, 20200101, 6);
  EXPECT_FALSE(p.EnrolledOn(Tier::BASIC_RESIDENT, 20200101));
  p.Enroll(Tier::BASIC_RESIDENT, true, 20200101, 7);
  EXPECT_TRUE(p.EnrolledOn(Tier::BASIC_RESIDENT, 20200101));
  EXPECT_FALSE(p.EnrolledOn(Tier::BASIC_RESIDENT, 20191231));
  // A change with an earlier effective date arriving later does not override a later date.
  p.Enroll(Tier::BASIC_RESIDENT, false, 20190601, 8);
  EXPECT_TRUE(p.EnrolledOn(Tier::BASIC_RESIDENT, 20200101));
  EXPECT_FALSE(p.EnrolledOn(Tier::BASIC_RESIDENT, 20190701));
}

TEST(PersonState, EitherBasicSchemeCounts) {
  PersonState p;
  p.Enroll(Tier::BASIC_RESIDENT, false, 20200101, 1);
  p.Enroll(Tier::BASIC_EMPLOYEE, true, 20200101, 2);
  EXPECT_TRUE(p.EnrolledOn(Category::kBasic, 20200101));
  EXPECT_FALSE(p.EnrolledOn(Category::kCriticalIllness, 20200101));
}

TEST(Coverage, ReasonGroupsDecideNotEnrolledPersons) {
  PersonState p;
  p.Grant(Identity::REGISTERED_POOR, 20200101, 0, 1, "230102");
  EXPECT_EQ(StatusOn(p, Category::kBasic, 20200101), CoverageStatus::kGap);
  p.RecordReason(Tier::BASIC_RESIDENT, Reason::EMPLOYEE_INSURANCE, 20200201, 2);
  EXPECT_EQ(StatusOn(p, Category::kBasic, 20200201), CoverageStatus::kCovered);
  EXPECT_EQ(StatusOn(p, Category::kBasic, 20200131), CoverageStatus::kGap);
  p.RecordReason(Tier::BASIC_EMPLOYEE, Reason::DECEASED, 20200301, 3);
  EXPECT_EQ(StatusOn(p, Category::kBasic, 20200301), CoverageStatus::kExcluded);
  p.RecordReason(Tier::BASIC_RESIDENT, Reason::CANNOT_AFFORD, 20200301, 4);  // tie: later wins
  EXPECT_EQ(StatusOn(p, Category::kBasic, 20200301), CoverageStatus::kGap);
  p.Enroll(Tier::BASIC_RESIDENT, true, 20200401, 5);  // enrolled beats any reason
  EXPECT_EQ(StatusOn(p, Category::kBasic, 20200401), CoverageStatus::kCovered);
  EXPECT_EQ(StatusOn(p, Category::kCriticalIllness, 20200401), CoverageStatus::kGap);  // reasons are per category
}

TEST(Coverage, TimelineMatchesPointwiseStatusEverywhere) {
  PersonState p;
  p.Grant(Identity::REGISTERED_POOR, 20200110, 20200620, 1, "230102");
  p.Grant(Identity::LOW_INCOME, 20200801, 0, 2, "230102");
  p.Revoke(Identity::LOW_INCOME, 20201015);
  p.Enroll(Tier::MEDICAL_ASSISTANCE, true, 20200201, 3);
  p.Enroll(Tier::MEDICAL_ASSISTANCE, false, 20200901, 4);
  p.RecordReason(Tier::MEDICAL_ASSISTANCE, Reason::IMPRISONED, 20200915, 5);
  for (size_t c = 0; c < kCategoryCount; ++c) {
    const auto cat = static_cast<Category>(c);
    const Timeline t = ComputeTimeline(p, cat);
    for (int32_t d = 20191201; d <= 20210131; d = NextDay(d)) {
      ASSERT_EQ(StatusOn(t, d), StatusOn(p, cat, d)) << d << " category " << c;
    }
    for (size_t i = 1; i < t.size(); ++i) EXPECT_NE(t[i].status, t[i - 1].status);
  }
}

TEST(PersonState, EncodesAndDecodesLosslessly) {
  PersonState p;
  p.Grant(Identity::IMMEDIATE_AID, 20200110, 20200620, 1, "230102");
  p.Revoke(Identity::IMMEDIATE_AID, 20200301);
  p.Enroll(Tier::SUPPLEMENTARY, true, 20200201, 3);
  p.RecordReason(Tier::CRITICAL_ILLNESS, Reason::OTHER, 20200915, 5);
  PersonState q;
  ASSERT_TRUE(PersonState::Decode(p.Encode(), &q));
  EXPECT_EQ(q.Encode(), p.Encode());
  EXPECT_FALSE(PersonState::Decode(p.Encode().substr(0, 5), &q));
}

}  // namespace
}  // namespace safetynet
