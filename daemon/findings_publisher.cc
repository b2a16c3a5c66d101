#include "daemon/findings_publisher.h"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "daemon/kafka_producer.h"
#include "projections/findings/findings.h"
#include "projections/read/audit_queries.h"

namespace safetynet {
namespace {

constexpr std::string_view kCursorKey = "outbound_cursor";
constexpr size_t kChangesPerRound = 5000;

}  // namespace

Status FindingsPublisher::Start() {
  auto producer = NewProducer(brokers_, "findings", &failed_);
  if (!producer.ok()) return producer.status();
  producer_ = *producer;
  std::string v;
  if (store_.Get(Cf::kMeta, kCursorKey, &v).ok()) cursor_ = v;
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void FindingsPublisher::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (producer_ != nullptr) {
    rd_kafka_flush(producer_, 5000);
    rd_kafka_destroy(producer_);
    producer_ = nullptr;
  }
}

void FindingsPublisher::Loop() {
  while (!stop_.load()) {
    try {
      if (!PublishSome()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } catch (const std::exception& e) {
      spdlog::error("findings publisher: {}", e.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

bool FindingsPublisher::PublishSome() {
  auto it = store_.NewIterator(Cf::kFindingChanges);
  if (cursor_.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(cursor_);
    if (it->Valid() && it->key() == cursor_) it->Next();
  }
  std::string last;
  size_t n = 0;
  const uint64_t failed_before = failed_.load();
  for (; it->Valid() && n < kChangesPerRound; it->Next(), ++n) {
    FindingChange c;
    if (!FindingChange::Decode(it->value(), &c)) {
      spdlog::critical("finding change unreadable; outbound publishing stops");
      stop_ = true;
      return false;
    }
    const std::string key = CheckName(c.check) + "/" + c.subject;
    const std::string value = FindingChangeJson(it->key(), c).dump();
    if (Status st = Produce(producer_, topic_, key, value); !st.ok()) {
      spdlog::warn("findings publisher: {}", st.message());
      return false;
    }
    last.assign(it->key());
  }
  if (n == 0) return false;
  // Move the cursor only past what the broker acknowledged.
  if (rd_kafka_flush(producer_, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR || failed_.load() != failed_before) {
    spdlog::warn("findings publisher: delivery failed; will publish again from the last acknowledged change");
    return false;
  }
  Txn txn(store_);
  txn.Put(Cf::kMeta, std::string(kCursorKey), last);
  if (!store_.Write(txn, /*sync=*/false).ok()) return false;  // the changes are published again later
  cursor_ = last;
  metrics_.findings_published.fetch_add(n, std::memory_order_relaxed);
  return true;
}

}  // namespace safetynet
