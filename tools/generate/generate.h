// Synthetic province generator behind `safetynet generate`: writes the event
// history of a Heilongjiang-like province (roster, enrollment, claims, tier
// payments, policies, rectification items, monthly data exchange) for tests,
// benchmarks and demos. Deterministic: the same options give the same bytes
// on every platform. Thread-safe as long as callers use distinct streams.
//
// Output format: JSON lines, one Kafka message per line.
// - A normal line is one event in FlatBuffers JSON for events/event.fbs, as
//   `flatc --json --strict-json` reads it: quoted keys, enums by name, the
//   union as "payload_type" then "payload". The publisher routes it to the
//   topic that carries its payload_type and keys it by "person_id" when the
//   line has one (reimbursements and claim reversals carry the claim's
//   person). Roster deliveries, policies and rectification have no person.
// - A wrapped line {"topic":T,"key":K,"value":V} is a message that cannot be
//   routed by its payload_type: V (a JSON string) is sent verbatim to topic T
//   with key K. Only deliberately malformed messages are wrapped (wrong topic;
//   not JSON or truncated).
// Lines come month by month in business-date order. A few are deliberately
// out of order (claims uploaded late after their payments), duplicated (an
// exact copy of an earlier line, or the same event_id with other content) or
// malformed (unknown enum name or field, negative amount, in_policy +
// out_of_catalog > total, impossible date, missing event_id, region not 6
// digits, oversized event_id, wrong topic, not JSON).

#ifndef SAFETYNET_TOOLS_GENERATE_GENERATE_H_
#define SAFETYNET_TOOLS_GENERATE_GENERATE_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

namespace safetynet::gen {

struct GenerateOptions {
  uint64_t seed = 1;
  // Persons on the roster over the run (about 12% join after the first month).
  int64_t persons = 1000;
  // Length of the run in calendar months, starting with `start_month`.
  int months = 24;
  int start_month = 201901;  // YYYYMM
  // Expected share of all lines that are malformed messages; each kind comes
  // in turn, so every kind appears once there are ten or more.
  double malformed_share = 0.004;
  // Expected share of all lines that repeat an earlier line's event_id; one
  // in eight of them with different content.
  double duplicate_share = 0.004;
};

struct GenerateStats {
  int64_t lines = 0;       // every line written
  int64_t malformed = 0;   // deliberately malformed lines (wrapped or not)
  int64_t duplicates = 0;  // lines repeating an earlier line's event_id
  // Valid events by payload_type, each counted once (without the
  // duplicates): lines = sum(by_type) + malformed + duplicates.
  std::map<std::string, int64_t> by_type;
};

// Writes the province described by `opts` to `out`, one line per message,
// and returns the counts of what it wrote. Needs persons >= 1, months >= 1
// and a start_month from 198001 to 220012; otherwise writes nothing and
// returns zero counts. Memory grows with persons (about 60 bytes each), not
// with months. Stream errors are left in `out`'s state for the caller.
GenerateStats GenerateProvince(const GenerateOptions& opts, std::ostream& out);

}  // namespace safetynet::gen

#endif  // SAFETYNET_TOOLS_GENERATE_GENERATE_H_
