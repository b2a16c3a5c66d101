// Broker faults end to end (R2), injected by the in-process broker while the
// daemon consumes: request errors on fetches and metadata, the broker down
// for seconds, partition leaders moving between brokers. Each time: every
// event in the ledger exactly once, the chain intact, ingest resumed by
// itself. Also: a topic that does not exist when the daemon starts is
// consumed once it is created, and the largest messages the ledger accepts
// (1 MiB) arrive, a larger one is dead-lettered with its reason.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <thread>

#include "events/topics.h"
#include "tests/harness.h"

namespace safetynet::test {
namespace {

constexpr int16_t kFetch = 1;
constexpr int16_t kMetadata = 3;

Json Grant(const std::string& id, int i) {
  char person[32];
  std::snprintf(person, sizeof(person), "2301021985%08d", i);
  return Event(id, 20200101, "230102", person, "IdentityGranted",
               {{"identity", "REGISTERED_POOR"}, {"valid_from", 20200101}});
}

class KafkaFaultsE2E : public ::testing::Test {
 protected:
  void StartAll(int brokers) {
    broker_ = StartBroker(/*partitions=*/4, brokers);
    daemon_ = std::make_unique<DaemonProcess>(dir_.path() + "/data", broker_->bootstrap());
    daemon_->Start();
    producer_ = std::make_unique<Producer>(broker_->bootstrap());
  }
  void Send(const std::string& prefix, int n) {
    for (int i = 0; i < n; ++i) producer_->SendEvent(Grant(prefix + std::to_string(i), i));
  }
  double M(const char* name) const { return Metric(daemon_->http_port(), name); }
  // Every event once, nothing else; the chain verifies.
  void ExpectExactly(double n) {
    ASSERT_TRUE(WaitUntil([&] { return M("safetynet_events_appended_total") >= n; }, std::chrono::seconds(60)))
        << M("safetynet_events_appended_total") << " of " << n;
    EXPECT_EQ(M("safetynet_events_appended_total"), n);
    EXPECT_EQ(M("safetynet_events_duplicate_total"), 0);
    EXPECT_EQ(M("safetynet_events_rejected_total"), 0);
    EXPECT_EQ(M("safetynet_offset_jumps_total"), 0);
    EXPECT_EQ(M("safetynet_offset_rewinds_total"), 0);
    EXPECT_EQ(daemon_->Stop(), 0);
    std::string out;
    EXPECT_EQ(RunCommand(SafetynetPath() + " verify --data " + dir_.path() + "/data", &out), 0) << out;
    EXPECT_NE(out.find("chain intact: " + std::to_string(static_cast<int>(n)) + " records"), std::string::npos) << out;
  }

