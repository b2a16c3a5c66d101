// Write-behind projections through the Ingestor (docs/decisions.md,
// "Write-behind projections"): the log is durable per batch, projections at
// checkpoints; after a crash, or a write that failed at any step, a restart
// on the same store catches the projections up from their checkpoint and
// ends in the state of a run that never failed, byte for byte.
#include <gtest/gtest.h>

#include <map>

#include "daemon/ingest.h"
#include "tests/mem_store.h"

namespace safetynet {
namespace {

constexpr int kPersons = 120;
constexpr int kBatch = 20;

struct Message {
  std::string topic;
  int64_t offset;
  std::string value;
};

// Person i's grant, enrollment in basic insurance, and an inpatient claim for
// every third person, each on its topic (one partition): enough to touch the
// person, coverage, claim and finding projections.
std::vector<Message> Events() {
  const TopicNames topics;
  std::vector<Message> out;
  std::map<std::string, int64_t> next;
  const auto add = [&](const std::string& topic, std::string value) {
    out.push_back({topic, next[topic]++, std::move(value)});
  };
  for (int i = 0; i < kPersons; ++i) {
    const std::string p = "\"person_id\":\"P" + std::to_string(i) + "\",\"region\":\"2301" + std::to_string(i % 3) +
                          "2\",\"source\":\"s\"";
    add(topics.roster,
        R"({"event_id":"g)" + std::to_string(i) + R"(","occurred_on":20200101,)" + p +
            R"(,"payload_type":"IdentityGranted","payload":{"identity":"REGISTERED_POOR","valid_from":20200101}})");
    add(topics.enrollment,
        R"({"event_id":"e)" + std::to_string(i) + R"(","occurred_on":20200102,)" + p +
            R"(,"payload_type":"EnrollmentChanged","payload":{"tier":"BASIC_RESIDENT","enrolled":true,"effective_on":20200101}})");
    if (i % 3 == 0) {
      add(topics.claims,
          R"({"event_id":"c)" + std::to_string(i) + R"(","occurred_on":20200110,)" + p +
              R"(,"payload_type":"ClaimSettled","payload":{"claim_id":"K)" + std::to_string(i) +
              R"(","visit":"INPATIENT","hospital_id":"H1","admitted_on":20200105,"discharged_on":20200110,)"
              R"("total":100000,"in_policy":90000,"out_of_catalog":5000,"county_internal":true}})");
    }
  }
  return out;
}

// One daemon's life on `store`: a writer, the projections and an ingestor.
struct Life {
  explicit Life(test::MemStore& store, const PipelineOptions& options = {}) {
    auto w = LedgerWriter::Open(store, Sealer(std::string(32, 'd')));
    EXPECT_TRUE(w.ok());
    writer = std::move(*w);
    adopted = writer->AdoptBroker(store, {.embedded = false, .cluster_id = "test-cluster"}).status();
    if (!adopted.ok()) return;  // a failing store: no ingest
    auto p = ProjectionSet::Open(store);
    EXPECT_TRUE(p.ok());
    projections = std::move(*p);
    ingestor = std::make_unique<Ingestor>(store, *writer, *projections, hasher, topics, metrics, options);
  }
  // Messages [first, last) of `events`, in batches, from the offsets the
  // ledger stored on (as the consumer positions its partitions).
  Status Ingest(const std::vector<Message>& events, size_t first, size_t last) {
    for (size_t b = first; b < last; b += kBatch) {
      std::vector<KafkaMessage> batch;
      for (size_t i = b; i < std::min(last, b + kBatch); ++i) {
        const auto next = ingestor->next_offsets().find({events[i].topic, 0});
        if (next != ingestor->next_offsets().end() && events[i].offset < next->second) continue;
        batch.push_back({events[i].topic, 0, events[i].offset, "", events[i].value});
      }
      if (Status st = ingestor->Process(batch); !st.ok()) return st;
    }
    return ingestor->Drain();
  }

  Status adopted;
  PersonHasher hasher{std::string(32, 'h')};
  TopicNames topics;
  Metrics metrics;
  std::unique_ptr<LedgerWriter> writer;
  std::unique_ptr<ProjectionSet> projections;
  std::unique_ptr<Ingestor> ingestor;
};

const PipelineOptions kNoTimedCheckpoints{.checkpoint_entries = size_t{1} << 30,
                                          .checkpoint_interval = std::chrono::milliseconds(0)};

std::string Reference(const std::vector<Message>& events) {
  test::MemStore store;
  Life life(store);
  EXPECT_TRUE(life.Ingest(events, 0, events.size()).ok());
  EXPECT_TRUE(life.ingestor->Checkpoint().ok());
  EXPECT_EQ(life.projections->applied_seq(), events.size());
  return ProjectionDigestHex(store);
}

