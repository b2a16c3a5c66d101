// `safetynet verify-proof`: checks, offline and with the public key alone, a
// document the API gave — an inclusion proof (/v1/ledger/proof/inclusion)
// or a consistency proof (/v1/ledger/proof/consistency), each with the
// signed head(s) it is made against — or an evidence bundle
// (`safetynet export`).
// Thread-safety: functions.
#pragma once

#include <string>

#include "events/crypto.h"
#include "events/status.h"
#include "projections/read/queries.h"

namespace safetynet {

// A one-line account of what was proven, or Invalid with the reason the
// document proves nothing.
Result<std::string> CheckProofDocument(const Json& doc, const Ed25519Verifier& key);

}  // namespace safetynet
