// EventCodec turns an inbound Kafka value into the ledger's stored form and
// stored events back into the contract's JSON.
//
// Inbound: FlatBuffers binary (identifier "SNEV") or FlatBuffers JSON (first
// non-space byte '{', parsed against the schema embedded at build time). The
// buffer is verified, validated against the contract, checked against the
// topic it arrived on, then re-packed canonically with `person_id` replaced by
// its HMAC pseudonym. Canonical bytes make "identical content" comparable
// across encodings: the same event sent as JSON and as binary stores the same
// bytes.
//
// Thread-safety: not thread-safe (it owns a parser and a builder); use one per
// thread. Construction parses the schema (~1 ms).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "events/crypto.h"
#include "events/event_generated.h"
#include "events/status.h"
#include "events/topics.h"

namespace safetynet {

// The schema text of events/event.fbs, embedded at build time.
std::string_view EventSchemaText();

class EventCodec {
 public:
  // `hasher` may be null for codecs that only convert (tools, the API).
  explicit EventCodec(PersonHasher* hasher = nullptr);
  ~EventCodec();

  // Decodes `value` received on a topic of kind `topic` into canonical,
  // pseudonymised stored bytes: `person_id`, and the id in a rectification
  // subject "person/<id>[/...]" (unless already a 64-hex pseudonym), are
  // replaced by their pseudonyms. Invalid with a one-line reason on rejection.
  Status DecodeInbound(std::string_view value, TopicKind topic, std::string* stored);

  // Events whose occurred_on is later than `date` (YYYYMMDD) are rejected,
  // so that no event can move the ledger's date into the future; 0 (the
  // default) accepts every date. Ingest sets it to the ingest day plus a margin.
  void set_latest_occurred_on(int32_t date) { latest_occurred_on_ = date; }

  // Parses contract JSON into (non-pseudonymised) binary; used by tools.
  Status JsonToBinary(std::string_view json, std::string* binary);

  // The contract's JSON text of a verified event buffer (one line).
  Status ToJson(std::string_view binary, std::string* json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int32_t latest_occurred_on_ = 0;
};

// Reads a stored (already verified at ingest) event in place.
inline const fb::Event* ReadEvent(std::string_view bytes) { return fb::GetEvent(bytes.data()); }
// Verifies the FlatBuffer structure and identifier only.
bool VerifyEventBuffer(std::string_view bytes);

}  // namespace safetynet