TEST(WriteBehind, AfterACrashProjectionsCatchUpFromTheirCheckpointToTheSameState) {
  const std::vector<Message> events = Events();
  const std::string reference = Reference(events);
  test::MemStore store;
  const size_t half = events.size() / 2;
  {
    Life life(store, kNoTimedCheckpoints);
    ASSERT_TRUE(life.Ingest(events, 0, half).ok());
    ASSERT_TRUE(life.ingestor->Checkpoint().ok());
    ASSERT_TRUE(life.Ingest(events, half, events.size()).ok());
    // The log holds every event; the projections in the store stop at the
    // checkpoint, and what was held in memory dies with the process.
    EXPECT_EQ(life.writer->head().seq, events.size());
    EXPECT_EQ(life.projections->applied_seq(), half);
    EXPECT_EQ(life.projections->staged_seq(), events.size());
  }
  EXPECT_EQ(ProjectionSet::RecordedAppliedSeq(store), half);
  EXPECT_NE(ProjectionDigestHex(store), reference);

  Life again(store);
  EXPECT_EQ(again.projections->applied_seq(), half);
  ASSERT_TRUE(again.ingestor->CatchUp(nullptr).ok());
  EXPECT_EQ(again.projections->applied_seq(), events.size());
  EXPECT_EQ(ProjectionDigestHex(store), reference);
  // Delivered again from the start (a consumer that lost its positions):
  // the events already in the ledger are duplicates, nothing doubles.
  std::vector<KafkaMessage> all;
  for (const Message& m : events) all.push_back({m.topic, 0, m.offset, "", m.value});
  ASSERT_TRUE(again.ingestor->Process(all).ok());
  ASSERT_TRUE(again.ingestor->Checkpoint().ok());
  EXPECT_EQ(again.writer->head().seq, events.size());
  EXPECT_EQ(again.writer->counters().duplicates, events.size());
  EXPECT_EQ(ProjectionDigestHex(store), reference);
}

// The store fails every write after the first `writes_ok`; a restart on the
// same store, with every message delivered again, ends in the reference.
void FailThenRestart(const std::vector<Message>& events, const std::string& reference, int writes_ok,
                     int* writes_total) {
  SCOPED_TRACE("writes before the failure: " + std::to_string(writes_ok));
  test::MemStore store;
  store.FailWritesAfter(writes_ok);
  {
    // Checkpoints every few batches, so that failures hit them too.
    Life life(store, {.checkpoint_entries = 200, .checkpoint_interval = std::chrono::milliseconds(0)});
    Status st = life.adopted;
    if (st.ok()) st = life.Ingest(events, 0, events.size());
    if (st.ok()) st = life.ingestor->Checkpoint();
    *writes_total = store.writes();
    if (!st.ok() && life.ingestor) {
      // What the process believed at the end is what the store holds.
      EXPECT_EQ(life.writer->head().seq, store.size(Cf::kLog));
      EXPECT_EQ(life.projections->staged_seq(), ProjectionSet::RecordedAppliedSeq(store));
      EXPECT_EQ(life.projections->applied_seq(), ProjectionSet::RecordedAppliedSeq(store));
      EXPECT_LE(life.projections->applied_seq(), life.writer->head().seq);
      EXPECT_FALSE(life.Ingest(events, 0, 1).ok()) << "the failure is not sticky";
    }
  }
  store.FailWritesAfter(-1);
  Life again(store);
  ASSERT_TRUE(again.adopted.ok());
  ASSERT_TRUE(again.ingestor->CatchUp(nullptr).ok());
  ASSERT_TRUE(again.Ingest(events, 0, events.size()).ok());
  ASSERT_TRUE(again.ingestor->Checkpoint().ok());
  EXPECT_EQ(again.writer->head().seq, events.size());
  EXPECT_EQ(ProjectionDigestHex(store), reference);
}

TEST(WriteBehind, AWriteFailingAtAnyStepRestartsIntoTheStateOfARunWithoutFailure) {
  const std::vector<Message> events = Events();
  const std::string reference = Reference(events);
  int total = 0;
  FailThenRestart(events, reference, -1, &total);
  ASSERT_GT(total, static_cast<int>(events.size() / kBatch));  // every batch and some checkpoints
  for (int k = 0; k < total; ++k) {
    int unused = 0;
    FailThenRestart(events, reference, k, &unused);
  }
}

}  // namespace
}  // namespace safetynet
