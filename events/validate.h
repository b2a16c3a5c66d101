// The contract's validation rules (../shared/spec/events.md) applied to a
// verified FlatBuffer: required fields, string limits and UTF-8, enum ranges,
// real calendar dates, non-negative amounts, arithmetic consistency, and which
// payloads each topic may carry. Every rejection is one line naming the field.
// Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "events/event_generated.h"
#include "events/status.h"
#include "events/topics.h"

namespace safetynet {

inline constexpr size_t kIdMaxBytes = 64;      // event_id, source, person_id
inline constexpr size_t kTextMaxBytes = 4096;  // every other string (our choice; see docs/decisions.md)
inline constexpr size_t kSegmentsMax = 64;     // critical illness segments per list

// Invalid with a one-line reason, or Ok.
Status ValidateEvent(const fb::Event& event);
// Invalid when `type` may not arrive on a topic of kind `topic`.
Status CheckTopic(fb::Payload type, TopicKind topic);
bool IsValidUtf8(std::string_view s);
// True when `text` holds what reads as an 18-character resident ID number
// (GB 11643: a division code beginning 1..8, a real birth date, 17 digits in
// all, then a digit or X) that is not part of a longer run of digits: free
// text must not carry one in clear. The check character is not required to
// match: a mistyped number names a person all the same.
bool ContainsResidentId(std::string_view text);

}  // namespace safetynet
