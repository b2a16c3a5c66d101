// Writing side of the province generator: builds the FlatBuffers JSON of one
// event by hand (no JSON library on this path: it must write hundreds of
// thousands of lines a second), assigns event_ids in output order, holds
// events due on a later business date, and injects the deliberate duplicates
// and malformed messages. Not thread-safe: one Emitter per output stream.
//
// An event's "body" is its JSON text after `{"event_id":"…",`, i.e. starting
// at "occurred_on": the Emitter prefixes the event_id when it writes the line,
// so that ids grow in output order even for events built ahead of time.

#ifndef SAFETYNET_TOOLS_GENERATE_EMITTER_H_
#define SAFETYNET_TOOLS_GENERATE_EMITTER_H_

#include <array>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tools/generate/generate.h"
#include "tools/generate/random.h"

namespace safetynet::gen::internal {

// The members of the schema's Payload union, in schema order.
enum class PayloadType : uint8_t {
  kIdentityGranted,
  kIdentityRevoked,
  kRosterDelivered,
  kEnrollmentChanged,
  kContributionPaid,
  kNonEnrollmentReasonRecorded,
  kClaimSettled,
  kClaimReversed,
  kReimbursementPaid,
  kReimbursementReversed,
  kPolicyPublished,
  kRectificationOpened,
  kRectificationProgressed,
  kRectificationRectified,
  kRectificationVerified,
  kRectificationReopened,
};
inline constexpr int kPayloadTypeCount = 16;

std::string_view PayloadTypeName(PayloadType type);

// Appends the decimal digits of `value` to `out`.
void AppendInt(std::string* out, int64_t value);
// The same, with leading zeros up to `width` digits.
void AppendPadded(std::string* out, uint64_t value, int width);

// Writes one event body into `out` (cleared first). Field values written with
// Str are copied verbatim: they must not need JSON escaping.
class EventBody {
 public:
  // Writes the envelope; the source is `source_prefix` + `source_suffix`; an
  // empty `person_id` is omitted.
  EventBody(std::string* out, PayloadType type, int occurred_on, std::string_view source_prefix,
            std::string_view source_suffix, std::string_view region, std::string_view person_id);

  EventBody& Str(std::string_view key, std::string_view value);
  EventBody& Int(std::string_view key, int64_t value);
  EventBody& Bool(std::string_view key, bool value);
  // `json` is written as the value as is (an array, an object).
  EventBody& Raw(std::string_view key, std::string_view json);
  // Closes the payload and the event.
  void Finish();

 private:
  void Key(std::string_view key);

  std::string* out_;
  bool first_ = true;
};

class Emitter {
 public:
  // Writes to `out`, which must outlive the Emitter.
  Emitter(const GenerateOptions& opts, std::ostream* out);

  // Writes `body` as a normal line now. Afterwards, by chance, writes a
  // duplicate of a recent line and a malformed line.
  void Emit(PayloadType type, std::string_view body);

  // Keeps `body` to be emitted when the generator reaches business date
  // `date` (see EmitDue).
  void Defer(int date, PayloadType type, std::string body);

  // Emits every kept body due on or before `date`, by date, then in the
  // order they were kept.
  void EmitDue(int date);

  // The person and county the current activity is about; malformed lines are
  // built from them. An empty person suppresses malformed lines.
  void SetContext(int date, std::string_view region, std::string_view person_id);

  // Emits everything still kept, flushes the output and returns the counts.
  GenerateStats Finish();

 private:
  struct Kept {
    PayloadType type;
    std::string body;
  };

  void AppendEventId(std::string* out);
  void WriteLine(std::string_view line);
  void EmitDuplicate();
  void EmitMalformed();  // faults.cc
  void Flush();

  static constexpr size_t kRecentLines = 256;
  static constexpr size_t kFlushBytes = 1 << 20;

  std::ostream* out_;
  Rng rng_;
  double malformed_share_;
  double duplicate_share_;
  std::string seed_text_;
  std::string event_id_prefix_;
  uint64_t next_event_ = 1;
  std::string line_;
  std::string buffer_;
  std::array<std::string, kRecentLines> recent_;
  size_t recent_written_ = 0;
  std::map<int, std::vector<Kept>> kept_;
  int date_ = 0;
  std::string region_;
  std::string person_id_;
  int64_t lines_ = 0;
  int64_t malformed_ = 0;
  int64_t duplicates_ = 0;
  std::array<int64_t, kPayloadTypeCount> by_type_{};
};

}  // namespace safetynet::gen::internal

#endif  // SAFETYNET_TOOLS_GENERATE_EMITTER_H_
