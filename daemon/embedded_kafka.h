// EmbeddedKafka: librdkafka's in-process mock cluster, speaking the Kafka
// protocol on 127.0.0.1 so that kcat and any client can connect. It creates
// the topics itself (the mock has no Admin API). Remember its retention is
// 5 MiB per partition (see ../shared/spec/platform-notes.md).
// Every client must be destroyed before this object.
// Thread-safety: construct and destroy on one thread; Bootstrap() from any.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "events/status.h"

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace safetynet {

class EmbeddedKafka {
 public:
  // `brokers` mock brokers (more than one for tests that move leaders).
  static Result<std::unique_ptr<EmbeddedKafka>> Start(const std::vector<std::string>& topics, int partitions,
                                                      int brokers = 1);
  // Creates one more topic (a topic that appears while clients run).
  Status CreateTopic(const std::string& topic, int partitions);
  ~EmbeddedKafka();
  EmbeddedKafka(const EmbeddedKafka&) = delete;
  EmbeddedKafka& operator=(const EmbeddedKafka&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }
  rd_kafka_mock_cluster_s* cluster() const { return cluster_; }

 private:
  EmbeddedKafka() = default;
  rd_kafka_s* handle_ = nullptr;
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
  std::string bootstrap_;
};

}  // namespace safetynet
