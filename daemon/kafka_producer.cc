#include "daemon/kafka_producer.h"

#include <librdkafka/rdkafka.h>

#include <initializer_list>
#include <utility>

namespace safetynet {
namespace {

void DeliveryCb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) static_cast<std::atomic<uint64_t>*>(opaque)->fetch_add(1);
}

}  // namespace

Result<rd_kafka_s*> NewProducer(const std::string& brokers, const std::string& what, std::atomic<uint64_t>* failed) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  bool ok = true;
  for (const auto& [k, v] : std::initializer_list<std::pair<const char*, std::string>>{
           {"bootstrap.servers", brokers}, {"enable.idempotence", "true"}, {"linger.ms", "5"}, {"log_level", "3"}}) {
    ok = ok && rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof(err)) == RD_KAFKA_CONF_OK;
  }
  if (!ok) {
    rd_kafka_conf_destroy(conf);
    return Status::Invalid(what + " producer: " + err);
  }
  rd_kafka_conf_set_dr_msg_cb(conf, DeliveryCb);
  rd_kafka_conf_set_opaque(conf, failed);
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  if (producer == nullptr) return Status::Io(what + " producer: " + err);
  return producer;
}

Status Produce(rd_kafka_s* producer, const std::string& topic, std::string_view key, std::string_view value) {
  for (;;) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Ok();
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return Status::Io(std::string("produce: ") + rd_kafka_err2str(err));
    rd_kafka_poll(producer, 10);
  }
}

}  // namespace safetynet
