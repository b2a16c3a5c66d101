// Publisher: sends JSON-lines events to their topics (`safetynet publish`).
//
// Input, one message per line:
//  - an event in the contract's JSON: routed by "payload_type" to its topic,
//    keyed by "person_id" when present;
//  - a wrapped message {"topic": T, "key": K, "value": V} (no "payload_type"):
//    V (a string) is sent verbatim to T. The generator uses it for messages
//    that cannot be routed by type (wrong topic, not JSON at all).
// With `binary`, events are sent as FlatBuffers binary instead of JSON (lines
// that do not parse as events are sent as they are).
//
// Pacing: the in-process broker keeps only 5 MiB per partition, and a real
// Kafka's retention can be short too. With `pace`, the publisher keeps, per
// partition, at most `ahead_bytes_max` bytes beyond the offsets that consumer
// group `group_id` (the daemon) has committed, waiting while it is ahead.
// Thread-safety: single-threaded.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include "events/status.h"
#include "events/topics.h"

namespace safetynet {

struct PublishOptions {
  std::string brokers;
  TopicNames topics;
  bool binary = false;
  bool pace = true;
  std::string group_id = "safetynet";
  size_t ahead_bytes_max = 2 << 20;
  int stall_timeout_s = 120;  // give up when the consumer makes no progress this long
};

struct PublishStats {
  uint64_t lines = 0;
  uint64_t sent = 0;
  uint64_t unroutable = 0;  // lines that are neither an event nor a wrapped message
  uint64_t waits = 0;       // times pacing held the publisher back
};

Result<PublishStats> Publish(std::istream& in, const PublishOptions& opts);

}  // namespace safetynet
