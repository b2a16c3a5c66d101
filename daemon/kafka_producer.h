// The daemon's outbound Kafka producers (findings, tree heads) are made the
// same way: idempotent, short linger, errors of delivery counted into an
// atomic the owner watches.
// Thread-safety: the producer is librdkafka's (thread-safe); the counter is atomic.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "events/status.h"

struct rd_kafka_s;

namespace safetynet {

// A producer on `brokers`; every failed delivery adds one to `*failed`
// (which must outlive the producer). `what` names it in errors.
Result<rd_kafka_s*> NewProducer(const std::string& brokers, const std::string& what, std::atomic<uint64_t>* failed);
// Queues one message (waiting while the local queue is full); Io on an
// error other than a full queue.
Status Produce(rd_kafka_s* producer, const std::string& topic, std::string_view key, std::string_view value);

}  // namespace safetynet
