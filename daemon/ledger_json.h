// The JSON forms of the verifiable log (../shared/spec/interface.md): tree
// heads as /v1/ledger/root and the heads topic give them, inclusion and
// consistency proofs as the API answers them. A proof carries the signed
// head(s) it is checked against ("head"; "from_head" and "to_head"), so a
// saved answer can be checked offline with the public key alone
// (`safetynet verify-proof`). Hashes are lowercase hex.
// Thread-safety: functions.
#pragma once

#include <cstdint>
#include <vector>

#include "events/crypto.h"
#include "events/merkle.h"
#include "events/status.h"
#include "events/tree_head.h"
#include "projections/read/queries.h"

namespace safetynet {

Json TreeHeadJson(const TreeHead& head);
// Invalid naming the field that is missing or malformed.
Result<TreeHead> ParseTreeHead(const Json& j);

Json InclusionProofJson(uint64_t seq, uint64_t tree_size, const Digest& leaf_hash, const std::vector<Digest>& path,
                        const TreeHead& head);
Json ConsistencyProofJson(uint64_t from, uint64_t to, const std::vector<Digest>& path, const TreeHead& from_head,
                          const TreeHead& to_head);

// Reads "path" (an array of hex hashes) of a proof.
Result<std::vector<Digest>> ParsePath(const Json& proof);
// Reads an unsigned integer field.
Result<uint64_t> ParseU64Field(const Json& j, const char* name);
// Reads a hex hash field.
Result<Digest> ParseDigestField(const Json& j, const char* name);

}  // namespace safetynet