  TempDir dir_;
  std::unique_ptr<EmbeddedKafka> broker_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<Producer> producer_;
};

TEST_F(KafkaFaultsE2E, FetchAndMetadataErrorsLoseAndDoubleNothing) {
  StartAll(1);
  Send("a-", 2000);
  producer_->Flush();
  ASSERT_TRUE(WaitUntil([&] { return M("safetynet_events_appended_total") > 0; }));
  // Fetches fail (leader not available, timeouts, unknown errors) and metadata with them.
  rd_kafka_mock_push_request_errors(
      broker_->cluster(), kFetch, 12, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
      RD_KAFKA_RESP_ERR_UNKNOWN, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
      RD_KAFKA_RESP_ERR_UNKNOWN, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
      RD_KAFKA_RESP_ERR_UNKNOWN, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
      RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE);
  rd_kafka_mock_push_request_errors(broker_->cluster(), kMetadata, 3, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT);
  Send("b-", 2000);
  producer_->Flush();
  ExpectExactly(4000);
}

TEST_F(KafkaFaultsE2E, ABrokerDownForSecondsLosesNothingAndIngestResumes) {
  StartAll(1);
  Send("a-", 1000);
  producer_->Flush();
  ASSERT_TRUE(WaitUntil([&] { return Appended(daemon_->http_port()) == 1000; }));
  ASSERT_EQ(rd_kafka_mock_broker_set_down(broker_->cluster(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  Send("b-", 1000);  // queued by the producer while the broker is down
  std::this_thread::sleep_for(std::chrono::seconds(4));
  EXPECT_EQ(M("safetynet_events_appended_total"), 1000);
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/healthz").status, 200);  // the API goes on meanwhile
  ASSERT_EQ(rd_kafka_mock_broker_set_up(broker_->cluster(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  producer_->Flush();
  ExpectExactly(2000);
}

TEST_F(KafkaFaultsE2E, LeadersMovingBetweenBrokersLoseAndDoubleNothing) {
  StartAll(3);
  for (int round = 0; round < 3; ++round) {
    Send("r" + std::to_string(round) + "-", 1000);
    for (const char* topic : {"safetynet.roster", "safetynet.enrollment"}) {
      for (int p = 0; p < 4; ++p) {
        rd_kafka_mock_partition_set_leader(broker_->cluster(), topic, p, 1 + (round + p) % 3);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  producer_->Flush();
  ExpectExactly(3000);
}

TEST_F(KafkaFaultsE2E, ATopicCreatedAfterTheStartIsConsumed) {
  TopicNames t;
  std::vector<std::string> topics = t.Inbound();
  topics.erase(std::find(topics.begin(), topics.end(), t.rectification));
  auto ek = EmbeddedKafka::Start(topics, 2);
  ASSERT_TRUE(ek.ok());
  broker_ = std::move(*ek);
  daemon_ = std::make_unique<DaemonProcess>(dir_.path() + "/data", broker_->bootstrap());
  daemon_->LogTo(dir_.path() + "/daemon.log");
  daemon_->Start();
  producer_ = std::make_unique<Producer>(broker_->bootstrap());
  Send("g-", 10);
  producer_->Flush();
  ASSERT_TRUE(WaitUntil([&] { return Appended(daemon_->http_port()) == 10; }));
  ASSERT_TRUE(broker_->CreateTopic(t.rectification, 2).ok());
  producer_->SendEvent(Event("r1", 20200102, "230102", "", "RectificationOpened",
                             {{"item_id", "R1"}, {"category", "C1"}, {"deadline", 20200201}}));
  producer_->Flush();
  ASSERT_TRUE(WaitUntil([&] { return Appended(daemon_->http_port()) == 11; }, std::chrono::seconds(30)));
  EXPECT_EQ(HttpGet(daemon_->http_port(), "/v1/rectifications/R1").status, 200);
  EXPECT_NE(ReadFile(dir_.path() + "/daemon.log").find("topic safetynet.rectification does not exist on the brokers"),
            std::string::npos);
  ExpectExactly(11);
}

TEST_F(KafkaFaultsE2E, MessagesUpToTheOneMebibyteBoundArriveAndLargerOnesAreDeadLettered) {
  broker_ = StartBroker(1);
  daemon_ = std::make_unique<DaemonProcess>(dir_.path() + "/data", broker_->bootstrap());
  daemon_->Start();
  Producer big(broker_->bootstrap(), 3 << 20);
  // An event padded to exactly 1 MiB (rejected for its unknown field, but
  // fetched and read), one byte more (rejected for its size), then a valid one.
  Json e = Grant("pad", 1);
  std::string v = e.dump();
  v.insert(v.size() - 1, ",\"pad\":\"\"");
  v.insert(v.size() - 2, std::string((1 << 20) - v.size(), 'p'));
  ASSERT_EQ(v.size(), size_t{1} << 20);
  big.Send("safetynet.roster", "k", v);
  big.Send("safetynet.roster", "k", v + " ");
  big.SendEvent(Grant("after", 2));
  big.Flush();
  ASSERT_TRUE(WaitUntil([&] { return Accounted(daemon_->http_port()) == 3; }, std::chrono::seconds(30)))
      << Accounted(daemon_->http_port());
  EXPECT_EQ(Metric(daemon_->http_port(), "safetynet_events_appended_total"), 1);
  const Json dl = HttpGet(daemon_->http_port(), "/v1/deadletters").json()["deadletters"];
  ASSERT_EQ(dl.size(), 2u);
  EXPECT_NE(dl[0]["reason"].get<std::string>().find("unknown field"), std::string::npos) << dl[0]["reason"];
  EXPECT_EQ(dl[1]["reason"], "message larger than 1 MiB");
}

}  // namespace
}  // namespace safetynet::test
