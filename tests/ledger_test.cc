// LedgerWriter and the chain on a MemStore: sequence numbers, hash chain,
// deduplication, dead letters encrypted at rest, offsets in the same write,
// and a failed write that commits nothing.
#include "events/ledger.h"

#include <gtest/gtest.h>

#include "events/codec.h"
#include "events/codec_util.h"
#include "replay/replay.h"
#include "tests/mem_store.h"

namespace safetynet {
namespace {

std::string GrantJson(const std::string& id, int from) {
  return R"({"event_id":")" + id + R"(","occurred_on":)" + std::to_string(from) +
         R"(,"source":"s","region":"230102","person_id":"P1","payload_type":"IdentityGranted","payload":{"identity":"REGISTERED_POOR","valid_from":)" +
         std::to_string(from) + "}}";
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = LedgerWriter::Open(store_, Sealer(std::string(32, 'd')));
    ASSERT_TRUE(w.ok());
    writer_ = std::move(*w);
  }
  std::string Stored(const std::string& json) {
    std::string out;
    EXPECT_TRUE(codec_.DecodeInbound(json, TopicKind::kRoster, &out).ok());
    return out;
  }
  LedgerWriter::Outcome Append(Txn& txn, const std::string& stored, uint64_t* seq) {
    return writer_->Append(txn, stored, *ReadEvent(stored), seq);
  }

  test::MemStore store_;
  PersonHasher hasher_{std::string(32, 'k')};
  EventCodec codec_{&hasher_};
  std::unique_ptr<LedgerWriter> writer_;
};

TEST_F(LedgerTest, AppendsGapFreeHashChainedRecords) {
  Txn txn(store_);
  uint64_t seq = 0;
  for (int i = 1; i <= 5; ++i) {
    ASSERT_EQ(Append(txn, Stored(GrantJson("e" + std::to_string(i), 20200100 + i)), &seq),
              LedgerWriter::Outcome::kAppended);
    EXPECT_EQ(seq, static_cast<uint64_t>(i));
  }
  writer_->FinishBatch(txn);
  ASSERT_TRUE(store_.Write(txn, true).ok());
  writer_->Committed();
  auto v = VerifyLedger(store_);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->records, 5u);
  EXPECT_EQ(v->first_bad_seq, 0u);
  EXPECT_EQ(store_.size(Cf::kPersonEvents), 5u);
  EXPECT_EQ(writer_->head().seq, 5u);
}

TEST_F(LedgerTest, VerifyFindsTheFirstTamperedRecord) {
  Txn txn(store_);
  uint64_t seq = 0;
  std::vector<std::string> stored;
  for (int i = 1; i <= 4; ++i) {
    stored.push_back(Stored(GrantJson("t" + std::to_string(i), 20200100 + i)));
    ASSERT_EQ(Append(txn, stored.back(), &seq), LedgerWriter::Outcome::kAppended);
  }
  writer_->FinishBatch(txn);
  ASSERT_TRUE(store_.Write(txn, true).ok());
  // Replace record 3's event by record 4's bytes, keeping its stored hash.
  std::string value;
  ASSERT_TRUE(store_.Get(Cf::kLog, LogKey(3), &value).ok());
  Txn tamper(store_);
  tamper.Put(Cf::kLog, LogKey(3), value.substr(0, 32) + stored[3]);
  ASSERT_TRUE(store_.Write(tamper, true).ok());
  auto v = VerifyLedger(store_);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->first_bad_seq, 3u);
  // A missing record is found too.
  Txn drop(store_);
  drop.Delete(Cf::kLog, LogKey(2));
  ASSERT_TRUE(store_.Write(drop, true).ok());
  EXPECT_EQ(VerifyLedger(store_)->first_bad_seq, 2u);
}

TEST_F(LedgerTest, DuplicateIdenticalIsCountedConflictIsReported) {
  Txn txn(store_);
  uint64_t seq = 0;
  const std::string a = Stored(GrantJson("same", 20200101));
  ASSERT_EQ(Append(txn, a, &seq), LedgerWriter::Outcome::kAppended);
  EXPECT_EQ(Append(txn, a, &seq), LedgerWriter::Outcome::kDuplicate);  // same batch
  writer_->FinishBatch(txn);
  ASSERT_TRUE(store_.Write(txn, true).ok());
  writer_->Committed();
  Txn next(store_);
  EXPECT_EQ(Append(next, a, &seq), LedgerWriter::Outcome::kDuplicate);  // later batch
  EXPECT_EQ(Append(next, Stored(GrantJson("same", 20200102)), &seq), LedgerWriter::Outcome::kConflict);
  EXPECT_EQ(seq, 1u);
  writer_->FinishBatch(next);
  ASSERT_TRUE(store_.Write(next, true).ok());
  writer_->Committed();
  EXPECT_EQ(writer_->counters().appended, 1u);
  EXPECT_EQ(writer_->counters().duplicates, 2u);
}

