// The settlement-due index (column family `settlement_due`): what must be
// evaluated again once the ledger's date passes a date, with no new event
// for it — a claim whose settlement window passes (C6, C10), a hospital
// month whose window passes (C7), a finding whose pending change falls due
// (findings.h). Key: kind u8 || date u32 (the first ledger date on which it
// is due) || subject. Each projection takes its own kinds, in key order, so
// that evaluations (and the findings' changes) come in a deterministic order.
// Thread-safety: free functions over a Txn (the ingest or replay thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/store.h"

namespace safetynet {

enum class DueKind : uint8_t {
  kClaim = 1,          // subject: claim_id
  kHospitalMonth = 2,  // subject: the hospital_months key
  kFinding = 4,        // subject: the findings key (check u8 || subject): a pending change (findings.h)
};

// Marks `subject` due on `date`.
void MarkDue(Txn& txn, DueKind kind, int32_t date, std::string_view subject);
// The subjects of `kind` due on a date in (after, upto], in key order, each
// once; their entries are deleted.
std::vector<std::string> TakeDue(Txn& txn, DueKind kind, int32_t after, int32_t upto);

}  // namespace safetynet
