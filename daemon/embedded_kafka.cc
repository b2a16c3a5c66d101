#include "daemon/embedded_kafka.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace safetynet {

Result<std::unique_ptr<EmbeddedKafka>> EmbeddedKafka::Start(const std::vector<std::string>& topics, int partitions,
                                                            int brokers) {
  auto ek = std::unique_ptr<EmbeddedKafka>(new EmbeddedKafka());
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
  ek->handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  if (ek->handle_ == nullptr) return Status::Io(std::string("embedded kafka: ") + err);
  ek->cluster_ = rd_kafka_mock_cluster_new(ek->handle_, brokers);
  if (ek->cluster_ == nullptr) return Status::Io("embedded kafka: cannot start the mock cluster");
  for (const auto& t : topics) {
    Status st = ek->CreateTopic(t, partitions);
    if (!st.ok()) return st;
  }
  ek->bootstrap_ = rd_kafka_mock_cluster_bootstraps(ek->cluster_);
  return ek;
}

Status EmbeddedKafka::CreateTopic(const std::string& topic, int partitions) {
  if (rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::Io("embedded kafka: cannot create topic " + topic);
  }
  return Status::Ok();
}

EmbeddedKafka::~EmbeddedKafka() {
  if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
  if (handle_ != nullptr) rd_kafka_destroy(handle_);
}

}  // namespace safetynet
