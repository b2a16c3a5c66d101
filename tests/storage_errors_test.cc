// Storage read errors are errors (R4): only "not found" means absent. A read
// that fails while a batch is staged makes ingest fail for good, with nothing
// of the batch written and no offset counted; a query that meets one answers
// the error (HTTP 500), never a short page. On an in-memory store that
// fails its reads on request (tests/mem_store.h).
#include <gtest/gtest.h>

#include "daemon/ingest.h"
#include "projections/read/audit_queries.h"
#include "projections/read/monthly_report.h"
#include "projections/read/queries.h"
#include "projections/read/rectification_queries.h"
#include "tests/answers_json.h"
#include "tests/mem_store.h"

namespace safetynet {
namespace {

using namespace safetynet::testing_answers;

std::string Grant(int i) {
  return R"({"event_id":"g)" + std::to_string(i) +
         R"(","occurred_on":20200101,"source":"s","region":"230102","person_id":"P)" + std::to_string(i) +
         R"(","payload_type":"IdentityGranted","payload":{"identity":"REGISTERED_POOR","valid_from":20200101}})";
}

class StorageErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = LedgerWriter::Open(store_, Sealer(std::string(32, 'd')));
    ASSERT_TRUE(w.ok());
    writer_ = std::move(*w);
    ASSERT_TRUE(writer_->AdoptBroker(store_, {.embedded = true}).ok());
    auto p = ProjectionSet::Open(store_);
    ASSERT_TRUE(p.ok());
    projections_ = std::move(*p);
    ingestor_ = std::make_unique<Ingestor>(store_, *writer_, *projections_, hasher_, topics_, metrics_,
                                           PipelineOptions{.sync = true});
  }
  // Grants first..last-1, one message each at their offsets of roster partition 0.
  Status Ingest(int first, int last) {
    std::vector<std::string> values;
    for (int i = first; i < last; ++i) values.push_back(Grant(i));
    std::vector<KafkaMessage> batch;
    for (int i = first; i < last; ++i) {
      batch.push_back({topics_.roster, 0, i, "", values[static_cast<size_t>(i - first)]});
    }
    Status st = ingestor_->Process(batch);
    return st.ok() ? ingestor_->Checkpoint() : st;
  }

  test::MemStore store_;
  PersonHasher hasher_{std::string(32, 'h')};
  TopicNames topics_;
  Metrics metrics_;
  std::unique_ptr<LedgerWriter> writer_;
  std::unique_ptr<ProjectionSet> projections_;
  std::unique_ptr<Ingestor> ingestor_;
};

TEST_F(StorageErrors, AReadErrorWhileStagingIsStickyAndWritesNothing) {
  ASSERT_TRUE(Ingest(0, 10).ok());
  const int writes = store_.writes();
  const auto offsets = ingestor_->next_offsets();
  ASSERT_EQ((offsets.at({topics_.roster, 0})), 10);

  store_.FailReadsAfter(0);
  const Status st = Ingest(10, 20);
  EXPECT_EQ(st.code(), Status::Code::kIo) << st.ToString();
  EXPECT_NE(st.message().find("ledger read failed"), std::string::npos) << st.message();
  EXPECT_EQ(store_.writes(), writes) << "a batch staged on a failed read was written";
  EXPECT_EQ(ingestor_->next_offsets(), offsets) << "offsets of the failed batch counted as consumed";
  EXPECT_EQ(writer_->head().seq, 10u);
  EXPECT_EQ(projections_->applied_seq(), 10u);

  // Sticky: the disk reads again, the ingestor does not.
  store_.FailReadsAfter(-1);
  EXPECT_FALSE(Ingest(20, 21).ok());
  EXPECT_EQ(store_.writes(), writes);
}

TEST_F(StorageErrors, AReadErrorLaterInTheBatchAlsoFailsIt) {
  ASSERT_TRUE(Ingest(0, 10).ok());
  const int writes = store_.writes();
  store_.FailReadsAfter(5);  // the first reads of the batch succeed
  EXPECT_FALSE(Ingest(10, 20).ok());
  EXPECT_EQ(store_.writes(), writes);
}

TEST_F(StorageErrors, QueriesAnswerTheErrorNotAShortPage) {
  ASSERT_TRUE(Ingest(0, 10).ok());
  // The control: with reads working every query answers.
  ASSERT_TRUE(FindingsJson(store_, *projections_, "", "", "", Page{}).ok());
  ASSERT_TRUE(FindingChangesJson(store_, Page{}).ok());
  ASSERT_TRUE(GapsJson(store_, *projections_, "", "", "", Page{}).ok());
  ASSERT_TRUE(RectificationsJson(store_, *projections_, "", "", "", "", Page{}).ok());
  ASSERT_TRUE(MonthlyReportJson(*projections_, "23", "202001").ok());
  store_.FailReadsAfter(0);
  const auto is_io = [](const Status& st) { return st.code() == Status::Code::kIo; };
  EXPECT_TRUE(is_io(FindingsJson(store_, *projections_, "", "", "", Page{}).status()));
  EXPECT_TRUE(is_io(FindingChangesJson(store_, Page{}).status()));
  EXPECT_TRUE(is_io(GapsJson(store_, *projections_, "", "", "", Page{}).status()));
  EXPECT_TRUE(is_io(RectificationsJson(store_, *projections_, "", "", "", "", Page{}).status()));
  EXPECT_TRUE(is_io(ClaimJson(store_, "any").status()));
  EXPECT_TRUE(is_io(ResolvePerson(store_, "P1", [](std::string_view) { return std::string(64, 'a'); }).status()));
}

}  // namespace
}  // namespace safetynet
