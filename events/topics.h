// Topics of the event contract and which payload types each may carry
// (../shared/spec/events.md, "Topics and what each may carry").
// Topic names are configurable; the kinds are fixed. Thread-safe (const data).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "events/event_generated.h"

namespace safetynet {

enum class TopicKind : uint8_t { kRoster, kEnrollment, kClaims, kReimbursements, kPolicy, kRectification, kUnknown };

struct TopicNames {
  std::string roster = "safetynet.roster";
  std::string enrollment = "safetynet.enrollment";
  std::string claims = "safetynet.claims";
  std::string reimbursements = "safetynet.reimbursements";
  std::string policy = "safetynet.policy";
  std::string rectification = "safetynet.rectification";
  std::string findings = "safetynet.findings";          // outbound
  std::string ledger_heads = "safetynet.ledger-heads";  // outbound: signed tree heads

  TopicKind KindOf(std::string_view topic) const;
  const std::string& NameOf(TopicKind kind) const;
  std::vector<std::string> Inbound() const;
  std::vector<std::string> Outbound() const;  // what the daemon publishes
};

// The only topic kind that may carry `type`.
TopicKind TopicOfPayload(fb::Payload type);
// True for payloads that must name a person (person_id required).
bool RequiresPerson(fb::Payload type);
// The contract's name of a payload type ("ClaimSettled"), or "NONE".
const char* PayloadName(fb::Payload type);

}  // namespace safetynet