TEST_F(LedgerTest, DeadLettersAreEncryptedAndReadableWithTheKey) {
  Txn txn(store_);
  const std::string value = R"({"person_id":"230102195403120231", broken)";
  writer_->DeadLetter(txn, {"safetynet.roster", 2, 77}, value, "invalid JSON event: x");
  writer_->FinishBatch(txn);
  ASSERT_TRUE(store_.Write(txn, true).ok());
  auto it = store_.NewIterator(Cf::kDeadLetters);
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(std::string(it->value()).find("230102195403120231"), std::string::npos);
  DeadLetter dl;
  ASSERT_TRUE(OpenDeadLetter(Sealer(std::string(32, 'd')), 1, it->value(), &dl).ok());
  EXPECT_EQ(dl.value, value);
  EXPECT_EQ(dl.topic, "safetynet.roster");
  EXPECT_EQ(dl.partition, 2);
  EXPECT_EQ(dl.kafka_offset, 77);
  EXPECT_EQ(dl.reason, "invalid JSON event: x");
  EXPECT_FALSE(OpenDeadLetter(Sealer(std::string(32, 'x')), 1, it->value(), &dl).ok());
}

TEST_F(LedgerTest, OffsetsAreWrittenWithTheBatchAndAFailedWriteCommitsNothing) {
  ASSERT_EQ(*writer_->AdoptBroker(store_, {.embedded = false, .cluster_id = "c1"}), LedgerWriter::Adoption::kNew);
  Txn txn(store_);
  uint64_t seq = 0;
  ASSERT_EQ(Append(txn, Stored(GrantJson("o1", 20200101)), &seq), LedgerWriter::Outcome::kAppended);
  writer_->SetNextOffset(txn, "safetynet.roster", 1, 10);
  writer_->FinishBatch(txn);
  ASSERT_TRUE(store_.Write(txn, true).ok());
  writer_->Committed();
  EXPECT_EQ((ReadOffsets(store_, 1)[{"safetynet.roster", 1}]), 10);

  store_.FailWritesAfter(0);
  Txn failing(store_);
  ASSERT_EQ(Append(failing, Stored(GrantJson("o2", 20200102)), &seq), LedgerWriter::Outcome::kAppended);
  writer_->SetNextOffset(failing, "safetynet.roster", 1, 11);
  writer_->FinishBatch(failing);
  EXPECT_FALSE(store_.Write(failing, true).ok());
  writer_->Abandon();
  EXPECT_EQ(writer_->head().seq, 1u);
  EXPECT_EQ((ReadOffsets(store_, 1)[{"safetynet.roster", 1}]), 10);
  EXPECT_EQ(ReadHead(store_)->seq, 1u);
}

// Positions belong to the broker that gave them: the embedded broker is new
// at every start, a real cluster is known by its id.
TEST_F(LedgerTest, EachBrokerIncarnationHasItsOwnPositions) {
  auto write_offset = [&](int64_t next) {
    Txn txn(store_);
    writer_->SetNextOffset(txn, "safetynet.roster", 0, next);
    writer_->FinishBatch(txn);
    ASSERT_TRUE(store_.Write(txn, true).ok());
    writer_->Committed();
  };
  ASSERT_EQ(*writer_->AdoptBroker(store_, {.embedded = true}), LedgerWriter::Adoption::kNew);
  write_offset(500);
  // A restart with the embedded broker: a new incarnation, nothing stored for it.
  auto again = LedgerWriter::Open(store_, Sealer(std::string(32, 'd')));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->incarnation(), 1u);
  ASSERT_EQ(*(*again)->AdoptBroker(store_, {.embedded = true}), LedgerWriter::Adoption::kNew);
  EXPECT_EQ((*again)->incarnation(), 2u);
  EXPECT_TRUE(ReadOffsets(store_, 2).empty());
  EXPECT_EQ((ReadOffsets(store_, 1)[{"safetynet.roster", 0}]), 500);  // the old ones stay on record
  writer_ = std::move(*again);
  write_offset(7);
  EXPECT_EQ((ReadOffsets(store_, 2)[{"safetynet.roster", 0}]), 7);

  // A real cluster: the same id continues, another id starts anew, an unknown id continues.
  ASSERT_EQ(*writer_->AdoptBroker(store_, {.cluster_id = "A"}), LedgerWriter::Adoption::kNew);
  EXPECT_EQ(writer_->incarnation(), 3u);
  EXPECT_EQ(*writer_->AdoptBroker(store_, {.cluster_id = "A"}), LedgerWriter::Adoption::kSame);
  EXPECT_EQ(*writer_->AdoptBroker(store_, {.cluster_id = ""}), LedgerWriter::Adoption::kSame);
  EXPECT_EQ(*writer_->AdoptBroker(store_, {.cluster_id = "B"}), LedgerWriter::Adoption::kNew);
  EXPECT_EQ(writer_->incarnation(), 4u);
  const auto all = ReadIncarnations(store_);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_TRUE(all[0].identity.embedded);
  EXPECT_EQ(all[3].identity.cluster_id, "B");
  EXPECT_EQ(ReadCurrentIncarnation(store_)->number, 4u);
}

