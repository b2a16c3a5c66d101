#include "daemon/heads_publisher.h"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include "daemon/kafka_producer.h"
#include "daemon/ledger_json.h"
#include "events/ledger.h"
#include "events/merkle_store.h"
#include "events/tree_head.h"

namespace safetynet {

Status HeadsPublisher::Start() {
  auto producer = NewProducer(brokers_, "tree heads", &failed_);
  if (!producer.ok()) return producer.status();
  producer_ = *producer;
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void HeadsPublisher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (producer_ != nullptr) {
    if (Status st = PublishHead(); !st.ok()) spdlog::warn("the last tree head was not published: {}", st.message());
    rd_kafka_destroy(producer_);
    producer_ = nullptr;
  }
}

void HeadsPublisher::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    if (Status st = PublishHead(); !st.ok())
      spdlog::warn("tree head not published (next round retries): {}", st.message());
    lock.lock();
  }
}

Status HeadsPublisher::PublishHead() {
  auto head = ReadHead(store_);
  if (!head.ok()) return head.status();
  if (head->seq <= published_size_) return Status::Ok();
  auto root = MerkleReader(store_).Root(head->seq);
  if (!root.ok()) return root.status();
  const std::string value = TreeHeadJson(SignTreeHead(*signer_, head->seq, *root)).dump();
  const std::string key = std::to_string(head->seq);
  const uint64_t failed_before = failed_.load();
  Status st = Produce(producer_, topic_, key, value);
  if (!st.ok()) return st;
  if (rd_kafka_flush(producer_, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR || failed_.load() != failed_before) {
    return Status::Io("the broker did not acknowledge the head of size " + key);
  }
  published_size_ = head->seq;
  metrics_.ledger_heads_published.fetch_add(1, std::memory_order_relaxed);
  return Status::Ok();
}

}  // namespace safetynet
