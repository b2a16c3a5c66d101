#include "daemon/findings_publisher.h"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "projections/findings/findings.h"
#include "projections/read/audit_queries.h"

namespace safetynet {
namespace {

constexpr std::string_view kCursorKey = "outbound_cursor";
constexpr size_t kChangesPerRound = 5000;

void DeliveryCb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) static_cast<std::atomic<uint64_t>*>(opaque)->fetch_add(1);
}

}  // namespace

Status FindingsPublisher::Start() {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  bool ok = true;
  for (const auto& [k, v] : std::initializer_list<std::pair<const char*, std::string>>{
           {"bootstrap.servers", brokers_}, {"enable.idempotence", "true"}, {"linger.ms", "5"}, {"log_level", "3"}}) {
    ok = ok && rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof(err)) == RD_KAFKA_CONF_OK;
  }
  if (!ok) {
    rd_kafka_conf_destroy(conf);
    return Status::Invalid(std::string("findings producer: ") + err);
  }
  rd_kafka_conf_set_dr_msg_cb(conf, DeliveryCb);
  rd_kafka_conf_set_opaque(conf, &failed_);
  producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
  if (producer_ == nullptr) return Status::Io(std::string("findings producer: ") + err);
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
    while (rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(topic_.c_str()),
                             RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                             RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(producer_, 10);
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