TEST_F(LedgerTest, AnUnknownClusterIdIsLearnedWithoutANewIncarnation) {
  ASSERT_EQ(*writer_->AdoptBroker(store_, {.cluster_id = ""}), LedgerWriter::Adoption::kNew);
  EXPECT_EQ(*writer_->AdoptBroker(store_, {.cluster_id = "X"}), LedgerWriter::Adoption::kLearned);
  EXPECT_EQ(writer_->incarnation(), 1u);
  EXPECT_EQ(ReadCurrentIncarnation(store_)->identity.cluster_id, "X");
}

TEST_F(LedgerTest, JumpsAndRewindsAreRecordedAndCountedApart) {
  ASSERT_TRUE(writer_->AdoptBroker(store_, {.embedded = true}).ok());
  Txn txn(store_);
  writer_->RecordJump(txn, "safetynet.claims", 3, 10, 15);  // 5 lost
  writer_->RecordJump(txn, "safetynet.claims", 2, 40, 0);   // went back
  writer_->FinishBatch(txn);
  ASSERT_TRUE(store_.Write(txn, true).ok());
  writer_->Committed();
  EXPECT_EQ(writer_->counters().offset_jumps, 1u);
  EXPECT_EQ(writer_->counters().skipped_messages, 5u);
  EXPECT_EQ(writer_->counters().offset_rewinds, 1u);
  EXPECT_EQ(ReadCounters(store_)->offset_rewinds, 1u);
  const auto jumps = ReadOffsetJumps(store_);
  ASSERT_EQ(jumps.size(), 2u);
  EXPECT_EQ(jumps[0].partition, 2);
  EXPECT_TRUE(jumps[0].rewind());
  EXPECT_EQ(jumps[0].incarnation, 1u);
  EXPECT_FALSE(jumps[1].rewind());
  EXPECT_EQ(jumps[1].got, 15);
}

// A ledger written before incarnations keyed positions by topic and partition alone.
TEST(LedgerUpgrade, UnversionedPositionsMoveToIncarnationOne) {
  test::MemStore store;
  Txn old(store);
  std::string k = "safetynet.roster";
  k.push_back('\0');
  PutU32(&k, 2);
  old.Put(Cf::kOffsets, k, EncodeU64(42));
  std::string jump = k;
  PutU64(&jump, 30);
  old.Put(Cf::kOffsetJumps, jump, EncodeU64(35));
  ASSERT_TRUE(store.Write(old, true).ok());

  auto w = LedgerWriter::Open(store, Sealer(std::string(32, 'd')));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)->incarnation(), 1u);
  EXPECT_EQ((ReadOffsets(store, 1)[{"safetynet.roster", 2}]), 42);
  EXPECT_EQ(store.size(Cf::kOffsets), 1u);
  ASSERT_EQ(ReadOffsetJumps(store).size(), 1u);
  EXPECT_EQ(ReadOffsetJumps(store)[0].got, 35);
  // The same (unknown) cluster continues; the embedded broker would start anew.
  EXPECT_EQ(*(*w)->AdoptBroker(store, {.cluster_id = "K"}), LedgerWriter::Adoption::kLearned);
  EXPECT_EQ((ReadOffsets(store, 1)[{"safetynet.roster", 2}]), 42);
}

}  // namespace
}  // namespace safetynet
