#include "daemon/kafka_consumer.h"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <vector>

namespace safetynet {
namespace {

bool Set(rd_kafka_conf_t* conf, const char* k, const std::string& v, std::string* error) {
  char err[512];
  if (rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK) {
    *error = std::string(k) + ": " + err;
    return false;
  }
  return true;
}

// Sets each partition's offset to the stored next offset (or the beginning).
void PositionFromStore(rd_kafka_topic_partition_list_t* parts, const PartitionOffsets& stored) {
  for (int i = 0; i < parts->cnt; ++i) {
    auto& p = parts->elems[i];
    auto it = stored.find({p.topic, p.partition});
    p.offset = it == stored.end() ? RD_KAFKA_OFFSET_BEGINNING : it->second;
  }
}

}  // namespace

Result<std::unique_ptr<KafkaConsumer>> KafkaConsumer::Create(ConsumerOptions opts) {
  auto c = std::unique_ptr<KafkaConsumer>(new KafkaConsumer(std::move(opts)));
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::string error;
  const bool ok =
      Set(conf, "bootstrap.servers", c->opts_.brokers, &error) && Set(conf, "group.id", c->opts_.group_id, &error) &&
      Set(conf, "enable.auto.commit", "false", &error) && Set(conf, "enable.auto.offset.store", "false", &error) &&
      Set(conf, "auto.offset.reset", "earliest", &error) &&
      Set(conf, "fetch.wait.max.ms", std::to_string(c->opts_.fetch_wait_max_ms), &error) &&
      Set(conf, "session.timeout.ms", "10000", &error) && Set(conf, "log_level", "3", &error) &&
      Set(conf, "enable.partition.eof", "false", &error) &&
      // A message may be as large as the 1 MiB the ledger accepts (larger
      // ones are dead-lettered, so they must arrive too): fetch up to 2 MiB
      // per partition and 64 MiB per request.
      Set(conf, "max.partition.fetch.bytes", std::to_string(2 << 20), &error) &&
      Set(conf, "fetch.max.bytes", std::to_string(64 << 20), &error) &&
      Set(conf, "receive.message.max.bytes", std::to_string((64 << 20) + (1 << 20)), &error);
  if (!ok) {
    rd_kafka_conf_destroy(conf);
    return Status::Invalid("kafka consumer config: " + error);
  }
  char err[512];
  c->rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
  if (c->rk_ == nullptr) return Status::Io(std::string("kafka consumer: ") + err);
  rd_kafka_poll_set_consumer(c->rk_);
  return c;
}

std::string KafkaConsumer::ClusterId(int timeout_ms) const {
  char* id = rd_kafka_clusterid(rk_, timeout_ms);
  if (id == nullptr) return {};
  std::string out(id);
  rd_kafka_mem_free(rk_, id);
  return out;
}

Status KafkaConsumer::Start() { return Assign(/*metadata_timeout_ms=*/5000, /*attempts=*/6); }

KafkaConsumer::~KafkaConsumer() {
  ReleaseBatch();
  if (rk_ != nullptr) {
    rd_kafka_consumer_close(rk_);
    rd_kafka_destroy(rk_);
  }
}

Status KafkaConsumer::Assign(int metadata_timeout_ms, int attempts) {
  // Every partition of every inbound topic, from metadata.
  const rd_kafka_metadata_t* md = nullptr;
  for (int attempt = 1;; ++attempt) {
    const rd_kafka_resp_err_t e = rd_kafka_metadata(rk_, 1, nullptr, &md, metadata_timeout_ms);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    if (attempt >= attempts) return Status::Retryable(std::string("kafka metadata: ") + rd_kafka_err2str(e));
    spdlog::warn("kafka metadata: {} (retrying)", rd_kafka_err2str(e));
  }
  std::set<std::pair<std::string, int32_t>> found;
  std::vector<std::string> missing;
  for (const auto& topic : opts_.topics) {
    bool exists = false;
    for (int i = 0; i < md->topic_cnt; ++i) {
      const auto& t = md->topics[i];
      if (topic != t.topic || t.err != RD_KAFKA_RESP_ERR_NO_ERROR || t.partition_cnt == 0) continue;
      exists = true;
      for (int p = 0; p < t.partition_cnt; ++p) found.emplace(t.topic, t.partitions[p].id);
    }
    if (!exists) missing.push_back(topic);
  }
  rd_kafka_metadata_destroy(md);
  for (const auto& topic : missing) {
    if (!missing_.contains(topic)) spdlog::error("topic {} does not exist on the brokers yet; watching for it", topic);
  }
  missing_ = {missing.begin(), missing.end()};
  if (found == assigned_set_) return Status::Ok();
  // The whole assignment again, every partition at its durable next offset
  // (stored_offsets() waits for the batch in flight).
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(static_cast<int>(found.size()));
  for (const auto& [topic, partition] : found) rd_kafka_topic_partition_list_add(parts, topic.c_str(), partition);
  PositionFromStore(parts, opts_.stored_offsets());
  const rd_kafka_resp_err_t e = rd_kafka_assign(rk_, parts);
  rd_kafka_topic_partition_list_destroy(parts);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Io(std::string("assign: ") + rd_kafka_err2str(e));
  for (const auto& tp : found) {
    if (!assigned_set_.contains(tp) && !assigned_set_.empty()) {
      spdlog::info("now consuming {}[{}] as well", tp.first, tp.second);
    }
  }
  assigned_set_ = std::move(found);
  assigned_ = assigned_set_.size();
  spdlog::info("consuming {} partitions (static assignment, offsets from the ledger)", assigned_);
  return Status::Ok();
}

void KafkaConsumer::ReleaseBatch() {
  for (auto* m : held_) rd_kafka_message_destroy(m);
  held_.clear();
}

Status KafkaConsumer::NextBatch(std::vector<KafkaMessage>* out) {
  ReleaseBatch();
  // Topics that did not exist, and partitions added since, are looked for now and then.
  if (const auto now = std::chrono::steady_clock::now(); now >= next_refresh_) {
    next_refresh_ = now + (missing_.empty() ? std::chrono::seconds(30) : std::chrono::seconds(2));
    Status st = Assign(/*metadata_timeout_ms=*/500, /*attempts=*/1);
    if (!st.ok()) spdlog::warn("kafka: {} (the assignment is refreshed later)", st.message());
  }
  out->clear();
  size_t bytes = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(opts_.batch_wait_ms);
  Status trouble;
  while (out->size() < opts_.batch_events_max && bytes < opts_.batch_bytes_max) {
    const auto now = std::chrono::steady_clock::now();
    int wait_ms = 0;
    if (out->empty() && now < deadline) {
      wait_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count());
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, wait_ms);
    if (m == nullptr) {
      if (out->empty() && std::chrono::steady_clock::now() < deadline) continue;
      break;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Consumer errors are operating trouble: librdkafka retries by itself.
      trouble = Status::Retryable(rd_kafka_message_errstr(m));
      rd_kafka_message_destroy(m);
      if (out->empty()) return trouble;
      break;
    }
    held_.push_back(m);
    KafkaMessage km;
    km.topic = rd_kafka_topic_name(m->rkt);
    km.partition = m->partition;
    km.kafka_offset = m->offset;
    km.key = {static_cast<const char*>(m->key), m->key_len};
    km.value = {static_cast<const char*>(m->payload), m->len};
    bytes += m->len;
    out->push_back(km);
  }
  return Status::Ok();
}

void KafkaConsumer::CommitAsync(const PartitionOffsets& next) {
  if (next.empty()) return;
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(static_cast<int>(next.size()));
  for (const auto& [tp, off] : next) {
    rd_kafka_topic_partition_list_add(parts, tp.first.c_str(), tp.second)->offset = off;
  }
  rd_kafka_commit(rk_, parts, 1);
  rd_kafka_topic_partition_list_destroy(parts);
}

int64_t KafkaConsumer::Lag(const PartitionOffsets& next) const {
  int64_t lag = 0;
  for (const auto& [tp, off] : next) {
    int64_t low = 0, high = 0;
    if (rd_kafka_get_watermark_offsets(rk_, tp.first.c_str(), tp.second, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        high > off) {
      lag += high - off;
    }
  }
  return lag;
}

}  // namespace safetynet
