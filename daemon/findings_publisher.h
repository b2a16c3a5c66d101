// FindingsPublisher (即时上报): publishes every opening and clearing of a
// finding to the outbound topic (default safetynet.findings) as JSON.
// It reads the durable log of changes (column family `finding_changes`), not
// memory, and moves its cursor (kept in `meta`) only after the broker has
// acknowledged the messages, so every change is published once or more,
// never zero times, across crashes. Message key: "check/subject" (one
// finding's changes stay ordered in one partition); the JSON's "change_id"
// ("seq.index") is unique per change, for consumers to deduplicate.
// Thread-safety: runs its own thread between Start() and Stop().
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "daemon/metrics.h"
#include "events/status.h"
#include "events/store.h"

struct rd_kafka_s;

namespace safetynet {

class FindingsPublisher {
 public:
  FindingsPublisher(Store& store, std::string brokers, std::string topic, Metrics& metrics)
      : store_(store), brokers_(std::move(brokers)), topic_(std::move(topic)), metrics_(metrics) {}
  ~FindingsPublisher() { Stop(); }
  Status Start();
  void Stop();

 private:
  void Loop();
  // Publishes what follows the cursor (up to a bound); true when it moved.
  bool PublishSome();

  Store& store_;
  std::string brokers_, topic_;
  Metrics& metrics_;
  rd_kafka_s* producer_ = nullptr;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> failed_{0};
  std::thread thread_;
  std::string cursor_;  // key of the last published change
};

}  // namespace safetynet
