// Evidence bundles (`safetynet export`, checked by `safetynet verify-proof`):
// the events of a person, a claim, or a region over a range of dates, as the
// log holds them (persons pseudonymised), each with the chain hash before it
// and its inclusion path in the tree of one signed head, and that head.
// Anyone with the public key can check, offline, that each event is byte for
// byte one the ledger had appended at its seq when the head was signed:
//   hash = SHA-256(prev_hash ‖ seq ‖ event bytes) (events/FORMAT.md),
//   leaf = SHA-256(0x00 ‖ hash), the path leads from it to the head's root.
// Format:
//   {"format":"safetynet-evidence/1","selection":{...},"head":{tree head},
//    "events":[{"seq","prev_hash","hash","event_base64","event":{JSON form},"path":[...]}]}
// with events in increasing seq.
// Thread-safety: functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "events/crypto.h"
#include "events/status.h"
#include "events/store.h"
#include "projections/read/queries.h"

namespace safetynet {

inline constexpr const char* kEvidenceFormat = "safetynet-evidence/1";

struct EvidenceSelection {
  std::string person;  // raw ID or pseudonym (64 hex)
  std::string claim;   // claim_id
  std::string region;  // prefix, with from/to (YYYYMMDD, inclusive, of occurred_on)
  int32_t from = 0, to = 0;
  size_t max_events = 1000000;
};

// The bundle of what `sel` names, against a head of the whole durable log
// signed by `signer`. NotFound for an unknown person or claim; Invalid for a
// selection naming nothing or more than sel.max_events events.
Result<Json> ExportEvidence(const Store& store, const Ed25519Signer& signer,
                            const std::function<std::string(std::string_view)>& hash_raw, const EvidenceSelection& sel);

// Checks a bundle; the one-line account of what it proves, or Invalid with
// the reason (naming the event).
Result<std::string> CheckEvidence(const Json& bundle, const Ed25519Verifier& key);

}  // namespace safetynet
