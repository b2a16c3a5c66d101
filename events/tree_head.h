// Signed tree heads of the log (../shared/spec/interface.md, "The verifiable
// log, exactly"): Ed25519 over the 48 bytes "SNTH" ‖ tree_size (u64
// big-endian) ‖ root[32] ‖ 4 zero bytes; key_id is the hex SHA-256 of the
// signing key's SubjectPublicKeyInfo DER.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "events/crypto.h"
#include "events/status.h"

namespace safetynet {

struct TreeHead {
  uint64_t tree_size = 0;
  Digest root{};
  std::string signature;  // 64 raw bytes
  std::string key_id;     // 64 lowercase hex characters
};

std::string TreeHeadMessage(uint64_t tree_size, const Digest& root);
// Hex SHA-256 of a public key's DER.
std::string KeyId(std::string_view public_der);
TreeHead SignTreeHead(const Ed25519Signer& signer, uint64_t tree_size, const Digest& root);
// Ok when `head` is signed by `key`; Invalid naming what is wrong otherwise
// (another key's id, a signature that does not verify).
Status CheckTreeHead(const Ed25519Verifier& key, const TreeHead& head);

}  // namespace safetynet
