#include "tools/publisher.h"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "events/codec.h"

namespace safetynet {
namespace {

struct Outstanding {
  std::map<std::pair<std::string, int32_t>, std::deque<std::pair<int64_t, size_t>>> sent;  // offset, bytes
  uint64_t failed = 0;
  std::string last_error;
};

void DeliveryCb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* o = static_cast<Outstanding*>(opaque);
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++o->failed;
    o->last_error = rd_kafka_err2str(m->err);
    return;
  }
  o->sent[{rd_kafka_topic_name(m->rkt), m->partition}].emplace_back(m->offset, m->len);
}

rd_kafka_t* NewClient(rd_kafka_type_t type, const PublishOptions& opts, Outstanding* o, std::string* error) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  auto set = [&](const char* k, const std::string& v) {
    return rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof(err)) == RD_KAFKA_CONF_OK;
  };
  bool ok = set("bootstrap.servers", opts.brokers) && set("log_level", "3");
  if (type == RD_KAFKA_PRODUCER) {
    ok = ok && set("enable.idempotence", "true") && set("linger.ms", "5") && set("batch.num.messages", "10000") &&
         set("queue.buffering.max.messages", "1000000");
    rd_kafka_conf_set_dr_msg_cb(conf, DeliveryCb);
    rd_kafka_conf_set_opaque(conf, o);
  } else {
    ok = ok && set("group.id", opts.group_id) && set("enable.auto.commit", "false");
  }
  if (!ok) {
    *error = err;
    rd_kafka_conf_destroy(conf);
    return nullptr;
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof(err));
  if (rk == nullptr) *error = err;
  return rk;
}

// Bytes beyond the group's committed offset, per partition; drops what is consumed.
size_t MaxAhead(rd_kafka_t* watcher, Outstanding* o) {
  if (o->sent.empty()) return 0;
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(static_cast<int>(o->sent.size()));
  for (const auto& [tp, q] : o->sent) rd_kafka_topic_partition_list_add(parts, tp.first.c_str(), tp.second);
  size_t worst = 0;
  if (rd_kafka_committed(watcher, parts, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < parts->cnt; ++i) {
      auto& q = o->sent[{parts->elems[i].topic, parts->elems[i].partition}];
      const int64_t committed = parts->elems[i].offset;
      while (!q.empty() && committed >= 0 && q.front().first < committed) q.pop_front();
      size_t bytes = 0;
      for (const auto& e : q) bytes += e.second;
      worst = std::max(worst, bytes);
    }
  } else {
    worst = SIZE_MAX;
  }
  rd_kafka_topic_partition_list_destroy(parts);
  return worst;
}

}  // namespace

Result<PublishStats> Publish(std::istream& in, const PublishOptions& opts) {
  Outstanding outstanding;
  std::string error;
  rd_kafka_t* producer = NewClient(RD_KAFKA_PRODUCER, opts, &outstanding, &error);
  if (producer == nullptr) return Status::Invalid("kafka producer: " + error);
  rd_kafka_t* watcher = opts.pace ? NewClient(RD_KAFKA_CONSUMER, opts, nullptr, &error) : nullptr;
  if (opts.pace && watcher == nullptr) {
    rd_kafka_destroy(producer);
    return Status::Invalid("kafka watcher: " + error);
  }
  EventCodec codec;
  PublishStats stats;
  std::string line, binary;
  size_t since_check = 0;
  // Pacing is checked every ~1/4 of the budget's worth of bytes.
  const size_t check_every_bytes = std::max<size_t>(opts.ahead_bytes_max / 4, 1);
  Status result;

  while (std::getline(in, line)) {
    ++stats.lines;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    std::string topic, key, value;
    if (j.is_object() && j.contains("payload_type") && j["payload_type"].is_string()) {
      const auto type_name = j["payload_type"].get<std::string>();
      TopicKind kind = TopicKind::kUnknown;
      for (size_t t = 1; t <= static_cast<size_t>(fb::Payload::MAX); ++t) {
        if (type_name == fb::EnumNamesPayload()[t]) kind = TopicOfPayload(static_cast<fb::Payload>(t));
      }
      if (kind == TopicKind::kUnknown) {
        ++stats.unroutable;
        spdlog::warn("line {}: unknown payload_type, not sent", stats.lines);
        continue;
      }
      topic = opts.topics.NameOf(kind);
      if (j.contains("person_id") && j["person_id"].is_string()) key = j["person_id"].get<std::string>();
      value = line;
      if (opts.binary && codec.JsonToBinary(line, &binary).ok()) value = binary;
    } else if (j.is_object() && j.contains("topic") && j.contains("value") && j["value"].is_string()) {
      topic = j["topic"].get<std::string>();
      if (j.contains("key") && j["key"].is_string()) key = j["key"].get<std::string>();
      value = j["value"].get<std::string>();
    } else {
      ++stats.unroutable;
      spdlog::warn("line {}: neither an event nor a wrapped message, not sent", stats.lines);
      continue;
    }
    for (;;) {
      const rd_kafka_resp_err_t e =
          rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(value.data(), value.size()),
                            RD_KAFKA_V_KEY(key.empty() ? nullptr : key.data(), key.size()),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        result = Status::Io("produce to " + topic + ": " + rd_kafka_err2str(e));
        break;
      }
      rd_kafka_poll(producer, 10);
    }
    if (!result.ok()) break;
    ++stats.sent;
    rd_kafka_poll(producer, 0);
    since_check += value.size();
    if (opts.pace && since_check >= check_every_bytes) {
      since_check = 0;
      rd_kafka_flush(producer, 10000);
      auto last_progress = std::chrono::steady_clock::now();
      size_t ahead = MaxAhead(watcher, &outstanding), prev = ahead;
      while (ahead > opts.ahead_bytes_max) {
        ++stats.waits;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ahead = MaxAhead(watcher, &outstanding);
        if (ahead < prev) last_progress = std::chrono::steady_clock::now();
        prev = ahead;
        if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(opts.stall_timeout_s)) {
          result = Status::Retryable("consumer group " + opts.group_id + " made no progress for " +
                                     std::to_string(opts.stall_timeout_s) + " s; is the daemon running?");
          break;
        }
      }
      if (!result.ok()) break;
    }
  }
  rd_kafka_flush(producer, 30000);
  if (outstanding.failed > 0 && result.ok()) {
    result = Status::Io(std::to_string(outstanding.failed) + " messages not delivered: " + outstanding.last_error);
  }
  if (watcher != nullptr) {
    rd_kafka_consumer_close(watcher);
    rd_kafka_destroy(watcher);
  }
  rd_kafka_destroy(producer);
  if (!result.ok()) return result;
  return stats;
}

}  // namespace safetynet
