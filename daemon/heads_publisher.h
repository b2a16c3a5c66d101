// HeadsPublisher: publishes signed tree heads of the log (events/tree_head.h)
// to the outbound topic (default safetynet.ledger-heads), so that a copy of
// what the ledger held lives outside its database: every interval when the
// durable log has grown since the last head, and once more at Stop(). A
// record is the JSON of /v1/ledger/root for that size, keyed by tree_size.
// A head the broker did not acknowledge is signed again at the next round.
// Thread-safety: runs its own thread between Start() and Stop().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "daemon/metrics.h"
#include "events/crypto.h"
#include "events/status.h"
#include "events/store.h"

struct rd_kafka_s;

namespace safetynet {

class HeadsPublisher {
 public:
  HeadsPublisher(const Store& store, std::shared_ptr<const Ed25519Signer> signer, std::string brokers,
                 std::string topic, std::chrono::milliseconds interval, Metrics& metrics)
      : store_(store),
        signer_(std::move(signer)),
        brokers_(std::move(brokers)),
        topic_(std::move(topic)),
        interval_(interval),
        metrics_(metrics) {}
  ~HeadsPublisher() { Stop(); }
  Status Start();
  // Publishes the head of the log as it stands (if it grew), then stops.
  void Stop();

 private:
  void Loop();
  // Publishes the durable head if it is past the last one published.
  Status PublishHead();

  const Store& store_;
  std::shared_ptr<const Ed25519Signer> signer_;
  std::string brokers_, topic_;
  std::chrono::milliseconds interval_;
  Metrics& metrics_;
  rd_kafka_s* producer_ = nullptr;
  std::atomic<uint64_t> failed_{0};
  uint64_t published_size_ = 0;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace safetynet
