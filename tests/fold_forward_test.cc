// FoldForward (the fold of known_at views and of replays to a seq): it
// continues from the seq the target's projections reflect, equals a replay
// to the same seq, refuses a target already past it, and stops when
// cancelled.
#include <gtest/gtest.h>

#include "replay/replay.h"
#include "tests/log_fixture.h"

namespace safetynet {
namespace {

using FoldForwardTest = test::LogFixture;

TEST_F(FoldForwardTest, ContinuesFromTheTargetsSeqAndEqualsAReplayToTheSameSeq) {
  Append(900, 100);
  test::MemStore replayed, forward;
  ReplayOptions ro;
  ro.until_seq = 700;
  auto r = Rebuild(store_, replayed, ro);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(*FoldForward(store_, forward, 300), 300u);
  ASSERT_EQ(*FoldForward(store_, forward, 700), 400u);  // from 300 on
  EXPECT_EQ(ProjectionDigestHex(forward), r->digest);
  EXPECT_FALSE(FoldForward(store_, forward, 500).ok()) << "a target past the seq asked";
}

TEST_F(FoldForwardTest, ACancelledFoldStopsAtABatchWithRetryable) {
  Append(900, 100);
  test::MemStore target;
  ReplayOptions ro;
  ro.batch_events = 100;
  int asked = 0;
  ro.cancelled = [&] { return ++asked >= 2; };
  auto folded = FoldForward(store_, target, 900, ro);
  ASSERT_FALSE(folded.ok());
  EXPECT_EQ(folded.status().code(), Status::Code::kRetryable);
  EXPECT_EQ(asked, 2);
}

}  // namespace
}  // namespace safetynet
